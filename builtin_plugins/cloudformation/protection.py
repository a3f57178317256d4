"""`deploymentConfig.terminationProtection`: put on the stack after each deploy, and a `delete` of a
protected stack refused before anything is emptied."""

from __future__ import annotations

from stackwright import StackContext, StackwrightError


def apply_protection(ctx: StackContext) -> None:
    """Turn the stack's termination protection on or off as the config says, when it differs
    (UpdateTerminationProtection; CreateChangeSet cannot set it)."""
    state = ctx.state
    wanted = ctx.stack_settings.termination_protection
    if state is None or not state.exists or state.termination_protection == wanted:
        return
    ctx.clients.client("cloudformation").update_termination_protection(
        StackName=ctx.stack_name, EnableTerminationProtection=wanted
    )
    state.termination_protection = wanted
    ctx.report.note(f"termination protection of {ctx.stack_name}: {'on' if wanted else 'off'}")


def refuse_protected(ctx: StackContext) -> None:
    """Raises StackwrightError when the deployed stack is protected: nothing is emptied or deleted."""
    if ctx.state is not None and ctx.state.termination_protection:
        raise StackwrightError(
            f"stack {ctx.stack_name} has termination protection: nothing was deleted",
            hint="set deploymentConfig.terminationProtection to false and deploy, then delete",
        )
