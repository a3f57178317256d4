"""`http-api-gateway`: an API Gateway HTTP API with its `$default` stage (deployed on every change) and
its access logs. Routes come from the `http-api-gateway` events of functions, which name it."""

from __future__ import annotations

from typing import Any

from stackwright import (
    Resource,
    StackContext,
    access_log_format,
    domain_certificates,
    get_att,
    number,
    ref,
    sub,
)

#: Days access log records are kept when `logging.retentionDays` is not given (Stacktape's default).
ACCESS_LOG_DAYS = 30


def ids(ctx: StackContext, name: str) -> dict[str, str]:
    return {part: ctx.logical_id(name, part) for part in ("HttpApi", "HttpApiStage", "HttpApiLogGroup")}


def compile_http_api(ctx: StackContext, resource: Resource) -> None:
    props = resource.properties
    at = ("resources", resource.name, "properties")
    logging = props.get("logging") or {}
    names = ids(ctx, resource.name)
    api: dict[str, Any] = {"Name": ctx.physical_name(resource.name, "generic"), "ProtocolType": "HTTP"}
    cors = props.get("cors") or {}
    if cors.get("enabled"):
        api["CorsConfiguration"] = _cors(ctx, cors, (*at, "cors"))
    ctx.template.add_resource(names["HttpApi"], "AWS::ApiGatewayV2::Api", api, owner=resource.name)
    stage: dict[str, Any] = {"ApiId": ref(names["HttpApi"]), "StageName": "$default", "AutoDeploy": True}
    if not logging.get("disabled"):
        ctx.template.add_resource(
            names["HttpApiLogGroup"],
            "AWS::Logs::LogGroup",
            {
                "LogGroupName": f"/stp/{ctx.stack_name}/http-api-gateway/{resource.name}",
                "RetentionInDays": number(logging.get("retentionDays", ACCESS_LOG_DAYS)),
            },
            owner=resource.name,
        )
        stage["AccessLogSettings"] = {
            # the log group's ARN without the `:*` its Arn attribute ends in, which API Gateway refuses
            "DestinationArn": sub(
                "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${"
                + names["HttpApiLogGroup"]
                + "}"
            ),
            "Format": access_log_format(logging.get("format", "JSON")),
        }
    ctx.template.add_resource(names["HttpApiStage"], "AWS::ApiGatewayV2::Stage", stage, owner=resource.name)
    ctx.template.add_output(ctx.logical_id(resource.name, "Url"), get_att(names["HttpApi"], "ApiEndpoint"))
    domains = props.get("customDomains") or []
    point_at = (
        f"the stack output {ctx.logical_id(resource.name, 'CustomDomain')}<N>Target (an alias or CNAME)"
    )
    domain_certificates(ctx, domains, (*at, "customDomains"), point_at)
    for index, domain in enumerate(domains):
        _custom_domain(ctx, resource, names, index, domain)


def _custom_domain(
    ctx: StackContext,
    resource: Resource,
    names: dict[str, str],
    index: int,
    domain: dict[str, Any],
) -> None:
    """The domain name (with its ACM certificate) mapped to the API's default stage; its DNS target is an
    output, for the record the user creates."""
    domain_id = ctx.logical_id(resource.name, f"CustomDomain{index}")
    ctx.template.add_resource(
        domain_id,
        "AWS::ApiGatewayV2::DomainName",
        {
            "DomainName": domain["domainName"],
            "DomainNameConfigurations": [
                {
                    "CertificateArn": domain["customCertificateArn"],
                    "EndpointType": "REGIONAL",
                    "SecurityPolicy": "TLS_1_2",
                }
            ],
        },
        owner=resource.name,
    )
    ctx.template.add_resource(
        ctx.logical_id(resource.name, f"CustomDomain{index}Mapping"),
        "AWS::ApiGatewayV2::ApiMapping",
        {"ApiId": ref(names["HttpApi"]), "DomainName": ref(domain_id), "Stage": ref(names["HttpApiStage"])},
        owner=resource.name,
    )
    ctx.template.add_output(
        ctx.logical_id(resource.name, f"CustomDomain{index}Target"), get_att(domain_id, "RegionalDomainName")
    )


def _cors(ctx: StackContext, cors: dict[str, Any], at: tuple[str, ...]) -> dict[str, Any]:
    origins = cors.get("allowedOrigins") or ["*"]
    if cors.get("allowCredentials") and "*" in origins:
        ctx.fail(
            (*at, "allowCredentials"),
            "allowCredentials needs the allowed origins named: browsers refuse credentials with origin `*`",
            hint="list them in allowedOrigins (`https://app.example.com`)",
        )
    config: dict[str, Any] = {
        "AllowOrigins": origins,
        "AllowHeaders": cors.get("allowedHeaders") or ["*"],
        "AllowMethods": cors.get("allowedMethods") or ["*"],
    }
    if "allowCredentials" in cors:
        config["AllowCredentials"] = bool(cors["allowCredentials"])
    if cors.get("exposedResponseHeaders"):
        config["ExposeHeaders"] = cors["exposedResponseHeaders"]
    if "maxAge" in cors:
        config["MaxAge"] = number(cors["maxAge"])
    return config


def http_api_params(ctx: StackContext, resource: Resource) -> dict[str, Any]:
    names = ids(ctx, resource.name)
    return {
        "id": ref(names["HttpApi"]),
        "url": get_att(names["HttpApi"], "ApiEndpoint"),
        "executeArn": sub(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + names["HttpApi"] + "}"
        ),
    }
