"""The `http-api-gateway` function event: a route of an `http-api-gateway` resource of the config to the
function (an AWS_PROXY integration per function, API and payload format, and the permission to invoke)."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, get_att, ref

from .authorizers import authorizer
from .refs import named_resource

HTTP_API_TYPE = "http-api-gateway"


def route_key(method: str, path: str) -> str:
    """API Gateway's route key: `GET /posts`, `ANY /{proxy+}` for method `*`, `$default` for path `*`."""
    if path == "*":
        return "$default"
    return f"{'ANY' if method == '*' else method} {path}"


def http_api_event(
    ctx: StackContext,
    resource: Resource,
    index: int,
    props: dict[str, Any],
    function_id: str,
    path: tuple[str | int, ...],
) -> None:
    api = named_resource(ctx, props, "httpApiGatewayName", HTTP_API_TYPE, path, "an")
    name = api.name
    api_params = ctx.params_of(api)
    key = route_key(props["method"], props["path"])
    for lid, body in ctx.template.resources.items():
        if (
            body["Type"] == "AWS::ApiGatewayV2::Route"
            and body["Properties"]["RouteKey"] == key
            and (body["Properties"]["ApiId"] == api_params["id"])
        ):
            ctx.fail(
                (*path, "properties", "path"),
                f"route `{key}` of {name!r} is already taken by `{ctx.template.owners.get(lid, lid)}`",
                hint="each method and path of an API goes to one function",
            )
    payload = str(props.get("payloadFormat") or api.properties.get("payloadFormat") or "1.0")
    integration_id = ctx.logical_id(resource.name, f"{name}-integration-{payload.replace('.', '')}")
    if integration_id not in ctx.template.resources:
        ctx.template.add_resource(
            integration_id,
            "AWS::ApiGatewayV2::Integration",
            {
                "ApiId": api_params["id"],
                "IntegrationType": "AWS_PROXY",
                "IntegrationUri": get_att(function_id, "Arn"),
                "PayloadFormatVersion": payload,
            },
            owner=resource.name,
        )
    permission_id = ctx.logical_id(resource.name, f"{name}-permission")
    if permission_id not in ctx.template.resources:
        ctx.template.add_resource(
            permission_id,
            "AWS::Lambda::Permission",
            {
                "Action": "lambda:InvokeFunction",
                "FunctionName": get_att(function_id, "Arn"),
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": {"Fn::Join": ["", [api_params["executeArn"], "/*"]]},
            },
            owner=resource.name,
        )
    route: dict[str, Any] = {
        "ApiId": api_params["id"],
        "RouteKey": key,
        "Target": {"Fn::Join": ["/", ["integrations", ref(integration_id)]]},
    }
    if props.get("authorizer"):
        authorizer_id = authorizer(
            ctx, api, api_params["id"], api_params["executeArn"], props["authorizer"], path
        )
        kind = ctx.template.resources[authorizer_id]["Properties"]["AuthorizerType"]
        route |= {
            "AuthorizationType": "CUSTOM" if kind == "REQUEST" else "JWT",
            "AuthorizerId": ref(authorizer_id),
        }
    ctx.template.add_resource(
        ctx.logical_id(resource.name, f"Event{index}Route"),
        "AWS::ApiGatewayV2::Route",
        route,
        owner=resource.name,
    )
