"""The plain data objects that hooks receive: project, resources, resource types."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stackwright.errors import Position


@dataclass(frozen=True)
class Project:
    """Who and where: the project and stage being worked on, and the folder its config lives in."""

    name: str
    stage: str
    region: str
    root: Path
    config_path: Path | None = None
    target: str = "aws"
    account: str = ""


@dataclass
class Resource:
    """One entry under `resources:` in the config, after load-time directives were resolved."""

    name: str
    type: str
    properties: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)
    position: Position | None = None

    @property
    def path(self) -> str:
        return f"resources.{self.name}"


@dataclass
class Config:
    """A validated config: the plain data plus the file position of every value."""

    data: dict[str, Any]
    positions: Mapping[tuple[str | int, ...], Position] = field(default_factory=dict)
    path: Path | None = None
    directives: Mapping[str, Directive] = field(default_factory=dict)
    cli_args: Mapping[str, Any] = field(default_factory=dict)
    variables: Mapping[str, Any] = field(default_factory=dict)

    @property
    def resources(self) -> dict[str, Resource]:
        result: dict[str, Resource] = {}
        for name, body in (self.data.get("resources") or {}).items():
            body = body if isinstance(body, dict) else {}
            result[name] = Resource(
                name=name,
                type=str(body.get("type", "")),
                properties=dict(body.get("properties") or {}),
                overrides=dict(body.get("overrides") or {}),
                position=self.positions.get(("resources", name)),
            )
        return result

    def position_of(self, *path: str | int) -> Position | None:
        """The position of the value at `path`, or of its nearest parent that has one."""
        parts = tuple(path)
        while parts:
            if parts in self.positions:
                return self.positions[parts]
            parts = parts[:-1]
        return self.positions.get(())


@dataclass(frozen=True)
class ResourceType:
    """A resource `type` a plugin offers: its name, the JSON Schema of its `properties`, and a summary.

    The schema describes `properties` only; the core wraps it into the resource envelope
    (`type`, `properties`, `overrides`). `definitions` are merged into the assembled schema's `$defs`.
    `schema_only` marks a Stacktape type whose config can be checked but not yet compiled: configs using
    it are validated, then refused by name; a full registration of the same type replaces it.
    """

    name: str
    schema: Mapping[str, Any]
    summary: str = ""
    definitions: Mapping[str, Any] = field(default_factory=dict)
    properties_required: bool = True
    schema_only: bool = False


@dataclass(frozen=True)
class Directive:
    """A `$Name(...)` config directive. Load-time directives return plain values;
    compile-time ones (`compile_time=True`) return CloudFormation intrinsics."""

    name: str
    function: Callable[..., Any]
    compile_time: bool = False
    min_args: int = 0
    max_args: int | None = None
    summary: str = ""


def resource_types_from(
    schemas: Mapping[str, Mapping[str, Any]],
    definitions: Mapping[str, Any],
    requires_properties: Mapping[str, bool],
    schema_only: bool = False,
) -> list[ResourceType]:
    """ResourceTypes for a module of schemas (`SCHEMAS`, `DEFINITIONS`, `REQUIRES_PROPERTIES`)."""
    return [
        ResourceType(
            name=name,
            schema=schema,
            definitions=definitions,
            properties_required=requires_properties.get(name, True),
            schema_only=schema_only,
        )
        for name, schema in schemas.items()
    ]
