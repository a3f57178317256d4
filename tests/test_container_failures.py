"""The root cause of a container that fails while a deploy waits, replayed with botocore's Stubber from
what ECS and CloudWatch Logs really return: a crash on start, a failing health check, an image that
cannot be pulled."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import ANY
from stackwright import Clients, Phase, StackwrightError, pipeline
from stackwright.builtin_plugins.cloudformation.deploy import deploy_template
from stackwright.builtin_plugins.containers.diagnose import diagnose_service
from stackwright.config.load import Options
from stackwright.plugins import load_plugins
from stackwright.records import InProgress, StackState

from tests import cfn_replay as cfn
from tests.cfn_replay import Stubs
from tests.helpers import write

CLUSTER = "shop-dev-web"
SERVICE_ARN = f"arn:aws:ecs:us-east-1:{cfn.ACCOUNT}:service/{CLUSTER}/shop-dev-web"
TASK_DEF = f"arn:aws:ecs:us-east-1:{cfn.ACCOUNT}:task-definition/shop-dev-web:7"
IMAGE = f"{cfn.ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/shop-dev-image-repository:web-default--4f1c--v000003"
START = datetime.now(UTC)


def cfn_stack(status: str) -> dict[str, Any]:
    body = cfn.stack(status)
    body["Stacks"][0]["StackName"] = "shop-dev"
    return body


def task(
    number: int, reason: str, container: dict[str, Any], code: str = "EssentialContainerExited"
) -> dict[str, Any]:
    return {
        "taskArn": f"arn:aws:ecs:us-east-1:{cfn.ACCOUNT}:task/{CLUSTER}/0b5c4d3e2f1a4b6c8d9e0f1a2b3c4d{number:02d}",
        "taskDefinitionArn": TASK_DEF,
        "clusterArn": f"arn:aws:ecs:us-east-1:{cfn.ACCOUNT}:cluster/{CLUSTER}",
        "lastStatus": "STOPPED",
        "desiredStatus": "STOPPED",
        "stopCode": code,
        "stoppedReason": reason,
        # after the deploy started (the replayed events start 5 s from now)
        "createdAt": datetime.now(UTC) + timedelta(seconds=30 + 10 * number),
        "stoppedAt": datetime.now(UTC) + timedelta(seconds=38 + 10 * number),
        "containers": [{"name": "default", "image": IMAGE, "lastStatus": "STOPPED", **container}],
    }


DEFINITION = {
    "taskDefinition": {
        "taskDefinitionArn": TASK_DEF,
        "family": "shop-dev-web",
        "containerDefinitions": [
            {
                "name": "default",
                "image": IMAGE,
                "essential": True,
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": "/stp/shop-dev/web-service/web/default",
                        "awslogs-region": "us-east-1",
                        "awslogs-stream-prefix": "default",
                    },
                },
            }
        ],
    }
}


@pytest.fixture
def setup(tmp_path: Path) -> Any:
    root = write(
        tmp_path,
        {
            "stackwright.yml": "serviceName: shop\nresources:\n  web:\n    type: web-service\n    properties:\n"
            "      packaging: {type: prebuilt-image, properties: {image: 'public.ecr.aws/nginx/nginx:1.27'}}\n"
            "      resources: {cpu: 0.25, memory: 512}\n",
        },
    )
    ctx = pipeline.open_stack(Options(directory=root), load_plugins(autoload=False))
    pipeline.compile_stack(ctx)
    stubs = Stubs("cloudformation", "s3", "ecs", "logs")
    ctx.aws = Clients(maker=stubs.clients.__getitem__)
    ctx.settings["poll_interval"] = 0
    ctx.state = StackState(
        "shop-dev", "UPDATE_COMPLETE", last_version=3, resources={"StpDeploymentBucket": cfn.BUCKET}
    )
    ctx.version = "v000004"
    yield ctx, stubs
    stubs.done()


def expect_tasks(stubs: Stubs, tasks: list[dict[str, Any]], logs: list[str] | None) -> None:
    stubs.add(
        "ecs",
        "list_tasks",
        {"taskArns": [t["taskArn"] for t in tasks]},
        {"cluster": CLUSTER, "serviceName": "shop-dev-web", "desiredStatus": "STOPPED"},
    )
    stubs.add(
        "ecs",
        "describe_tasks",
        {"tasks": tasks, "failures": []},
        {"cluster": CLUSTER, "tasks": [t["taskArn"] for t in tasks]},
    )
    stubs.add("ecs", "describe_task_definition", DEFINITION, {"taskDefinition": TASK_DEF})
    stream = f"default/default/{tasks[-1]['taskArn'].rsplit('/', 1)[-1]}"
    params = {
        "logGroupName": "/stp/shop-dev/web-service/web/default",
        "logStreamName": stream,
        "limit": 10,
        "startFromHead": False,
    }
    if logs is None:
        stubs.stubbers["logs"].add_client_error(
            "get_log_events",
            "ResourceNotFoundException",
            "The specified log stream does not exist.",
            expected_params=params,
        )
    else:
        stamp = int(START.timestamp() * 1000)
        stubs.add(
            "logs",
            "get_log_events",
            {
                "events": [{"timestamp": stamp, "message": m, "ingestionTime": stamp} for m in logs],
                "nextForwardToken": "f/1",
                "nextBackwardToken": "b/1",
            },
            params,
        )


def in_progress() -> InProgress:
    return InProgress("WebEcsService", "AWS::ECS::Service", SERVICE_ARN, datetime.now(UTC))


def test_app_that_crashes_on_start(setup: Any) -> None:
    ctx, stubs = setup
    crash = {"exitCode": 1, "reason": None}
    crash = {k: v for k, v in crash.items() if v is not None}
    expect_tasks(
        stubs,
        [
            task(1, "Essential container in task exited", crash),
            task(2, "Essential container in task exited", crash),
        ],
        [
            "Traceback (most recent call last):",
            '  File "/app/main.py", line 1, in <module>',
            "    import flask",
            "ModuleNotFoundError: No module named 'flask'",
        ],
    )
    cause = diagnose_service(ctx, in_progress())
    assert cause == (
        "ECS service shop-dev-web: 2 new tasks stopped; the last one: Essential container in task exited\n"
        "container default: exit code 1\n"
        "  | Traceback (most recent call last):\n"
        '  |   File "/app/main.py", line 1, in <module>\n'
        "  |     import flask\n"
        "  | ModuleNotFoundError: No module named 'flask'"
    )


def test_failing_health_check(setup: Any) -> None:
    ctx, stubs = setup
    unhealthy = {"exitCode": 137, "healthStatus": "UNHEALTHY"}
    expect_tasks(
        stubs,
        [
            task(1, "Task failed container health checks", unhealthy),
            task(2, "Task failed container health checks", unhealthy),
        ],
        ["listening on 0.0.0.0:8080", "GET /health 404"],
    )
    cause = diagnose_service(ctx, in_progress())
    assert cause is not None
    assert "the last one: Task failed container health checks" in cause
    assert "container default: exit code 137" in cause and "  | GET /health 404" in cause


def test_image_that_cannot_be_pulled(setup: Any) -> None:
    ctx, stubs = setup
    pull = f"CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref {IMAGE}: not found"
    tasks = [task(n, pull, {"reason": pull}, code="TaskFailedToStart") for n in (1, 2)]
    expect_tasks(stubs, tasks, None)
    cause = diagnose_service(ctx, in_progress())
    assert cause is not None
    assert f"the last one: {pull}" in cause and f"container default: did not run ({pull})" in cause
    assert "  |" not in cause  # no log stream: the container never started


def test_one_stopped_task_is_not_yet_a_failure(setup: Any) -> None:
    ctx, stubs = setup
    stubs.add(
        "ecs",
        "list_tasks",
        {"taskArns": [task(1, "Essential container in task exited", {"exitCode": 1})["taskArn"]]},
        None,
    )
    stubs.add(
        "ecs",
        "describe_tasks",
        {"tasks": [task(1, "Essential container in task exited", {"exitCode": 1})], "failures": []},
        None,
    )
    assert diagnose_service(ctx, in_progress()) is None


def test_type_diagnose(setup: Any) -> None:
    """Through the resource type: while the deploy waits, the web-service type finds the service failing, and the
    deploy stops waiting, rolls back, and reports the container's root cause."""
    ctx, stubs = setup
    stubs.add("s3", "put_object", {}, None)
    stubs.add("cloudformation", "create_change_set", {"Id": "cs", "StackId": cfn.STACK_ID}, None)
    stubs.add(
        "cloudformation",
        "describe_change_set",
        cfn.change_set(
            "CREATE_COMPLETE",
            [
                ("Modify", "WebTaskDefinition", "AWS::ECS::TaskDefinition", "True"),
                ("Modify", "WebEcsService", "AWS::ECS::Service", "False"),
            ],
        ),
        None,
    )
    stubs.add(  # the deployed template, to show which properties change
        "cloudformation",
        "get_template",
        {"TemplateBody": json.dumps({"Resources": {}}), "StagesAvailable": ["Original", "Processed"]},
        {"StackName": "shop-dev", "TemplateStage": "Original"},
    )
    stubs.add(
        "cloudformation",
        "execute_change_set",
        {},
        {"StackName": "shop-dev", "ChangeSetName": ANY, "DisableRollback": False},
    )
    progress = cfn.events(
        ("shop-dev", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"),
        ("WebEcsService", "AWS::ECS::Service", "UPDATE_IN_PROGRESS", ""),
    )
    progress["StackEvents"][0]["PhysicalResourceId"] = SERVICE_ARN
    for _ in range(4):
        stubs.add("cloudformation", "describe_stack_events", progress, {"StackName": "shop-dev"})
        stubs.add(
            "cloudformation", "describe_stacks", cfn_stack("UPDATE_IN_PROGRESS"), {"StackName": "shop-dev"}
        )
    stubs.add("cloudformation", "describe_stack_events", progress, {"StackName": "shop-dev"})
    crash = {"exitCode": 1}
    expect_tasks(
        stubs,
        [
            task(1, "Essential container in task exited", crash),
            task(2, "Essential container in task exited", crash),
        ],
        ["ModuleNotFoundError: No module named 'flask'"],
    )
    stubs.add("cloudformation", "cancel_update_stack", {}, {"StackName": "shop-dev"})
    rollback = cfn.events(
        ("shop-dev", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_IN_PROGRESS", "Stack update cancelled"),
        ("shop-dev", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE", ""),
        start=datetime.now(UTC) + timedelta(minutes=1),
    )
    stubs.add("cloudformation", "describe_stack_events", rollback, {"StackName": "shop-dev"})
    stubs.add(
        "cloudformation", "describe_stacks", cfn_stack("UPDATE_ROLLBACK_COMPLETE"), {"StackName": "shop-dev"}
    )
    stubs.add("cloudformation", "describe_stack_events", rollback, {"StackName": "shop-dev"})
    with pytest.raises(StackwrightError) as info:
        deploy_template(ctx, ctx.template, Phase.DEPLOY)
    text = info.value.render()
    assert "the update of shop-dev failed and was rolled back" in text
    assert "root cause: ECS service shop-dev-web: 2 new tasks stopped" in text
    assert "ModuleNotFoundError: No module named 'flask'" in text


def test_the_console_shows_the_last_container_failure(setup: Any) -> None:
    """The containers' console panel: the same replayed crash, read with read-only clients."""
    from stackwright import ConsolePage, StackResource, StackView
    from stackwright.builtin_plugins.containers.failures import ContainerFailures

    ctx, stubs = setup
    ctx.aws.read_only = True
    crash = {"exitCode": 1}
    tasks = [
        task(1, "Essential container in task exited", crash),
        task(2, "Essential container in task exited", crash),
    ]
    expect_tasks(
        stubs, tasks, ["Traceback (most recent call last):", "ModuleNotFoundError: No module named 'flask'"]
    )
    service = StackResource("WebEcsService", "AWS::ECS::Service", SERVICE_ARN, "UPDATE_COMPLETE")
    page = ConsolePage(ctx, StackView(ctx.state, resources=[service]))
    panel = ContainerFailures()
    assert panel.applies(page)
    assert not panel.applies(ConsolePage(ctx, StackView(ctx.state)))
    content = panel.render(page)
    stopped = tasks[1]["stoppedAt"].strftime("%Y-%m-%d %H:%M:%S")
    assert content.rows == [["WebEcsService", stopped, "Essential container in task exited", "default", "1"]]
    assert content.code == (
        "WebEcsService / default | Traceback (most recent call last):\n"
        "WebEcsService / default | ModuleNotFoundError: No module named 'flask'"
    )
