"""`stackwright delete` and `rollback`, for targets that deploy through CloudFormation."""

from __future__ import annotations

from typing import Any

import click
from stackwright import StackwrightError


def _context(state: Any, command: str | None, **settings: Any) -> Any:
    from stackwright import connected_stack

    return connected_stack(state, command, **settings)


@click.command("delete")
@click.option(
    "--yes",
    "-y",
    "--autoConfirmOperation",
    is_flag=True,
    help="Do not ask for confirmation (needed without a terminal).",
)
@click.pass_obj
def delete(state: Any, yes: bool) -> None:
    """Delete the stack: empty its buckets (every version) and image repositories, then the stack."""
    from stackwright import approve

    from .teardown import teardown

    ctx = _context(state, "delete", clear_failed_create=False, refuse_stuck=False)
    if ctx.state is None or not ctx.state.exists:
        ctx.report.result(
            f"stack {ctx.stack_name} does not exist: nothing to delete", stack=ctx.stack_name, deleted=False
        )
        return
    from .protection import refuse_protected

    refuse_protected(ctx)
    approve(
        f"delete stack {ctx.stack_name} and all its data?", yes, f"delete {ctx.stack_name} needs approval"
    )
    from stackwright import hooked, locked, run_hooks

    if hooked(ctx.config.data, "beforeDelete") or hooked(ctx.config.data, "afterDelete"):
        ctx = _context(state, None, resolve=True, clear_failed_create=False, refuse_stuck=False)
    run_hooks(ctx, "beforeDelete")
    with locked(ctx, "delete"):
        teardown(ctx)
    ctx.report.result(f"stack {ctx.stack_name} deleted", stack=ctx.stack_name, deleted=True)
    ctx.state = None
    run_hooks(ctx, "afterDelete")


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
@click.option(
    "--yes",
    "-y",
    "--autoConfirmOperation",
    is_flag=True,
    help="Approve removing or replacing resources that hold data without asking (needed for that "
    "without a terminal).",
)
@click.pass_obj
def rollback(state: Any, version: str | None, continue_: bool, skip: tuple[str, ...], yes: bool) -> None:
    """Go back to a previous deployment kept in the bucket, or finish a stuck rollback."""
    from .rollback import VERSION, continue_rollback, redeploy_version

    if version is not None and not VERSION.match(version):
        raise click.BadParameter(f"{version!r} is not a version (v000002, or 2)", param_hint="--version")
    if skip and not continue_:
        raise click.UsageError("--skip only goes with --continue")
    if version is not None and continue_:
        raise click.UsageError("--version and --continue do not go together")
    ctx = _context(state, "rollback", clear_failed_create=False, refuse_stuck=not continue_, approved=yes)
    if ctx.state is None or not ctx.state.exists:
        raise StackwrightError(f"stack {ctx.stack_name} does not exist")
    from stackwright import locked

    with locked(ctx, "rollback"):
        if continue_:
            continue_rollback(ctx, list(skip))
        else:
            redeploy_version(ctx, version)
