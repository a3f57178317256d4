"""`stackwright deploy` and `stackwright diff`."""

from __future__ import annotations

from typing import Any

import click
from stackwright.cli.state import State, pass_state
from stackwright.report import plural


def _prepare(state: State, command: str, **settings: object) -> object:
    from stackwright.deploy import connect
    from stackwright.pipeline import open_stack
    from stackwright.where import announce

    target = state.target
    ctx = open_stack(state.options(target=target), state.plugins)
    ctx.report.json = state.json
    ctx.settings.update(settings)
    connect(ctx, state.profile)
    announce(ctx, command, defaulted=state.target_option is None and target != "aws")
    return ctx


@click.command("deploy")
@click.option(
    "--no-wait",
    is_flag=True,
    help="Refuse, rather than wait, when the stack is busy or another deploy holds its lock.",
)
@click.option(
    "--disable-rollback",
    "--disableAutoRollback",
    is_flag=True,
    help="Keep what was created when the deploy fails.",
)
@click.option("--no-cache", is_flag=True, help="Rebuild every artifact the store does not already hold.")
@click.option(
    "--hotswap/--no-hotswap",
    "--hotSwap",
    default=None,
    help="Update code directly when code is all that changed (default: deploymentConfig.hotswap).",
)
@click.option(
    "--yes",
    "-y",
    "--autoConfirmOperation",
    is_flag=True,
    help="Approve removing or replacing resources that hold data (tables, buckets, databases, queues, "
    "...) without asking; needed for that without a terminal.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="After deploying, deploy again whenever a file the stack is built from changes (hot-swapping "
    "code unless --no-hotswap), one line per deploy, until Ctrl-C.",
)
@pass_state
def deploy(
    state: State,
    no_wait: bool,
    disable_rollback: bool,
    no_cache: bool,
    hotswap: bool | None,
    yes: bool,
    watch: bool,
) -> None:
    """Compile, package, upload and deploy the stack, following its progress."""
    import time

    from stackwright.deploy import deploy_stack, stack_state
    from stackwright.scripts import hooked, run_hooks

    started = time.perf_counter()
    ctx: Any = _prepare(state, "deploy", wait=not no_wait, disable_rollback=disable_rollback, approved=yes)
    ctx.use_cache = not no_cache
    if watch and hotswap is None:
        hotswap = True  # the inner loop: code changes skip CloudFormation
    if hooked(ctx.config.data, "beforeDeploy"):
        ctx.state = stack_state(ctx)
        run_hooks(ctx, "beforeDeploy")
    result = deploy_stack(ctx, hotswap=hotswap)
    elapsed = time.perf_counter() - started
    name = ctx.stack_name
    seconds = round(elapsed, 2)
    if result.hotswapped:
        ctx.report.result(
            f"{name}: hot-swapped {plural(result.changes, 'resource')} in {elapsed:.1f} s "
            "(without CloudFormation)",
            stack=name,
            status=result.status,
            changes=result.changes,
            executed=False,
            hotswapped=result.changes,
            seconds=seconds,
        )
    elif result.executed:
        ctx.report.result(
            f"{name}: {result.status} ({plural(result.changes, 'change')}) in {elapsed:.1f} s",
            stack=name,
            status=result.status,
            changes=result.changes,
            executed=True,
            hotswapped=0,
            seconds=seconds,
        )
    else:
        brought = int(ctx.settings.get("converged") or 0)
        said = (
            f"no template changes; the code of {plural(brought, 'hot-swapped resource')} was put back"
            if brought
            else "no changes"
        )
        ctx.report.result(
            f"{name}: {said} ({result.status or 'unchanged'}, {elapsed:.1f} s)",
            stack=name,
            status=result.status or None,
            changes=0,
            executed=False,
            hotswapped=brought,
            seconds=seconds,
        )
    if hooked(ctx.config.data, "afterDeploy") and not ctx.settings.get("interrupted"):
        ctx.state = stack_state(ctx)
        run_hooks(ctx, "afterDeploy")
    if watch:
        from stackwright.pipeline import open_stack
        from stackwright.watch import watch as watch_changes

        def say(line: str, cycle: bool) -> None:
            if state.json:
                ctx.report.emit({"event": "info", "message": line})
            else:
                click.echo(line, err=not cycle)  # a cycle's outcome on stdout, notes on stderr

        def reopen() -> Any:
            return open_stack(state.options(target=state.target), state.plugins)

        watch_changes(ctx, reopen, bool(hotswap), say)
        click.echo("stopped watching", err=True)


@click.command("diff")
@pass_state
def diff(state: State) -> None:
    """Show what a deploy would change (a change set that is not executed)."""
    from stackwright.deploy import deploy_stack

    ctx = _prepare(state, "diff", wait=True)
    result = deploy_stack(ctx, execute=False)  # type: ignore[arg-type]
    name = ctx.stack_name  # type: ignore[attr-defined]
    ctx.report.result(  # type: ignore[attr-defined]
        f"{name}: {plural(result.changes, 'change') if result.changes else 'no changes'} (nothing deployed)",
        stack=name,
        status=result.status or None,
        changes=result.changes,
        executed=False,
    )


__all__ = ["click", "deploy", "diff"]
