"""Authentication resource types: `user-auth-pool` (a Cognito user pool with its app client)."""

from __future__ import annotations

from typing import Any

from stackwright import Connection, Resource, ResourceType, StackContext, hookimpl

from .pool import compile_pool, pool_connection, pool_params
from .schema import SCHEMA


class UserAuthPool(ResourceType):
    name = "user-auth-pool"
    schema = SCHEMA
    properties_required = False
    summary = "A Cognito user pool with its app client, and optionally its hosted sign-in pages."

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_pool(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return pool_params(ctx, resource)

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        return pool_connection(ctx, resource)


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return [UserAuthPool]
