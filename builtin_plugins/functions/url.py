"""A function's own HTTPS endpoint (`url`): AWS::Lambda::Url, public when `authMode` is NONE."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, get_att, ref


def compile_url(ctx: StackContext, resource: Resource, function_id: str) -> None:
    config = resource.properties.get("url") or {}
    if not config.get("enabled"):
        return
    name = resource.name
    auth = str(config.get("authMode", "NONE"))
    body: dict[str, Any] = {
        "TargetFunctionArn": get_att(function_id, "Arn"),
        "AuthType": auth,
        "InvokeMode": "RESPONSE_STREAM" if config.get("responseStreamEnabled") else "BUFFERED",
    }
    cors = config.get("cors") or {}
    if cors.get("enabled"):
        body["Cors"] = {
            "AllowOrigins": cors.get("allowedOrigins") or ["*"],
            **({"AllowHeaders": cors["allowedHeaders"]} if cors.get("allowedHeaders") else {}),
            **({"AllowMethods": cors["allowedMethods"]} if cors.get("allowedMethods") else {}),
            **({"AllowCredentials": bool(cors["allowCredentials"])} if "allowCredentials" in cors else {}),
            **(
                {"ExposeHeaders": cors["exposedResponseHeaders"]}
                if cors.get("exposedResponseHeaders")
                else {}
            ),
            **({"MaxAge": int(cors["maxAge"])} if "maxAge" in cors else {}),
        }
    url_id = ctx.logical_id(name, "Url")
    ctx.template.add_resource(url_id, "AWS::Lambda::Url", body, owner=name)
    if auth == "NONE":
        ctx.template.add_resource(
            ctx.logical_id(name, "UrlPermission"),
            "AWS::Lambda::Permission",
            {
                "Action": "lambda:InvokeFunctionUrl",
                "FunctionName": ref(function_id),
                "Principal": "*",
                "FunctionUrlAuthType": "NONE",
            },
            owner=name,
        )
    ctx.template.add_output(url_id, get_att(url_id, "FunctionUrl"), description=f"the URL of {name}")
