"""A plugin with a typo in its hook name; loading it must fail loudly."""

from __future__ import annotations

from stackwright import Resource, StackContext, hookimpl


@hookimpl
def stackwright_compile_resorce(ctx: StackContext, resource: Resource) -> bool:
    return True
