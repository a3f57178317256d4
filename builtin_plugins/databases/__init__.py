"""Database resource types: relational databases, Redis clusters and DynamoDB tables.

Their configs are checked against Stacktape's schema now; no compiler is installed for them yet, so a
config using one is refused by name after its mistakes are reported.
"""

from __future__ import annotations

from stackwright import ResourceType, hookimpl, schema_only_types

from .schema import DEFINITIONS, REQUIRES_PROPERTIES, SCHEMAS


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return schema_only_types(SCHEMAS, DEFINITIONS, REQUIRES_PROPERTIES)
