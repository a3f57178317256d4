"""The plain data objects that hooks receive: project, config, resources, directives, config sections."""

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

    def override_path(self, logical_id: str, *template_path: str) -> tuple[str, ...] | None:
        """The config path of the `overrides.<logical_id>` key that sets the template value at
        `template_path` (`"Properties", "Timeout"`, or the `Properties` part left out) or a parent of it,
        e.g. `("resources", "worker", "overrides", "WorkerFunction", "Timeout")`; None when no override
        sets it."""
        wanted = list(template_path[1:] if template_path[:1] == ("Properties",) else template_path)
        for key in self.overrides.get(logical_id) or {}:
            parts = str(key).split(".")
            if parts[0] == "Properties" and len(parts) > 1:
                parts = parts[1:]
            if wanted[: len(parts)] == parts:
                return ("resources", self.name, "overrides", logical_id, str(key))
        return None


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
        """Every config resource by name, built anew from `data` (O(resources): to look up one by name,
        `resource`)."""
        return {name: self._resource(name, body) for name, body in self._bodies().items()}

    def resource(self, name: str) -> Resource | None:
        """The config resource `name`, or None when the config has none by that name."""
        bodies = self._bodies()
        return self._resource(name, bodies[name]) if name in bodies else None

    def _bodies(self) -> dict[str, Any]:
        found = self.data.get("resources") if isinstance(self.data, dict) else None
        return found if isinstance(found, dict) else {}

    def _resource(self, name: str, body: Any) -> Resource:
        body = body if isinstance(body, dict) else {}
        return Resource(
            name=name,
            type=str(body.get("type", "")),
            properties=_mapping(body.get("properties")),
            overrides=_mapping(body.get("overrides")),
            position=self.positions.get(("resources", name)),
        )

    def position_of(self, *path: str | int) -> Position | None:
        """The position of the value at `path`, or of its nearest parent that has one."""
        parts = tuple(path)
        while parts:
            if parts in self.positions:
                return self.positions[parts]
            parts = parts[:-1]
        return self.positions.get(())


def paths_where(
    tree: Any, wanted: Callable[[Any], bool], base: tuple[str | int, ...] = ()
) -> list[tuple[str | int, ...]]:
    """The paths (under `base`) of every value in a config tree of dicts and lists for which `wanted` is
    true; a matching value is not searched inside."""
    if wanted(tree):
        return [base]
    items = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, list) else ()
    return [path for key, child in items for path in paths_where(child, wanted, (*base, key))]


@dataclass(frozen=True)
class ConfigSection:
    """A config section a plugin adds: `path` is a root key (`acme`) or a key under `providerConfig`
    (`providerConfig.mongoDbAtlas`); `schema` is the JSON Schema its value must match."""

    path: str
    schema: Mapping[str, Any]
    summary: str = ""


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


def _mapping(value: Any) -> dict[str, Any]:
    """A copy of `value` when it is a mapping; {} for anything else (a config that failed validation is
    still read for its other problems)."""
    return dict(value) if isinstance(value, dict) else {}
