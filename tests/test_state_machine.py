"""`state-machine`: the definition reaches Step Functions with its CloudFormation values resolved, the role
may invoke exactly the functions its Task states name, and a function connects to it; deployed to the
local engine and read back through Step Functions' API."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers import Result, write

CONFIG = """\
serviceName: flow
resources:
  check:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
  report:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
  workflow:
    type: state-machine
    properties:
      definition:
        Comment: Check, then report
        StartAt: Check
        States:
          Check:
            Type: Task
            Resource: {Fn::GetAtt: [CheckFunction, Arn]}
            Next: Both
          Both:
            Type: Parallel
            Branches:
              - StartAt: Report
                States:
                  Report:
                    Type: Task
                    Resource: arn:aws:states:::lambda:invoke
                    Parameters:
                      FunctionName: $ResourceParam('report', 'arn')
                      Payload.$: "$"
                    End: true
            End: true
  starter:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      connectTo: [workflow]
"""
FILES = {"stackwright.yml": CONFIG, "src/app.py": "def handler(event, context):\n    return event\n"}


def synth(cli: Callable[..., Result], root: Path) -> dict[str, Any]:
    result = cli("synth", cwd=root)
    assert result.code == 0, result.err
    return dict(json.loads(result.out)["Resources"])


def test_the_definition_gets_its_values_through_substitution(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    machine = resources["WorkflowStateMachine"]["Properties"]
    assert machine["StateMachineName"] == "flow-dev-workflow"
    assert machine["RoleArn"] == {"Fn::GetAtt": ["WorkflowStateMachineRole", "Arn"]}
    text, values = machine["DefinitionString"]["Fn::Sub"]
    assert values == {
        "p0": {"Fn::GetAtt": ["CheckFunction", "Arn"]},
        "p1": {"Fn::GetAtt": ["ReportFunction", "Arn"]},
    }
    definition = json.loads(text)
    assert definition["States"]["Check"]["Resource"] == "${p0}"
    report = definition["States"]["Both"]["Branches"][0]["States"]["Report"]
    assert report["Parameters"] == {"FunctionName": "${p1}", "Payload.$": "$"}


def test_the_role_invokes_only_the_named_functions(cli: Callable[..., Result], tmp_path: Path) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    role = resources["WorkflowStateMachineRole"]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "states.amazonaws.com"
    }
    (policy,) = role["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    check, report = {"Fn::GetAtt": ["CheckFunction", "Arn"]}, {"Fn::GetAtt": ["ReportFunction", "Arn"]}
    assert statement["Action"] == ["lambda:InvokeFunction"]
    assert statement["Resource"] == [
        check,
        report,
        {"Fn::Join": ["", [check, ":*"]]},
        {"Fn::Join": ["", [report, ":*"]]},
    ]
    variables = resources["StarterFunction"]["Properties"]["Environment"]["Variables"]
    assert variables == {
        "STP_WORKFLOW_ARN": {"Ref": "WorkflowStateMachine"},
        "STP_WORKFLOW_NAME": {"Fn::GetAtt": ["WorkflowStateMachine", "Name"]},
    }
    policies = {p["PolicyName"]: p for p in resources["StarterRole"]["Properties"]["Policies"]}
    machine, executions = policies["custom-allow-access-to-policy-statements"]["PolicyDocument"]["Statement"]
    assert "states:StartExecution" in machine["Action"] and machine["Resource"] == [
        {"Ref": "WorkflowStateMachine"}
    ]
    assert executions["Resource"] == [
        {
            "Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:"
            "${WorkflowStateMachine.Name}:*"
        }
    ]


def test_a_task_of_another_service_is_refused_by_name(cli: Callable[..., Result], tmp_path: Path) -> None:
    config = CONFIG.replace(
        "Resource: arn:aws:states:::lambda:invoke", "Resource: arn:aws:states:::sqs:sendMessage"
    )
    result = cli("synth", cwd=write(tmp_path, {**FILES, "stackwright.yml": config}))
    assert result.code == 2 and "Traceback" not in result.err
    assert "Task states calling 'arn:aws:states:::sqs:sendMessage' are not supported" in result.err
    assert "stackwright.yml:" in result.err


def test_a_state_machine_deploys_with_its_functions_resolved(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    result = cli("--local", "deploy", cwd=write(tmp_path, FILES))
    assert result.code == 0, result.err
    functions = {
        name: aws("lambda").get_function(FunctionName=f"flow-dev-{name}")["Configuration"]["FunctionArn"]
        for name in ("check", "report")
    }
    (found,) = [
        m
        for m in aws("stepfunctions").list_state_machines()["stateMachines"]
        if m["name"] == "flow-dev-workflow"
    ]
    machine = aws("stepfunctions").describe_state_machine(stateMachineArn=found["stateMachineArn"])
    definition = json.loads(machine["definition"])
    assert definition["States"]["Check"]["Resource"] == functions["check"]
    report = definition["States"]["Both"]["Branches"][0]["States"]["Report"]
    assert report["Parameters"]["FunctionName"] == functions["report"]
    starter = aws("lambda").get_function(FunctionName="flow-dev-starter")["Configuration"]["Environment"]
    assert starter["Variables"]["STP_WORKFLOW_ARN"] == found["stateMachineArn"]


def test_definition_mistakes_are_named_at_their_line(cli: Callable[..., Result], tmp_path: Path) -> None:
    typo = CONFIG.replace(
        "            Type: Task\n            Resource: {Fn::GetAtt",
        "            Type: Taks\n            Resource: {Fn::GetAtt",
    )
    result = cli("synth", cwd=write(tmp_path / "type", {**FILES, "stackwright.yml": typo}))
    assert (
        result.code == 2 and "unknown state type 'Taks'" in result.err and "did you mean 'Task'" in result.err
    )
    dangling = CONFIG.replace("            Next: Both", "            Next: Bath")
    result = cli("synth", cwd=write(tmp_path / "next", {**FILES, "stackwright.yml": dangling}))
    assert (
        result.code == 2 and "Next names no state: 'Bath'" in result.err and "stackwright.yml:" in result.err
    )
    start = CONFIG.replace("StartAt: Check", "StartAt: Chek")
    result = cli("synth", cwd=write(tmp_path / "start", {**FILES, "stackwright.yml": start}))
    assert result.code == 2 and "StartAt names no state: 'Chek'" in result.err
