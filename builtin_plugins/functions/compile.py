"""Compile a `function` resource: Lambda function, execution role and log group, plus its events."""

from __future__ import annotations

import re
from typing import Any, NoReturn

from stackwright import ConfigError, Resource, StackContext, StackwrightError, get_att, number, ref

from .artifact import handler_for, make_artifact, runtime_for
from .events import compile_events
from .url import compile_url

ENV_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]+$")
DEFAULT_MEMORY = 1024
DEFAULT_TIMEOUT = 20
DEFAULT_RETENTION_DAYS = 90
BASIC_EXECUTION = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


def compile_function(ctx: StackContext, resource: Resource) -> None:
    props = resource.properties
    name = resource.name
    function_id = ctx.logical_id(name, "Function")
    role_id = ctx.logical_id(name, "Role")
    log_group_id = ctx.logical_id(name, "LogGroup")
    function_name = ctx.physical_name(name, "lambda")
    runtime = runtime_for(ctx, resource)
    try:
        artifact = ctx.add_artifact(make_artifact(ctx, resource, runtime))
    except ConfigError:
        raise
    except StackwrightError as error:  # code that cannot be read: told with the other problems
        _unreadable(ctx, resource, error)
    template = ctx.template

    events = props.get("events") or []
    policies = (
        [
            {
                "PolicyName": "iam-role-statements",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {k: v for k, v in {"Effect": "Allow", **s}.items()}
                        for s in props["iamRoleStatements"]
                    ],
                },
            }
        ]
        if props.get("iamRoleStatements")
        else []
    )

    role = template.add_resource(
        role_id,
        "AWS::IAM::Role",
        {
            "RoleName": ctx.physical_name(name, "iam-role"),
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "ManagedPolicyArns": [{"Fn::Sub": BASIC_EXECUTION}],
            **({"Policies": policies} if policies else {}),
        },
        owner=name,
    )

    logging = props.get("logging") or {}
    if not logging.get("disabled"):
        template.add_resource(
            log_group_id,
            "AWS::Logs::LogGroup",
            {
                "LogGroupName": f"/aws/lambda/{function_name}",
                "RetentionInDays": number(logging.get("retentionDays", DEFAULT_RETENTION_DAYS)),
            },
            owner=name,
        )

    function: dict[str, Any] = {
        "FunctionName": function_name,
        "Role": get_att(role_id, "Arn"),
        "Runtime": runtime,
        "Handler": handler_for(ctx, resource),
        "Code": artifact.code_location(),
        "MemorySize": number(props.get("memory", DEFAULT_MEMORY)),
        "Timeout": number(props.get("timeout", DEFAULT_TIMEOUT)),
        "Architectures": [props.get("architecture", "x86_64")],
    }
    if "storage" in props:
        function["EphemeralStorage"] = {"Size": number(props["storage"])}
    for index, variable in enumerate(props.get("environment") or []):
        if not ENV_NAME.match(str(variable["name"])):
            ctx.fail(
                ("resources", name, "properties", "environment", index, "name"),
                f"Lambda environment variable names need 2 or more letters, digits or '_', starting with a "
                f"letter; {variable['name']!r} is not one",
            )
    if props.get("environment"):
        function["Environment"] = {
            "Variables": {e["name"]: _env_value(e["value"]) for e in props["environment"]}
        }
    if props.get("layers"):
        function["Layers"] = list(props["layers"])
    if "reservedConcurrency" in props:
        function["ReservedConcurrentExecutions"] = number(props["reservedConcurrency"])
    if props.get("tags"):
        function["Tags"] = [{"Key": t["name"], "Value": t["value"]} for t in props["tags"]]
    if not logging.get("disabled"):
        function["LoggingConfig"] = {"LogGroup": ref(log_group_id)}
    template.add_resource(function_id, "AWS::Lambda::Function", function, owner=name)
    compile_events(ctx, resource, events, function_id, role)
    compile_url(ctx, resource, function_id)


def _unreadable(ctx: StackContext, resource: Resource, error: StackwrightError) -> NoReturn:
    """A function whose code cannot be read (esbuild cannot bundle it, a requirements include is missing, a
    link points nowhere) as a config problem at its packaging, so `validate` tells it with the rest."""
    packaging: tuple[str, ...] = ("resources", resource.name, "properties", "packaging")
    props = resource.properties["packaging"].get("properties") or {}
    where = (*packaging, "properties", "entryfilePath") if "entryfilePath" in props else packaging
    details = [*error.details[:12], *([error.hint] if error.hint else [])]
    ctx.fail(where, error.message, hint="\n".join(details) or None)


def _env_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value
