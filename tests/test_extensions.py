"""The extensions phase: registry types a resource type needs are activated (public) or registered
(private) through the target before the change set, skipped when already in place. The aws target is
driven with botocore's Stubber, replaying what the CloudFormation registry API returns."""

from __future__ import annotations

import dataclasses
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
    ProviderSecret,
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


def compiled(tmp_path: Path, extension: ProviderExtension, *services: str) -> tuple[StackContext, Stubs]:
    root = write(tmp_path, {"stackwright.yml": CONFIG})
    ctx = pipeline.open_stack(
        Options(directory=root, target="aws"),
        load_plugins(autoload=False, extra=[("cache", plugin(extension))]),
    )
    pipeline.compile_stack(ctx)
    stubs = Stubs(*(services or ("cloudformation", "s3")))
    ctx.aws = Clients(maker=stubs.clients.__getitem__)
    ctx.settings["poll_interval"] = 0
    ctx.state = StackState(cfn.STACK, "UPDATE_COMPLETE", resources={"StpDeploymentBucket": cfn.BUCKET})
    ctx.project = dataclasses.replace(ctx.project, account=cfn.ACCOUNT)
    ctx.report.json = True
    return ctx, stubs


RECORD_KEY = "stackwright/extensions.json"


def no_record(stubs: Stubs) -> None:
    """The deployment bucket holds no record of extensions yet."""
    stubs.stubbers["s3"].add_client_error(
        "get_object",
        service_error_code="NoSuchKey",
        http_status_code=404,
        expected_params={"Bucket": cfn.BUCKET, "Key": RECORD_KEY},
    )


def record_read(stubs: Stubs, record: dict[str, Any]) -> None:
    stubs.stubbers["s3"].add_response(
        "get_object", {"Body": body(json.dumps(record).encode())}, {"Bucket": cfn.BUCKET, "Key": RECORD_KEY}
    )


def record_written(stubs: Stubs) -> list[dict[str, Any]]:
    """Expect the record to be written; the list receives what was written once it is."""
    written: list[dict[str, Any]] = []

    class Recorded:
        def __eq__(self, other: object) -> bool:
            if isinstance(other, bytes):
                written.append(json.loads(other))
                return True
            return False

    stubs.stubbers["s3"].add_response(
        "put_object", {}, {"Bucket": cfn.BUCKET, "Key": RECORD_KEY, "Body": Recorded()}
    )
    return written


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
    no_record(stubs)
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
    written = record_written(stubs)
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
    # the next deploy reads the record and makes no registry call at all (the Stubber refuses any)
    again, stubs = compiled(tmp_path, ATLAS)
    record_read(stubs, written[0])
    assert [s.status for s in ensure_extensions(again)] == ["in-place"]
    stubs.done()


def test_a_type_already_active_in_the_account_is_recorded_not_activated(tmp_path: Path) -> None:
    ctx, stubs = compiled(tmp_path, ATLAS)
    no_record(stubs)
    stubs.cf("describe_type", activated("2.6.2"), {"Type": "RESOURCE", "TypeName": ATLAS_CLUSTER})
    written = record_written(stubs)
    assert [(s.status, s.detail) for s in ensure_extensions(ctx)] == [("in-place", "2.6.2")]
    stubs.done()
    assert written[0][ATLAS_CLUSTER]["major"] == 2


def test_a_public_type_at_another_major_version_is_activated_again(tmp_path: Path) -> None:
    ctx, stubs = compiled(tmp_path, ATLAS)
    record_read(stubs, {ATLAS_CLUSTER: {"activated": True, "major": 1, "arn": ACTIVATED_ARN, "role": ""}})
    stubs.cf("describe_type", activated("1.5.0"), {"Type": "RESOURCE", "TypeName": ATLAS_CLUSTER})
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
    written = record_written(stubs)
    assert [s.status for s in ensure_extensions(ctx)] == ["activated"]
    stubs.done()
    assert written[0][ATLAS_CLUSTER]["major"] == 2


