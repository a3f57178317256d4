"""`stackwright info`: a deployed stack's status, outputs and resources, read through the target."""

from __future__ import annotations

import click
from stackwright.cli.state import State, pass_state
from stackwright.report import plural


@click.command("info")
@pass_state
def info(state: State) -> None:
    """Stack status, outputs, and every resource with its logical id, type, physical id and status."""
    from stackwright.deploy import connected_stack

    ctx = connected_stack(state, "info", clear_failed_create=False, wait=False, refuse_stuck=False)
    with ctx.blame_target():
        view = ctx.require_target().read_stack(ctx)
    stack = view.state
    report = ctx.report
    live = view.kept_versions[-1] if view.kept_versions else stack.last_version
    shown = f"version v{live:06d}" if live else "no version deployed yet: only the bootstrap resources"
    report.result(
        f"stack {ctx.stack_name}: {stack.status} ({shown})",
        stack=ctx.stack_name,
        status=stack.status,
        version=live or None,
        outputs=stack.outputs,
        kept_versions=view.kept_versions,
    )
    if not report.json:
        for key, value in sorted(stack.outputs.items()):
            click.echo(f"  {key} = {value}")
    swapped = stack.hotswapped
    if report.json:
        for r in view.resources:
            report.emit(
                {
                    "event": "resource",
                    "stack": ctx.stack_name,
                    "logical_id": r.logical_id,
                    "resource_type": r.resource_type,
                    "physical_id": r.physical_id,
                    "status": r.status,
                    "nested_stack": r.stack or None,
                    "hotswapped_at": swapped[r.logical_id]["at"] if r.logical_id in swapped else None,
                }
            )
        return
    rows = [
        [
            f"  {r.logical_id}" if r.stack else r.logical_id,  # under its nested stack
            r.resource_type,
            r.physical_id,
            r.status + (f", hot-swapped {swapped[r.logical_id]['at']}" if r.logical_id in swapped else ""),
        ]
        for r in view.resources
    ]
    report.table(["resource", "type", "physical id", "status"], rows)
    if swapped:
        runs = "runs" if len(swapped) == 1 else "run"
        click.echo(
            f"{plural(len(swapped), 'resource')} {runs} hot-swapped code that CloudFormation does not know "
            "of yet; the next full deploy records it"
        )
