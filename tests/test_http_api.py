"""`http-api-gateway` and the function event that adds routes to it: the template (through cfn-lint, as
every compiled template in these tests), the refusals, and a deploy to the embedded engine."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Result, write

FILES = {"src/app.py": "def handler(event, context):\n    return {'statusCode': 200}\n"}


def config(api: str = "{}", events: str = "", extra: str = "") -> str:
    return f"""\
serviceName: shop
resources:
  api:
    type: http-api-gateway
    properties: {api}
  orders:
    type: function
    properties:
      packaging: {{type: stacktape-lambda-buildpack, properties: {{entryfilePath: src/app.py}}}}
      events:
        - type: http-api-gateway
          properties: {{httpApiGatewayName: api, method: GET, path: /orders}}
        - type: http-api-gateway
          properties: {{httpApiGatewayName: api, method: '*', path: '/orders/{{proxy+}}'}}
{events}{extra}"""


def synth(cli: Callable[..., Result], project: Any, text: str) -> dict[str, Any]:
    root = project({"stackwright.yml": text, **FILES})
    result = cli("synth", cwd=root)
    assert result.code == 0, result.err
    return dict(json.loads(result.out))


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {lid: body for lid, body in template["Resources"].items() if body["Type"] == kind}


def test_routes_integrations_and_the_permission_to_invoke(cli: Callable[..., Result], project: Any) -> None:
    template = synth(cli, project, config())
    (api,) = of_type(template, "AWS::ApiGatewayV2::Api").values()
    assert api["Properties"] == {"Name": "shop-dev-api", "ProtocolType": "HTTP"}
    routes = {
        body["Properties"]["RouteKey"]: body["Properties"]
        for body in of_type(template, "AWS::ApiGatewayV2::Route").values()
    }
    assert sorted(routes) == ["ANY /orders/{proxy+}", "GET /orders"]
    ((integration_id, integration),) = of_type(template, "AWS::ApiGatewayV2::Integration").items()
    assert integration["Properties"] == {
        "ApiId": {"Ref": "ApiHttpApi"},
        "IntegrationType": "AWS_PROXY",
        "IntegrationUri": {"Fn::GetAtt": ["OrdersFunction", "Arn"]},
        "PayloadFormatVersion": "1.0",
    }
    assert all(
        r["Target"] == {"Fn::Join": ["/", ["integrations", {"Ref": integration_id}]]} for r in routes.values()
    )
    (permission,) = of_type(template, "AWS::Lambda::Permission").values()
    assert permission["Properties"]["Principal"] == "apigateway.amazonaws.com"
    (stage,) = of_type(template, "AWS::ApiGatewayV2::Stage").values()
    assert stage["Properties"]["StageName"] == "$default" and stage["Properties"]["AutoDeploy"] is True
    assert json.loads(stage["Properties"]["AccessLogSettings"]["Format"])["routeKey"] == "$context.routeKey"
    logs = template["Resources"]["ApiHttpApiLogGroup"]
    assert logs["Properties"] == {"LogGroupName": "/stp/shop-dev/http-api-gateway/api", "RetentionInDays": 30}
    assert template["Outputs"]["ApiUrl"] == {"Value": {"Fn::GetAtt": ["ApiHttpApi", "ApiEndpoint"]}}


def test_cors_logging_and_payload_format(cli: Callable[..., Result], project: Any) -> None:
    api = (
        "{payloadFormat: '2.0', cors: {enabled: true, allowedOrigins: ['https://shop.example.com'], "
        "allowCredentials: true, maxAge: 600}, logging: {format: CLF, retentionDays: 7}}"
    )
    template = synth(cli, project, config(api))
    (body,) = of_type(template, "AWS::ApiGatewayV2::Api").values()
    assert body["Properties"]["CorsConfiguration"] == {
        "AllowOrigins": ["https://shop.example.com"],
        "AllowHeaders": ["*"],
        "AllowMethods": ["*"],
        "AllowCredentials": True,
        "MaxAge": 600,
    }
    (stage,) = of_type(template, "AWS::ApiGatewayV2::Stage").values()
    assert stage["Properties"]["AccessLogSettings"]["Format"].startswith("$context.identity.sourceIp - - [")
    (integration,) = of_type(template, "AWS::ApiGatewayV2::Integration").values()
    assert integration["Properties"]["PayloadFormatVersion"] == "2.0"  # the API's, as no event sets one
    quiet = synth(cli, project, config("{logging: {disabled: true}}"))
    (stage,) = of_type(quiet, "AWS::ApiGatewayV2::Stage").values()
    assert "AccessLogSettings" not in stage["Properties"] and "ApiHttpApiLogGroup" not in quiet["Resources"]


@pytest.mark.parametrize(
    ("api", "events", "said"),
    [
        (
            "{}",
            "        - {type: http-api-gateway, properties: {httpApiGatewayName: apl, method: GET, path: /x}}\n",
            "'apl' is not an http-api-gateway resource in this config",
        ),
        (
            "{}",
            "        - {type: http-api-gateway, properties: {httpApiGatewayName: api, method: GET, path: /orders}}\n",
            "route `GET /orders` of 'api' is already taken by `orders`",
        ),
        (
            "{}",
            "        - {type: http-api-gateway, properties: {httpApiGatewayName: api, method: GET, path: orders}}\n",
            "`/posts`, `/posts/{id}`, `/{proxy+}` or `*`",
        ),
        (
            "{}",
            "        - {type: http-api-gateway, properties: {httpApiGatewayName: api, method: GET, path: /a, authorizer: {type: cognito}}}\n",
            "properties",
        ),
        (
            "{}",
            "        - {type: http-api-gateway, properties: {httpApiGatewayName: api, method: GET, path: /a, authorizer: {type: lambda, properties: {functionName: nope}}}}\n",
            "'nope' is not a function resource in this config",
        ),
        (
            "{customDomains: [{domainName: api.example.com}]}",
            "",
            "api.example.com: certificates made by stackwright are not supported",
        ),
        (
            "{customDomains: [{domainName: api.example.com, customCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc'}]}",
            "",
            "api.example.com: DNS records made by stackwright are not supported",
        ),
        (
            "{cdn: {enabled: true}}",
            "",
            "`cdn` of an http-api-gateway is not supported",
        ),
        (
            "{cors: {enabled: true, allowCredentials: true}}",
            "",
            "allowCredentials needs the allowed origins named",
        ),
        ("{logging: {format: YAML}}", "", "YAML"),
    ],
)
def test_what_api_gateway_would_refuse_is_refused_at_the_line(
    cli: Callable[..., Result], project: Any, api: str, events: str, said: str
) -> None:
    root = project({"stackwright.yml": config(api, events), **FILES})
    result = cli("synth", cwd=root)
    assert result.code == 2 and said in result.err, result.err
    assert "Traceback" not in result.err


def test_the_embedded_engine_deploys_the_function_and_names_the_api_it_leaves_out(
    cli: Callable[..., Result], project: Any, engine: str, aws: Callable[[str], Any]
) -> None:
    root = project({"stackwright.yml": config(), **FILES})
    result = cli("deploy", "--local", cwd=root)
    assert result.code == 0, result.err
    assert "ApiHttpApi (AWS::ApiGatewayV2::Api)" in result.err
    assert aws("lambda").get_function(FunctionName="shop-dev-orders")["Configuration"]["State"] == "Active"


def test_a_custom_domain_with_its_certificate_maps_to_the_default_stage(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    config = (
        "serviceName: shop\nresources:\n  api:\n    type: http-api-gateway\n    properties:\n"
        "      customDomains:\n        - {domainName: api.example.com, customCertificateArn: '"
        + certificate
        + "', disableDnsRecordCreation: true}\n"
    )
    result = cli("synth", cwd=write(tmp_path, {"stackwright.yml": config}))
    assert result.code == 0, result.err
    template = json.loads(result.out)
    domain = template["Resources"]["ApiCustomDomain0"]["Properties"]
    assert domain == {
        "DomainName": "api.example.com",
        "DomainNameConfigurations": [
            {"CertificateArn": certificate, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}
        ],
    }
    assert template["Resources"]["ApiCustomDomain0Mapping"]["Properties"] == {
        "ApiId": {"Ref": "ApiHttpApi"},
        "DomainName": {"Ref": "ApiCustomDomain0"},
        "Stage": {"Ref": "ApiHttpApiStage"},
    }
    assert template["Outputs"]["ApiCustomDomain0Target"]["Value"] == {
        "Fn::GetAtt": ["ApiCustomDomain0", "RegionalDomainName"]
    }
