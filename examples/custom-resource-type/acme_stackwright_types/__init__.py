"""ACME's in-house resource types, installed with pip and found through the `stackwright` entry-point
group; no other step is needed.

- `audit-log-bucket`: an S3 bucket that keeps every version of every object for a fixed number of days
  and refuses deletes of locked objects.
- `audit-ledger`: an append-only DynamoDB table. Other resources `connectTo` it and may add and read
  entries, never change or delete them; they find it through `STP_<NAME>_TABLE_NAME`.
"""

from __future__ import annotations

from stackwright import ResourceType, hookimpl

from .bucket import AuditLogBucket
from .ledger import AuditLedger


@hookimpl
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return [AuditLogBucket, AuditLedger]
