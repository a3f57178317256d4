"""`stackwright info`, `delete` and `rollback`."""

from __future__ import annotations

import sys
from typing import Any

import click
from stackwright import StackwrightError


def _context(state: Any, **settings: Any) -> Any:
    from stackwright.deploy import connected_stack

    return connected_stack(state, **settings)


@click.command("info")
@click.pass_obj
def info(state: Any) -> None:
    """Stack status, outputs, and every resource with its logical id, type, physical id and status."""
    ctx = _context(state, clear_failed_create=False, wait=False, refuse_stuck=False)
    if ctx.state is None or not ctx.state.exists:
        raise StackwrightError(
            f"stack {ctx.stack_name} does not exist", hint="deploy it with `stackwright deploy`"
        )
    cf = ctx.clients.client("cloudformation")
    resources = []
    for page in cf.get_paginator("list_stack_resources").paginate(StackName=ctx.stack_name):
        resources += page["StackResourceSummaries"]
    report = ctx.report
    report.result(
        f"stack {ctx.stack_name}: {ctx.state.status} (version v{ctx.state.last_version:06d})",
        stack=ctx.stack_name,
        status=ctx.state.status,
        version=ctx.state.last_version,
        outputs=ctx.state.outputs,
    )
    if not report.json:
        for key, value in sorted(ctx.state.outputs.items()):
            click.echo(f"  {key} = {value}")
    rows = [
        [r["LogicalResourceId"], r["ResourceType"], r.get("PhysicalResourceId", ""), r["ResourceStatus"]]
        for r in sorted(resources, key=lambda r: r["LogicalResourceId"])
        if r.get("LogicalResourceId")
    ]
    swapped = ctx.state.hotswapped
    rows = [
        [*row[:3], row[3] + (f", hot-swapped {swapped[row[0]]['at']}" if row[0] in swapped else "")]
        for row in rows
    ]
    report.table(["resource", "type", "physical id", "status"], rows, kind="resource")
    if swapped and not report.json:
        click.echo(
            f"{len(swapped)} resources run hot-swapped code that CloudFormation does not know of yet; "
            "the next full deploy records it"
        )


@click.command("delete")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def delete(state: Any, yes: bool) -> None:
    """Delete the stack: empty its buckets (every version) and image repositories, then the stack."""
    from .teardown import teardown

    ctx = _context(state, clear_failed_create=False, refuse_stuck=False)
    if ctx.state is None or not ctx.state.exists:
        ctx.report.result(
            f"stack {ctx.stack_name} does not exist: nothing to delete", stack=ctx.stack_name, deleted=False
        )
        return
    if not yes and not ctx.report.json and sys.stdin.isatty():
        click.confirm(f"delete stack {ctx.stack_name} and all its data?", abort=True)
    teardown(ctx)
    ctx.report.result(f"stack {ctx.stack_name} deleted", stack=ctx.stack_name, deleted=True)


@click.command("rollback")
@click.option(
    "--version", "version", help="Deploy this kept version again (default: the one before the last)."
)
@click.option(
    "--continue",
    "continue_",
    is_flag=True,
    help="Finish a rollback stuck in UPDATE_ROLLBACK_FAILED (ContinueUpdateRollback).",
)
@click.option("--skip", multiple=True, metavar="LOGICAL_ID", help="With --continue: resources to skip.")
@click.pass_obj
def rollback(state: Any, version: str | None, continue_: bool, skip: tuple[str, ...]) -> None:
    """Go back to a previous deployment kept in the bucket, or finish a stuck rollback."""
    from .rollback import continue_rollback, redeploy_version

    ctx = _context(state, clear_failed_create=False, refuse_stuck=not continue_)
    if ctx.state is None or not ctx.state.exists:
        raise StackwrightError(f"stack {ctx.stack_name} does not exist")
    if continue_:
        continue_rollback(ctx, list(skip))
    else:
        if skip:
            raise StackwrightError("--skip only goes with --continue")
        redeploy_version(ctx, version)
