"""Numbers a container resource's compile computes with, which must be known when it compiles."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext


def known_number(ctx: StackContext, resource: Resource, key: tuple[str, ...], default: float) -> float:
    """The number at `properties.<key...>` of `resource` (or `default`), which the compile computes with:
    a CloudFormation value from a compile-time directive is known only at deploy time. Raises ConfigError
    for one."""
    value: Any = resource.properties
    for part in key:
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        ctx.fail(
            ("resources", resource.name, "properties", *key),
            f"`{'.'.join(key)}` needs a number known when the template is compiled",
            hint="a CloudFormation value ($CfResourceParam, $CfStackOutput, ...) is known only at deploy "
            "time; write the number",
        )
    return value
