"""Deploys through the CLI to the embedded engine, read back through each service's own API."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXAMPLES, Result, deployment_bucket, write

Aws = Callable[[str], Any]


@pytest.fixture
def quickstart(tmp_path: Path) -> Path:
    root = tmp_path / "quickstart"
    shutil.copytree(EXAMPLES / "quickstart", root)
    return root


def deploy(cli: Callable[..., Result], root: Path, *args: str) -> list[dict[str, Any]]:
    result = cli("--local", "--output", "json", *args, "deploy", cwd=root)
    assert result.code == 0, result.err + result.out
    return result.json_lines()


def of(records: list[dict[str, Any]], event: str) -> list[dict[str, Any]]:
    return [r for r in records if r.get("event") == event]


def bucket_keys(aws: Aws, bucket: str) -> list[str]:
    return sorted(o["Key"] for o in aws("s3").list_objects_v2(Bucket=bucket).get("Contents", []))


def code_key(aws: Aws, stack: str, logical_id: str) -> str:
    """The bucket key of a function's code in the template the stack runs."""
    deployed = aws("cloudformation").get_template(StackName=stack)["TemplateBody"]
    return str(deployed["Resources"][logical_id]["Properties"]["Code"]["S3Key"])


def zips(keys: list[str]) -> list[str]:
    return [k for k in keys if k.startswith("lambda-zip/")]


def test_quickstart_deploys_and_reads_back(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    records = deploy(cli, quickstart)
    assert of(records, "result")[-1]["status"] == "UPDATE_COMPLETE"
    stack = aws("cloudformation").describe_stacks(StackName="quickstart-dev")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    resources = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in aws("cloudformation").list_stack_resources(StackName="quickstart-dev")[
            "StackResourceSummaries"
        ]
    }

    function = aws("lambda").get_function(FunctionName="quickstart-dev-processor")
    config = function["Configuration"]
    assert (config["Runtime"], config["Handler"], config["MemorySize"], config["Timeout"]) == (
        "python3.12",
        "processor.handler",
        256,
        30,
    )
    assert config["Environment"]["Variables"] == {"TABLE_NAME": resources["ResultsTable"], "STAGE": "dev"}
    bucket = resources["StpDeploymentBucket"]
    keys = bucket_keys(aws, bucket)
    (zip_key,) = zips(keys)
    assert zip_key == code_key(aws, "quickstart-dev", "ProcessorFunction")
    assert re.fullmatch(r"lambda-zip/[0-9a-f]{64}\.zip", zip_key) and "cf-template/v000001.json" in keys
    body = aws("s3").get_object(Bucket=bucket, Key=zip_key)["Body"].read()
    assert config["CodeSha256"] == base64.b64encode(hashlib.sha256(body).digest()).decode()

    queue_url = aws("sqs").get_queue_url(QueueName=resources["JobsQueue"].rsplit("/", 1)[-1])["QueueUrl"]
    queue_arn = aws("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    mappings = aws("lambda").list_event_source_mappings(FunctionName="quickstart-dev-processor")[
        "EventSourceMappings"
    ]
    assert [(m["EventSourceArn"], m["BatchSize"]) for m in mappings] == [(queue_arn, 5)]
    table = aws("dynamodb").describe_table(TableName=resources["ResultsTable"])["Table"]
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    role = aws("iam").get_role(RoleName="quickstart-dev-processor-us-east-1")["Role"]
    assert role["Arn"] == config["Role"]
    assert aws("ecr").describe_repositories(repositoryNames=["quickstart-dev-image-repository"])[
        "repositories"
    ]

    info = cli("--local", "--output", "json", "info", cwd=quickstart).json_lines()
    assert info[0]["event"] == "target" and info[0]["target"] == "local"
    (stack,) = of(info, "result")
    assert stack["status"] == "UPDATE_COMPLETE" and stack["version"] == 1
    assert {r["logical_id"] for r in of(info, "resource")} >= {
        "ProcessorFunction",
        "JobsQueue",
        "ResultsTable",
    }


