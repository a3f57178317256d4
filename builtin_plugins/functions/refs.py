"""Resources of the config that an event names by a property (`sqsQueueName`, `httpApiGatewayName`)."""

from __future__ import annotations

import json
from typing import Any

from stackwright import Resource, StackContext, did_you_mean

#: Where `check_source` keeps its index of the config's params, in `ctx.memo`.
PARAMS_BY_VALUE = "functions.params-by-value"


def named_resource(
    ctx: StackContext,
    props: dict[str, Any],
    key: str,
    type_name: str,
    path: tuple[str | int, ...],
    article: str = "a",
    at: tuple[str | int, ...] | None = None,
) -> Resource:
    """The resource of the config an event's `key` names (`sqsQueueName: jobs`), which must be of type
    `type_name` (`article` goes before it in the message: "an sqs-queue"). Raises ConfigError at the
    key (`path` + `properties.<key>`, or `at` when the key sits deeper), with a did-you-mean or the
    resources there are."""
    name = props[key]
    where = at if at is not None else (*path, "properties", key)
    if not isinstance(name, str):  # `$ResourceParam(...)` gives a CloudFormation value, not a name
        ctx.fail(
            where,
            f"`{key}` takes the name of {article} {type_name} resource of this config, not a value",
            hint=f"write the resource's name (`{key}: myResource`), without a directive",
        )
    resources = ctx.config.resources
    if name not in resources or resources[name].type != type_name:
        candidates = [n for n, r in resources.items() if r.type == type_name]
        ctx.fail(
            where,
            f"`{key}` {name!r} is not {article} {type_name} resource in this config",
            hint=did_you_mean(name, candidates)
            or (
                f"{type_name} resources: {', '.join(candidates)}"
                if candidates
                else f"define it under resources with `type: {type_name}`"
            ),
        )
    return resources[name]


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
