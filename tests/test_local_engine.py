"""The local target: the engine's own commands, and the list of resource types it does not create."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright.builtin_plugins.local_engine.appliers import APPLY
from stackwright.builtin_plugins.local_engine.settings import DROPPED
from stackwright.builtin_plugins.local_engine.unemulated import UNEMULATED_TYPES

from tests.helpers import Result, deployment_bucket, function_config, write

CREATED_TYPES = {
    "AWS::SQS::Queue": {},
    "AWS::SNS::Topic": {},
    "AWS::Logs::LogGroup": {"LogGroupName": "/proof/log-group"},
    "AWS::ECR::Repository": {"RepositoryName": "proof-repository"},
}


def logical(kind: str) -> str:
    return kind.replace("AWS::", "").replace("::", "")


@pytest.mark.parametrize("kind", sorted(UNEMULATED_TYPES))
def test_each_listed_type_is_really_not_created(engine: str, aws: Callable[[str], Any], kind: str) -> None:
    template = {
        "Resources": {"Anchor": {"Type": "AWS::SQS::Queue"}, logical(kind): {"Type": kind, "Properties": {}}}
    }
    cf = aws("cloudformation")
    cf.create_stack(StackName="proof", TemplateBody=json.dumps(template))
    created = {
        r["LogicalResourceId"]: r.get("PhysicalResourceId")
        for r in cf.list_stack_resources(StackName="proof")["StackResourceSummaries"]
        if r.get("LogicalResourceId")
    }
    assert "Anchor" in created
    assert not created.get(logical(kind)), f"{kind} was created: take it off UNEMULATED_TYPES"


@pytest.mark.parametrize("kind", sorted(CREATED_TYPES))
def test_types_off_the_list_are_created(engine: str, aws: Callable[[str], Any], kind: str) -> None:
    assert kind not in UNEMULATED_TYPES
    template = {"Resources": {logical(kind): {"Type": kind, "Properties": CREATED_TYPES[kind]}}}
    cf = aws("cloudformation")
    cf.create_stack(StackName="proof", TemplateBody=json.dumps(template))
    (resource,) = cf.list_stack_resources(StackName="proof")["StackResourceSummaries"]
    assert resource["PhysicalResourceId"]


def test_local_start_status_stop(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    assert cli("local", "status").code == 1
    started = cli("local", "start")
    assert started.code == 0 and "local engine running at http://127.0.0.1:" in started.out
    try:
        assert cli("local", "status").out == started.out
        assert cli("local", "start").out == started.out  # already running: the same one
    finally:
        assert cli("local", "stop").out == "local engine stopped\n"
    assert cli("local", "status").code == 1
    assert cli("local", "stop").out == "local engine was not running\n"


def test_a_stopped_engine_is_named_not_replaced_and_a_busy_port_refused(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A suspended engine (SIGSTOP, Ctrl-Z) was taken as gone: a new, empty one started and the old one
    was orphaned. `local start --port N` on a port in use said it had started."""
    import signal
    import socket

    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    started = cli("local", "start")
    pid = int(started.out.rsplit("pid ", 1)[1].rstrip(")\n"))
    os.kill(pid, signal.SIGSTOP)
    try:
        again = cli("local", "start")
        assert again.code == 1 and f"the local engine (pid {pid}" in again.err, again.err
        assert "is stopped (suspended)" in again.err and f"kill -CONT {pid}" in again.err
        assert cli("local", "status").code == 1
    finally:
        assert cli("local", "stop").out == "local engine stopped\n"
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        refused = cli("local", "start", "--port", str(port))
        assert refused.code == 1 and f"cannot start the local engine on port {port}" in refused.err
    assert cli("local", "status").code == 1
    started = cli("local", "start")
    try:
        running = started.out.rsplit(":", 1)[1].split()[0]
        other = cli("local", "start", "--port", str(port))  # was: `running at` the other port, exit 0
        assert other.code == 1 and f"the local engine already runs at http://127.0.0.1:{running}" in other.err
    finally:
        cli("local", "stop")


