"""Messaging resource types: SQS queues and SNS topics."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, ResourceType, StackContext, hookimpl
from stackwright.models import resource_types_from

from .compile import compile_queue, compile_topic, params
from .schema import DEFINITIONS, REQUIRES_PROPERTIES, SCHEMAS

COMPILERS = {"sqs-queue": compile_queue, "sns-topic": compile_topic}


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[ResourceType]:
    return resource_types_from(SCHEMAS, DEFINITIONS, REQUIRES_PROPERTIES)


@hookimpl(trylast=True)
def stackwright_compile_resource(ctx: StackContext, resource: Resource) -> bool | None:
    compiler = COMPILERS.get(resource.type)
    if compiler is None:
        return None
    compiler(ctx, resource)
    return True


@hookimpl(trylast=True)
def stackwright_resource_params(ctx: StackContext, resource: Resource) -> dict[str, Any] | None:
    return params(ctx, resource) if resource.type in COMPILERS else None
