"""Compile a `state-machine`: a Step Functions state machine from its Amazon States Language definition,
and the role it runs as, allowed to invoke exactly the Lambda functions its Task states name.

CloudFormation values inside the definition (`Fn::GetAtt: [ProcessFunction, Arn]`, what
`$ResourceParam` gives) become `${pN}` placeholders of an `Fn::Sub`, so the definition reaches Step
Functions with the values resolved.
"""

from __future__ import annotations

import json
from typing import Any

from stackwright import Connection, Resource, StackContext, did_you_mean, get_att, ref, sub

#: Task `Resource`s that invoke a Lambda function named in the state's `Parameters.FunctionName`.
LAMBDA_INVOKE = ("arn:aws:states:::lambda:invoke", "arn:aws:states:::lambda:invoke.waitForTaskToken")
#: What a connectTo grants on the state machine (Stacktape's list) and on its executions.
MACHINE_ACTIONS = [
    "states:DescribeExecution",
    "states:ListExecutions",
    "states:StartExecution",
    "states:StopExecution",
]
EXECUTION_ACTIONS = ["states:DescribeExecution", "states:GetExecutionHistory", "states:StopExecution"]
INTRINSICS = ("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::ImportValue", "Fn::If")

Path = tuple[str | int, ...]


def ids(ctx: StackContext, name: str) -> dict[str, str]:
    return {part: ctx.logical_id(name, part) for part in ("StateMachine", "StateMachineRole")}


def _is_intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in INTRINSICS


def _placeholders(node: Any, found: dict[str, Any]) -> Any:
    """`node` with every CloudFormation value replaced by `${pN}` (recorded in `found`), and `${` in plain
    text escaped for `Fn::Sub`."""
    if _is_intrinsic(node):
        for key, value in found.items():
            if value == node:
                return "${" + key + "}"
        key = f"p{len(found)}"
        found[key] = node
        return "${" + key + "}"
    if isinstance(node, dict):
        return {k: _placeholders(v, found) for k, v in node.items()}
    if isinstance(node, list):
        return [_placeholders(v, found) for v in node]
    if isinstance(node, str):
        return node.replace("${", "${!")
    return node


def _states(states: dict[str, Any]) -> list[dict[str, Any]]:
    """Every state, those inside Parallel branches and Map processors included."""
    found = []
    for state in states.values():
        if not isinstance(state, dict):
            continue
        found.append(state)
        for branch in state.get("Branches") or []:
            found += _states(branch.get("States") or {})
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(key), dict):
                found += _states(state[key].get("States") or {})
    return found


#: The state types of the Amazon States Language.
STATE_TYPES = ("Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")


def check_states(ctx: StackContext, machine: dict[str, Any], at: Path) -> None:
    """What Step Functions would refuse when the state machine is created: an unknown state type, or a
    `StartAt`, `Next` or `Default` naming no state of its own level. Raises ConfigError at the value."""
    states = machine.get("States") or {}
    if machine.get("StartAt") not in states:
        ctx.fail(
            (*at, "StartAt"),
            f"StartAt names no state: {machine.get('StartAt')!r}",
            hint=f"states: {', '.join(states)}",
        )
    for name, state in states.items():
        here = (*at, "States", name)
        if not isinstance(state, dict) or state.get("Type") not in STATE_TYPES:
            found = state.get("Type") if isinstance(state, dict) else state
            ctx.fail(
                (*here, "Type"),
                f"unknown state type {found!r}",
                hint=did_you_mean(str(found), list(STATE_TYPES)) or ", ".join(STATE_TYPES),
            )
        targets = [("Next", state.get("Next")), ("Default", state.get("Default"))]
        targets += [(f"Choices.{i}.Next", c.get("Next")) for i, c in enumerate(state.get("Choices") or [])]
        targets += [(f"Catch.{i}.Next", c.get("Next")) for i, c in enumerate(state.get("Catch") or [])]
        for key, target in targets:
            if target is not None and target not in states:
                ctx.fail(
                    (*here, *key.split(".")),
                    f"{key.split('.')[-1]} names no state: {target!r}",
                    hint=did_you_mean(str(target), list(states)) or f"states: {', '.join(states)}",
                )
        for i, branch in enumerate(state.get("Branches") or []):
            check_states(ctx, branch, (*here, "Branches", i))
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(key), dict):
                check_states(ctx, state[key], (*here, key))


def invoked_functions(ctx: StackContext, definition: dict[str, Any], at: Path) -> list[Any]:
    """The Lambda functions the definition's Task states invoke. Raises ConfigError for a Task of another
    service, whose permissions stackwright cannot tell."""
    functions: list[Any] = []
    for state in _states(definition.get("States") or {}):
        if state.get("Type") != "Task":
            continue
        resource = state.get("Resource")
        if resource in LAMBDA_INVOKE:
            function = (state.get("Parameters") or {}).get("FunctionName")
        elif _is_intrinsic(resource) or (
            isinstance(resource, str) and ":lambda:" in resource and ":function:" in resource
        ):
            function = resource
        else:
            ctx.fail(
                (*at, "definition", "States"),
                f"Task states calling {resource!r} are not supported by the installed plugins yet: only "
                "Lambda functions can be given the permissions they need",
                hint="call the service from a function the state machine invokes",
            )
        if function is not None and function not in functions:
            functions.append(function)
    return functions


def compile_machine(ctx: StackContext, resource: Resource) -> None:
    at = ("resources", resource.name, "properties")
    definition = resource.properties["definition"]
    check_states(ctx, definition, (*at, "definition"))
    names = ids(ctx, resource.name)
    functions = invoked_functions(ctx, definition, at)
    statements = []
    if functions:
        targets = [*functions, *({"Fn::Join": ["", [f, ":*"]]} for f in functions)]  # and their versions
        statements.append({"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": targets})
    role: dict[str, Any] = {
        "RoleName": ctx.physical_name(resource.name, "iam-role", "sm"),
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "states.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
    }
    if statements:
        role["Policies"] = [
            {
                "PolicyName": "invoke-functions",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
            }
        ]
    ctx.template.add_resource(names["StateMachineRole"], "AWS::IAM::Role", role, owner=resource.name)
    found: dict[str, Any] = {}
    text = json.dumps(_placeholders(definition, found), indent=None)
    if not found:  # nothing to substitute: the definition as written, `${` and all
        text = json.dumps(definition, indent=None)
    ctx.template.add_resource(
        names["StateMachine"],
        "AWS::StepFunctions::StateMachine",
        {
            "StateMachineName": ctx.physical_name(resource.name, "state-machine"),
            "RoleArn": get_att(names["StateMachineRole"], "Arn"),
            "DefinitionString": sub(text, found) if found else text,
        },
        owner=resource.name,
    )


def machine_params(ctx: StackContext, resource: Resource) -> dict[str, Any]:
    """`arn` and `name` (Stacktape's referenceable params of a state machine)."""
    lid = ids(ctx, resource.name)["StateMachine"]
    return {"arn": ref(lid), "name": get_att(lid, "Name")}


def machine_connection(ctx: StackContext, resource: Resource) -> Connection:
    params = machine_params(ctx, resource)
    executions = sub(
        "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${"
        + ids(ctx, resource.name)["StateMachine"]
        + ".Name}:*"
    )
    return Connection(
        target=resource,
        statements=[
            {"Effect": "Allow", "Action": MACHINE_ACTIONS, "Resource": [params["arn"]]},
            {"Effect": "Allow", "Action": EXECUTION_ACTIONS, "Resource": [executions]},
        ],
        environment={k.upper(): v for k, v in params.items()},
    )
