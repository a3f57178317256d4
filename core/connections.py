"""`connectTo`: the names are checked with the rest of the config (`check_names`, so `validate` reports
them); after every resource compiled, each entry asks its target's type what the connection grants
(`ResourceType.connections`) and the source's type applies it (`ResourceType.connect`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stackwright.config.suggest import did_you_mean
from stackwright.context import StackContext
from stackwright.errors import ConfigError, ConfigProblem, PluginError
from stackwright.models import Config, Resource
from stackwright.resource_types import CannotConnect, Connection, Ingress

Path = tuple[str | int, ...]


def _entries(config: Config) -> Iterator[tuple[Resource, int, Any, Path]]:
    for resource in config.resources.values():
        targets = resource.properties.get("connectTo")
        if isinstance(targets, list):
            for index, name in enumerate(targets):
                yield resource, index, name, ("resources", resource.name, "properties", "connectTo", index)


def _problem(
    config: Config, resource: Resource, path: Path, message: str, hint: str | None = None
) -> ConfigProblem:
    return ConfigProblem(
        ".".join(map(str, path)), message, config.position_of(*path), hint=hint, resource=resource.name
    )


def check_names(config: Config) -> list[ConfigProblem]:
    """One problem per `connectTo` entry that is not a resource name, names an unknown resource, the
    resource itself, a macro (`aws:ses`), or a name listed twice."""
    resources = config.resources
    problems: list[ConfigProblem] = []
    seen: set[tuple[str, str]] = set()
    for resource, _, name, path in _entries(config):
        if not isinstance(name, str) or not name.strip() or name.startswith("$"):
            message = "connectTo takes the names of resources of this config"
            if isinstance(name, str) and name.strip():
                message += ", not directives resolved while deploying"
            problems.append(_problem(config, resource, path, message))
            continue
        if (resource.name, name) in seen:
            problems.append(_problem(config, resource, path, f"connectTo lists {name!r} twice"))
            continue
        seen.add((resource.name, name))
        if name.startswith("aws:"):
            message = f"connectTo {name!r}: AWS service macros are not supported by the installed plugins yet"
            problems.append(_problem(config, resource, path, message))
        elif name == resource.name:
            problems.append(_problem(config, resource, path, f"resource {name!r} cannot connect to itself"))
        elif name not in resources:
            others = [n for n in resources if n != resource.name]
            problems.append(
                _problem(
                    config,
                    resource,
                    path,
                    f"connectTo names {name!r}, which is not a resource of this config",
                    did_you_mean(name, others) or f"resources: {', '.join(others) or 'none'}",
                )
            )
    return problems


def wire_connections(ctx: StackContext) -> None:
    """Apply every `connectTo` of the config (names were checked when it was loaded). Raises
    `ConfigError` with one problem per pair that cannot connect, and `PluginError` when a type answers
    with something other than a `Connection`."""
    config, plugins = ctx.config, ctx.plugins
    problems = check_names(config)
    resources = config.resources
    given: dict[tuple[str, str], str] = {}  # (source, variable) → the target that gives it
    for resource, _, name, path in _entries(config):
        target = resources.get(name) if isinstance(name, str) else None
        if target is None or target is resource or any(p.path == ".".join(map(str, path)) for p in problems):
            continue
        target_type, target_plugin = plugins.resource_types()[target.type]
        source_type, source_plugin = plugins.resource_types()[resource.type]
        try:
            with plugins.blame(target_plugin):
                connection = target_type.connections(ctx, target, resource)
            wrong = malformed(connection)
            if wrong:
                error = TypeError(f"{type(target_type).__name__}.connections returned {wrong}")
                raise PluginError(target_plugin, plugins.distribution_of(target_plugin), error)
            with plugins.blame(source_plugin):
                source_type.connect(ctx, resource, connection)
        except CannotConnect as reason:
            pair = f"`{resource.name}` ({resource.type}) cannot connect to `{name}` ({target.type})"
            problems.append(_problem(config, resource, path, f"{pair}: {reason.message}", reason.hint))
            continue
        for variable in connection.variables():
            earlier = given.setdefault((resource.name, variable), name)
            if earlier != name:
                problems.append(
                    _problem(
                        config,
                        resource,
                        path,
                        f"`{name}` and `{earlier}` both give the variable {variable}",
                        "rename one of the two resources",
                    )
                )
    if problems:
        raise ConfigError(problems, config.path.name if config.path else "config")


def malformed(connection: object) -> str | None:
    """What is wrong with what a `connections` method returned, or None when it is a proper Connection."""
    if not isinstance(connection, Connection):
        return f"{type(connection).__name__}, not a Connection"
    if not isinstance(connection.statements, list) or not all(
        isinstance(s, dict) for s in connection.statements
    ):
        return "a Connection whose `statements` is not a list of IAM statements (dicts)"
    if not isinstance(connection.environment, dict) or not all(
        isinstance(k, str) for k in connection.environment
    ):
        return "a Connection whose `environment` is not a mapping of parameter names to values"
    if not isinstance(connection.ingress, list) or not all(
        isinstance(i, Ingress) for i in connection.ingress
    ):
        return "a Connection whose `ingress` is not a list of Ingress rules"
    return None
