"""Messaging resource types: SQS queues and SNS topics."""

from __future__ import annotations

from typing import Any

from stackwright import Connection, Resource, ResourceType, StackContext, get_att, hookimpl, ref

from .compile import compile_queue, compile_topic
from .schema import DEFINITIONS, REQUIRES_PROPERTIES, SCHEMAS

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


class SqsQueue(ResourceType):
    name = "sqs-queue"
    schema = SCHEMAS[name]
    definitions = DEFINITIONS
    properties_required = REQUIRES_PROPERTIES[name]
    summary = "An SQS queue (standard or FIFO) with an optional dead-letter queue."

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_queue(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        queue = ctx.logical_id(resource.name, "Queue")
        return {"arn": get_att(queue, "Arn"), "url": ref(queue), "name": get_att(queue, "QueueName")}

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        return _connection(resource, self.params(ctx, resource), QUEUE_ACTIONS)


class SnsTopic(ResourceType):
    name = "sns-topic"
    schema = SCHEMAS[name]
    definitions = DEFINITIONS
    properties_required = REQUIRES_PROPERTIES[name]
    summary = "An SNS topic (standard or FIFO)."

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_topic(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        topic = ctx.logical_id(resource.name, "Topic")
        return {"arn": ref(topic), "name": get_att(topic, "TopicName")}

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        return _connection(resource, self.params(ctx, resource), TOPIC_ACTIONS)


def _connection(resource: Resource, params: dict[str, Any], actions: list[str]) -> Connection:
    """`actions` on the resource's ARN; every param becomes a variable (`STP_<NAME>_ARN`, `_URL`, `_NAME`)."""
    return Connection(
        target=resource,
        statements=[{"Effect": "Allow", "Action": actions, "Resource": [params["arn"]]}],
        environment={key.upper(): value for key, value in params.items()},
    )


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return [SqsQueue, SnsTopic]
