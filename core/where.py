"""The line each `deploy`, `diff`, `delete` and `rollback` starts with: the stack and where it lives (an
AWS account and region, or the embedded local engine), so where a command acts is never a surprise."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stackwright.context import StackContext


def announce(ctx: StackContext, command: str, defaulted: bool = False) -> None:
    """Report `command: <stack> in <where>` (a `target` record in JSON: command, stack, target, account,
    region, where, chosen_by_default). `defaulted`: the target was chosen because no AWS credentials were
    found, which the line says. Runs after the target is connected; raises nothing of its own."""
    ctx.settings["command"] = command
    with ctx.blame_target():
        where = ctx.require_target().where(ctx)
    why = " (chosen because no AWS credentials were found; --target aws to insist)" if defaulted else ""
    ctx.report.event(
        "target",
        f"{command}: {ctx.stack_name} in {where}{why}",
        command=command,
        stack=ctx.stack_name,
        target=ctx.project.target,
        account=ctx.project.account,
        region=ctx.project.region,
        where=where,
        chosen_by_default=defaulted,
    )
