"""What a change set would do, shown before it executes: a row per resource (action, type, replacement),
the properties that change (before → after, secrets masked), what loses its data; then the approval."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from stackwright import StackContext, plural, property_diff

from . import approval


def review(
    ctx: StackContext, changes: Sequence[Mapping[str, Any]], after: Mapping[str, Any], creating: bool
) -> None:
    """Show `changes` (a change set's `Changes`) against the deployed template, then, when the change set
    is to execute, ask for approval if it destroys data. In JSON, one `change` record per resource:
    action, logical_id, resource_type, replacement, properties [{path, before, after, masked}].
    Raises StackwrightError when approval is needed and not given."""
    before: Mapping[str, Any] | None = None
    if not creating:
        with ctx.blame_target():
            before = ctx.require_target().deployed_template(ctx)
    found = approval.destroyed(changes, before, after, ctx.plugins.data_resource_types())
    inferred = {lid: "yes" for lid in unreported(changes, found)}
    diffs = [
        dataclasses.replace(d, replacement=inferred[d.logical_id])
        if d.replacement == "-" and d.action == "Modify" and d.logical_id in inferred
        else d
        for d in property_diff.resource_diffs(before, after, changes)
    ]
    report = ctx.report
    if report.json:
        for record in property_diff.to_records(diffs):
            report.emit({"event": "change", "stack": ctx.stack_name, **record})
    else:
        rows = [[d.action, d.logical_id, d.resource_type, d.replacement] for d in diffs]
        report.table(["action", "resource", "type", "replacement"], rows, f"changes to {ctx.stack_name}:")
        for line in property_diff.render_text(diffs):
            report.detail(line)
    if creating or not found:
        return
    if inferred and ctx.settings.get("execute", True):
        # the target did not say that these are replaced, as AWS would: it would not do it right (the
        # embedded engine loses the resource from the stack and keeps the old one)
        from stackwright import StackwrightError

        raise StackwrightError(
            f"{ctx.stack_name}: the target cannot replace {', '.join(sorted(inferred))}, as AWS would for a "
            "change to a property that cannot change in place: nothing was changed",
            hint=f"delete the stack (`stackwright delete --target {ctx.project.target}`) and deploy again, "
            "or keep the property as it was",
        )
    count = len(found)
    executing = ctx.settings.get("execute", True)
    verb = "destroys" if executing else "would destroy"
    command = ctx.settings.get("command") if executing else None
    report.event(
        "data-loss",
        f"this {command or 'deploy'} {verb} the data of {plural(count, 'resource')}:\n"
        + "\n".join(f"  {lid} ({kind}): {what}" for lid, kind, what in found),
        stack=ctx.stack_name,
        resources=[{"logical_id": lid, "resource_type": kind, "outcome": what} for lid, kind, what in found],
    )
    if ctx.settings.get("execute", True):
        approval.approve_loss(ctx)


def unreported(changes: Sequence[Mapping[str, Any]], found: Sequence[tuple[str, str, str]]) -> list[str]:
    """The replaced resources (of `approval.destroyed`'s `found`) whose change the target gave without
    saying whether it replaces them, as the embedded engine does; AWS always says (`Replacement`)."""
    said = {
        str(row.get("LogicalResourceId", ""))
        for change in changes
        if "Replacement" in (row := change.get("ResourceChange") or {})
    }
    return [lid for lid, _, what in found if what == "replaced" and lid not in said]
