"""stackwright-mongodb-atlas deployed: to the embedded engine (which has no registry), and on AWS, the
extensions phase replayed with botocore's Stubber."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import stackwright_mongodb_atlas as atlas
from atlas_configs import API, FILES, PLUGIN, PRIVATE_KEY, PROVIDER, cluster, config


def test_the_embedded_engine_deploys_the_rest_with_placeholders(
    stackwright_project: Callable[..., Path],
    stackwright_cli: Callable[..., Any],
    stackwright_aws: Callable[[str], Any],
) -> None:
    plain = {"mongoDbAtlas": {**PROVIDER["mongoDbAtlas"], "privateKey": PRIVATE_KEY}}  # the worst case
    text = {
        "serviceName": "posts",
        "providerConfig": plain,
        "resources": {"mongoDbCluster": cluster(clusterTier="M2"), "api": API},
    }
    root = stackwright_project(text, FILES)
    result = stackwright_cli(*PLUGIN, "deploy", "--local", cwd=root)
    assert result.code == 0, result.err
    assert "registry resources it cannot create" in result.err
    assert "MongoDbClusterAtlasCluster (MongoDB::Atlas::Cluster)" in result.err
    assert (
        "extension MongoDB::Atlas::Cluster: skipped (the local engine has no CloudFormation registry)"
        in result.err
    )
    function = stackwright_aws("lambda").get_function(FunctionName="posts-dev-api")["Configuration"]
    assert function["Environment"]["Variables"]["STP_MONGO_DB_CLUSTER_CONNECTION_STRING"] == (
        "stackwright-local-engine-skipped:MongoDbClusterAtlasCluster.ConnectionStrings.StandardSrv"
    )
    # the key is nowhere: not in what was printed, nor in any object of any bucket (every version)
    outputs = [result, stackwright_cli(*PLUGIN, "--output", "json", "info", "--local", cwd=root)]
    assert all(PRIVATE_KEY not in r.out + r.err for r in outputs)
    s3 = stackwright_aws("s3")
    for bucket in s3.list_buckets()["Buckets"]:
        for version in s3.list_object_versions(Bucket=bucket["Name"]).get("Versions", []):
            body = s3.get_object(Bucket=bucket["Name"], Key=version["Key"], VersionId=version["VersionId"])[
                "Body"
            ]
            assert PRIVATE_KEY.encode() not in body.read(), version["Key"]
    assert stackwright_cli(*PLUGIN, "delete", "--local", "--yes", cwd=root).code == 0


def _stubbed(service: str) -> tuple[Any, Any]:
    import boto3
    from botocore.stub import Stubber

    client = boto3.client(service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(client)
    stubber.activate()
    return client, stubber


def test_on_aws_the_types_are_activated_once_and_the_key_kept_in_the_profile_secret(
    stackwright_project: Callable[..., Path],
    stackwright_context: Callable[..., Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Replays the registry, IAM and Secrets Manager answers of a first deploy, then a second deploy that
    makes no registry call; no secret value is printed."""
    import dataclasses
    import io

    from botocore.response import StreamingBody
    from stackwright import Clients, StackState

    account, bucket = "123456789012", "posts-dev-deploy-1a2b3c4d"
    root = stackwright_project(config(mongoDbCluster=cluster(clusterTier="M2"), api=API), FILES)

    def opened() -> tuple[Any, dict[str, Any]]:
        ctx = stackwright_context(root, atlas)
        stubs = {name: _stubbed(name) for name in ("cloudformation", "s3", "iam", "secretsmanager")}
        ctx.aws = Clients(maker=lambda name: stubs[name][0])
        ctx.state = StackState("posts-dev", "UPDATE_COMPLETE", resources={"StpDeploymentBucket": bucket})
        ctx.project = dataclasses.replace(ctx.project, account=account)
        ctx.report.json = True
        return ctx, {name: stub for name, (_, stub) in stubs.items()}

    ctx, stubs = opened()
    assert [e.type_name for e in ctx.extensions] == list(atlas.cluster.TYPES)
    record_key = "stackwright/extensions.json"
    stubs["s3"].add_client_error("get_object", "NoSuchKey", http_status_code=404)
    sm = stubs["secretsmanager"]
    sm.add_response(
        "get_secret_value",
        {"Name": "atlas", "SecretString": json.dumps({"privateKey": PRIVATE_KEY})},
        {"SecretId": "atlas"},
    )
    sm.add_client_error("get_secret_value", "ResourceNotFoundException", http_status_code=400)
    profile = "cfn/atlas/profile/posts-dev"
    sm.add_response(
        "create_secret",
        {"Name": profile},
        {
            "Name": profile,
            "SecretString": json.dumps({"PrivateKey": PRIVATE_KEY, "PublicKey": "kqzvtyxe"}, sort_keys=True),
            "Description": "Read by CloudFormation registry extensions of stack posts-dev (stackwright)",
            "Tags": [{"Key": "stackwright:stack", "Value": "posts-dev"}],
        },
    )
    for type_name in atlas.cluster.TYPES:
        role = "stackwright-" + type_name.replace("::", "-")
        role_arn = f"arn:aws:iam::{account}:role/{role}"
        stubs["cloudformation"].add_client_error(
            "describe_type", "TypeNotFoundException", http_status_code=404
        )
        stubs["iam"].add_client_error("get_role", "NoSuchEntity", http_status_code=404)
        created = {"Path": "/", "RoleName": role, "RoleId": "AROAEXAMPLEID0000000", "Arn": role_arn}
        stubs["iam"].add_response(
            "create_role", {"Role": {**created, "CreateDate": datetime(2026, 12, 1, tzinfo=UTC)}}
        )
        stubs["iam"].add_response("put_role_policy", {})
        stubs["cloudformation"].add_response(
            "activate_type",
            {
                "Arn": f"arn:aws:cloudformation:us-east-1:{account}:type/resource/{type_name.replace('::', '-')}"
            },
            {
                "Type": "RESOURCE",
                "TypeName": type_name,
                "PublisherId": atlas.cluster.PUBLISHER_ID,
                "AutoUpdate": True,
                "MajorVersion": 2,
                "ExecutionRoleArn": role_arn,
            },
        )
    written: list[bytes] = []

    class Body:
        def __eq__(self, other: object) -> bool:
            written.append(other if isinstance(other, bytes) else b"")
            return True

    stubs["s3"].add_response("put_object", {}, {"Bucket": bucket, "Key": record_key, "Body": Body()})
    # the four activations run side by side: the Stubber answers in order, so one at a time here
    ctx.settings["extension_workers"] = 1
    statuses = ctx.require_target().ensure_extensions(ctx, ctx.extensions)
    assert [s.status for s in statuses] == ["activated"] * 4
    for stub in stubs.values():
        stub.assert_no_pending_responses()
    # the second deploy reads the record: no registry call at all (the Stubber refuses any)
    again, stubs = opened()
    stubs["s3"].add_response(
        "get_object",
        {"Body": StreamingBody(io.BytesIO(written[0]), len(written[0]))},
        {"Bucket": bucket, "Key": record_key},
    )
    stubs["secretsmanager"].add_response(
        "get_secret_value", {"Name": "atlas", "SecretString": json.dumps({"privateKey": PRIVATE_KEY})}
    )
    stubs["secretsmanager"].add_response(
        "get_secret_value",
        {
            "Name": profile,
            "SecretString": json.dumps({"PrivateKey": PRIVATE_KEY, "PublicKey": "kqzvtyxe"}, sort_keys=True),
        },
    )
    assert [s.status for s in again.require_target().ensure_extensions(again, again.extensions)] == [
        "in-place"
    ] * 4
    for stub in stubs.values():
        stub.assert_no_pending_responses()
    out = capsys.readouterr()
    assert PRIVATE_KEY not in out.out + out.err and PRIVATE_KEY not in written[0].decode()
