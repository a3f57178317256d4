"""CloudFormation: stack state, change sets, live progress, root causes, registry extensions, and the
`delete` and `rollback` commands. Offers `CloudFormationTarget`, the base of the `aws` and `local` targets.
"""

from __future__ import annotations

from typing import Any

import click
from stackwright import Phase, StackContext, hookimpl

from .target import CloudFormationTarget

__all__ = ["CloudFormationTarget"]


@hookimpl
def stackwright_add_commands(cli: click.Group) -> None:
    from .commands import delete, rollback

    for command in (delete, rollback):
        cli.add_command(command)


@hookimpl
def stackwright_data_resource_types() -> list[str]:
    from .approval import AWS_DATA_TYPES

    return list(AWS_DATA_TYPES)


@hookimpl
def stackwright_after_phase(ctx: StackContext, phase: Phase, outcome: Any) -> None:
    """After a deploy (executed or with no changes) or a hot-swap on a CloudFormation target: the
    stack's termination protection as the config says."""
    if phase not in (Phase.DEPLOY, Phase.HOTSWAP) or not ctx.settings.get("execute", True):
        return
    if isinstance(ctx.target, CloudFormationTarget):
        from .protection import apply_protection

        apply_protection(ctx)
