"""The changes of a split stack's change set, told resource by resource: a row for a nested stack
(`AWS::CloudFormation::Stack`) stands for the changes inside it, read from its own change set
(`IncludeNestedStacks`) or, where the target makes none, worked out from the deployed and the new
logical template. Review and approval then see the resources, as for a stack that is not split."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stackwright import StackContext, Template, nesting

from .nested import logical, ours, previous_placement

Change = dict[str, Any]


def placement(root: Mapping[str, Any] | None, logical: Mapping[str, Any] | None) -> dict[str, str]:
    """Logical id → the nested stack it is in ("" the root), for a deployed root and its logical template."""
    if not logical:
        return {}
    stacks = previous_placement(dict(root) if root else None)
    owners = nesting.owners_of(dict(logical))
    return {str(lid): stacks.get(owners.get(str(lid), ""), "") for lid in logical.get("Resources", {})}


def flatten(
    cf: Any,
    stack: str,
    changes: list[Change],
    before: Mapping[str, Any] | None,
    before_placed: Mapping[str, str],
    after: Mapping[str, Any],
    after_placed: Mapping[str, str],
) -> list[Change]:
    """`changes` (a root change set's) with each nested stack's row replaced by the changes inside it; a
    resource that leaves one nested stack for another is one change, replaced (CloudFormation deletes
    it in the one and creates it in the other)."""
    found: list[Change] = []
    for change in changes:
        row = change.get("ResourceChange") or {}
        name, kind = str(row.get("LogicalResourceId", "")), str(row.get("ResourceType", ""))
        if not ours(name, kind):
            found.append(change)
        elif row.get("ChangeSetId"):
            found += _described(cf, stack, str(row["ChangeSetId"]))
        else:
            found += _inferred(name, before, before_placed, after, after_placed)
    return _moves(found)


def _described(cf: Any, stack: str, change_set: str) -> list[Change]:
    described = cf.describe_change_set(ChangeSetName=change_set)
    changes = list(described.get("Changes", []))
    token = described.get("NextToken")
    while token:
        more = cf.describe_change_set(ChangeSetName=change_set, NextToken=token)
        changes += more.get("Changes", [])
        token = more.get("NextToken")
    return changes


def _inferred(
    name: str,
    before: Mapping[str, Any] | None,
    before_placed: Mapping[str, str],
    after: Mapping[str, Any],
    after_placed: Mapping[str, str],
) -> list[Change]:
    old = (before or {}).get("Resources", {})
    new = after.get("Resources", {})
    ids = [lid for lid in new if after_placed.get(lid) == name]
    ids += [lid for lid in old if before_placed.get(lid) == name and lid not in ids]
    found: list[Change] = []
    for lid in ids:
        was = old.get(lid) if before_placed.get(lid) == name else None
        now = new.get(lid) if after_placed.get(lid) == name else None
        if was == now:
            continue
        action = "Add" if was is None else "Remove" if now is None else "Modify"
        body = now or was or {}
        row = {"Action": action, "LogicalResourceId": lid, "ResourceType": str(body.get("Type", ""))}
        found.append({"Type": "Resource", "ResourceChange": row})
    return found


def _moves(changes: list[Change]) -> list[Change]:
    actions: dict[str, set[str]] = {}
    for change in changes:
        row = change.get("ResourceChange") or {}
        actions.setdefault(str(row.get("LogicalResourceId", "")), set()).add(str(row.get("Action", "")))
    moved = {lid for lid, done in actions.items() if {"Add", "Remove"} <= done}
    found: list[Change] = []
    for change in changes:
        row = change.get("ResourceChange") or {}
        lid = str(row.get("LogicalResourceId", ""))
        if lid not in moved:
            found.append(change)
        elif row.get("Action") == "Add":
            found.append(
                {"Type": "Resource", "ResourceChange": {**row, "Action": "Modify", "Replacement": "True"}}
            )
    return found


def changes_inside(
    ctx: StackContext,
    cf: Any,
    changes: list[Change],
    deployed_root: dict[str, Any] | None,
    template: Template,
    split: nesting.Split,
) -> list[Change]:
    """The changes of a split deploy's change set, the rows of the nested stacks replaced by the changes
    inside them (`flatten`), against the logical template the stack runs."""
    before = logical(ctx, deployed_root)
    return flatten(
        cf,
        ctx.stack_name,
        changes,
        before,
        placement(deployed_root, before),
        template.to_dict(),
        split.placed,
    )
