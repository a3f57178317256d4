"""Failure paths the local engine cannot produce, replayed with botocore's Stubber: each request is
checked against the real API model, each response is what CloudFormation really returns."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY
from stackwright import Clients, Phase, StackwrightError, pipeline
from stackwright.builtin_plugins.cloudformation import events as events_module
from stackwright.builtin_plugins.cloudformation.deploy import deploy_template
from stackwright.builtin_plugins.cloudformation.rollback import continue_rollback
from stackwright.builtin_plugins.cloudformation.state import read_state
from stackwright.config.load import Options
from stackwright.context import StackContext
from stackwright.plugins import load_plugins
from stackwright.records import StackState

from tests import cfn_replay as cfn
from tests.cfn_replay import Stubs
from tests.helpers import FUNCTION_CONFIG, write

LAMBDA_400 = (
    'Resource handler returned message: "Invalid request provided: Memory size 20480 is not within the allowed '
    'range (Service: Lambda, Status Code: 400, Request ID: 6c1f2b3a-0d4e-4a61-9a3f-0b9a7e5d2c11)" '
    "(RequestToken: 8a8e0e0e-4c5d-43b9-a5e2-6f1c2d3e4f50, HandlerErrorCode: InvalidRequest)"
)
ROLLBACK_REASON = "The following resource(s) failed to update: [ApiFunction]. "


@pytest.fixture
def setup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[tuple[StackContext, Stubs]]:
    root = write(
        tmp_path, {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    return 1\n"}
    )
    ctx = pipeline.open_stack(Options(directory=root), load_plugins(autoload=False))
    pipeline.compile_stack(ctx)
    stubs = Stubs()
    ctx.aws = Clients(maker=stubs.clients.__getitem__)
    ctx.settings["poll_interval"] = 0
    ctx.state = StackState(
        cfn.STACK, "UPDATE_COMPLETE", last_version=3, resources={"StpDeploymentBucket": cfn.BUCKET}
    )
    ctx.version = "v000004"
    yield ctx, stubs
    stubs.done()


def expect_change_set(
    stubs: Stubs, changes: list[tuple[str, str, str, str]], disable_rollback: bool = False
) -> None:
    stubs.s3(
        "put_object",
        {},
        {
            "Bucket": cfn.BUCKET,
            "Key": "cf-template/v000004.json",
            "Body": ANY,
            "ContentType": "application/json",
        },
    )
    stubs.cf(
        "create_change_set",
        {"Id": "cs-1", "StackId": cfn.STACK_ID},
        {
            "StackName": cfn.STACK,
            "ChangeSetName": ANY,
            "ChangeSetType": "UPDATE",
            "Capabilities": ANY,
            "Description": ANY,
            "Tags": ANY,
            "TemplateURL": f"https://{cfn.BUCKET}.s3.amazonaws.com/cf-template/v000004.json",
        },
    )
    stubs.cf(
        "describe_change_set",
        cfn.change_set("CREATE_COMPLETE", changes),
        {"StackName": cfn.STACK, "ChangeSetName": ANY},
    )
    deployed = {lid: {"Type": kind, "Properties": {}} for _, lid, kind, _ in changes}
    stubs.cf(  # the deployed template, to show which properties change
        "get_template",
        {"TemplateBody": json.dumps({"Resources": deployed}), "StagesAvailable": ["Original", "Processed"]},
        {"StackName": cfn.STACK, "TemplateStage": "Original"},
    )
    stubs.cf(
        "execute_change_set",
        {},
        {"StackName": cfn.STACK, "ChangeSetName": ANY, "DisableRollback": disable_rollback},
    )


def expect_monitor(
    stubs: Stubs, events: dict[str, Any], final: str, polls_before: int = 0, busy: str = "UPDATE_IN_PROGRESS"
) -> None:
    for _ in range(polls_before):
        stubs.cf("describe_stack_events", {"StackEvents": []}, {"StackName": cfn.STACK})
        stubs.cf("describe_stacks", cfn.stack(busy), {"StackName": cfn.STACK})
    stubs.cf("describe_stack_events", events, {"StackName": cfn.STACK})
    stubs.cf("describe_stacks", cfn.stack(final), {"StackName": cfn.STACK})
    stubs.cf("describe_stack_events", events, {"StackName": cfn.STACK})


def test_failed_update_rolls_back_and_names_the_root_cause(
    setup: tuple[StackContext, Stubs], capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, stubs = setup
    expect_change_set(stubs, [("Modify", "ApiFunction", "AWS::Lambda::Function", "False")])
    replay = cfn.events(
        (cfn.STACK, "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"),
        ("ApiFunction", "AWS::Lambda::Function", "UPDATE_IN_PROGRESS", ""),
        ("ApiFunction", "AWS::Lambda::Function", "UPDATE_FAILED", LAMBDA_400),
        (cfn.STACK, "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_IN_PROGRESS", ROLLBACK_REASON),
        ("ApiFunction", "AWS::Lambda::Function", "UPDATE_IN_PROGRESS", ""),
        ("ApiFunction", "AWS::Lambda::Function", "UPDATE_COMPLETE", ""),
        (cfn.STACK, "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", ""),
        (cfn.STACK, "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE", ""),
    )
    expect_monitor(stubs, replay, "UPDATE_ROLLBACK_COMPLETE", polls_before=2)
    with pytest.raises(StackwrightError) as info:
        deploy_template(ctx, ctx.template, Phase.DEPLOY)
    text = info.value.render()
    assert "the update of demo-dev failed and was rolled back; the previous version is still running" in text
    assert (
        'root cause: ApiFunction (AWS::Lambda::Function): Resource handler returned message: "Invalid request '
        'provided: Memory size 20480 is not within the allowed range"'
    ) in text
    assert "Request ID" not in text and "RequestToken" not in text
    err = capsys.readouterr().err
    assert "ApiFunction AWS::Lambda::Function UPDATE_FAILED" in err and "UPDATE_ROLLBACK_COMPLETE" in err


def test_failed_first_deploy_is_reported_then_cleared_on_the_next_deploy(
    setup: tuple[StackContext, Stubs], capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, stubs = setup
    ctx.state = StackState(cfn.STACK)
    stubs.cf(
        "create_change_set",
        {"Id": "cs-1", "StackId": cfn.STACK_ID},
        {
            "StackName": cfn.STACK,
            "ChangeSetName": ANY,
            "ChangeSetType": "CREATE",
            "Capabilities": ANY,
            "Description": ANY,
            "Tags": ANY,
            "TemplateBody": ANY,
        },
    )
    stubs.cf(
        "describe_change_set",
        cfn.change_set("CREATE_COMPLETE", [("Add", "StpDeploymentBucket", "AWS::S3::Bucket", "")]),
        {"StackName": cfn.STACK, "ChangeSetName": ANY},
    )
    stubs.cf(
        "execute_change_set", {}, {"StackName": cfn.STACK, "ChangeSetName": ANY, "DisableRollback": False}
    )
    replay = cfn.events(
        (cfn.STACK, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", "User Initiated"),
        ("StpDeploymentBucket", "AWS::S3::Bucket", "CREATE_IN_PROGRESS", ""),
        (
            "StpDeploymentBucket",
            "AWS::S3::Bucket",
            "CREATE_FAILED",
            'Resource handler returned message: "demo-dev-deploy-6c2f1a9b already exists (Service: S3, Status Code: 0, '
            'Request ID: null)" (RequestToken: 0c6b2a0e-7f1d-4d6b-9b59-1b2c3d4e5f60, HandlerErrorCode: AlreadyExists)',
        ),
        (
            cfn.STACK,
            "AWS::CloudFormation::Stack",
            "ROLLBACK_IN_PROGRESS",
            "The following resource(s) failed to create: [StpDeploymentBucket]. Rollback requested by user.",
        ),
        ("StpDeploymentBucket", "AWS::S3::Bucket", "DELETE_COMPLETE", ""),
        (cfn.STACK, "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", ""),
    )
    expect_monitor(stubs, replay, "ROLLBACK_COMPLETE", busy="CREATE_IN_PROGRESS")
    template = ctx.template
    with pytest.raises(StackwrightError) as info:
        deploy_template(ctx, template, Phase.BOOTSTRAP)
    text = info.value.render()
    assert "the first deploy of demo-dev failed and was rolled back" in text
    assert (
        'root cause: StpDeploymentBucket (AWS::S3::Bucket): Resource handler returned message: "demo-dev-deploy-6c2f1a9b already exists"'
        in text
    )
    assert "the failed stack is deleted automatically first" in text

    # the next deploy finds ROLLBACK_COMPLETE, says so, deletes the stack and starts over
    stubs.cf("describe_stacks", cfn.stack("ROLLBACK_COMPLETE"), {"StackName": cfn.STACK})
    stubs.cf("delete_stack", {}, {"StackName": cfn.STACK})
    stubs.cf("describe_stacks", cfn.stack("DELETE_IN_PROGRESS"), {"StackName": cfn.STACK})
    stubs.cf("describe_stack_events", {"StackEvents": []}, {"StackName": cfn.STACK})
    stubs.stubbers["cloudformation"].add_client_error(
        "describe_stacks",
        "ValidationError",
        f"Stack with id {cfn.STACK} does not exist",
        expected_params={"StackName": cfn.STACK},
    )
    state = read_state(ctx)
    assert not state.exists
    assert (
        "stack demo-dev is ROLLBACK_COMPLETE (its first deploy failed and was rolled back): deleting it"
        in capsys.readouterr().err
    )


def test_stack_stuck_in_update_rollback_failed(
    setup: tuple[StackContext, Stubs], capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, stubs = setup
    stubs.cf(
        "describe_stacks",
        cfn.stack("UPDATE_ROLLBACK_FAILED", "The following resource(s) failed to update: [ApiFunction]."),
        {"StackName": cfn.STACK},
    )
    with pytest.raises(StackwrightError) as info:
        read_state(ctx)
    assert (
        "stuck in UPDATE_ROLLBACK_FAILED" in info.value.render()
        and "stackwright rollback --continue" in info.value.render()
    )

    ctx.state = StackState(cfn.STACK, "UPDATE_ROLLBACK_FAILED")
    stubs.cf("continue_update_rollback", {}, {"StackName": cfn.STACK, "ResourcesToSkip": ["ApiFunction"]})
    replay = cfn.events(
        (
            cfn.STACK,
            "AWS::CloudFormation::Stack",
            "UPDATE_ROLLBACK_IN_PROGRESS",
            "Continue rollback requested by user.",
        ),
        ("ApiFunction", "AWS::Lambda::Function", "UPDATE_COMPLETE", "Resource skipped during UpdateRollback"),
        (cfn.STACK, "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE", ""),
    )
    expect_monitor(stubs, replay, "UPDATE_ROLLBACK_COMPLETE", busy="UPDATE_ROLLBACK_IN_PROGRESS")
    continue_rollback(ctx, ["ApiFunction"])
    assert "stack demo-dev rolled back: UPDATE_ROLLBACK_COMPLETE" in capsys.readouterr().out


@pytest.mark.parametrize("wait", [True, False])
def test_busy_stack_is_waited_for_or_refused(
    setup: tuple[StackContext, Stubs], capsys: pytest.CaptureFixture[str], wait: bool
) -> None:
    ctx, stubs = setup
    ctx.settings["wait"] = wait
    stubs.cf("describe_stacks", cfn.stack("UPDATE_IN_PROGRESS"), {"StackName": cfn.STACK})
    if not wait:
        with pytest.raises(StackwrightError) as info:
            read_state(ctx)
        assert "stack demo-dev is busy (UPDATE_IN_PROGRESS)" in info.value.render()
        return
    replay = cfn.events(
        ("ApiFunction", "AWS::Lambda::Function", "UPDATE_COMPLETE", ""),
        (cfn.STACK, "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", ""),
    )
    expect_monitor(stubs, replay, "UPDATE_COMPLETE", polls_before=1)
    stubs.cf("describe_stacks", cfn.stack("UPDATE_COMPLETE"), {"StackName": cfn.STACK})
    stubs.cf("list_stack_resources", cfn.BOOTSTRAPPED, {"StackName": cfn.STACK})
    stubs.s3(
        "list_objects_v2",
        {"Contents": [{"Key": "cf-template/v000003.json"}, {"Key": "cf-template/v000012.json"}]},
        {"Bucket": cfn.BUCKET, "Prefix": "cf-template/"},
    )
    stubs.s3(
        "get_object",
        {"Body": StreamingBody(io.BytesIO(b'{"v000012": []}'), 15)},
        {"Bucket": cfn.BUCKET, "Key": "stackwright/index.json"},
    )
    stubs.stubbers["s3"].add_client_error(
        "get_object",
        "NoSuchKey",
        "The specified key does not exist.",
        http_status_code=404,
        expected_params={"Bucket": cfn.BUCKET, "Key": "stackwright/hotswap.json"},
    )
    state = read_state(ctx)
    assert (state.status, state.bucket, state.last_version, state.next_version) == (
        "UPDATE_COMPLETE",
        cfn.BUCKET,
        12,
        "v000013",
    )
    assert "stack demo-dev is busy (UPDATE_IN_PROGRESS); waiting for it to finish" in capsys.readouterr().err


def test_root_cause_inside_a_nested_stack(setup: tuple[StackContext, Stubs]) -> None:
    ctx, stubs = setup
    nested_id = f"arn:aws:cloudformation:us-east-1:{cfn.ACCOUNT}:stack/demo-dev-QueuesStack-1ABC2DEF3GHI/9c1d"
    expect_change_set(stubs, [("Add", "QueuesStack", "AWS::CloudFormation::Stack", "")])
    replay = cfn.events(
        (cfn.STACK, "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"),
        ("QueuesStack", "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", ""),
        (
            "QueuesStack",
            "AWS::CloudFormation::Stack",
            "CREATE_FAILED",
            f"Embedded stack {nested_id} was not successfully created: The following resource(s) failed to create: [JobsQueue]. ",
        ),
        (
            cfn.STACK,
            "AWS::CloudFormation::Stack",
            "UPDATE_ROLLBACK_IN_PROGRESS",
            "The following resource(s) failed to create: [QueuesStack]. ",
        ),
        (cfn.STACK, "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE", ""),
    )
    replay["StackEvents"][2]["PhysicalResourceId"] = nested_id
    nested = cfn.events(
        (
            "demo-dev-QueuesStack-1ABC2DEF3GHI",
            "AWS::CloudFormation::Stack",
            "CREATE_IN_PROGRESS",
            "User Initiated",
        ),
        (
            "JobsQueue",
            "AWS::SQS::Queue",
            "CREATE_FAILED",
            'Resource handler returned message: "Invalid value for the parameter MessageRetentionPeriod. (Service: Sqs, '
            'Status Code: 400, Request ID: 1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901)" (RequestToken: 77aa, HandlerErrorCode: InvalidRequest)',
        ),
        stack_id=nested_id,
    )
    expect_monitor(stubs, replay, "UPDATE_ROLLBACK_COMPLETE")
    stubs.cf("describe_stack_events", nested, {"StackName": nested_id})
    with pytest.raises(StackwrightError) as info:
        deploy_template(ctx, ctx.template, Phase.DEPLOY)
    assert (
        'root cause: QueuesStack → JobsQueue (AWS::SQS::Queue): Resource handler returned message: "Invalid value '
        'for the parameter MessageRetentionPeriod."'
    ) in info.value.render()


def test_disable_rollback_keeps_the_partial_state(setup: tuple[StackContext, Stubs]) -> None:
    ctx, stubs = setup
    ctx.settings["disable_rollback"] = True
    expect_change_set(
        stubs, [("Modify", "ApiFunction", "AWS::Lambda::Function", "False")], disable_rollback=True
    )
    replay = cfn.events(
        (cfn.STACK, "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"),
        ("ApiFunction", "AWS::Lambda::Function", "UPDATE_FAILED", LAMBDA_400),
        (cfn.STACK, "AWS::CloudFormation::Stack", "UPDATE_FAILED", ROLLBACK_REASON),
    )
    expect_monitor(stubs, replay, "UPDATE_FAILED")
    with pytest.raises(StackwrightError) as info:
        deploy_template(ctx, ctx.template, Phase.DEPLOY)
    assert "rollback is disabled, so the stack keeps its partial state" in info.value.render()


def test_empty_change_set_means_no_changes(
    setup: tuple[StackContext, Stubs], capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, stubs = setup
    stubs.s3(
        "put_object",
        {},
        {
            "Bucket": cfn.BUCKET,
            "Key": "cf-template/v000004.json",
            "Body": ANY,
            "ContentType": "application/json",
        },
    )
    stubs.cf("create_change_set", {"Id": "cs-1", "StackId": cfn.STACK_ID}, None)
    stubs.cf(
        "describe_change_set",
        cfn.change_set(
            "FAILED",
            reason="The submitted information didn't contain changes. Submit different information to create a change set.",
        ),
        {"StackName": cfn.STACK, "ChangeSetName": ANY},
    )
    stubs.cf("delete_change_set", {}, {"StackName": cfn.STACK, "ChangeSetName": ANY})
    stubs.s3("delete_object", {}, {"Bucket": cfn.BUCKET, "Key": "cf-template/v000004.json"})
    result = deploy_template(ctx, ctx.template, Phase.DEPLOY)
    assert (result.executed, result.changes) == (False, 0)
    assert result.status == ctx.state.status  # the command says "no changes", with the stack's status
    assert capsys.readouterr().out == ""


def test_refused_template_is_explained(setup: tuple[StackContext, Stubs]) -> None:
    ctx, stubs = setup
    stubs.s3("put_object", {}, None)
    stubs.cf("create_change_set", {"Id": "cs-1", "StackId": cfn.STACK_ID}, None)
    stubs.cf(
        "describe_change_set",
        cfn.change_set(
            "FAILED",
            reason="Template format error: Unresolved resource dependencies [MissingTable] in the Resources block of the template",
        ),
        None,
    )
    stubs.cf("delete_change_set", {}, None)
    with pytest.raises(
        StackwrightError, match="CloudFormation refused the template: Template format error: Unresolved"
    ):
        deploy_template(ctx, ctx.template, Phase.DEPLOY)


def _interrupt_sleeps(monkeypatch: pytest.MonkeyPatch, times: int) -> None:
    """The next `times` waits between polls are interrupted as by Ctrl-C."""
    left = [times]

    def sleep(seconds: float) -> None:
        if left[0]:
            left[0] -= 1
            raise KeyboardInterrupt

    monkeypatch.setattr(events_module.time, "sleep", sleep)


def test_ctrl_c_after_the_change_set_executes_waits_for_the_outcome(
    setup: tuple[StackContext, Stubs], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It used to cancel the update (which the local engine cannot) and the deploy then removed the zip the
    finished update runs. Now nothing is cancelled (the Stubber refuses any call not expected here)."""
    ctx, stubs = setup
    expect_change_set(stubs, [("Modify", "ApiFunction", "AWS::Lambda::Function", "False")])
    replay = cfn.events(
        (cfn.STACK, "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"),
        ("ApiFunction", "AWS::Lambda::Function", "UPDATE_COMPLETE", ""),
        (cfn.STACK, "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", ""),
    )
    expect_monitor(stubs, replay, "UPDATE_COMPLETE", polls_before=1)
    stubs.version_recorded()
    _interrupt_sleeps(monkeypatch, 1)
    result = deploy_template(ctx, ctx.template, Phase.DEPLOY)
    assert result.status == "UPDATE_COMPLETE" and result.executed
    assert ctx.settings["executing"] is True  # the core keeps what this deploy uploaded
    assert "waits for CloudFormation to finish" in capsys.readouterr().err


def test_a_second_ctrl_c_stops_waiting_and_says_the_update_goes_on(
    setup: tuple[StackContext, Stubs], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, stubs = setup
    expect_change_set(stubs, [("Modify", "ApiFunction", "AWS::Lambda::Function", "False")])
    for _ in range(2):
        stubs.cf("describe_stack_events", {"StackEvents": []}, {"StackName": cfn.STACK})
        stubs.cf("describe_stacks", cfn.stack("UPDATE_IN_PROGRESS"), {"StackName": cfn.STACK})
    _interrupt_sleeps(monkeypatch, 2)
    with pytest.raises(StackwrightError) as info:
        deploy_template(ctx, ctx.template, Phase.DEPLOY)
    assert "stopped waiting: the update of demo-dev goes on in CloudFormation" in info.value.render()
    assert "stackwright info" in info.value.render()
