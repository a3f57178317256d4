"""Database resource types: DynamoDB tables (`dynamo-db-table`), and relational databases and Redis
clusters, whose configs are checked against Stacktape's schema but not compiled yet (a config using one
is refused by name after its mistakes are reported)."""

from __future__ import annotations

from typing import Any

from stackwright import Connection, Resource, ResourceType, StackContext, hookimpl, schema_only_types

from .dynamo import compile_table, table_connection, table_params
from .schema import DEFINITIONS, REQUIRES_PROPERTIES, SCHEMAS


class DynamoDbTable(ResourceType):
    name = "dynamo-db-table"
    schema = SCHEMAS[name]
    definitions = DEFINITIONS
    properties_required = REQUIRES_PROPERTIES[name]
    summary = "A DynamoDB table with its secondary indexes, optional stream and point-in-time recovery."

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_table(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return table_params(ctx, resource)

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        return table_connection(ctx, resource)


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    others = {name: schema for name, schema in SCHEMAS.items() if name != DynamoDbTable.name}
    return [DynamoDbTable, *schema_only_types(others, DEFINITIONS, REQUIRES_PROPERTIES)]
