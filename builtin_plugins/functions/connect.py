"""`connectTo` for functions: what a connection to a function grants (invoke it), and how a function
takes any connection (variables in its environment, statements in its role)."""

from __future__ import annotations

from typing import Any

from stackwright import CONNECT_TO_POLICY, CannotConnect, Connection, Resource, StackContext

#: Params of a function that become `STP_<NAME>_<PARAM>` variables (Stacktape: ARN, LOG_GROUP_ARN, URL).
CONNECTED_PARAMS = {"arn": "ARN", "logGroupArn": "LOG_GROUP_ARN", "url": "URL"}


def function_connection(
    ctx: StackContext, resource: Resource, params: dict[str, Any], url_auth: bool = False
) -> Connection:
    """Invoke the function (and call its URL when the URL asks for IAM auth)."""
    actions = [
        "lambda:InvokeFunction",
        *(["lambda:InvokeFunctionUrl"] if url_auth and "url" in params else []),
    ]
    return Connection(
        target=resource,
        statements=[{"Effect": "Allow", "Action": actions, "Resource": [params["arn"]]}],
        environment={var: params[key] for key, var in CONNECTED_PARAMS.items() if key in params},
    )


def connect_function(ctx: StackContext, resource: Resource, connection: Connection) -> None:
    if connection.ingress:
        raise CannotConnect(
            "reaching it needs a network path into its VPC; a function joining the VPC "
            "(`joinDefaultVpc`) is not supported by the installed plugins yet"
        )
    function = ctx.template.resources[ctx.logical_id(resource.name, "Function")]["Properties"]
    variables = function.setdefault("Environment", {}).setdefault("Variables", {})
    for name, value in connection.variables().items():
        variables.setdefault(name, value)  # a variable the user set explicitly wins
    if connection.statements:
        ctx.template.add_role_statements(
            ctx.logical_id(resource.name, "Role"), connection.statements, CONNECT_TO_POLICY
        )
