"""Authorizers of `http-api-gateway` routes: `lambda` (a function of the config decides) and `cognito`
(API Gateway checks a JWT issued by a `user-auth-pool` of the config).

One authorizer per API and authorizing function (or user pool) is shared by every route that names it
with the same settings; API Gateway allows ten per API.
"""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, get_att, number, ref, sub

from .refs import named_resource

FUNCTION_TYPE, POOL_TYPE = "function", "user-auth-pool"
#: Where the identity is read when `identitySources` is not given.
DEFAULT_IDENTITY = ["$request.header.Authorization"]

Path = tuple[str | int, ...]


def authorizer(
    ctx: StackContext, api: Resource, api_id: Any, execute_arn: Any, config: dict[str, Any], path: Path
) -> str:
    """The logical id of the `AWS::ApiGatewayV2::Authorizer` for `config` (compiled on first use). Raises
    ConfigError for an unknown function or pool, or one used with two different settings."""
    kind, props = config["type"], config.get("properties") or {}
    at = (*path, "properties", "authorizer", "properties")
    if kind == "lambda":
        function = named_resource(
            ctx, props, "functionName", FUNCTION_TYPE, (*path, "properties", "authorizer")
        )
        lid = ctx.logical_id(api.name, f"{function.name}-authorizer")
        function_arn = get_att(ctx.logical_id(function.name, "Function"), "Arn")
        simple = not props.get("iamResponse")
        body: dict[str, Any] = {
            "ApiId": api_id,
            "Name": f"{function.name}-authorizer",
            "AuthorizerType": "REQUEST",
            "AuthorizerUri": sub(
                "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${arn}"
                "/invocations",
                {"arn": function_arn},
            ),
            "AuthorizerPayloadFormatVersion": "2.0" if simple else "1.0",
            "EnableSimpleResponses": simple,
            "IdentitySource": props.get("identitySources") or DEFAULT_IDENTITY,
            "AuthorizerResultTtlInSeconds": number(props.get("cacheResultSeconds", 0)),
        }
        owner = function.name
    elif kind == "cognito":
        pool = named_resource(ctx, props, "userPoolName", POOL_TYPE, (*path, "properties", "authorizer"))
        params = ctx.params_of(pool)
        lid = ctx.logical_id(api.name, f"{pool.name}-authorizer")
        body = {
            "ApiId": api_id,
            "Name": f"{pool.name}-authorizer",
            "AuthorizerType": "JWT",
            "IdentitySource": props.get("identitySources") or DEFAULT_IDENTITY,
            # the pool's ProviderURL is `cognito-idp.<region>.amazonaws.com/<id>`; the issuer is its https URL
            "JwtConfiguration": {
                "Audience": [params["clientId"]],
                "Issuer": {"Fn::Join": ["", ["https://", params["providerUrl"]]]},
            },
        }
        owner = pool.name
    else:
        ctx.fail((*path, "properties", "authorizer", "type"), f"unknown authorizer type {kind!r}")
    found = ctx.template.resources.get(lid)
    if found is not None:
        if found["Properties"] != body:
            ctx.fail(
                at,
                f"the {kind} authorizer {body['Name']!r} of this API is used with other settings elsewhere",
            )
        return lid
    ctx.template.add_resource(lid, "AWS::ApiGatewayV2::Authorizer", body, owner=owner)
    if kind == "lambda":
        ctx.template.add_resource(
            ctx.logical_id(api.name, f"{owner}-authorizer-permission"),
            "AWS::Lambda::Permission",
            {
                "Action": "lambda:InvokeFunction",
                "FunctionName": body["AuthorizerUri"]["Fn::Sub"][1]["arn"],
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": {"Fn::Join": ["", [execute_arn, "/authorizers/", ref(lid)]]},
            },
            owner=owner,
        )
    return lid
