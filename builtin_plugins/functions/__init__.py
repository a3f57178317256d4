"""The `function` resource type: AWS Lambda functions with their role, log group and events."""

from __future__ import annotations

from typing import Any

from stackwright import (
    Artifact,
    Change,
    ConfigProblem,
    Connection,
    HotswapResult,
    Packager,
    Resource,
    ResourceType,
    StackContext,
    Template,
    get_att,
    hookimpl,
    ref,
    sub,
)

from .artifact import BUILDPACK, CUSTOM_ARTIFACT
from .compile import compile_function
from .connect import connect_function, function_connection
from .packager import LambdaPackager
from .schema import DEFINITIONS, SCHEMA


class Function(ResourceType):
    name = "function"
    schema = SCHEMA
    definitions = DEFINITIONS
    summary = "An AWS Lambda function with its execution role, log group and event sources."
    code_locations = {"AWS::Lambda::Function": ("Code",)}

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_function(ctx, resource)

    def check(self, ctx: StackContext, resource: Resource) -> list[ConfigProblem]:
        from .checks import check_function

        return check_function(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        function_id = ctx.logical_id(resource.name, "Function")
        params = {
            "arn": get_att(function_id, "Arn"),
            "name": ref(function_id),
            "roleArn": get_att(ctx.logical_id(resource.name, "Role"), "Arn"),
        }
        if not (resource.properties.get("logging") or {}).get("disabled"):
            params["logGroupArn"] = get_att(ctx.logical_id(resource.name, "LogGroup"), "Arn")
        if (resource.properties.get("url") or {}).get("enabled"):
            params["url"] = get_att(ctx.logical_id(resource.name, "Url"), "FunctionUrl")
        return params

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        # the ARN from the function's name as compiled (overrides included), not GetAtt: two functions
        # may connect to each other
        properties = ctx.template.resources[ctx.logical_id(resource.name, "Function")]["Properties"]
        name = properties.get("FunctionName")
        arn = sub(
            "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
            + (name if isinstance(name, str) else ctx.physical_name(resource.name, "lambda"))
        )
        url = resource.properties.get("url") or {}
        return function_connection(
            ctx,
            resource,
            {**self.params(ctx, resource), "arn": arn},
            url_auth=url.get("authMode") == "AWS_IAM",
        )

    def connect(self, ctx: StackContext, resource: Resource, connection: Connection) -> None:
        connect_function(ctx, resource, connection)

    def hotswap(self, ctx: StackContext, change: Change) -> HotswapResult | None:
        from .hotswap import hotswap_function

        return hotswap_function(ctx, change)


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return [Function]


@hookimpl
def stackwright_finalize_template(ctx: StackContext, template: Template) -> None:
    from .source_events import add_s3_notifications

    add_s3_notifications(ctx)


@hookimpl(trylast=True)
def stackwright_get_packager(ctx: StackContext, artifact: Artifact) -> Packager | None:
    if artifact.kind == "lambda-zip" and artifact.packaging_type in (BUILDPACK, CUSTOM_ARTIFACT):
        return LambdaPackager(use_cache=ctx.use_cache, memo=ctx.memo.setdefault("lambda-packager", {}))
    return None
