"""CloudFormation: stack state, change sets, live progress, root causes, registry extensions, and the
`delete` and `rollback` commands. Offers `CloudFormationTarget`, the base of the `aws` and `local` targets.
"""

from __future__ import annotations

import click
from stackwright import hookimpl

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
