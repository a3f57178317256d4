"""Resources of the config that an event names by a property (`sqsQueueName`, `httpApiGatewayName`)."""

from __future__ import annotations

import json
from typing import Any

from stackwright import Resource, StackContext, named_resource

__all__ = ["check_source", "named_resource"]

#: Where `check_source` keeps its index of the config's params, in `ctx.memo`.
PARAMS_BY_VALUE = "functions.params-by-value"


def check_source(
    ctx: StackContext,
    props: dict[str, Any],
    key: str,
    type_name: str,
    param: str,
    path: tuple[str | int, ...],
) -> None:
    """When the value of `key` (an ARN) is a param of a resource of this config, it must be the `param` of
    a `type_name` resource (a table's `streamArn`, not its `arn` or a Kinesis stream's). Raises
    ConfigError at the key otherwise; an ARN from outside the config is left alone."""
    value = props.get(key)
    if value is None or (isinstance(value, str) and not value.startswith("arn:")):
        return
    for resource, name in _params_by_value(ctx).get(json.dumps(value, sort_keys=True), []):
        if (resource.type, name) == (type_name, param):
            continue
        ctx.fail(
            (*path, "properties", key),
            f"`{key}` is the `{name}` of {resource.name!r}, a {resource.type}; it takes the `{param}` of "
            f"a {type_name}",
            hint=f"$ResourceParam('<{type_name} name>', '{param}')",
        )


def _params_by_value(ctx: StackContext) -> dict[str, list[tuple[Resource, str]]]:
    """Every param of every resource of the config, by its value (as JSON), read once per compile."""
    found: dict[str, list[tuple[Resource, str]]] | None = ctx.memo.get(PARAMS_BY_VALUE)
    if found is None:
        found = {}
        for resource in ctx.config.resources.values():
            for name, given in ctx.params_of(resource).items():
                found.setdefault(json.dumps(given, sort_keys=True), []).append((resource, name))
        ctx.memo[PARAMS_BY_VALUE] = found
    return found
