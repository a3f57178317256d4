"""Storage resource types: S3 buckets.

Their configs are checked against Stacktape's schema now; no compiler is installed for them yet, so a
config using one is refused by name after its mistakes are reported.
"""

from __future__ import annotations

from stackwright import ResourceType, hookimpl
from stackwright.models import resource_types_from

from .schema import DEFINITIONS, REQUIRES_PROPERTIES, SCHEMAS


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[ResourceType]:
    return resource_types_from(SCHEMAS, DEFINITIONS, REQUIRES_PROPERTIES, schema_only=True)
