"""The `http-api-gateway` function event: a route of an `http-api-gateway` resource of the config to the
function (an AWS_PROXY integration per function, API and payload format, and the permission to invoke)."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, get_att, http_api_route

from .refs import named_resource

HTTP_API_TYPE = "http-api-gateway"


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
    http_api_route(
        ctx, resource.name, ctx.logical_id(resource.name, f"Event{index}Route"), props, integration_id, path
    )
