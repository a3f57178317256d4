"""`stackConfig` and `deploymentConfig`: outputs, stack tags, termination protection and the deploy
call's settings, read back through CloudFormation's own API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright.models import Project
from stackwright.stack_config import stack_settings

from tests.helpers import Result, deployment_bucket, write

Aws = Callable[[str], Any]

QUEUE = "resources:\n  jobs:\n    type: sqs-queue\n"
SETTINGS = """\
serviceName: settings
stackConfig:
  tags:
    - name: team
      value: payments
    - name: cost-center
      value: '4711'
  outputs:
    - name: QueueUrl
      value: $ResourceParam('jobs', 'url')
      description: where jobs go
      export: true
    - name: Plain
      value: hello
deploymentConfig:
  terminationProtection: true
"""


def deploy(cli: Callable[..., Result], root: Path, *args: str) -> Result:
    return cli("--local", "--output", "json", "deploy", *args, cwd=root)


def stack(aws: Aws, name: str = "settings-dev") -> dict[str, Any]:
    return dict(aws("cloudformation").describe_stacks(StackName=name)["Stacks"][0])


def test_outputs_tags_and_termination_protection_reach_the_stack(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    root = write(tmp_path / "p", {"stackwright.yml": SETTINGS + QUEUE})
    done = deploy(cli, root)
    assert done.code == 0, done.err
    found = stack(aws)
    outputs = {o["OutputKey"]: o for o in found["Outputs"]}
    queue_url = outputs["QueueUrl"]["OutputValue"]
    assert queue_url.endswith("/123456789012/settings-dev-jobs")  # the queue's own URL (its Ref)
    assert (
        aws("sqs")
        .get_queue_url(QueueName="settings-dev-jobs")["QueueUrl"]
        .endswith("/123456789012/settings-dev-jobs")
    )
    assert outputs["QueueUrl"]["Description"] == "where jobs go"
    assert outputs["QueueUrl"]["ExportName"] == "settings-dev-QueueUrl"
    assert outputs["Plain"]["OutputValue"] == "hello"
    exports = {e["Name"]: e["Value"] for e in aws("cloudformation").list_exports()["Exports"]}
    assert exports["settings-dev-QueueUrl"] == queue_url
    tags = {t["Key"]: t["Value"] for t in found["Tags"]}
    assert tags == {
        "stackwright:project": "settings",
        "stackwright:stage": "dev",
        "team": "payments",
        "cost-center": "4711",
    }
    assert found["EnableTerminationProtection"] is True

    # a protected stack is refused before anything is emptied: its bucket keeps every object
    bucket = deployment_bucket(aws, "settings-dev")
    before = aws("s3").list_objects_v2(Bucket=bucket)["KeyCount"]
    refused = cli("--local", "delete", "--yes", cwd=root)
    assert refused.code == 1
    assert "has termination protection: nothing was deleted" in refused.err
    assert "terminationProtection to false" in refused.err
    assert stack(aws)["StackStatus"] == "UPDATE_COMPLETE"
    assert aws("s3").list_objects_v2(Bucket=bucket)["KeyCount"] == before

    # turned off by a deploy with no other change, then the stack can go
    (root / "stackwright.yml").write_text(SETTINGS.replace("true", "false") + QUEUE)
    assert deploy(cli, root).code == 0
    assert stack(aws)["EnableTerminationProtection"] is False
    assert cli("--local", "delete", "--yes", cwd=root).code == 0


def test_the_deploy_call_carries_role_topics_and_rollback_alarms(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    config = """\
serviceName: settings
deploymentConfig:
  cloudformationRoleArn: arn:aws:iam::123456789012:role/deployer
  publishEventsToArn: [arn:aws:sns:us-east-1:123456789012:stack-events]
  triggerRollbackOnAlarms: [arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors]
  monitoringTimeAfterDeploymentInMinutes: 5
  disableAutoRollback: true
