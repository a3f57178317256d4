"""`stackwright local start|stop|status|secret`."""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import click

from . import engine


class _InOrder(click.Group):
    """Lists its commands in the order they were added (start, stop, status, secret)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group("local", cls=_InOrder)
def local() -> None:
    """Manage the embedded AWS-compatible engine (the `local` target)."""


def _say(cli_state: Any, text: str, **fields: Any) -> None:
    """The command's outcome: a line, or a `result` record with `--output json`."""
    if getattr(cli_state, "json", False):
        cli_state.emit({"event": "result", **fields})
    else:
        click.echo(text)


@local.command("start")
@click.option("--port", type=click.IntRange(1, 65535), help="Port on 127.0.0.1 (default: a free one).")
@click.pass_obj
def start(cli_state: Any, port: int | None) -> None:
    """Start the engine in the background (deploys with --local start it too)."""
    state = engine.start(port)
    _say(
        cli_state,
        f"local engine running at {state.endpoint} (pid {state.pid})",
        running=True,
        endpoint=state.endpoint,
        pid=state.pid,
    )


@local.command("stop")
@click.pass_obj
def stop(cli_state: Any) -> None:
    """Stop the engine; everything deployed to it is gone."""
    from . import registry

    registry.stop()
    stopped = engine.stop()
    _say(cli_state, "local engine stopped" if stopped else "local engine was not running", stopped=stopped)


@local.command("status")
@click.pass_obj
def status(cli_state: Any) -> None:
    """Say whether the engine runs, and where (exit code 1 when it does not)."""
    state = engine.status()
    if state is None:
        _say(cli_state, "local engine is not running", running=False, endpoint=None, pid=None)
        raise click.exceptions.Exit(1)
    _say(
        cli_state,
        f"local engine running at {state.endpoint} (pid {state.pid})",
        running=True,
        endpoint=state.endpoint,
        pid=state.pid,
    )


#: Secrets Manager's rules for a secret's name (CreateSecret `Name`: 1-512 of these characters; `.` is
#: allowed by AWS but `$Secret('a.b')` reads key `b` of secret `a`) and the most bytes of its value
#: (`SecretString`, max 65536), from the service's API model.
SECRET_NAME = re.compile(r"[A-Za-z0-9/_+=@-]{1,512}")
MAX_SECRET_BYTES = 65536


@local.command("secret")
@click.argument("name")
@click.pass_obj
def secret(state: Any, name: str) -> None:
    """Store secret NAME in the engine's Secrets Manager (created or given a new value), for `$Secret`.

    The value is read from standard input (one trailing newline dropped), or asked for without echo in a
    terminal; for `$Secret('NAME.key')` give a JSON object. It is never printed.
    """
    from stackwright import Clients, Endpoint, StackwrightError

    if not SECRET_NAME.fullmatch(name):
        raise click.BadParameter(
            f"{name!r}: Secrets Manager takes 1 to 512 ASCII letters, digits and /_+=@- "
            "(and `$Secret('name.key')` reads key `key` of secret `name`, so no '.')",
            param_hint="NAME",
        )
    if sys.stdin.isatty():
        value = click.prompt(f"value of secret {name}", hide_input=True, err=True)
    else:
        value = sys.stdin.read(MAX_SECRET_BYTES + 2).removesuffix("\n")  # enough to tell it is too long
    if not value:
        raise StackwrightError(
            f"no value given for secret {name!r}", hint="pipe it in: ... | stackwright local secret NAME"
        )
    try:
        size = len(value.encode())
    except UnicodeEncodeError:
        raise StackwrightError(
            f"the value of secret {name!r} is not UTF-8 text", hint="store binary data base64-encoded"
        ) from None
    if size > MAX_SECRET_BYTES:
        raise StackwrightError(
            f"the value of secret {name!r} is over {MAX_SECRET_BYTES:,} bytes, the most Secrets Manager takes"
        )
    region = (
        getattr(state, "region", None) or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    )
    clients = Clients(
        Endpoint(
            region or "us-east-1", endpoint_url=engine.endpoint(), static_credentials=("stackwright",) * 2
        )
    )
    manager = clients.client("secretsmanager")
    try:
        manager.create_secret(Name=name, SecretString=value)
        done = "created"
    except manager.exceptions.ResourceExistsException:
        manager.put_secret_value(SecretId=name, SecretString=value)
        done = "updated"
    _say(state, f"secret {name} {done} in the local engine", secret=name, outcome=done)
