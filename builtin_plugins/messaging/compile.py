"""Compile `sqs-queue` and `sns-topic` resources."""

from __future__ import annotations

from typing import Any

from stackwright import LIMITS, Resource, StackContext, fit, get_att, number

from .queue_events import compile_queue_events

QUEUE_FIELDS = (
    ("delayMessagesSecond", "DelaySeconds"),
    ("maxMessageSizeBytes", "MaximumMessageSize"),
    ("messageRetentionPeriodSeconds", "MessageRetentionPeriod"),
    ("longPollingSeconds", "ReceiveMessageWaitTimeSeconds"),
    ("visibilityTimeoutSeconds", "VisibilityTimeout"),
)
#: Topics are encrypted at rest with the AWS managed key of SNS. Its key policy lets every principal of
#: the account publish through SNS, so a connectTo needs no KMS grant; AWS services that publish as
#: themselves (EventBridge, S3 notifications, CloudWatch alarms) cannot use it, and nothing stackwright
#: compiles makes them publish to a topic.
SNS_KEY = "alias/aws/sns"


def _name(ctx: StackContext, resource: Resource, service: str, fifo: bool) -> str:
    base = ctx.physical_name(resource.name, service)
    return fit(base, LIMITS[service][0] - 5) + ".fifo" if fifo else base


def compile_queue(ctx: StackContext, resource: Resource) -> None:
    props = resource.properties
    fifo = bool(props.get("fifoEnabled"))
    # Encrypted at rest with keys SQS owns (SSE-SQS): no KMS key to pay for, and every sender that may
    # send to the queue still can, services such as EventBridge and SNS included.
    body: dict[str, Any] = {"QueueName": _name(ctx, resource, "sqs", fifo), "SqsManagedSseEnabled": True}
    body |= {field: number(props[key]) for key, field in QUEUE_FIELDS if key in props}
    if fifo:
        body["FifoQueue"] = True
        if props.get("contentBasedDeduplication"):
            body["ContentBasedDeduplication"] = True
        if props.get("fifoHighThroughput"):
            body |= {"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}
    redrive = props.get("redrivePolicy")
    if redrive:
        if redrive.get("targetSqsQueueName"):
            target = redrive["targetSqsQueueName"]
            queues = [n for n, r in ctx.config.resources.items() if r.type == "sqs-queue"]
            if target not in queues:
                ctx.fail(
                    ("resources", resource.name, "properties", "redrivePolicy", "targetSqsQueueName"),
                    f"{target!r} is not an sqs-queue resource in this config",
                    hint=f"sqs-queue resources: {', '.join(queues)}",
                )
            arn: Any = get_att(ctx.logical_id(target, "Queue"), "Arn")
        else:
            arn = redrive.get("targetSqsQueueArn")
        body["RedrivePolicy"] = {
            "deadLetterTargetArn": arn,
            "maxReceiveCount": number(redrive["maxReceiveCount"]),
        }
    queue_id = ctx.logical_id(resource.name, "Queue")
    ctx.template.add_resource(queue_id, "AWS::SQS::Queue", body, owner=resource.name)
    compile_queue_events(ctx, resource, queue_id)


def compile_topic(ctx: StackContext, resource: Resource) -> None:
    props = resource.properties
    fifo = bool(props.get("fifoEnabled"))
    body: dict[str, Any] = {"TopicName": _name(ctx, resource, "sns", fifo), "KmsMasterKeyId": SNS_KEY}
    if props.get("smsDisplayName"):
        body["DisplayName"] = props["smsDisplayName"]
    if fifo:
        body["FifoTopic"] = True
        if props.get("contentBasedDeduplication"):
            body["ContentBasedDeduplication"] = True
    ctx.template.add_resource(
        ctx.logical_id(resource.name, "Topic"), "AWS::SNS::Topic", body, owner=resource.name
    )
