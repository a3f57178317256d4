"""`user-auth-pool` and the authorizers of `http-api-gateway` routes (a pool's JWTs, or a function's
answer): templates, mistakes named, connectTo, and a local deploy that names what the engine leaves out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers import Result, write

CONFIG = """\
serviceName: authz
resources:
  users:
    type: user-auth-pool
    properties:
      enableHostedUi: true
      hostedUiDomainPrefix: authz-dev-users-example
      passwordPolicy: {minimumLength: 12, requireSymbols: true}
      mfaConfiguration: {status: OPTIONAL, enabledTypes: [SOFTWARE_TOKEN]}
      schema: [{name: plan, attributeDataType: String, mutable: true, stringMaxLength: 20}]
      allowedOAuthFlows: [code]
      callbackURLs: ['https://app.example.com/callback']
      accessTokenValiditySeconds: 900
      generateClientSecret: true
  api:
    type: http-api-gateway
  gate:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
  hello:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      connectTo: [users]
      events:
        - type: http-api-gateway
          properties:
            httpApiGatewayName: api
            method: GET
            path: /hello
            authorizer: {type: cognito, properties: {userPoolName: users}}
        - type: http-api-gateway
          properties:
            httpApiGatewayName: api
            method: POST
            path: /hello
            authorizer: {type: lambda, properties: {functionName: gate, cacheResultSeconds: 60}}
        - type: http-api-gateway
          properties:
            httpApiGatewayName: api
            method: PUT
            path: /hello
            authorizer: {type: lambda, properties: {functionName: gate, cacheResultSeconds: 60}}
