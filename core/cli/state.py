"""What the global options say, shared by every command through click's context."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from stackwright.config.load import Options
from stackwright.plugins import Plugins


@dataclass
class State:
    plugins: Plugins
    stage: str | None = None
    region: str | None = None
    project: str | None = None
    config: Path | None = None
    output: str = "text"
    cli_args: dict[str, Any] = field(default_factory=dict)
    target_option: str | None = None
    profile: str | None = None

    def merge(self, **values: Any) -> None:
        """Take the stack options' values given on the group or on the command (None: not given there).
        A value given after the command wins over one given before it; `--arg`s add up. Raises
        click.UsageError for `--local` with another `--target`."""
        for name in ("stage", "region", "project", "config", "profile", "output"):
            if values.get(name) is None:
                continue
            if str(values[name]).strip() == "":  # `-s "$STAGE"` with STAGE unset: never a default
                raise click.BadParameter("must not be empty", param_hint=f"--{name}")
            setattr(self, name, values[name])
        for item in values.get("cli_args") or ():
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--arg")
            self.cli_args[key] = value
        chosen = values.get("target_option")
        if values.get("local_flag"):
            if chosen not in (None, "local"):
                raise click.UsageError(f"--local and --target {chosen} do not go together")
            chosen = "local"
        if chosen is not None:
            self.target_option = chosen

    @property
    def target(self) -> str:
        """`--local`/`--target`, else `aws` when credentials are configured, else, in an interactive
        terminal outside CI, the target that offers itself as the default without an account (the local
        engine). Raises StackwrightError otherwise: a pipeline whose credentials are missing must not
        deploy somewhere else and pass."""
        if self.target_option:
            return self.target_option
        from stackwright.aws import credentials_configured

        if self.profile or credentials_configured():
            return "aws"
        fallback = [name for name, (t, _) in self.plugins.targets().items() if t.interactive_default]
        if fallback and interactive():
            return fallback[0]
        from stackwright.errors import StackwrightError

        why = "CI is set" if in_ci() else "not in an interactive terminal"
        raise StackwrightError(
            f"no AWS credentials found ({why}): not choosing a target for you",
            hint="pass --local to use the embedded local engine, or configure AWS credentials "
            "(AWS_PROFILE or --profile, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, `aws configure`)",
        )

    def options(self, target: str = "aws", names_only: bool = False) -> Options:
        return Options(
            names_only=names_only,
            directory=Path.cwd(),
            config=self.config,
            project=self.project,
            stage=self.stage,
            region=self.region,
            target=target,
            cli_args=self.cli_args,
        )

    @property
    def json(self) -> bool:
        return self.output == "json"

    def emit(self, record: dict[str, Any]) -> None:
        """One JSON object per line on stdout (for `--output json`)."""
        sys.stdout.write(json.dumps(record, default=str) + "\n")
        sys.stdout.flush()


def in_ci() -> bool:
    """CI is set, as CI services set it (`CI=true`; `false` and `0` do not count)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def interactive() -> bool:
    """A person at a terminal: standard input and error are terminals, and CI is not set."""
    return sys.stdin.isatty() and sys.stderr.isatty() and not in_ci()


pass_state = click.make_pass_decorator(State)
