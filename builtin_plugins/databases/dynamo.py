"""Compile a `dynamo-db-table`: a DynamoDB table (on-demand unless `provisionedThroughput` is given, then
with optional target-tracking scaling), its global secondary indexes, stream and point-in-time recovery."""

from __future__ import annotations

from typing import Any

from stackwright import Connection, Resource, StackContext, get_att, number, ref, sub

#: Stacktape's attribute types → DynamoDB's.
ATTRIBUTE_TYPES = {"string": "S", "number": "N", "binary": "B"}
#: What a connectTo grants on the table and its indexes (Stacktape's list): read and write items,
#: nothing on the table's settings or any other table.
TABLE_ACTIONS = [
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:UpdateItem",
]
#: ... and on its stream, when it has one: read the item changes.
STREAM_ACTIONS = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
#: Target utilization (percent) when a scaling setting gives none (Stacktape's default).
DEFAULT_UTILIZATION = 90


def table_id(ctx: StackContext, name: str) -> str:
    return ctx.logical_id(name, "DynamoTable")


def compile_table(ctx: StackContext, resource: Resource) -> None:
    props = resource.properties
    attributes: dict[str, str] = {}

    at = ("resources", resource.name, "properties")

    def key_schema(keys: dict[str, Any], where: tuple[str | int, ...]) -> list[dict[str, str]]:
        out = []
        for part, key_type in (("partitionKey", "HASH"), ("sortKey", "RANGE")):
            if part in keys:
                name, kind = keys[part]["name"], ATTRIBUTE_TYPES[keys[part]["type"]]
                if attributes.setdefault(name, kind) != kind:
                    other = next(k for k, v in ATTRIBUTE_TYPES.items() if v == attributes[name])
                    ctx.fail(
                        (*where, part, "type"),
                        f"attribute {name!r} is a {keys[part]['type']} here and a {other} in another key: "
                        "DynamoDB gives each attribute one type",
                    )
                out.append({"AttributeName": name, "KeyType": key_type})
        return out

    throughput = props.get("provisionedThroughput")
    capacity = (
        {
            "ReadCapacityUnits": number(throughput["readUnits"]),
            "WriteCapacityUnits": number(throughput["writeUnits"]),
        }
        if throughput
        else None
    )
    body: dict[str, Any] = {
        "TableName": ctx.physical_name(resource.name, "dynamodb"),
        "KeySchema": key_schema(props["primaryKey"], (*at, "primaryKey")),
        "BillingMode": "PROVISIONED" if capacity else "PAY_PER_REQUEST",
    }
    if capacity:
        body["ProvisionedThroughput"] = capacity
    indexes: list[dict[str, Any]] = []
    for position, index in enumerate(props.get("secondaryIndexes") or []):
        where = (*at, "secondaryIndexes", position)
        if any(i["IndexName"] == index["name"] for i in indexes):
            ctx.fail((*where, "name"), f"two secondary indexes are named {index['name']!r}")
        projections = index.get("projections") or []
        gsi: dict[str, Any] = {
            "IndexName": index["name"],
            "KeySchema": key_schema(index, where),
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": projections}
            if projections
            else {"ProjectionType": "KEYS_ONLY"},
        }
        if capacity:
            gsi["ProvisionedThroughput"] = dict(capacity)
        indexes.append(gsi)
    body["AttributeDefinitions"] = [{"AttributeName": n, "AttributeType": t} for n, t in attributes.items()]
    if indexes:
        body["GlobalSecondaryIndexes"] = indexes
    if props.get("streamType"):
        body["StreamSpecification"] = {"StreamViewType": props["streamType"]}
    if props.get("enablePointInTimeRecovery"):
        body["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
    lid = table_id(ctx, resource.name)
    ctx.template.add_resource(lid, "AWS::DynamoDB::Table", body, owner=resource.name)
    for kind in ("read", "write"):
        scaling = (throughput or {}).get(f"{kind}Scaling")
        if scaling:
            _scaling(ctx, resource, lid, kind, scaling)


def _scaling(ctx: StackContext, resource: Resource, table: str, kind: str, scaling: dict[str, Any]) -> None:
    """Target tracking of the table's `kind` capacity (Application Auto Scaling, its service-linked role)."""
    word = kind.title()
    target_id = ctx.logical_id(resource.name, f"{word}ScalableTarget")
    ctx.template.add_resource(
        target_id,
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {
            "MinCapacity": number(scaling["minUnits"]),
            "MaxCapacity": number(scaling["maxUnits"]),
            "ResourceId": sub("table/${" + table + "}"),
            "ScalableDimension": f"dynamodb:table:{word}CapacityUnits",
            "ServiceNamespace": "dynamodb",
        },
        owner=resource.name,
    )
    ctx.template.add_resource(
        ctx.logical_id(resource.name, f"{word}ScalingPolicy"),
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        {
            "PolicyName": ctx.physical_name(resource.name, "generic", f"{kind}-scaling"),
            "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": ref(target_id),
            "TargetTrackingScalingPolicyConfiguration": {
                "TargetValue": number(scaling.get("keepUtilizationUnder", DEFAULT_UTILIZATION)),
                "PredefinedMetricSpecification": {
                    "PredefinedMetricType": f"DynamoDB{word}CapacityUtilization"
                },
            },
        },
        owner=resource.name,
    )


def table_params(ctx: StackContext, resource: Resource) -> dict[str, Any]:
    """`name`, `arn`, and `streamArn` when the table has a stream (Stacktape's referenceable params)."""
    lid = table_id(ctx, resource.name)
    params = {"name": ref(lid), "arn": get_att(lid, "Arn")}
    if resource.properties.get("streamType"):
        params["streamArn"] = get_att(lid, "StreamArn")
    return params


def table_connection(ctx: StackContext, resource: Resource) -> Connection:
    params = table_params(ctx, resource)
    lid = table_id(ctx, resource.name)
    statements: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Action": TABLE_ACTIONS,
            "Resource": [params["arn"], sub("${" + lid + ".Arn}/index/*")],
        }
    ]
    if "streamArn" in params:
        statements.append({"Effect": "Allow", "Action": STREAM_ACTIONS, "Resource": [params["streamArn"]]})
    return Connection(
        target=resource,
        statements=statements,
        environment={
            {"streamArn": "STREAM_ARN"}.get(key, key.upper()): value for key, value in params.items()
        },
    )
