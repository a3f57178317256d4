"""Approval before a change set destroys data: the resources that hold data (tables, buckets, databases,
queues, user pools, secrets, log groups, file systems) which it removes or replaces are
listed, and the deploy goes on only when the user approves (`--yes`, or yes in a terminal)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from stackwright import StackContext, approve

#: AWS's resource types that hold data: removing or replacing one loses what it holds (its items,
#: objects, rows, messages, users, secret values, logs or files).
AWS_DATA_TYPES = (
    "AWS::DynamoDB::Table",
    "AWS::DynamoDB::GlobalTable",
    "AWS::S3::Bucket",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::DocDB::DBCluster",
    "AWS::Neptune::DBCluster",
    "AWS::Redshift::Cluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::CacheCluster",
    "AWS::MemoryDB::Cluster",
    "AWS::OpenSearchService::Domain",
    "AWS::Elasticsearch::Domain",
    "AWS::SQS::Queue",
    "AWS::Kinesis::Stream",
    "AWS::Events::Archive",
    "AWS::Cognito::UserPool",
    "AWS::SecretsManager::Secret",
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
    "AWS::EFS::FileSystem",
    "AWS::FSx::FileSystem",
    "AWS::ECR::Repository",
    "AWS::Backup::BackupVault",
    "AWS::Timestream::Table",
)

#: `DeletionPolicy` / `UpdateReplacePolicy` values that keep the data (the resource, or a snapshot).
KEEPS_DATA = frozenset({"Retain", "RetainExceptOnCreate", "Snapshot"})


def _holds_data(kind: str, data_types: frozenset[str]) -> bool:
    return kind in data_types


def destroyed(
    changes: Sequence[Mapping[str, Any]],
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    data_types: frozenset[str],
) -> list[tuple[str, str, str]]:
    """(logical id, resource type, what happens) for each resource holding data that `changes` (a
    change set's `Changes`) removes or replaces: "removed", "replaced" or "may be replaced". A resource
    whose policy keeps its data (`DeletionPolicy` for a removal, `UpdateReplacePolicy` in both templates
    for a replacement: Retain or Snapshot) is left out."""
    old = (before or {}).get("Resources") or {}
    new = after.get("Resources") or {}
    found = []
    for change in changes:
        item = change.get("ResourceChange") or {}
        lid, kind = str(item.get("LogicalResourceId", "")), str(item.get("ResourceType", ""))
        action, replacement = item.get("Action"), item.get("Replacement")
        body = old.get(lid) or {}
        if not _holds_data(kind, data_types):
            continue
        if action == "Remove":
            if body.get("DeletionPolicy") not in KEEPS_DATA:
                found.append((lid, kind, "removed"))
        elif action == "Modify":
            if replacement is None and body:  # an engine that does not say: what AWS would do
                replacement = "True" if _create_only_changed(kind, body, new.get(lid) or {}) else "False"
            if replacement not in ("True", "Conditional"):
                continue
            policies = {body.get("UpdateReplacePolicy"), (new.get(lid) or {}).get("UpdateReplacePolicy")}
            if not policies <= KEEPS_DATA:
                found.append((lid, kind, "replaced" if replacement == "True" else "may be replaced"))
    return found


def _create_only_changed(kind: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether a property AWS cannot change in place (the type's `createOnlyProperties`, from the
    resource provider schemas cfn-lint ships) differs between the two definitions."""
    before, after = old.get("Properties") or {}, new.get("Properties") or {}
    try:
        from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", kind).schema
    except Exception:  # a type cfn-lint does not know: assume the worst
        return before != after
    names = {str(p).split("/")[2] for p in schema.get("createOnlyProperties", []) if str(p).count("/") >= 2}
    return any(before.get(name) != after.get(name) for name in names)


def approve_loss(ctx: StackContext) -> None:
    """Go on only with `--yes` (`ctx.settings["approved"]`) or a yes in the terminal. Raises
    StackwrightError ("nothing was changed") otherwise."""
    command = ctx.settings.get("command") or "deploy"
    approve(
        f"destroy their data and {command}?",
        bool(ctx.settings.get("approved")),
        f"this {command} of {ctx.stack_name} destroys data and needs approval",
    )
