"""API resource types: `http-api-gateway` (an API Gateway HTTP API; functions add routes to it with
their `http-api-gateway` events)."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, ResourceType, StackContext, hookimpl

from .gateway import compile_http_api, http_api_params
from .schema import DEFINITIONS, REQUIRES_PROPERTIES, SCHEMAS


class HttpApiGateway(ResourceType):
    name = "http-api-gateway"
    schema = SCHEMAS[name]
    definitions = DEFINITIONS
    properties_required = REQUIRES_PROPERTIES[name]
    summary = "An API Gateway HTTP API; functions add routes to it with their http-api-gateway events."

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_http_api(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return http_api_params(ctx, resource)


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return [HttpApiGateway]
