"""`audit-ledger`: an append-only DynamoDB table that other resources connect to."""

from __future__ import annotations

from typing import Any

from stackwright import Connection, Resource, ResourceType, StackContext, get_att, ref

#: Append and read, never update or delete: the ledger's whole point.
LEDGER_ACTIONS = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:DescribeTable"]


class AuditLedger(ResourceType):
    name = "audit-ledger"
    summary = "An append-only table of audit entries; connected resources may add and read, not change."
    properties_required = False
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "pointInTimeRecovery": {
                "type": "boolean",
                "default": True,
                "description": "Keep 35 days of continuous backups, to restore the table to any second.",
            },
        },
    }

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        # Retained when the stack is deleted, so no fixed name: a fixed name would collide with the kept
        # table when the stack is created again. Connected resources learn the name from STP_*_TABLE_NAME.
        ctx.template.add_resource(
            ctx.logical_id(resource.name, "Table"),
            "AWS::DynamoDB::Table",
            {
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [
                    {"AttributeName": "subject", "AttributeType": "S"},
                    {"AttributeName": "at", "AttributeType": "S"},
                ],
                "KeySchema": [
                    {"AttributeName": "subject", "KeyType": "HASH"},
                    {"AttributeName": "at", "KeyType": "RANGE"},
                ],
                "PointInTimeRecoverySpecification": {
                    "PointInTimeRecoveryEnabled": bool(resource.properties.get("pointInTimeRecovery", True))
                },
            },
            owner=resource.name,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
        )

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        table = ctx.logical_id(resource.name, "Table")
        return {"tableName": ref(table), "arn": get_att(table, "Arn")}

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        params = self.params(ctx, resource)
        return Connection(
            target=resource,
            statements=[{"Effect": "Allow", "Action": LEDGER_ACTIONS, "Resource": [params["arn"]]}],
            environment={"TABLE_NAME": params["tableName"], "ARN": params["arn"]},
        )
