"""Messaging resource types: SQS queues, SNS topics, Kinesis data streams and EventBridge buses."""

from __future__ import annotations

from typing import Any, ClassVar

from stackwright import (
    ConfigProblem,
    Connection,
    Resource,
    ResourceType,
    StackContext,
    get_att,
    hookimpl,
    ref,
)

from .compile import compile_queue, compile_topic
from .schema import DEFINITIONS, SCHEMAS
from .streams import (
    bus_connection,
    bus_params,
    compile_bus,
    compile_stream,
    stream_connection,
    stream_params,
)

#: What a connectTo grants on a queue (Stacktape's list, scoped to the queue's ARN).
QUEUE_ACTIONS = [
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ListQueueTags",
    "sqs:PurgeQueue",
    "sqs:ReceiveMessage",
    "sqs:SendMessage",
]
#: What a connectTo grants on a topic (Stacktape's list, scoped to the topic's ARN).
TOPIC_ACTIONS = [
    "sns:ConfirmSubscription",
    "sns:GetTopicAttributes",
    "sns:ListSubscriptionsByTopic",
    "sns:Publish",
    "sns:Subscribe",
    "sns:Unsubscribe",
]


class Messaging(ResourceType):
    """What queues and topics share: their schema by name, and what a connectTo grants (`actions` on the
    resource's ARN; every param as a variable: `STP_<NAME>_ARN`, `_URL`, `_NAME`)."""

    definitions = DEFINITIONS
    properties_required = False
    actions: ClassVar[list[str]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.schema = SCHEMAS[cls.name]

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        params = self.params(ctx, resource)
        return Connection(
            target=resource,
            statements=[{"Effect": "Allow", "Action": self.actions, "Resource": [params["arn"]]}],
            environment={key.upper(): value for key, value in params.items()},
        )


class SqsQueue(Messaging):
    name = "sqs-queue"
    summary = "An SQS queue (standard or FIFO) with an optional dead-letter queue."
    actions = QUEUE_ACTIONS

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_queue(ctx, resource)

    def check(self, ctx: StackContext, resource: Resource) -> list[ConfigProblem]:
        from .checks import check_queue

        return check_queue(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        queue = ctx.logical_id(resource.name, "Queue")
        return {"arn": get_att(queue, "Arn"), "url": ref(queue), "name": get_att(queue, "QueueName")}


class SnsTopic(Messaging):
    name = "sns-topic"
    summary = "An SNS topic (standard or FIFO)."
    actions = TOPIC_ACTIONS

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_topic(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        topic = ctx.logical_id(resource.name, "Topic")
        return {"arn": ref(topic), "name": get_att(topic, "TopicName")}


class KinesisStream(ResourceType):
    name = "kinesis-stream"
    schema = SCHEMAS[name]
    definitions = DEFINITIONS
    properties_required = False
    summary = "A Kinesis data stream (on-demand or with a fixed number of shards)."

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_stream(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return stream_params(ctx, resource)

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        return stream_connection(ctx, resource)


class EventBus(ResourceType):
    name = "event-bus"
    schema = SCHEMAS[name]
    definitions = DEFINITIONS
    properties_required = False
    summary = "An EventBridge event bus, optionally archiving its events."

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_bus(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return bus_params(ctx, resource)

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        return bus_connection(ctx, resource)


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return [SqsQueue, SnsTopic, KinesisStream, EventBus]
