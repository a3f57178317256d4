"""What the global options say, shared by every command through click's context."""

from __future__ import annotations

import json
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

    @property
    def target(self) -> str:
        """`--local`/`--target`, else `aws` when credentials are configured, else the target that offers
        itself as the default without an account (the local engine)."""
        if self.target_option:
            return self.target_option
        from stackwright.aws import credentials_configured

        if self.profile or credentials_configured():
            return "aws"
        fallback = [name for name, (t, _) in self.plugins.targets().items() if t.interactive_default]
        return fallback[0] if fallback else "aws"

    def options(self, target: str = "aws") -> Options:
        return Options(
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


pass_state = click.make_pass_decorator(State)