def test_an_execution_role_is_made_with_least_privilege(tmp_path: Path) -> None:
    statement = {
        "Effect": "Allow",
        "Action": ["secretsmanager:GetSecretValue"],
        "Resource": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:cfn/atlas/profile/*",
    }
    with_role = dataclasses.replace(ATLAS, execution_role_statements=(statement,))
    ctx, stubs = compiled(tmp_path, with_role, "cloudformation", "s3", "iam")
    no_record(stubs)
    not_found(stubs, ATLAS_CLUSTER)
    iam = stubs.stubbers["iam"]
    role = "stackwright-MongoDB-Atlas-Cluster"
    role_arn = f"arn:aws:iam::{cfn.ACCOUNT}:role/{role}"
    iam.add_client_error("get_role", "NoSuchEntity", "The role with name x cannot be found.", 404)
    trust: list[dict[str, Any]] = []

    class Trust:
        def __eq__(self, other: object) -> bool:
            trust.append(json.loads(str(other)))
            return True

    created = {"Path": "/", "RoleName": role, "RoleId": "AROAEXAMPLEID0000000", "Arn": role_arn}
    iam.add_response(
        "create_role",
        {"Role": {**created, "CreateDate": datetime(2026, 12, 1, tzinfo=UTC)}},
        {
            "RoleName": role,
            "AssumeRolePolicyDocument": Trust(),
            "Description": f"Runs the CloudFormation handlers of {ATLAS_CLUSTER} (stackwright)",
            "MaxSessionDuration": 8400,
        },
    )
    policy: list[dict[str, Any]] = []

    class Policy:
        def __eq__(self, other: object) -> bool:
            policy.append(json.loads(str(other)))
            return True

    iam.add_response(
        "put_role_policy", {}, {"RoleName": role, "PolicyName": "handlers", "PolicyDocument": Policy()}
    )
    # IAM has made the role, but CloudFormation cannot assume it yet: tried again
    stubs.stubbers["cloudformation"].add_client_error(
        "activate_type",
        service_error_code="CFNRegistryException",
        service_message=f"Role {role_arn} is invalid or cannot be assumed",
        http_status_code=400,
    )
    stubs.cf(
        "activate_type",
        {"Arn": ACTIVATED_ARN},
        {
            "Type": "RESOURCE",
            "TypeName": ATLAS_CLUSTER,
            "PublisherId": ATLAS_PUBLISHER,
            "AutoUpdate": True,
            "MajorVersion": 2,
            "ExecutionRoleArn": role_arn,
        },
    )
    record_written(stubs)
    assert [s.status for s in ensure_extensions(ctx)] == ["activated"]
    stubs.done()
    (allowed,) = trust[0]["Statement"]
    assert allowed["Principal"] == {"Service": "resources.cloudformation.amazonaws.com"}
    assert allowed["Condition"] == {
        "StringEquals": {"aws:SourceAccount": cfn.ACCOUNT},
        "StringLike": {
            "aws:SourceArn": f"arn:aws:cloudformation:*:{cfn.ACCOUNT}:type/resource/MongoDB-Atlas-Cluster/*"
        },
    }
    assert policy[0]["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue"],
            "Resource": f"arn:aws:secretsmanager:us-east-1:{cfn.ACCOUNT}:secret:cfn/atlas/profile/*",
        }
    ]


def test_a_type_that_cannot_be_activated_names_it_and_its_plugin(tmp_path: Path) -> None:
    ctx, stubs = compiled(tmp_path, ATLAS)
    no_record(stubs)
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

    def expect_registration(stubs: Stubs, version: str, number: str) -> None:
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
                "TypeVersionArn": f"{type_arn}/{number}",
            },
        )
        stubs.cf("set_type_default_version", {}, {"Arn": f"{type_arn}/{number}"})
        versions = [
            {
                "Type": "RESOURCE",
                "TypeName": PRIVATE_TYPE,
                "VersionId": f"{n:08d}",
                "IsDefaultVersion": f"{n:08d}" == number,
                "Arn": f"{type_arn}/{n:08d}",
                "TimeCreated": datetime(2026, 11, n, tzinfo=UTC),
            }
            for n in range(1, int(number) + 1)
        ]
        stubs.cf(
            "list_type_versions",
            {"TypeVersionSummaries": versions},
            {"Type": "RESOURCE", "TypeName": PRIVATE_TYPE, "DeprecatedStatus": "LIVE"},
        )
        for old in versions[:-1]:  # every older version is deregistered, the new default kept
            stubs.cf("deregister_type", {}, {"Arn": old["Arn"]})
        s3.add_response("put_object", {}, {"Bucket": cfn.BUCKET, "Key": record_key, "Body": AnyBytes()})

    ctx, stubs = compiled(tmp_path, private)
    stubs.stubbers["s3"].add_client_error("get_object", service_error_code="NoSuchKey", http_status_code=404)
    expect_registration(stubs, "0.3.0", "00000001")
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
    expect_registration(stubs, "0.4.0", "00000002")
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
    assert (
        "registry extensions this stack needs, which the target has no registry for: MongoDB::Atlas::Cluster"
        in diff.err
    )
    assert "[1/1] extension" not in diff.err


class AnyBytes:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, bytes)


def body(data: bytes) -> Any:
    import io

    from botocore.response import StreamingBody

    return StreamingBody(io.BytesIO(data), len(data))


PROFILE = ProviderSecret(
    "cfn/atlas/profile/demo-dev",
    (("PrivateKey", "{{resolve:secretsmanager:atlas:SecretString:privateKey}}"), ("PublicKey", "abcdefgh")),
)


def test_a_provider_secret_is_written_from_resolved_references_only_when_it_changed(tmp_path: Path) -> None:
    from stackwright.builtin_plugins.cloudformation.extension_setup import keep_secret

    ctx, stubs = compiled(tmp_path, ATLAS, "secretsmanager")
    sm = stubs.stubbers["secretsmanager"]
    user_secret = {
        "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:atlas-AbCdEf",
        "Name": "atlas",
    }
    expected = json.dumps({"PrivateKey": "s3cr3t-value", "PublicKey": "abcdefgh"}, sort_keys=True)

    def reads_user_secret() -> None:
        sm.add_response(
            "get_secret_value",
            {**user_secret, "SecretString": json.dumps({"privateKey": "s3cr3t-value"})},
            {"SecretId": "atlas"},
        )

    reads_user_secret()
    sm.add_client_error(
        "get_secret_value",
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.",
        400,
        expected_params={"SecretId": PROFILE.name},
    )
    sm.add_response(
        "create_secret",
        {
            "ARN": f"arn:aws:secretsmanager:us-east-1:123456789012:secret:{PROFILE.name}-XyZ123",
            "Name": PROFILE.name,
        },
        {
            "Name": PROFILE.name,
            "SecretString": expected,
            "Description": f"Read by CloudFormation registry extensions of stack {cfn.STACK} (stackwright)",
            "Tags": [{"Key": "stackwright:stack", "Value": cfn.STACK}],
        },
    )
    assert keep_secret(ctx, PROFILE) == "created"
    reads_user_secret()
    sm.add_response(
        "get_secret_value", {"Name": PROFILE.name, "SecretString": expected}, {"SecretId": PROFILE.name}
    )
    assert keep_secret(ctx, PROFILE) == "unchanged"  # no PutSecretValue: the Stubber refuses one
    stubs.done()


def test_a_provider_secret_whose_source_is_missing_is_named(tmp_path: Path) -> None:
    from stackwright.builtin_plugins.cloudformation.extension_setup import keep_secret

    ctx, stubs = compiled(tmp_path, ATLAS, "secretsmanager")
    stubs.stubbers["secretsmanager"].add_client_error(
        "get_secret_value",
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.",
        400,
    )
    with pytest.raises(
        StackwrightError,
        match="secret 'atlas', which cfn/atlas/profile/demo-dev takes its PrivateKey from, does not exist",
    ):
        keep_secret(ctx, PROFILE)
