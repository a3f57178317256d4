"""The resource of the config that a property names (`sqsQueueName: jobs`, `loadBalancerName: web`)."""

from __future__ import annotations

from typing import Any

from stackwright.config.suggest import did_you_mean
from stackwright.context import StackContext
from stackwright.models import Resource


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