"""
FILES = {
    "stackwright.yml": CONFIG,
    "src/app.py": "def handler(event, context):\n    return {'isAuthorized': True}\n",
}


def synth(cli: Callable[..., Result], root: Path) -> dict[str, Any]:
    result = cli("synth", cwd=root)
    assert result.code == 0, result.err
    return dict(json.loads(result.out)["Resources"])


def test_a_pool_compiles_with_its_client_and_hosted_ui(cli: Callable[..., Result], tmp_path: Path) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    pool = resources["UsersUserPool"]["Properties"]
    assert pool["UserPoolName"] == "authz-dev-users"
    assert pool["Policies"] == {"PasswordPolicy": {"MinimumLength": 12, "RequireSymbols": True}}
    assert (pool["MfaConfiguration"], pool["EnabledMfas"]) == ("OPTIONAL", ["SOFTWARE_TOKEN_MFA"])
    assert pool["Schema"] == [
        {
            "Name": "plan",
            "AttributeDataType": "String",
            "Mutable": True,
            "StringAttributeConstraints": {"MaxLength": "20"},
        }
    ]
    assert pool["AdminCreateUserConfig"] == {"AllowAdminCreateUserOnly": False}
    client = resources["UsersUserPoolClient"]["Properties"]
    assert client["GenerateSecret"] is True and client["AllowedOAuthFlows"] == ["code"]
    assert client["CallbackURLs"] == ["https://app.example.com/callback"]
    assert (client["AccessTokenValidity"], client["TokenValidityUnits"]) == (900, {"AccessToken": "seconds"})
    assert resources["UsersUserPoolDomain"]["Properties"] == {
        "Domain": "authz-dev-users-example",
        "UserPoolId": {"Ref": "UsersUserPool"},
    }
    variables = resources["HelloFunction"]["Properties"]["Environment"]["Variables"]
    assert set(variables) == {
        "STP_USERS_ID",
        "STP_USERS_CLIENT_ID",
        "STP_USERS_ARN",
        "STP_USERS_PROVIDER_URL",
        "STP_USERS_DOMAIN",
        "STP_USERS_CLIENT_SECRET",
    }


def test_routes_are_authorized_by_the_pool_or_by_a_function(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    jwt = resources["ApiUsersAuthorizer"]["Properties"]
    assert jwt["AuthorizerType"] == "JWT"
    assert jwt["JwtConfiguration"] == {
        "Audience": [{"Ref": "UsersUserPoolClient"}],
        "Issuer": {"Fn::Join": ["", ["https://", {"Fn::GetAtt": ["UsersUserPool", "ProviderURL"]}]]},
    }
    gate = resources["ApiGateAuthorizer"]["Properties"]
    assert (gate["AuthorizerType"], gate["EnableSimpleResponses"], gate["AuthorizerResultTtlInSeconds"]) == (
        "REQUEST",
        True,
        60,
    )
    routes = {
        body["Properties"]["RouteKey"]: body["Properties"]
        for body in resources.values()
        if body["Type"] == "AWS::ApiGatewayV2::Route"
    }
    assert (routes["GET /hello"]["AuthorizationType"], routes["GET /hello"]["AuthorizerId"]) == (
        "JWT",
        {"Ref": "ApiUsersAuthorizer"},
    )
    assert (
        routes["POST /hello"]["AuthorizerId"]
        == routes["PUT /hello"]["AuthorizerId"]
        == {"Ref": "ApiGateAuthorizer"}
    )
    assert routes["POST /hello"]["AuthorizationType"] == "CUSTOM"
    permission = resources["ApiGateAuthorizerPermission"]["Properties"]
    assert permission["Principal"] == "apigateway.amazonaws.com"
    assert permission["SourceArn"]["Fn::Join"][1][1:] == ["/authorizers/", {"Ref": "ApiGateAuthorizer"}]
    assert sum(body["Type"] == "AWS::ApiGatewayV2::Authorizer" for body in resources.values()) == 2


def test_pool_and_authorizer_mistakes_are_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    def refused(name: str, config: str) -> str:
        result = cli("synth", cwd=write(tmp_path / name, {**FILES, "stackwright.yml": config}))
        assert result.code == 2 and "Traceback" not in result.err, result.err
        return result.err

    hooks = CONFIG.replace(
        "      generateClientSecret: true\n",
        "      generateClientSecret: true\n      hooks: {preSignUp: gate}\n",
    )
    assert "`hooks` of a user-auth-pool is not supported" in refused("hooks", hooks)
    sms = CONFIG.replace("enabledTypes: [SOFTWARE_TOKEN]", "enabledTypes: [SMS]")
    assert "`enabledTypes` of a user-auth-pool is not supported" in refused("sms", sms)
    assert "SMS codes (they need an SNS role for Cognito)" in refused("sms", sms)
    no_ui = CONFIG.replace("      enableHostedUi: true\n", "")
    assert "hostedUiDomainPrefix applies to the hosted UI" in refused("no-ui", no_ui)
    other = CONFIG.replace(
        "cacheResultSeconds: 60}}\n        - type: http-api-gateway\n          properties:\n            httpApiGatewayName: api\n            method: PUT",
        "cacheResultSeconds: 60}}\n        - type: http-api-gateway\n          properties:\n            httpApiGatewayName: api\n            method: PUT",
        1,
    )
    other = other[: other.rindex("cacheResultSeconds: 60")] + "cacheResultSeconds: 5}}\n"
    assert "is used with other settings elsewhere" in refused("settings", other)
    typo = CONFIG.replace("userPoolName: users", "userPoolName: user")
    assert "did you mean 'users'" in refused("typo", typo).lower()


def test_a_protected_api_deploys_and_the_engine_names_what_it_leaves_out(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    result = cli("--local", "deploy", cwd=write(tmp_path, FILES))
    assert result.code == 0, result.err
    for named in (
        "UsersUserPool (AWS::Cognito::UserPool)",
        "UsersUserPoolClient (AWS::Cognito::UserPoolClient)",
        "ApiGateAuthorizer (AWS::ApiGatewayV2::Authorizer)",
    ):
        assert named in result.err
    (statement,) = json.loads(aws("lambda").get_policy(FunctionName="authz-dev-gate")["Policy"])["Statement"]
    assert statement["Principal"] == {"Service": "apigateway.amazonaws.com"}
    variables = aws("lambda").get_function(FunctionName="authz-dev-hello")["Configuration"]["Environment"][
        "Variables"
    ]
    assert variables["STP_USERS_ID"] == "stackwright-local-engine-skipped:UsersUserPool"


def test_yaml_is_read_as_stacktape_reads_it(cli: Callable[..., Result], tmp_path: Path) -> None:
    """YAML 1.2, as Stacktape reads it: `status: ON` (Stacktape's own example) is text, not a boolean, and
    so are `yes` and `1:30`; `true` stays a boolean."""
    config = (
        "serviceName: y12\nresources:\n  users:\n    type: user-auth-pool\n    properties:\n"
        "      mfaConfiguration: {status: ON, enabledTypes: [SOFTWARE_TOKEN]}\n      generateClientSecret: true\n"
        "  fn:\n    type: function\n    properties:\n"
        "      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}\n"
        "      environment: [{name: FLAG, value: yes}, {name: TIME, value: 1:30}, {name: OFF_TEXT, value: off}]\n"
    )
    resources = synth(cli, write(tmp_path, {**FILES, "stackwright.yml": config}))
    assert resources["UsersUserPool"]["Properties"]["MfaConfiguration"] == "ON"
    assert resources["UsersUserPoolClient"]["Properties"]["GenerateSecret"] is True
    assert resources["FnFunction"]["Properties"]["Environment"]["Variables"] == {
        "FLAG": "yes",
        "TIME": "1:30",
        "OFF_TEXT": "off",
    }