def test_second_deploy_without_changes_uploads_nothing(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    deploy(cli, quickstart)
    before = aws("cloudformation").describe_stack_events(StackName="quickstart-dev")["StackEvents"]
    records = deploy(cli, quickstart)
    assert of(records, "uploaded") == [{"event": "uploaded", "artifacts": 0, "bytes": 0}]
    [result] = of(records, "result")
    assert result == {
        "event": "result",
        "stack": "quickstart-dev",
        "status": "UPDATE_COMPLETE",
        "changes": 0,
        "executed": False,
        "hotswapped": 0,
        "seconds": result["seconds"],
    }
    assert isinstance(result["seconds"], float) and result["seconds"] > 0
    after = aws("cloudformation").describe_stack_events(StackName="quickstart-dev")["StackEvents"]
    assert len(after) == len(before)  # no change set was executed
    bucket = deployment_bucket(aws, "quickstart-dev")
    assert "cf-template/v000002.json" not in bucket_keys(aws, bucket)


def test_code_change_uploads_exactly_one_zip(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    config = (quickstart / "stackwright.yml").read_text()
    second = (
        config.split("cloudformationResources:")[0]
        .replace("  processor:", "  reporter:", 1)
        .split("resources:\n", 1)[1]
    )
    second = (
        second.replace("src/processor.py", "reports/reporter.py")
        .replace("events:", "unused:")
        .split("      unused:")[0]
    )
    (quickstart / "stackwright.yml").write_text(
        config.replace("\ncloudformationResources:", second + "\ncloudformationResources:")
    )
    write(quickstart, {"reports/reporter.py": "def handler(event, context):\n    return 'report'\n"})
    deploy(cli, quickstart)
    code = aws("lambda").get_function(FunctionName="quickstart-dev-reporter")["Configuration"]["CodeSha256"]
    other = aws("lambda").get_function(FunctionName="quickstart-dev-processor")["Configuration"]["CodeSha256"]
    (quickstart / "reports" / "reporter.py").write_text(
        "def handler(event, context):\n    return 'new report'\n"
    )
    records = deploy(cli, quickstart)
    assert of(records, "uploaded")[0]["artifacts"] == 1
    assert [c["logical_id"] for c in of(records, "change")] == ["ReporterFunction"]
    assert (
        aws("lambda").get_function(FunctionName="quickstart-dev-reporter")["Configuration"]["CodeSha256"]
        != code
    )
    assert (
        aws("lambda").get_function(FunctionName="quickstart-dev-processor")["Configuration"]["CodeSha256"]
        == other
    )
    bucket = deployment_bucket(aws, "quickstart-dev")
    keys = bucket_keys(aws, bucket)
    key = code_key(aws, "quickstart-dev", "ReporterFunction")
    # the reporter's zip of each kept version, the processor's once
    assert (
        len(zips(keys)) == 3 and key in keys and code_key(aws, "quickstart-dev", "ProcessorFunction") in keys
    )
    body = aws("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    assert aws("lambda").get_function(FunctionName="quickstart-dev-reporter")["Configuration"][
        "CodeSha256"
    ] == (base64.b64encode(hashlib.sha256(body).digest()).decode())


def test_delete_leaves_nothing_behind(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, "quickstart-dev")
    result = cli("--local", "delete", "--yes", cwd=quickstart)
    assert result.code == 0 and "stack quickstart-dev deleted" in result.out
    assert (
        aws("cloudformation").list_stacks(StackStatusFilter=["CREATE_COMPLETE", "UPDATE_COMPLETE"])[
            "StackSummaries"
        ]
        == []
    )
    assert bucket not in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
    assert aws("ecr").describe_repositories()["repositories"] == []
    assert aws("lambda").list_functions()["Functions"] == []
    again = cli("--local", "delete", "--yes", cwd=quickstart)
    assert again.code == 0 and "does not exist: nothing to delete" in again.out


def test_diff_shows_changes_without_executing(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    deploy(cli, quickstart)
    text = (quickstart / "stackwright.yml").read_text().replace("memory: 256", "memory: 512")
    (quickstart / "stackwright.yml").write_text(text)
    result = cli("--local", "diff", cwd=quickstart)
    assert result.code == 0, result.err
    assert "Modify  ProcessorFunction" in result.out
    config = aws("lambda").get_function(FunctionName="quickstart-dev-processor")["Configuration"]
    assert config["MemorySize"] == 256


def test_rollback_to_the_previous_version(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    config = quickstart / "stackwright.yml"
    config.write_text(config.read_text() + "deploymentConfig:\n  previousVersionsToKeep: 1\n")
    deploy(cli, quickstart)
    first = aws("lambda").get_function(FunctionName="quickstart-dev-processor")["Configuration"]["CodeSha256"]
    first_key = code_key(aws, "quickstart-dev", "ProcessorFunction")
    with (quickstart / "src" / "processor.py").open("a") as stream:
        stream.write("# v2\n")
    deploy(cli, quickstart)
    assert (
        aws("lambda").get_function(FunctionName="quickstart-dev-processor")["Configuration"]["CodeSha256"]
        != first
    )
    result = cli("--local", "rollback", cwd=quickstart)
    assert result.code == 0, result.err
    assert "is back at v000001" in result.out
    assert (
        aws("lambda").get_function(FunctionName="quickstart-dev-processor")["Configuration"]["CodeSha256"]
        == first
    )
    # cleanup kept the first zip: the rolled-back version (v3) points at it again
    bucket = deployment_bucket(aws, "quickstart-dev")
    keys = bucket_keys(aws, bucket)
    assert [k for k in keys if k.startswith("cf-template/")] == [
        "cf-template/v000002.json",
        "cf-template/v000003.json",
    ]
    assert first_key in keys and code_key(aws, "quickstart-dev", "ProcessorFunction") == first_key
    bad = cli("--local", "rollback", "--version", "v000099", cwd=quickstart)
    assert bad.code == 1 and "is not kept" in bad.err and "v000002" in bad.err


def test_large_template_is_deployed_by_url(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    lines = ["serviceName: big", "resources:"]
    for index in range(40):
        lines += [
            f"  fn{index}:",
            "    type: function",
            "    properties:",
            "      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}",
            "      environment:",
        ] + [f"        - {{name: VAR_{n}, value: '{'x' * 40}'}}" for n in range(12)]
    root = write(
        tmp_path / "big",
        {"stackwright.yml": "\n".join(lines) + "\n", "src/app.py": "def handler(e, c):\n    return 1\n"},
    )
    records = deploy(cli, root)
    assert of(records, "result")[-1]["changes"] >= 120
    template = aws("cloudformation").get_template(StackName="big-dev")["TemplateBody"]
    assert len(json.dumps(template)) > 51_200
    assert len(aws("lambda").list_functions()["Functions"]) == 40


def test_old_versions_are_cleaned_up(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    config = quickstart / "stackwright.yml"
    config.write_text(config.read_text() + "deploymentConfig:\n  previousVersionsToKeep: 1\n")
    source = quickstart / "src" / "processor.py"
    used = []
    for index in range(3):
        source.write_text(source.read_text() + f"# change {index}\n")
        deploy(cli, quickstart)
        used.append(code_key(aws, "quickstart-dev", "ProcessorFunction"))
    bucket = deployment_bucket(aws, "quickstart-dev")
    keys = bucket_keys(aws, bucket)
    assert [k for k in keys if k.startswith("cf-template/")] == [
        "cf-template/v000002.json",
        "cf-template/v000003.json",
    ]
    assert zips(keys) == sorted(used[1:])  # the zips of v2 and v3
    current = aws("lambda").get_function(FunctionName="quickstart-dev-processor")["Configuration"][
        "CodeSha256"
    ]
    assert current  # the function still points at a kept object


def test_local_engine_names_what_it_does_not_create(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    """Bucket policies are applied through S3's API (the engine's CloudFormation skips them), so they are not
    named; a subscription the engine cannot create is."""
    result = cli("--local", "deploy", cwd=quickstart)
    assert result.code == 0, result.err
    assert "BucketPolicy" not in result.err
    config = (quickstart / "stackwright.yml").read_text()
    topic = "  alerts:\n    type: sns-topic\n"
    event = "        - type: sns\n          properties:\n            snsTopicName: alerts\n"
    config = config.replace("resources:\n", "resources:\n" + topic, 1).replace(
        "      events:\n", "      events:\n" + event, 1
    )
    (quickstart / "stackwright.yml").write_text(config)
    result = cli("--local", "deploy", cwd=quickstart)
    assert result.code == 0, result.err
    assert (
        "warning: the local engine leaves out what AWS would create or apply (of what this deploy adds or "
        "changes):\n  resources it does not create: ProcessorEvent0Subscription (AWS::SNS::Subscription)\n"
        in result.err
    )


def test_an_interrupted_deploy_keeps_the_code_the_stack_may_run(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted after its change set executed, a deploy used to remove the zip it had uploaded, which the
    finished update then ran; before execution, what it sent is still removed."""
    import stackwright.deploy as core_deploy

    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, "quickstart-dev")
    before = set(bucket_keys(aws, bucket))
    original = core_deploy.deploy_template

    def interrupted(ctx: Any, template: Any, phase: Any) -> Any:
        original(ctx, template, phase)  # executes and finishes...
        raise KeyboardInterrupt  # ...and Ctrl-C lands just before the CLI hears of it

    monkeypatch.setattr(core_deploy, "deploy_template", interrupted)
    source = quickstart / "src" / "processor.py"
    source.write_text(source.read_text() + "\n# changed\n")
    result = cli("--local", "deploy", "--no-hotswap", cwd=quickstart)
    assert result.code != 0
    deployed = aws("cloudformation").get_template(StackName="quickstart-dev")["TemplateBody"]
    key = deployed["Resources"]["ProcessorFunction"]["Properties"]["Code"]["S3Key"]
    kept = set(bucket_keys(aws, bucket))
    assert key not in before and key in kept  # the running code's zip is kept

    def refused(ctx: Any, template: Any, phase: Any) -> Any:
        raise KeyboardInterrupt  # before any change set: nothing of this deploy can be running

    monkeypatch.setattr(core_deploy, "deploy_template", refused)
    source.write_text(source.read_text() + "\n# changed again\n")
    assert cli("--local", "deploy", "--no-hotswap", cwd=quickstart).code != 0
    assert set(bucket_keys(aws, bucket)) == kept  # the zip it sent is removed again


def test_text_beyond_the_basic_plane_deploys(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    """An emoji anywhere in the template was refused by the template checks (cfn-lint read the JSON
    escape of a surrogate pair as invalid); written as two escapes (as JSON does) it is one character."""
    from tests.helpers import function_config

    config = function_config(
        'environment:\n  - name: GREETING\n    value: "hi 😀"\n  - name: ESCAPED\n    value: "\\ud83d\\ude00"'
    ).replace("serviceName: demo", "serviceName: emoji")
    root = write(
        tmp_path / "p", {"stackwright.yml": config, "src/app.py": "def handler(e, c):\n    return 1\n"}
    )
    deploy(cli, root)
    variables = aws("lambda").get_function_configuration(FunctionName="emoji-dev-api")["Environment"][
        "Variables"
    ]
    assert variables == {"GREETING": "hi \U0001f600", "ESCAPED": "\U0001f600"}
    lone = cli("--arg", "name=\udcff", "validate", cwd=root)  # a command-line byte that is not UTF-8
    assert lone.code == 0, lone.err  # not used by the config: nothing to say
    root.joinpath("stackwright.yml").write_text(config.replace('"hi 😀"', "$CliArgs('name')"))
    lone = cli("--arg", "name=\udcff", "validate", cwd=root)
    assert lone.code == 2 and "holds \\udcff, half of a UTF-16 surrogate pair" in lone.err, lone.err
