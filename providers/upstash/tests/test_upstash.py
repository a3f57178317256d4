"""stackwright-upstash: the template it compiles, the handler package it builds, its registration on AWS
(replayed with botocore's Stubber) and a deploy to the embedded engine."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import stackwright_upstash as upstash
from stackwright_upstash import package

PLUGIN = ("-p", "stackwright_upstash")
API_KEY = "0c1d2e3f-upstash-management-key"
PROVIDER = {"upstash": {"accountEmail": "dev@example.com", "apiKey": "$Secret('upstash.apiKey')"}}
API = {
    "type": "function",
    "properties": {
        "packaging": {"type": "stacktape-lambda-buildpack", "properties": {"entryfilePath": "src/app.py"}},
        "connectTo": ["cache"],
    },
}
FILES = {"src/app.py": "def handler(event, context):\n    return event\n"}
TYPE = "Upstash::DatabasesV1::Database"


def config(**resources: Any) -> dict[str, Any]:
    return {"serviceName": "shop", "providerConfig": PROVIDER, "resources": resources}


def test_the_database_and_what_a_connected_function_gets(
    stackwright_project: Callable[..., Path], stackwright_synth: Callable[..., dict[str, Any]]
) -> None:
    root = stackwright_project(
        config(cache={"type": "upstash-redis", "properties": {"enableEviction": True}}, api=API), FILES
    )
    resources = stackwright_synth(root, upstash)["Resources"]
    database = resources["CacheDatabase"]
    assert database["Type"] == TYPE
    assert database["Properties"] == {
        "DatabaseName": "shop-dev-cache",
        "PrimaryRegion": "us-east-1",
        "EvictionEnabled": True,
        "ApiCredentials": {
            "Email": "{{resolve:secretsmanager:stackwright/upstash/shop-dev:SecretString:Email}}",
            "ApiKey": "{{resolve:secretsmanager:stackwright/upstash/shop-dev:SecretString:ApiKey}}",
        },
    }
    variables = resources["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert sorted(variables) == [
        "STP_CACHE_HOST",
        "STP_CACHE_PASSWORD",
        "STP_CACHE_PORT",
        "STP_CACHE_REDIS_URL",
        "STP_CACHE_REST_TOKEN",
        "STP_CACHE_REST_URL",
    ]
    assert variables["STP_CACHE_REST_URL"] == {
        "Fn::Join": ["", ["https://", {"Fn::GetAtt": ["CacheDatabase", "Endpoint"]}]]
    }
    assert variables["STP_CACHE_PASSWORD"] == {"Fn::GetAtt": ["CacheDatabase", "Password"]}
    assert "upstash.apiKey" not in json.dumps(resources)  # only the stack's own secret is referenced


def test_a_plain_text_key_is_warned_about_and_still_kept_out_of_the_template(
    stackwright_project: Callable[..., Path], stackwright_cli: Callable[..., Any]
) -> None:
    plain = {"upstash": {"accountEmail": "dev@example.com", "apiKey": API_KEY}}
    root = stackwright_project(
        {"serviceName": "shop", "providerConfig": plain, "resources": {"cache": {"type": "upstash-redis"}}}
    )
    result = stackwright_cli(*PLUGIN, "synth", cwd=root)
    assert result.code == 0, result.err
    assert "providerConfig.upstash.apiKey is not a $Secret" in result.err
    assert API_KEY not in result.out


def test_without_the_plugin_the_type_names_the_distribution_to_install(
    stackwright_project: Callable[..., Path], stackwright_cli: Callable[..., Any]
) -> None:
    root = stackwright_project(config(cache={"type": "upstash-redis"}))
    result = stackwright_cli("validate", cwd=root)
    assert result.code == 2 and "stackwright-upstash" in result.err
    assert (
        "load it with -p stackwright_upstash" in result.err or "pip install stackwright-upstash" in result.err
    )


def test_without_provider_config_the_database_is_refused(
    stackwright_project: Callable[..., Path], stackwright_cli: Callable[..., Any]
) -> None:
    root = stackwright_project({"serviceName": "shop", "resources": {"cache": {"type": "upstash-redis"}}})
    result = stackwright_cli(*PLUGIN, "validate", cwd=root)
    assert result.code == 2 and "needs providerConfig.upstash" in result.err


def test_the_handler_package_is_laid_out_as_cfn_submit_does_and_built_reproducibly(tmp_path: Path) -> None:
    first = Path(package.build(use_cache=False)).read_bytes()
    second = Path(package.build(use_cache=False)).read_bytes()
    assert first == second
    outer = zipfile.ZipFile(io.BytesIO(first))
    assert sorted(outer.namelist()) == [".rpdk-config", "ResourceProvider.zip", "schema.json"]
    settings = json.loads(outer.read(".rpdk-config"))
    assert settings["entrypoint"] == "upstash_databasesv1_database.handlers.resource"
    assert settings["runtime"] == "python3.12" and settings["typeName"] == TYPE
    assert json.loads(outer.read("schema.json")) == json.loads(package.SCHEMA.read_text())
    inner = zipfile.ZipFile(io.BytesIO(outer.read("ResourceProvider.zip")))
    names = inner.namelist()
    assert "upstash_databasesv1_database/handlers.py" in names
    assert any(n.startswith("cloudformation_cli_python_lib/") for n in names)
    # in the Lambda runtime already: neither the packages nor their metadata
    assert not [
        n for n in names if n.startswith(("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six"))
    ]


def _stubbed(service: str) -> tuple[Any, Any]:
    import boto3
    from botocore.stub import Stubber

    client = boto3.client(service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(client)
    stubber.activate()
    return client, stubber


class Captured:
    """Matches any value of a request parameter, and keeps it."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __eq__(self, other: object) -> bool:
        self.values.append(other)
        return True


