"""`stackwright local start|stop|status`."""

from __future__ import annotations

import click

from . import engine


@click.group("local")
def local() -> None:
    """Manage the embedded AWS-compatible engine (the `local` target)."""


@local.command("start")
@click.option("--port", type=click.IntRange(1, 65535), help="Port on 127.0.0.1 (default: a free one).")
def start(port: int | None) -> None:
    """Start the engine in the background (deploys with --local start it too)."""
    state = engine.start(port)
    click.echo(f"local engine running at {state.endpoint} (pid {state.pid})")


@local.command("stop")
def stop() -> None:
    """Stop the engine; everything deployed to it is gone."""
    from . import registry

    registry.stop()
    click.echo("local engine stopped" if engine.stop() else "local engine was not running")


@local.command("status")
def status() -> None:
    """Say whether the engine runs, and where."""
    state = engine.status()
    if state is None:
        click.echo("local engine is not running")
        raise click.exceptions.Exit(1)
    click.echo(f"local engine running at {state.endpoint} (pid {state.pid})")
