"""The extensions phase: registry types a resource type needs are activated (public) or registered
(private) through the target before the change set, skipped when already in place. The aws target is
driven with botocore's Stubber, replaying what the CloudFormation registry API returns."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from stackwright import (
    Clients,
    ExtensionStatus,
    ProviderExtension,
    Resource,
    ResourceType,
    StackContext,
    StackState,
    StackwrightError,
    hookimpl,
    pipeline,
)
from stackwright.config.load import Options
from stackwright.deploy import ensure_extensions
from stackwright.plugins import load_plugins

from tests import cfn_replay as cfn
from tests.cfn_replay import Stubs
from tests.helpers import Result, write

#: MongoDB's publisher id in the CloudFormation registry (public third-party types).
ATLAS_PUBLISHER = "bb989456c78c398a858fef18f2ca1bfc1fbba082"
ATLAS_CLUSTER = "MongoDB::Atlas::Cluster"
ACTIVATED_ARN = f"arn:aws:cloudformation:us-east-1:{cfn.ACCOUNT}:type/resource/MongoDB-Atlas-Cluster"
PRIVATE_TYPE = "Acme::Cache::Database"
CONFIG = """\
serviceName: demo
resources:
  cache:
    type: cache-cluster
"""


def plugin(extension: ProviderExtension) -> object:
    """The cache-cluster type of tests/plugins/atlas_extension.py, asking for `extension` (twice: it is
    put in place once)."""
    from tests.plugins.atlas_extension import CacheCluster

    class Asking(CacheCluster):
        def extensions(self, ctx: StackContext, resource: Resource) -> list[ProviderExtension]:
            return [extension, extension]

    class Plugin:
        @hookimpl
        def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
            return [Asking]

    return Plugin()


def compiled(tmp_path: Path, extension: ProviderExtension) -> tuple[StackContext, Stubs]:
    root = write(tmp_path, {"stackwright.yml": CONFIG})
    ctx = pipeline.open_stack(
        Options(directory=root, target="aws"),
        load_plugins(autoload=False, extra=[("cache", plugin(extension))]),
    )
    pipeline.compile_stack(ctx)
    stubs = Stubs()
    ctx.aws = Clients(maker=stubs.clients.__getitem__)
    ctx.settings["poll_interval"] = 0
    ctx.state = StackState(cfn.STACK, "UPDATE_COMPLETE", resources={"StpDeploymentBucket": cfn.BUCKET})
    ctx.report.json = True
    return ctx, stubs


def activated(version: str = "2.0.0") -> dict[str, Any]:
    """DescribeType of a public third-party type activated in the account."""
    return {
        "Arn": ACTIVATED_ARN,
        "Type": "RESOURCE",
        "TypeName": ATLAS_CLUSTER,
        "Visibility": "PRIVATE",
        "PublisherId": ATLAS_PUBLISHER,
        "OriginalTypeName": ATLAS_CLUSTER,
        "OriginalTypeArn": f"arn:aws:cloudformation:us-east-1::type/resource/{ATLAS_PUBLISHER}/MongoDB-Atlas-Cluster",
        "PublicVersionNumber": version,
        "LatestPublicVersion": version,
        "IsActivated": True,
        "AutoUpdate": True,
        "TimeCreated": datetime(2026, 11, 1, tzinfo=UTC),
    }


def not_found(stubs: Stubs, type_name: str) -> None:
    stubs.stubbers["cloudformation"].add_client_error(
        "describe_type",
        service_error_code="TypeNotFoundException",
        service_message=f"The type '{type_name}' cannot be found.",
        http_status_code=404,
        expected_params={"Type": "RESOURCE", "TypeName": type_name},
    )


ATLAS = ProviderExtension(ATLAS_CLUSTER, "activate", publisher_id=ATLAS_PUBLISHER, major_version=2)


def test_a_public_type_is_activated_then_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ctx, stubs = compiled(tmp_path, ATLAS)
    assert ctx.extensions == [ProviderExtension(**{**ATLAS.__dict__, "plugin": "cache"})]
    not_found(stubs, ATLAS_CLUSTER)
    stubs.cf(
        "activate_type",
        {"Arn": ACTIVATED_ARN},
        {
            "Type": "RESOURCE",
            "TypeName": ATLAS_CLUSTER,
            "PublisherId": ATLAS_PUBLISHER,
            "AutoUpdate": True,
            "MajorVersion": 2,
        },
    )
    assert ensure_extensions(ctx) == [
        ExtensionStatus(ATLAS_CLUSTER, "activated", ACTIVATED_ARN, f"publisher {ATLAS_PUBLISHER}")
    ]
    stubs.done()
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {
        "event": "extension",
        "type_name": ATLAS_CLUSTER,
        "status": "activated",
        "arn": ACTIVATED_ARN,
        "detail": f"publisher {ATLAS_PUBLISHER}",
    } in records
    # the next deploy finds it in place and activates nothing (the Stubber refuses any unexpected call)
    again, stubs = compiled(tmp_path, ATLAS)
    stubs.cf("describe_type", activated(), {"Type": "RESOURCE", "TypeName": ATLAS_CLUSTER})
    assert [s.status for s in ensure_extensions(again)] == ["in-place"]
    stubs.done()


def test_a_public_type_at_another_major_version_is_activated_again(tmp_path: Path) -> None:
    ctx, stubs = compiled(tmp_path, ATLAS)
    stubs.cf("describe_type", activated("1.5.0"), {"Type": "RESOURCE", "TypeName": ATLAS_CLUSTER})
    stubs.cf("activate_type", {"Arn": ACTIVATED_ARN})
    assert [s.status for s in ensure_extensions(ctx)] == ["activated"]
    stubs.done()


def test_a_type_that_cannot_be_activated_names_it_and_its_plugin(tmp_path: Path) -> None:
    ctx, stubs = compiled(tmp_path, ATLAS)
    not_found(stubs, ATLAS_CLUSTER)
    stubs.stubbers["cloudformation"].add_client_error(
        "activate_type",
        service_error_code="TypeNotFoundException",
        service_message=f"Type with publisherId {ATLAS_PUBLISHER} and typeName {ATLAS_CLUSTER} not found",
        http_status_code=404,
    )
    with pytest.raises(StackwrightError) as raised:
        ensure_extensions(ctx)
    assert (
        f"could not activate the CloudFormation extension {ATLAS_CLUSTER} (needed by plugin 'cache')"
        in str(raised.value)
    )
    assert "not found" in str(raised.value) and raised.value.hint and "region" in raised.value.hint


def test_a_private_type_is_registered_once_per_version(tmp_path: Path) -> None:
    package = tmp_path / "handler.zip"
    package.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    private = ProviderExtension(
        PRIVATE_TYPE, "register", schema_handler_package=str(package), version="0.3.0"
    )
    type_arn = f"arn:aws:cloudformation:us-east-1:{cfn.ACCOUNT}:type/resource/Acme-Cache-Database"
    record_key = "stackwright/extensions.json"

    def expect_registration(stubs: Stubs, version: str) -> None:
        s3 = stubs.stubbers["s3"]
        key = f"stackwright/extensions/Acme-Cache-Database/{version}.zip"
        s3.add_response("put_object", {}, {"Bucket": cfn.BUCKET, "Key": key, "Body": package.read_bytes()})
        stubs.cf(
            "register_type",
            {"RegistrationToken": "f5525280-104e-4d35-bef5-8f1f1example"},
            {
                "Type": "RESOURCE",
                "TypeName": PRIVATE_TYPE,
                "SchemaHandlerPackage": f"s3://{cfn.BUCKET}/{key}",
            },
        )
        stubs.cf(
            "describe_type_registration",
            {
                "ProgressStatus": "IN_PROGRESS",
                "Description": "Deployment is currently in DEPLOY_STAGE of status IN_PROGRESS; ",
            },
        )
        stubs.cf(
            "describe_type_registration",
            {
                "ProgressStatus": "COMPLETE",
                "Description": "Deployment is currently in DEPLOY_STAGE of status COMPLETED; ",
                "TypeArn": type_arn,
                "TypeVersionArn": f"{type_arn}/00000001",
            },
        )
        stubs.cf("set_type_default_version", {}, {"Arn": f"{type_arn}/00000001"})
        s3.add_response("put_object", {}, {"Bucket": cfn.BUCKET, "Key": record_key, "Body": AnyBytes()})

    ctx, stubs = compiled(tmp_path, private)
    stubs.stubbers["s3"].add_client_error("get_object", service_error_code="NoSuchKey", http_status_code=404)
    expect_registration(stubs, "0.3.0")
    assert [s.status for s in ensure_extensions(ctx)] == ["registered"]
    stubs.done()
    # the same version is in place: nothing is registered
    again, stubs = compiled(tmp_path, private)
    record = json.dumps({PRIVATE_TYPE: {"version": "0.3.0", "arn": type_arn}}).encode()
    stubs.stubbers["s3"].add_response(
        "get_object", {"Body": body(record)}, {"Bucket": cfn.BUCKET, "Key": record_key}
    )
    assert [s.status for s in ensure_extensions(again)] == ["in-place"]
    stubs.done()
    # the plugin's version moved: registered again
    moved = ProviderExtension(PRIVATE_TYPE, "register", schema_handler_package=str(package), version="0.4.0")
    later, stubs = compiled(tmp_path, moved)
    stubs.stubbers["s3"].add_response(
        "get_object", {"Body": body(record)}, {"Bucket": cfn.BUCKET, "Key": record_key}
    )
    expect_registration(stubs, "0.4.0")
    assert [s.status for s in ensure_extensions(later)] == ["registered"]
    stubs.done()


def test_a_failed_registration_says_why(tmp_path: Path) -> None:
    private = ProviderExtension(PRIVATE_TYPE, "register", schema_handler_package="s3://b/h.zip", version="1")
    ctx, stubs = compiled(tmp_path, private)
    stubs.stubbers["s3"].add_client_error("get_object", service_error_code="NoSuchKey", http_status_code=404)
    stubs.cf("register_type", {"RegistrationToken": "t0ken"})
    stubs.cf(
        "describe_type_registration",
        {
            "ProgressStatus": "FAILED",
            "Description": "Deployment is currently in DEPLOY_STAGE of status FAILED\nDeployment failed with "
            "error. Error message: [4f1b] Internal Failure",
        },
    )
    with pytest.raises(
        StackwrightError,
        match=f"registering the CloudFormation extension {PRIVATE_TYPE} failed: .*Internal Failure",
    ):
        ensure_extensions(ctx)


def test_the_local_engine_says_it_skips_extensions(
    cli: Callable[..., Result], engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).parent / "plugins"))
    root = write(tmp_path, {"stackwright.yml": CONFIG})
    result = cli("-p", "atlas_extension", "--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    assert (
        f"[1/1] extension {ATLAS_CLUSTER}: skipped (the local engine has no CloudFormation registry)"
        in result.err
    )
    diff = cli("-p", "atlas_extension", "--local", "diff", cwd=root)
    assert "registry extensions the deploy puts in place if missing: MongoDB::Atlas::Cluster" in diff.err
    assert "[1/1] extension" not in diff.err


class AnyBytes:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, bytes)


def body(data: bytes) -> Any:
    import io

    from botocore.response import StreamingBody

    return StreamingBody(io.BytesIO(data), len(data))
