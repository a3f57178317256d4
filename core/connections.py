"""`connectTo`: after every resource compiled, each entry asks its target's type what the connection grants
(`ResourceType.connections`) and the source's type applies it (`ResourceType.connect`)."""

from __future__ import annotations

from stackwright.config.suggest import did_you_mean
from stackwright.context import StackContext
from stackwright.errors import ConfigError, ConfigProblem
from stackwright.resource_types import CannotConnect


def wire_connections(ctx: StackContext) -> None:
    """Apply every `connectTo` of the config. Raises `ConfigError` with one problem per entry that names
    an unknown resource, the resource itself, or a pair that cannot connect."""
    resources = ctx.config.resources
    problems: list[ConfigProblem] = []
    for resource in resources.values():
        targets = resource.properties.get("connectTo")
        if not isinstance(targets, list):
            continue
        seen: set[str] = set()
        for index, name in enumerate(targets):
            path = ("resources", resource.name, "properties", "connectTo", index)

            def problem(
                message: str,
                hint: str | None = None,
                path: tuple[str | int, ...] = path,
                owner: str = resource.name,
            ) -> None:
                problems.append(
                    ConfigProblem(
                        ".".join(map(str, path)),
                        message,
                        ctx.config.position_of(*path),
                        hint=hint,
                        resource=owner,
                    )
                )

            name = str(name)
            if name in seen:
                problem(f"connectTo lists {name!r} twice")
                continue
            seen.add(name)
            if name.startswith("aws:"):
                problem(
                    f"connectTo {name!r}: AWS service macros are not supported by the installed plugins yet"
                )
                continue
            if name == resource.name:
                problem(f"resource {name!r} cannot connect to itself")
                continue
            target = resources.get(name)
            if target is None:
                others = [n for n in resources if n != resource.name]
                problem(
                    f"connectTo names {name!r}, which is not a resource of this config",
                    did_you_mean(name, others) or f"resources: {', '.join(others) or 'none'}",
                )
                continue
            pair = f"`{resource.name}` ({resource.type}) cannot connect to `{name}` ({target.type})"
            try:
                with ctx.plugins.blame():
                    connection = ctx.plugins.type_of(target).connections(ctx, target, resource)
                    ctx.plugins.type_of(resource).connect(ctx, resource, connection)
            except CannotConnect as reason:
                problem(f"{pair}: {reason}")
    if problems:
        raise ConfigError(problems, ctx.config.path.name if ctx.config.path else "config")
