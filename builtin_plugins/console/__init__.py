"""`stackwright console`: a local, read-only web console over the target interface — the project's
stacks, and for each its status, outputs, resources, events, template, kept versions, hot-swap drift
and pending diff. Its panels are registered through `stackwright_console_panels`, like any plugin's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stackwright import ConsolePanel, hookimpl

if TYPE_CHECKING:
    import click


@hookimpl
def stackwright_add_commands(cli: click.Group) -> None:
    from .command import console

    cli.add_command(console)


@hookimpl
def stackwright_console_panels() -> list[type[ConsolePanel]]:
    from .panels import PANELS

    return list(PANELS)