def test_on_aws_the_handler_is_registered_once_per_version(
    stackwright_project: Callable[..., Path],
    stackwright_context: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """First deploy: the package goes to the bucket and is registered (RegisterType, polled to COMPLETE,
    made the default, older versions deregistered). The next deploy makes no registry call; a new plugin
    version registers again; a failed registration stops with the registry's reason."""
    from botocore.response import StreamingBody
    from stackwright import Clients, StackState, StackwrightError

    account, bucket = "123456789012", "shop-dev-deploy-1a2b3c4d"
    type_arn = f"arn:aws:cloudformation:us-east-1:{account}:type/resource/Upstash-DatabasesV1-Database"
    built = package.build()
    root = stackwright_project(config(cache={"type": "upstash-redis"}, api=API), FILES)

    def opened() -> tuple[Any, dict[str, Any]]:
        ctx = stackwright_context(root, upstash)
        stubs = {name: _stubbed(name) for name in ("cloudformation", "s3", "secretsmanager")}
        ctx.aws = Clients(maker=lambda name: stubs[name][0])
        ctx.state = StackState("shop-dev", "UPDATE_COMPLETE", resources={"StpDeploymentBucket": bucket})
        ctx.project = dataclasses.replace(ctx.project, account=account)
        ctx.settings["poll_interval"] = 0
        ctx.report.json = True
        return ctx, {name: stub for name, (_, stub) in stubs.items()}

    def secrets_read(stubs: dict[str, Any], current: str | None) -> None:
        sm = stubs["secretsmanager"]
        sm.add_response(
            "get_secret_value", {"Name": "upstash", "SecretString": json.dumps({"apiKey": API_KEY})}
        )
        if current is None:
            sm.add_client_error("get_secret_value", "ResourceNotFoundException", http_status_code=400)
            sm.add_response("create_secret", {"Name": "stackwright/upstash/shop-dev"})
        else:
            sm.add_response(
                "get_secret_value", {"Name": "stackwright/upstash/shop-dev", "SecretString": current}
            )

    def registration(stubs: dict[str, Any], version: str, number: int) -> Captured:
        body = Captured()
        key = f"stackwright/extensions/Upstash-DatabasesV1-Database/{version}.zip"
        stubs["s3"].add_response("put_object", {}, {"Bucket": bucket, "Key": key, "Body": body})
        cf = stubs["cloudformation"]
        cf.add_response(
            "register_type",
            {"RegistrationToken": "f5525280-104e-4d35-bef5-8f1f1example"},
            {"Type": "RESOURCE", "TypeName": TYPE, "SchemaHandlerPackage": f"s3://{bucket}/{key}"},
        )
        cf.add_response(
            "describe_type_registration",
            {
                "ProgressStatus": "IN_PROGRESS",
                "Description": "Deployment is currently in DEPLOY_STAGE of status IN_PROGRESS; ",
            },
        )
        version_arn = f"{type_arn}/{number:08d}"
        cf.add_response(
            "describe_type_registration",
            {
                "ProgressStatus": "COMPLETE",
                "Description": "Deployment is currently in DEPLOY_STAGE of status COMPLETED; ",
                "TypeArn": type_arn,
                "TypeVersionArn": version_arn,
            },
        )
        cf.add_response("set_type_default_version", {}, {"Arn": version_arn})
        summaries = [
            {
                "Type": "RESOURCE",
                "TypeName": TYPE,
                "VersionId": f"{n:08d}",
                "IsDefaultVersion": n == number,
                "Arn": f"{type_arn}/{n:08d}",
                "TimeCreated": datetime(2026, 11, n, tzinfo=UTC),
            }
            for n in range(1, number + 1)
        ]
        cf.add_response("list_type_versions", {"TypeVersionSummaries": summaries})
        for older in summaries[:-1]:
            cf.add_response("deregister_type", {}, {"Arn": older["Arn"]})
        return body

    ctx, stubs = opened()
    (extension,) = ctx.extensions
    stubs["s3"].add_client_error("get_object", "NoSuchKey", http_status_code=404)
    secrets_read(stubs, None)
    uploaded = registration(stubs, extension.version, 1)
    record = Captured()
    stubs["s3"].add_response(
        "put_object", {}, {"Bucket": bucket, "Key": "stackwright/extensions.json", "Body": record}
    )
    statuses = ctx.require_target().ensure_extensions(ctx, ctx.extensions)
    assert [(s.status, s.arn) for s in statuses] == [("registered", f"{type_arn}/00000001")]
    for stub in stubs.values():
        stub.assert_no_pending_responses()
    assert uploaded.values == [Path(built).read_bytes()]

    # the next deploy: the record says this version is registered, so no registry call (nor a build)
    again, stubs = opened()
    stubs["s3"].add_response(
        "get_object", {"Body": StreamingBody(io.BytesIO(record.values[0]), len(record.values[0]))}
    )
    secrets_read(stubs, json.dumps({"ApiKey": API_KEY, "Email": "dev@example.com"}, sort_keys=True))
    assert [s.status for s in again.require_target().ensure_extensions(again, again.extensions)] == [
        "in-place"
    ]
    for stub in stubs.values():
        stub.assert_no_pending_responses()

    # a new version of the plugin: registered again, the older version deregistered
    monkeypatch.setattr(upstash, "__version__", "0.2.0")
    later, stubs = opened()
    (moved,) = later.extensions
    assert moved.version.startswith("0.2.0+") and moved.version != extension.version
    stubs["s3"].add_response(
        "get_object", {"Body": StreamingBody(io.BytesIO(record.values[0]), len(record.values[0]))}
    )
    secrets_read(stubs, json.dumps({"ApiKey": API_KEY, "Email": "dev@example.com"}, sort_keys=True))
    registration(stubs, moved.version, 2)
    stubs["s3"].add_response("put_object", {})
    assert [s.status for s in later.require_target().ensure_extensions(later, later.extensions)] == [
        "registered"
    ]
    for stub in stubs.values():
        stub.assert_no_pending_responses()

    # a registration the registry fails: stopped with its reason, before any change set
    failing, stubs = opened()
    stubs["s3"].add_client_error("get_object", "NoSuchKey", http_status_code=404)
    secrets_read(stubs, json.dumps({"ApiKey": API_KEY, "Email": "dev@example.com"}, sort_keys=True))
    stubs["s3"].add_response("put_object", {})
    stubs["cloudformation"].add_response("register_type", {"RegistrationToken": "t0ken"})
    stubs["cloudformation"].add_response(
        "describe_type_registration",
        {
            "ProgressStatus": "FAILED",
            "Description": "Deployment is currently in DEPLOY_STAGE of status FAILED\nDeployment failed with "
            "error. Error message: Schema validation failed: #/handlers/list/permissions: expected type: JSONArray",
        },
    )
    with pytest.raises(
        StackwrightError,
        match=f"registering the CloudFormation extension {TYPE} failed: .*Schema validation failed",
    ):
        failing.require_target().ensure_extensions(failing, failing.extensions)
    out = capsys.readouterr()
    assert API_KEY not in out.out + out.err
    assert all(API_KEY.encode() not in value for value in record.values)


def test_the_embedded_engine_deploys_the_rest_with_placeholders(
    stackwright_project: Callable[..., Path],
    stackwright_cli: Callable[..., Any],
    stackwright_aws: Callable[[str], Any],
) -> None:
    root = stackwright_project(config(cache={"type": "upstash-redis"}, api=API), FILES)
    result = stackwright_cli(*PLUGIN, "deploy", "--local", cwd=root)
    assert result.code == 0, result.err
    assert "CacheDatabase (Upstash::DatabasesV1::Database)" in result.err
    assert f"extension {TYPE}: skipped (the local engine has no CloudFormation registry)" in result.err
    variables = stackwright_aws("lambda").get_function(FunctionName="shop-dev-api")["Configuration"][
        "Environment"
    ]["Variables"]
    assert variables["STP_CACHE_HOST"] == "stackwright-local-engine-skipped:CacheDatabase.Endpoint"
    assert stackwright_cli(*PLUGIN, "delete", "--local", "--yes", cwd=root).code == 0