"""
    root = write(tmp_path / "p", {"stackwright.yml": config + QUEUE})
    aws("sns").create_topic(Name="stack-events")  # CloudFormation publishes to it: it must exist
    assert deploy(cli, root).code == 0
    found = stack(aws)
    assert found["RoleARN"] == "arn:aws:iam::123456789012:role/deployer"
    assert found["NotificationARNs"] == ["arn:aws:sns:us-east-1:123456789012:stack-events"]
    settings = stack_settings(
        Project(name="settings", stage="dev", region="us-east-1", root=tmp_path),
        __import__("yaml").safe_load(config),
    )
    assert settings.disable_rollback is True
    assert settings.change_set_arguments()["RollbackConfiguration"] == {
        "RollbackTriggers": [
            {
                "Arn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors",
                "Type": "AWS::CloudWatch::Alarm",
            }
        ],
        "MonitoringTimeInMinutes": 5,
    }


def test_a_boolean_output_value_is_written_as_yaml_writes_it(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    config = "stackConfig:\n  outputs:\n    - name: Enabled\n      value: true\n" + QUEUE
    result = cli("synth", cwd=write(tmp_path / "p", {"stackwright.yml": config}))
    assert result.code == 0, result.err
    assert __import__("json").loads(result.out)["Outputs"]["Enabled"]["Value"] == "true"


@pytest.mark.parametrize(
    ("config", "where", "message"),
    [
        (
            "stackConfig:\n  tags:\n    - name: team\n      value: a\n    - name: team\n      value: b\n",
            "stackwright.yml:5:13: stackConfig.tags.1.name",
            "tag 'team' is given twice",
        ),
        (
            "stackConfig:\n  tags:\n    - name: stackwright:stage\n      value: a\n",
            "stackwright.yml:3:13: stackConfig.tags.0.name",
            "tag 'stackwright:stage' is stackwright's own",
        ),
        (
            "stackConfig:\n  tags:\n    - name: team\n      value: ''\n",
            "stackwright.yml:4:14: stackConfig.tags.0.value",
            "",
        ),
        (
            "deploymentConfig:\n  disableS3TransferAcceleration: false\n",
            "stackwright.yml:2:34: deploymentConfig.disableS3TransferAcceleration",
            "`disableS3TransferAcceleration` is not supported by the installed plugins yet",
        ),
        (
            "stackConfig:\n  disableStackInfoSaving: false\n",
            "stackwright.yml:2:27: stackConfig.disableStackInfoSaving",
            "`disableStackInfoSaving` is not supported by the installed plugins yet",
        ),
        (
            "stackConfig:\n  tags:\n    - name: aws:team\n      value: a\n",
            "stackwright.yml:3:13: stackConfig.tags.0.name",
            "not starting with aws:",
        ),
        (
            "stackConfig:\n  outputs:\n    - name: Jobs-Url\n      value: x\n",
            "stackwright.yml:3:13: stackConfig.outputs.0.name",
            "letters and digits only",
        ),
        (
            "stackConfig:\n  outputs:\n    - name: A\n      value: x\n    - name: A\n      value: y\n",
            "stackwright.yml:5:13: stackConfig.outputs.1.name",
            "output 'A' is given twice",
        ),
        (
            "stackConfig:\n  outputs:\n    - name: StpDeploymentBucketName\n      value: x\n",
            "stackwright.yml:3:13: stackConfig.outputs.0.name",
            "is already an output of the stack",
        ),
        (
            "deploymentConfig:\n  cloudformationRoleArn: deployer\n",
            "stackwright.yml:2:26: deploymentConfig.cloudformationRoleArn",
            "an IAM role ARN",
        ),
        (
            "deploymentConfig:\n  monitoringTimeAfterDeploymentInMinutes: 181\n",
            "stackwright.yml:2:43: deploymentConfig.monitoringTimeAfterDeploymentInMinutes",
            "a number <= 180",
        ),
        (
            "deploymentConfig:\n  terminationProtecton: true\n",
            "stackwright.yml:2:25: deploymentConfig.terminationProtecton",
            "did you mean 'terminationProtection'",
        ),
        (
            "stackConfig:\n  vpc:\n    nat: {}\n",
            "stackwright.yml:2:3: stackConfig.vpc",
            "`vpc` is not supported by the installed plugins yet",
        ),
    ],
)
def test_mistakes_are_told_at_their_line(
    cli: Callable[..., Result], tmp_path: Path, config: str, where: str, message: str
) -> None:
    root = write(tmp_path / "p", {"stackwright.yml": config + QUEUE})
    result = cli("synth", cwd=root)
    assert result.code == 2
    assert where in result.err and message in result.err, result.err
