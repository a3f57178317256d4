"""A plugin with a bug: it raises KeyError while compiling."""

from __future__ import annotations

from stackwright import Resource, StackContext, hookimpl


@hookimpl(tryfirst=True)
def stackwright_compile_resource(ctx: StackContext, resource: Resource) -> bool:
    return bool(_lookup(resource.properties))


def _lookup(properties: dict[str, object]) -> object:
    return properties["doesNotExist"]
