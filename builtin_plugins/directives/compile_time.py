"""Directives resolved when the template is compiled; each returns a CloudFormation intrinsic or a
dynamic reference, so no secret value ever passes through stackwright."""

from __future__ import annotations

import re
from typing import Any

from stackwright import DirectiveEnv, StackContext, StackwrightError, did_you_mean


def _ctx(env: DirectiveEnv) -> StackContext:
    if env.ctx is None:
        raise StackwrightError("this directive can only be resolved while compiling")
    return env.ctx


def resource_param(env: DirectiveEnv, resource: Any, param: Any) -> Any:
    """`$ResourceParam('db', 'connectionString')`: a value another resource exposes."""
    ctx = _ctx(env)
    target = ctx.config.resource(str(resource)) if isinstance(resource, str) else None
    if target is None:
        raise StackwrightError(
            f"there is no resource named {resource!r}",
            hint=did_you_mean(str(resource), list(ctx.config.resources)),
        )
    params = ctx.params_of(target)
    if param not in params:
        raise StackwrightError(
            f"resource {resource!r} (type {target.type}) has no parameter {param!r}",
            hint=did_you_mean(str(param), list(params))
            or (f"its parameters: {', '.join(params)}" if params else "it exposes no parameters"),
        )
    return params[str(param)]


def cf_resource_param(env: DirectiveEnv, logical_id: Any, attribute: Any) -> Any:
    """`$CfResourceParam('MyBucket', 'Arn')`: GetAtt of any template resource (`Ref` for its Ref)."""
    if attribute == "Ref":
        return {"Ref": str(logical_id)}
    return {"Fn::GetAtt": [str(logical_id), str(attribute)]}


def secret(env: DirectiveEnv, name: Any) -> str:
    """`$Secret('db.password')`: a Secrets Manager dynamic reference (`name` or `name.jsonKey`)."""
    text = str(name)
    if not text:
        raise StackwrightError("$Secret() needs a secret name")
    secret_id, _, json_key = text.partition(".")
    if not secret_id.startswith("arn:") and not re.fullmatch(r"[A-Za-z0-9/_+=@-]{1,512}", secret_id):
        raise StackwrightError(
            f"invalid secret name {secret_id!r}: Secrets Manager names are 1 to 512 ASCII letters, digits "
            "and /_+=@- (or give the secret's ARN)"
        )
    if json_key:
        return f"{{{{resolve:secretsmanager:{secret_id}:SecretString:{json_key}}}}}"
    return f"{{{{resolve:secretsmanager:{secret_id}}}}}"


def ssm_param(env: DirectiveEnv, path: Any) -> str:
    """`$SsmParam('/app/url')`: an SSM Parameter Store dynamic reference."""
    return f"{{{{resolve:ssm:{path}}}}}"


def cf_format(env: DirectiveEnv, template: Any, *values: Any) -> dict[str, Any]:
    """`$CfFormat('{}.{}', a, b)`: `Fn::Sub`, each `{}` bound to the next value (intrinsics allowed)."""
    text = str(template)
    holes = text.count("{}")
    if holes != len(values):
        raise StackwrightError(
            f"the template has {holes} '{{}}' placeholders but {len(values)} values were given"
        )
    parts = [re.sub(r"\$\{", "${!", part) for part in text.split("{}")]
    out = parts[0]
    variables: dict[str, Any] = {}
    for index, (value, part) in enumerate(zip(values, parts[1:], strict=True)):
        variables[f"p{index}"] = value if isinstance(value, dict) else str(value)
        out += f"${{p{index}}}" + part
    return {"Fn::Sub": [out, variables]} if variables else {"Fn::Sub": out}


def cf_stack_output(env: DirectiveEnv, stack: Any, output: Any) -> dict[str, Any]:
    """`$CfStackOutput('other-stack', 'ApiUrl')`: an output another stack exports as `{stack}-{output}`."""
    return {"Fn::ImportValue": f"{stack}-{output}"}
