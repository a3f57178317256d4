"""Workflow resource types: `state-machine` (a Step Functions state machine running Lambda functions)."""

from __future__ import annotations

from typing import Any

from stackwright import Connection, Resource, ResourceType, StackContext, hookimpl, schema

from .machine import compile_machine, machine_connection, machine_params

SCHEMA: dict[str, Any] = schema.describe(
    schema.obj(
        {
            "definition": schema.obj(
                {
                    "Comment": {"type": "string"},
                    "StartAt": {"type": "string"},
                    "States": {"type": "object"},
                    "Version": {"type": "string"},
                    "TimeoutSeconds": {"type": "number"},
                },
                "StartAt",
                "States",
            )
        },
        "definition",
    ),
    {
        "definition": "The workflow in Amazon States Language; CloudFormation values (`Fn::GetAtt: "
        "[ProcessFunction, Arn]`, `$ResourceParam(...)`) may stand for ARNs.",
        "definition.Comment": "What the state machine does.",
        "definition.StartAt": "Name of the state executions start at.",
        "definition.States": "The states, by name.",
        "definition.Version": "Version of the Amazon States Language (`1.0`).",
        "definition.TimeoutSeconds": "Seconds an execution may run before it fails.",
    },
)


class StateMachine(ResourceType):
    name = "state-machine"
    schema = SCHEMA
    summary = "A Step Functions state machine, allowed to invoke the functions its Task states name."

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_machine(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return machine_params(ctx, resource)

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        return machine_connection(ctx, resource)


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return [StateMachine]