def test_two_commands_starting_the_engine_at_once_share_it(tmp_path: Path) -> None:
    """Each used to start its own engine (the second one's state file won, the first was orphaned)."""
    import subprocess
    import sys

    env = {**os.environ, "STACKWRIGHT_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "stackwright.cli.main", "local", "start"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=60)[0] for run in runs]
    try:
        assert [run.returncode for run in runs] == [0, 0, 0]
        assert len(set(outputs)) == 1 and "local engine running at http://127.0.0.1:" in outputs[0]
    finally:
        subprocess.run([sys.executable, "-m", "stackwright.cli.main", "local", "stop"], env=env, check=False)


def test_unreachable_configured_engine_is_a_clear_error(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STACKWRIGHT_LOCAL_ENDPOINT", "http://127.0.0.1:9")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(e, c):\n    return 1\n")
    (tmp_path / "stackwright.yml").write_text(
        "resources:\n  api:\n    type: function\n    properties:\n"
        "      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}\n"
    )
    result = cli("--local", "deploy", cwd=tmp_path)
    assert result.code == 1 and "no local engine answers at http://127.0.0.1:9" in result.err


def test_a_batch_job_deploys_and_reads_back_through_batch(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    (tmp_path / "stackwright.yml").write_text(
        "resources:\n  nightly:\n    type: batch-job\n    properties:\n"
        "      container: {packaging: {type: prebuilt-image, properties: {image: 'busybox:1'}}}\n"
        "      resources: {cpu: 1, memory: 2048}\n      useSpotInstances: true\n"
    )
    result = cli("--local", "deploy", cwd=tmp_path)
    assert result.code == 0, result.err
    batch = aws("batch")
    (environment,) = batch.describe_compute_environments()["computeEnvironments"]
    assert environment["computeResources"]["type"] == "FARGATE_SPOT"
    (queue,) = batch.describe_job_queues()["jobQueues"]
    assert queue["computeEnvironmentOrder"][0]["computeEnvironment"] == environment["computeEnvironmentArn"]
    (definition,) = batch.describe_job_definitions(status="ACTIVE")["jobDefinitions"]
    assert definition["retryStrategy"]["attempts"] == 1
    assert definition["platformCapabilities"] == ["FARGATE"]
    assert definition["timeout"] == {"attemptDurationSeconds": 3600}
    (machine,) = aws("stepfunctions").list_state_machines()["stateMachines"]
    text = aws("stepfunctions").describe_state_machine(stateMachineArn=machine["stateMachineArn"])[
        "definition"
    ]
    assert queue["jobQueueArn"] in text and definition["jobDefinitionArn"] in text
    assert cli("--local", "delete", "--yes", cwd=tmp_path).code == 0
    assert batch.describe_compute_environments()["computeEnvironments"] == []
    assert batch.describe_job_queues()["jobQueues"] == []
    assert batch.describe_job_definitions(status="ACTIVE")["jobDefinitions"] == []


# Settings the engine leaves out: each named one is proven missing, each honoured one proven missing
# from the engine alone and present once the local target applied it, through the service's own API.

ROLE_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
LAYER = "arn:aws:lambda:us-east-1:123456789012:layer:proof-layer:1"
LIFECYCLE_TEXT = json.dumps(
    {
        "rules": [
            {
                "rulePriority": 1,
                "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 3},
                "action": {"type": "expire"},
            }
        ]
    }
)


def _function(**props: Any) -> dict[str, Any]:
    return {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": ROLE_TRUST}},
        "Subject": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "FunctionName": "proof-function",
                "Runtime": "python3.12",
                "Handler": "index.handler",
                "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                "Code": {"ZipFile": "def handler(event, context):\n    return 1\n"},
                **props,
            },
        },
    }


def _task(**props: Any) -> dict[str, Any]:
    body = {"Family": "proof", "Memory": "512", "ContainerDefinitions": [{"Name": "app", "Image": "busybox"}]}
    return {"Subject": {"Type": "AWS::ECS::TaskDefinition", "Properties": {**body, **props}}}


def _service(**props: Any) -> dict[str, Any]:
    return {
        "Cluster": {"Type": "AWS::ECS::Cluster", "Properties": {"ClusterName": "proof-cluster"}},
        "Task": _task()["Subject"],
        "Subject": {
            "Type": "AWS::ECS::Service",
            "Properties": {
                "ServiceName": "proof-service",
                "Cluster": {"Ref": "Cluster"},
                "TaskDefinition": {"Ref": "Task"},
                "DesiredCount": 1,
                **props,
            },
        },
    }


def _vpc(**props: Any) -> dict[str, Any]:
    return {"Subject": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16", **props}}}


def _in_vpc(kind: str, **props: Any) -> dict[str, Any]:
    return {
        **_vpc(),
        "Vpc": _vpc()["Subject"],
        "Subject": {"Type": kind, "Properties": {"VpcId": {"Ref": "Vpc"}, **props}},
    }


def _missing(call: Callable[[], Any]) -> Any:
    from botocore.exceptions import ClientError

    try:
        return call()
    except ClientError:
        return None


def _fn(aws: Callable[[str], Any], name: str) -> dict[str, Any]:
    return dict(aws("lambda").get_function_configuration(FunctionName=name))


def _task_of(aws: Callable[[str], Any], arn: str) -> dict[str, Any]:
    return dict(aws("ecs").describe_task_definition(taskDefinition=arn)["taskDefinition"])


def _service_of(aws: Callable[[str], Any], arn: str) -> dict[str, Any]:
    return dict(aws("ecs").describe_services(cluster="proof-cluster", services=[arn])["services"][0])


def _ec2_tags(found: list[dict[str, Any]]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in found[0].get("Tags", [])}


def _notifications(found: dict[str, Any]) -> tuple[list[Any], bool]:
    functions = [
        (c["LambdaFunctionArn"], c["Events"], c.get("Filter", {}).get("Key", {}).get("FilterRules"))
        for c in found.get("LambdaFunctionConfigurations", [])
    ]
    return functions, "EventBridgeConfiguration" in found


CORS_RULE = {  # CloudFormation's field names, and S3's API's
    "AllowedOrigins": ["https://app.example.com"],
    "AllowedMethods": ["GET", "PUT"],
    "MaxAge": 60,
    "ExposedHeaders": ["ETag"],
}
CORS_RULE_READ = {
    "AllowedOrigins": ["https://app.example.com"],
    "AllowedMethods": ["GET", "PUT"],
    "MaxAgeSeconds": 60,
    "ExposeHeaders": ["ETag"],
}
BUCKET_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": [{"Fn::Sub": "${Bucket.Arn}/*"}],
        }
    ],
}

QUEUE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": {"Fn::GetAtt": ["Queue", "Arn"]},
        }
    ],
}

Proof = tuple[dict[str, Any], Callable[[Callable[[str], Any], str], Any], Any]
TAGS = [{"Key": "team", "Value": "core"}]

#: (type, property) → (the template's resources, with `Subject` setting it; what the service's API reads
#: back for the physical id of `Subject`; what it reads back when the setting is in place).
PROOFS: dict[tuple[str, str], Proof] = {
    ("AWS::Lambda::Function", "Architectures"): (
        _function(Architectures=["arm64"]),
        lambda aws, pid: _fn(aws, pid)["Architectures"],
        ["arm64"],
    ),
    ("AWS::Lambda::Function", "EphemeralStorage"): (
        _function(EphemeralStorage={"Size": 1024}),
        lambda aws, pid: _fn(aws, pid)["EphemeralStorage"],
        {"Size": 1024},
    ),
    ("AWS::Lambda::Function", "Layers"): (
        _function(Layers=[LAYER]),
        lambda aws, pid: [layer["Arn"] for layer in _fn(aws, pid).get("Layers", [])],
        [LAYER],
    ),
    ("AWS::Lambda::Function", "LoggingConfig"): (
        _function(LoggingConfig={"LogGroup": "/proof/logs"}),
        lambda aws, pid: _fn(aws, pid).get("LoggingConfig", {}).get("LogGroup"),
        "/proof/logs",
    ),
    ("AWS::Lambda::Function", "Tags"): (
        _function(Tags=TAGS),
        lambda aws, pid: aws("lambda").list_tags(Resource=_fn(aws, pid)["FunctionArn"])["Tags"],
        {"team": "core"},
    ),
    ("AWS::ECS::TaskDefinition", "Cpu"): (
        _task(Cpu="256"),
        lambda aws, pid: _task_of(aws, pid).get("cpu"),
        "256",
    ),
    ("AWS::ECS::TaskDefinition", "NetworkMode"): (
        _task(NetworkMode="awsvpc"),
        lambda aws, pid: _task_of(aws, pid).get("networkMode"),
        "awsvpc",
    ),
    ("AWS::ECS::TaskDefinition", "RequiresCompatibilities"): (
        _task(RequiresCompatibilities=["FARGATE"]),
        lambda aws, pid: _task_of(aws, pid).get("requiresCompatibilities"),
        ["FARGATE"],
    ),
    ("AWS::ECS::TaskDefinition", "RuntimePlatform"): (
        _task(RuntimePlatform={"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"}),
        lambda aws, pid: _task_of(aws, pid).get("runtimePlatform"),
        {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
    ),
    ("AWS::ECS::TaskDefinition", "ExecutionRoleArn"): (
        _task(ExecutionRoleArn="arn:aws:iam::123456789012:role/proof-execution"),
        lambda aws, pid: _task_of(aws, pid).get("executionRoleArn"),
        "arn:aws:iam::123456789012:role/proof-execution",
    ),
    ("AWS::ECS::TaskDefinition", "TaskRoleArn"): (
        _task(TaskRoleArn="arn:aws:iam::123456789012:role/proof-task"),
        lambda aws, pid: _task_of(aws, pid).get("taskRoleArn"),
        "arn:aws:iam::123456789012:role/proof-task",
    ),
    ("AWS::ECS::Service", "LaunchType"): (
        _service(LaunchType="FARGATE"),
        lambda aws, pid: _service_of(aws, pid).get("launchType"),
        "FARGATE",
    ),
    ("AWS::ECS::Service", "DeploymentConfiguration"): (
        _service(DeploymentConfiguration={"MinimumHealthyPercent": 50, "MaximumPercent": 150}),
        lambda aws, pid: _service_of(aws, pid).get("deploymentConfiguration", {}).get("maximumPercent"),
        150,
    ),
    ("AWS::ECS::Service", "NetworkConfiguration"): (
        _service(NetworkConfiguration={"AwsvpcConfiguration": {"Subnets": ["subnet-0123456789abcdef0"]}}),
        lambda aws, pid: _service_of(aws, pid).get("networkConfiguration", {}).get("awsvpcConfiguration"),
        {"subnets": ["subnet-0123456789abcdef0"]},
    ),
    ("AWS::ECS::Service", "ServiceRegistries"): (
        _service(
            ServiceRegistries=[
                {"RegistryArn": "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1"}
            ]
        ),
        lambda aws, pid: len(_service_of(aws, pid).get("serviceRegistries", [])),
        1,
    ),
    ("AWS::S3::Bucket", "VersioningConfiguration"): (
        {
            "Subject": {
                "Type": "AWS::S3::Bucket",
                "Properties": {"VersioningConfiguration": {"Status": "Enabled"}},
            }
        },
        lambda aws, pid: aws("s3").get_bucket_versioning(Bucket=pid).get("Status"),
        "Enabled",
    ),
    ("AWS::S3::Bucket", "PublicAccessBlockConfiguration"): (
        {
            "Subject": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": True,
                        "BlockPublicPolicy": True,
                        "IgnorePublicAcls": True,
                        "RestrictPublicBuckets": True,
                    }
                },
            }
        },
        lambda aws, pid: _missing(
            lambda: aws("s3").get_public_access_block(Bucket=pid)["PublicAccessBlockConfiguration"]
        ),
        {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        },
    ),
    ("AWS::S3::Bucket", "LifecycleConfiguration"): (
        {
            "Subject": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "LifecycleConfiguration": {
                        "Rules": [
                            {
                                "Id": "expire-old-versions",
                                "Status": "Enabled",
                                "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
                            }
                        ]
                    }
                },
            }
        },
        lambda aws, pid: [
            (r["ID"], r["Status"], r["NoncurrentVersionExpiration"], r["AbortIncompleteMultipartUpload"])
            for r in (_missing(lambda: aws("s3").get_bucket_lifecycle_configuration(Bucket=pid)) or {}).get(
                "Rules", []
            )
        ],
        [("expire-old-versions", "Enabled", {"NoncurrentDays": 30}, {"DaysAfterInitiation": 1})],
    ),
    ("AWS::S3::Bucket", "CorsConfiguration"): (
        {
            "Subject": {
                "Type": "AWS::S3::Bucket",
                "Properties": {"CorsConfiguration": {"CorsRules": [CORS_RULE]}},
            }
        },
        lambda aws, pid: _missing(lambda: aws("s3").get_bucket_cors(Bucket=pid)["CORSRules"]),
        [CORS_RULE_READ],
    ),
    ("AWS::S3::Bucket", "NotificationConfiguration"): (
        {
            "Role": _function()["Role"],
            "Function": _function(FunctionName="proof-notified")["Subject"],
            "Permission": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": {"Fn::GetAtt": ["Function", "Arn"]},
                    "Principal": "s3.amazonaws.com",
                },
            },
            "Subject": {
                "Type": "AWS::S3::Bucket",
                "DependsOn": ["Permission"],
                "Properties": {
                    "NotificationConfiguration": {
                        "LambdaConfigurations": [
                            {
                                "Event": "s3:ObjectCreated:*",
                                "Function": {"Fn::GetAtt": ["Function", "Arn"]},
                                "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "uploads/"}]}},
                            }
                        ],
                    }
                },
            },
        },
        lambda aws, pid: _notifications(aws("s3").get_bucket_notification_configuration(Bucket=pid)),
        (
            [
                (
                    "arn:aws:lambda:us-east-1:123456789012:function:proof-notified",
                    ["s3:ObjectCreated:*"],
                    [{"Name": "prefix", "Value": "uploads/"}],
                )
            ],
            False,
        ),
    ),
    ("AWS::S3::Bucket", "OwnershipControls"): (
        {
            "Subject": {
                "Type": "AWS::S3::Bucket",
                "Properties": {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}},
            }
        },
        lambda aws, pid: _missing(
            lambda: aws("s3").get_bucket_ownership_controls(Bucket=pid)["OwnershipControls"]["Rules"]
        ),
        [{"ObjectOwnership": "BucketOwnerEnforced"}],
    ),
    ("AWS::S3::BucketPolicy", "PolicyDocument"): (
        {
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "proof-policy-bucket"}},
            "Subject": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {"Bucket": {"Ref": "Bucket"}, "PolicyDocument": BUCKET_POLICY},
            },
        },
        lambda aws, pid: json.loads(
            _missing(lambda: aws("s3").get_bucket_policy(Bucket="proof-policy-bucket")["Policy"]) or "null"
        ),
        {
            **BUCKET_POLICY,
            "Statement": [
                {**BUCKET_POLICY["Statement"][0], "Resource": ["arn:aws:s3:::proof-policy-bucket/*"]}
            ],
        },
    ),
    ("AWS::SQS::QueuePolicy", "PolicyDocument"): (
        {
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "proof-policy-queue"}},
            "Subject": {
                "Type": "AWS::SQS::QueuePolicy",
                "Properties": {"Queues": [{"Ref": "Queue"}], "PolicyDocument": QUEUE_POLICY},
            },
        },
        lambda aws, pid: json.loads(
            aws("sqs")
            .get_queue_attributes(
                QueueUrl=aws("sqs").get_queue_url(QueueName="proof-policy-queue")["QueueUrl"],
                AttributeNames=["Policy"],
            )
            .get("Attributes", {})
            .get("Policy", "null")
        ),
        {
            **QUEUE_POLICY,
            "Statement": [
                {
                    **QUEUE_POLICY["Statement"][0],
                    "Resource": "arn:aws:sqs:us-east-1:123456789012:proof-policy-queue",
                }
            ],
        },
    ),
    ("AWS::Kinesis::Stream", "StreamEncryption"): (
        {
            "Subject": {
                "Type": "AWS::Kinesis::Stream",
                "Properties": {
                    "Name": "proof-stream",
                    "ShardCount": 1,
                    "StreamEncryption": {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
                },
            }
        },
        lambda aws, pid: [
            aws("kinesis").describe_stream_summary(StreamName=pid)["StreamDescriptionSummary"].get(k)
            for k in ("EncryptionType", "KeyId")
        ],
        ["KMS", "alias/aws/kinesis"],
    ),
    ("AWS::Kinesis::Stream", "StreamModeDetails"): (
        {
            "Subject": {
                "Type": "AWS::Kinesis::Stream",
                "Properties": {"Name": "proof-stream", "StreamModeDetails": {"StreamMode": "ON_DEMAND"}},
            }
        },
        lambda aws, pid: aws("kinesis").describe_stream_summary(StreamName=pid)["StreamDescriptionSummary"][
            "StreamModeDetails"
        ],
        {"StreamMode": "ON_DEMAND"},
    ),
    ("AWS::DynamoDB::Table", "PointInTimeRecoverySpecification"): (
        {
            "Subject": {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {
                    "TableName": "proof-table",
                    "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                },
            }
        },
        lambda aws, pid: aws("dynamodb").describe_continuous_backups(TableName=pid)[
            "ContinuousBackupsDescription"
        ]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"],
        "ENABLED",
    ),
    ("AWS::ECR::Repository", "LifecyclePolicy"): (
        {
            "Subject": {
                "Type": "AWS::ECR::Repository",
                "Properties": {
                    "RepositoryName": "proof-repository",
                    "LifecyclePolicy": {"LifecyclePolicyText": LIFECYCLE_TEXT},
                },
            }
        },
        lambda aws, pid: json.loads(
            _missing(lambda: aws("ecr").get_lifecycle_policy(repositoryName=pid)["lifecyclePolicyText"])
            or "null"
        ),
        json.loads(LIFECYCLE_TEXT),
    ),
    ("AWS::IAM::Role", "ManagedPolicyArns"): (
        {
            "Subject": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": ROLE_TRUST,
                    "ManagedPolicyArns": [
                        {
                            "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
                        }
                    ],
                },
            }
        },
        lambda aws, pid: [
            p["PolicyArn"] for p in aws("iam").list_attached_role_policies(RoleName=pid)["AttachedPolicies"]
        ],
        [BASIC_EXECUTION],
    ),
    ("AWS::EC2::VPC", "EnableDnsHostnames"): (
        _vpc(EnableDnsHostnames=True),
        lambda aws, pid: aws("ec2").describe_vpc_attribute(VpcId=pid, Attribute="enableDnsHostnames")[
            "EnableDnsHostnames"
        ]["Value"],
        True,
    ),
    ("AWS::EC2::VPC", "EnableDnsSupport"): (
        _vpc(EnableDnsSupport=False),
        lambda aws, pid: aws("ec2").describe_vpc_attribute(VpcId=pid, Attribute="enableDnsSupport")[
            "EnableDnsSupport"
        ]["Value"],
        False,
    ),
    ("AWS::EC2::Subnet", "MapPublicIpOnLaunch"): (
        _in_vpc(
            "AWS::EC2::Subnet",
            CidrBlock="10.0.0.0/24",
            AvailabilityZone="us-east-1a",
            MapPublicIpOnLaunch=True,
        ),
        lambda aws, pid: aws("ec2").describe_subnets(SubnetIds=[pid])["Subnets"][0]["MapPublicIpOnLaunch"],
        True,
    ),
    ("AWS::EC2::InternetGateway", "Tags"): (
        {"Subject": {"Type": "AWS::EC2::InternetGateway", "Properties": {"Tags": TAGS}}},
        lambda aws, pid: _ec2_tags(
            aws("ec2").describe_internet_gateways(InternetGatewayIds=[pid])["InternetGateways"]
        ),
        {"team": "core"},
    ),
    ("AWS::EC2::RouteTable", "Tags"): (
        _in_vpc("AWS::EC2::RouteTable", Tags=TAGS),
        lambda aws, pid: _ec2_tags(aws("ec2").describe_route_tables(RouteTableIds=[pid])["RouteTables"]),
        {"team": "core"},
    ),
}


def _deploy_proof(aws: Callable[[str], Any], resources: dict[str, Any]) -> str:
    """Create stack `proof` through the engine's own CloudFormation; the physical id of `Subject`."""
    aws("lambda").publish_layer_version(
        LayerName="proof-layer", Content={"ZipFile": b"PK\x05\x06" + b"\0" * 18}
    )
    cf = aws("cloudformation")
    cf.create_stack(
        StackName="proof", TemplateBody=json.dumps({"Resources": resources}), Capabilities=["CAPABILITY_IAM"]
    )
    found = cf.list_stack_resources(StackName="proof")["StackResourceSummaries"]
    subject = [r for r in found if r.get("LogicalResourceId") == "Subject"]  # a type it skips has no row
    return str(subject[0].get("PhysicalResourceId") or "") if subject else ""


def test_every_named_and_honoured_setting_has_a_proof() -> None:
    named = {(kind, prop) for kind, props in DROPPED.items() for prop in props}
    assert not named & set(APPLY)
    assert set(PROOFS) == named | set(APPLY)


@pytest.mark.parametrize(
    "setting", sorted(f"{kind}.{prop}" for kind, props in DROPPED.items() for prop in props)
)
def test_each_named_setting_is_really_left_out(engine: str, aws: Callable[[str], Any], setting: str) -> None:
    kind, prop = setting.rsplit(".", 1)
    resources, read, applied = PROOFS[(kind, prop)]
    physical_id = _deploy_proof(aws, resources)
    assert read(aws, physical_id) != applied, f"the engine applies {setting}: take it off DROPPED"


@pytest.mark.parametrize("setting", sorted(f"{kind}.{prop}" for kind, prop in APPLY))
def test_each_honoured_setting_is_left_out_by_the_engine_and_applied_by_the_target(
    engine: str, aws: Callable[[str], Any], tmp_path: Path, setting: str
) -> None:
    from stackwright import Clients, Config, Endpoint, Project, StackContext
    from stackwright.builtin_plugins.local_engine.honour import honour
    from stackwright.plugins import load_plugins

    kind, prop = setting.rsplit(".", 1)
    resources, read, applied = PROOFS[(kind, prop)]
    physical_id = _deploy_proof(aws, resources)
    assert read(aws, physical_id) != applied, f"the engine applies {setting} itself: take it off APPLY"
    ctx = StackContext(
        Project("proof", "dev", "us-east-1", tmp_path, target="local", account="123456789012"),
        Config({}),
        load_plugins(autoload=False),
        stack_name="proof",
        aws=Clients(Endpoint("us-east-1", endpoint_url=engine, static_credentials=("test", "test"))),
    )
    assert honour(ctx, {"Resources": resources}, None) == []
    assert read(aws, physical_id) == applied


def test_a_local_deploy_applies_what_it_can_and_names_the_rest_once(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    root = write(
        tmp_path,
        {
            "stackwright.yml": function_config("architecture: arm64\ntags: [{name: team, value: core}]"),
            "src/app.py": "def handler(event, context):\n    return 1\n",
        },
    )
    first = cli("--local", "deploy", cwd=root)
    assert first.code == 0, first.err
    assert first.err.count("the local engine leaves out") == 1
    assert "BucketPolicy" not in first.err  # applied through S3's API
    assert "AWS::IAM::Role settings it does not apply: ManagedPolicyArns (ApiRole)\n" in first.err
    assert "AWS::Lambda::Function settings it does not apply: Architectures (ApiFunction)\n" in first.err
    s3, bucket = aws("s3"), deployment_bucket(aws, "demo-dev")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
    (rule,) = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30}
    encryption = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    assert encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    function = aws("lambda").get_function(FunctionName="demo-dev-api")
    assert function["Tags"] == {"team": "core"} and function["Configuration"]["Architectures"] == ["x86_64"]
    again = cli("--local", "deploy", cwd=root)
    assert again.code == 0 and "no changes" in again.out and "leaves out" not in again.err
    (root / "src" / "app.py").write_text("def handler(event, context):\n    return 2\n")
    changed = cli("--local", "deploy", cwd=root)  # the code changed, not the settings: nothing to tell again
    assert changed.code == 0 and "UPDATE_COMPLETE" in changed.out and "leaves out" not in changed.err


def test_a_change_set_being_applied_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine applies a change set within the ExecuteChangeSet request, and said AVAILABLE (and the
    stack its last status) meanwhile: a deploy stopped by Ctrl-C during that request took the change set
    for unexecuted and removed the zips the updated stack then ran."""
    import boto3
    from moto import mock_aws
    from moto.cloudformation.parsing import ResourceMap
    from stackwright.builtin_plugins.local_engine.server import teach

    teach()
    monkeypatch.delenv("AWS_ENDPOINT_URL")  # moto's in-process mock answers AWS's own addresses
    seen: list[tuple[str, str]] = []
    with mock_aws():
        cf = boto3.client("cloudformation", region_name="us-east-1")
        queue = {"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}
        cf.create_stack(StackName="s", TemplateBody=json.dumps(queue))
        queue["Resources"]["Q"]["Properties"] = {"VisibilityTimeout": 60}
        cf.create_change_set(
            StackName="s", ChangeSetName="c", ChangeSetType="UPDATE", TemplateBody=json.dumps(queue)
        )
        update = ResourceMap.update

        def looking(self: Any, *args: Any, **kwargs: Any) -> Any:
            status = cf.describe_change_set(StackName="s", ChangeSetName="c")["ExecutionStatus"]
            seen.append((status, cf.describe_stacks(StackName="s")["Stacks"][0]["StackStatus"]))
            return update(self, *args, **kwargs)

        monkeypatch.setattr(ResourceMap, "update", looking)
        cf.execute_change_set(StackName="s", ChangeSetName="c")
        assert seen == [("EXECUTE_IN_PROGRESS", "UPDATE_IN_PROGRESS")]
        assert cf.describe_stacks(StackName="s")["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"
        assert (
            cf.describe_change_set(StackName="s", ChangeSetName="c")["ExecutionStatus"] == "EXECUTE_COMPLETE"
        )


def test_a_function_removed_and_added_back_is_created_again(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """The engine kept a removed resource under its logical id: added back, it said CREATE_COMPLETE and
    created nothing."""
    both = (
        "serviceName: back\nresources:\n"
        "  alpha:\n    type: function\n    properties:\n"
        "      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}\n"
    )
    beta = both.replace("alpha", "beta").split("resources:\n")[1]
    root = write(
        tmp_path / "back", {"stackwright.yml": both + beta, "src/app.py": "def handler(e, c):\n    pass\n"}
    )
    assert cli("--local", "deploy", "--yes", cwd=root).code == 0
    write(root, {"stackwright.yml": both})
    assert cli("--local", "deploy", "--yes", cwd=root).code == 0
    write(root, {"stackwright.yml": both + beta})
    again = cli("--local", "deploy", "--yes", cwd=root)
    assert again.code == 0, again.err
    assert aws("lambda").get_function(FunctionName="back-dev-beta")["Configuration"]["FunctionName"]
    assert aws("iam").get_role(RoleName="back-dev-beta-us-east-1")["Role"]["RoleName"]
