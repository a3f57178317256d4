"""The `function` resource type: AWS Lambda functions with their role, log group and events."""

from __future__ import annotations

from typing import Any

from stackwright import (
    Artifact,
    Change,
    HotswapResult,
    Packager,
    Resource,
    ResourceType,
    StackContext,
    hookimpl,
)
from stackwright.template import get_att, ref

from .compile import compile_function
from .packager import LambdaPackager
from .packaging import BUILDPACK, CUSTOM_ARTIFACT
from .schema import DEFINITIONS, SCHEMA

TYPE = "function"


@hookimpl
def stackwright_register_resource_types() -> list[ResourceType]:
    return [
        ResourceType(
            name=TYPE,
            schema=SCHEMA,
            definitions=DEFINITIONS,
            summary="An AWS Lambda function with its execution role, log group and event sources.",
        )
    ]


@hookimpl(trylast=True)
def stackwright_compile_resource(ctx: StackContext, resource: Resource) -> bool | None:
    if resource.type != TYPE:
        return None
    compile_function(ctx, resource)
    return True


@hookimpl(trylast=True)
def stackwright_resource_params(ctx: StackContext, resource: Resource) -> dict[str, Any] | None:
    if resource.type != TYPE:
        return None
    function_id = ctx.logical_id(resource.name, "Function")
    return {
        "arn": get_att(function_id, "Arn"),
        "name": ref(function_id),
        "roleArn": get_att(ctx.logical_id(resource.name, "Role"), "Arn"),
        "logGroupArn": get_att(ctx.logical_id(resource.name, "LogGroup"), "Arn"),
        **(
            {"url": get_att(ctx.logical_id(resource.name, "Url"), "FunctionUrl")}
            if (resource.properties.get("url") or {}).get("enabled")
            else {}
        ),
    }


@hookimpl(trylast=True)
def stackwright_hotswap(ctx: StackContext, change: Change) -> HotswapResult | None:
    if change.resource_type != "AWS::Lambda::Function":
        return None
    from .hotswap import hotswap_function

    return hotswap_function(ctx, change)


@hookimpl(trylast=True)
def stackwright_get_packager(ctx: StackContext, artifact: Artifact) -> Packager | None:
    if artifact.kind == "lambda-zip" and artifact.packaging_type in (BUILDPACK, CUSTOM_ARTIFACT):
        return LambdaPackager(use_cache=ctx.use_cache)
    return None
