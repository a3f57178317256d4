"""A test plugin adding a `hello` command, loaded with `-p hello_command`."""

from __future__ import annotations

import click
from stackwright import hookimpl


@click.command("hello")
@click.option("--name", default="you")
@click.pass_obj
def hello(state: object, name: str) -> None:
    """Say hello from the current stack."""
    from stackwright.pipeline import open_stack

    ctx = open_stack(state.options(), state.plugins)  # type: ignore[attr-defined]
    click.echo(f"hello {name} from {ctx.stack_name}")


@hookimpl
def stackwright_add_commands(cli: click.Group) -> None:
    cli.add_command(hello)
