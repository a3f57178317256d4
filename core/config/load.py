"""Load a config for a project and stage: find, parse, resolve directives, validate."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stackwright.config.loader import display_path, find_config, load
from stackwright.config.validate import validate
from stackwright.errors import ConfigError, StackwrightError
from stackwright.models import Config, Project
from stackwright.plugins import Plugins

NAME = re.compile(r"^[a-z0-9-]+$")
MAX_PROJECT = 64
MAX_STAGE = 32
DEFAULT_REGION = "us-east-1"
DEFAULT_STAGE = "dev"


@dataclass(frozen=True)
class Options:
    """What the command line (or a test) says about the project to work on."""

    directory: Path = field(default_factory=Path.cwd)
    config: Path | None = None
    project: str | None = None
    stage: str | None = None
    region: str | None = None
    target: str = "aws"
    cli_args: dict[str, Any] = field(default_factory=dict)


def check_name(kind: str, value: str, limit: int) -> str:
    if not NAME.match(value):
        raise StackwrightError(
            f"invalid {kind} name {value!r}: use lower-case letters, digits and '-' only",
            hint=f"for example {re.sub(r'[^a-z0-9-]+', '-', value.lower()).strip('-') or 'my-app'!r}",
        )
    if len(value) > limit:
        raise StackwrightError(f"{kind} name {value!r} is {len(value)} characters long; the limit is {limit}")
    return value


def default_project_name(directory: Path) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", directory.resolve().name.lower()).strip("-")[:MAX_PROJECT] or "app"


def load_config(options: Options, plugins: Plugins) -> tuple[Project, Config]:
    path = find_config(options.directory, options.config)
    data, positions = load(path)
    source = display_path(path)
    raw_service = data.get("serviceName") if isinstance(data, dict) else None
    project_name = options.project or (raw_service if isinstance(raw_service, str) else None)
    project = Project(
        name=check_name("project", project_name or default_project_name(path.parent), MAX_PROJECT),
        stage=check_name(
            "stage", options.stage or os.environ.get("STACKWRIGHT_STAGE") or DEFAULT_STAGE, MAX_STAGE
        ),
        region=options.region
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION,
        root=path.parent.resolve(),
        config_path=path,
        target=options.target,
    )
    problems = validate(data, positions, plugins.resource_types())
    if problems:
        problems.sort(key=lambda p: (p.position.line, p.position.column) if p.position else (0, 0))
        raise ConfigError(problems, source)
    return project, Config(data=data, positions=positions, path=path)
