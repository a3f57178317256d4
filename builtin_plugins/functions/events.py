"""Function events: `schedule` and `event-bus` (EventBridge rules), `sqs` (event source mapping),
`http-api-gateway` (a route of an HTTP API of the config), `application-load-balancer` (a listener rule
of a load balancer of the config), and those of `source_events` (`s3`, `sns`, `cloudwatch-log`) and
`stream_events` (`dynamo-db-stream`, `kinesis-stream`)."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, event_target_input, get_att, number, ref

from .http_api import http_api_event
from .load_balancer import load_balancer_event
from .refs import check_source, named_resource
from .source_events import cloudwatch_log_event, dead_letter_queue, s3_event, sns_event
from .stream_events import dynamo_stream_event, kinesis_stream_event

SQS_QUEUE_TYPE = "sqs-queue"
EVENT_BUS_TYPE = "event-bus"
SQS_ACTIONS = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:ChangeMessageVisibility",
]


def compile_events(
    ctx: StackContext,
    resource: Resource,
    events: list[dict[str, Any]],
    function_id: str,
    role: dict[str, Any],
) -> None:
    for index, event in enumerate(events):
        path = ("resources", resource.name, "properties", "events", index)
        kind = event["type"]
        props = event.get("properties") or {}
        if kind == "schedule":
            _schedule(ctx, resource, index, props, function_id)
        elif kind == "sqs":
            _sqs(ctx, resource, index, props, function_id, role, path)
        elif kind == "http-api-gateway":
            http_api_event(ctx, resource, index, props, function_id, path)
        elif kind == "s3":
            s3_event(ctx, resource, index, props, function_id, path)
        elif kind == "sns":
            sns_event(ctx, resource, index, props, function_id, path)
        elif kind == "dynamo-db-stream":
            dynamo_stream_event(ctx, resource, index, props, function_id, role, path)
        elif kind == "kinesis-stream":
            kinesis_stream_event(ctx, resource, index, props, function_id, role, path)
        elif kind == "event-bus":
            _event_bus(ctx, resource, index, props, function_id, path)
        elif kind == "cloudwatch-log":
            cloudwatch_log_event(ctx, resource, index, props, function_id)
        else:  # application-load-balancer: the schema refuses the other types
            load_balancer_event(ctx, resource, index, props, function_id, path)


def _target(resource: Resource, index: int, props: dict[str, Any], function_id: str) -> dict[str, Any]:
    """The function as an EventBridge rule's target, with what the event says it is given."""
    target: dict[str, Any] = {
        "Arn": get_att(function_id, "Arn"),
        "Id": f"{resource.name}-event-{index}-event-rule"[:64],
    }
    return target | event_target_input(props)


def _schedule(
    ctx: StackContext, resource: Resource, index: int, props: dict[str, Any], function_id: str
) -> None:
    rule_id = ctx.logical_id(resource.name, f"Event{index}Rule")
    target = _target(resource, index, props, function_id)
    ctx.template.add_resource(
        rule_id,
        "AWS::Events::Rule",
        {"ScheduleExpression": props["scheduleRate"], "State": "ENABLED", "Targets": [target]},
        owner=resource.name,
    )
    _rule_permission(ctx, resource, index, function_id, rule_id)


def _event_bus(
    ctx: StackContext,
    resource: Resource,
    index: int,
    props: dict[str, Any],
    function_id: str,
    path: tuple[str | int, ...],
) -> None:
    """A rule on the bus the event names (the default bus when it names none) with the function as target."""
    chosen = [key for key in ("eventBusArn", "eventBusName", "useDefaultBus") if props.get(key)]
    if len(chosen) > 1:
        ctx.fail(
            (*path, "properties", chosen[1]),
            "an event-bus event takes one of `eventBusArn`, `eventBusName` or `useDefaultBus`",
        )
    rule_id = ctx.logical_id(resource.name, f"Event{index}Rule")
    rule: dict[str, Any] = {"EventPattern": props["eventPattern"], "State": "ENABLED"}
    check_source(ctx, props, "eventBusArn", EVENT_BUS_TYPE, "arn", path)
    if props.get("eventBusArn"):
        rule["EventBusName"] = props["eventBusArn"]
    elif props.get("eventBusName"):
        bus = named_resource(ctx, props, "eventBusName", EVENT_BUS_TYPE, path, "an")
        rule["EventBusName"] = ctx.params_of(bus)["arn"]  # a name or an ARN; the ARN waits for the bus
    target = _target(resource, index, props, function_id)
    failure = props.get("onDeliveryFailure")
    if failure:
        target["DeadLetterConfig"] = {
            "Arn": dead_letter_queue(ctx, failure, "events.amazonaws.com", get_att(rule_id, "Arn"), path)
        }
    rule["Targets"] = [target]
    ctx.template.add_resource(rule_id, "AWS::Events::Rule", rule, owner=resource.name)
    _rule_permission(ctx, resource, index, function_id, rule_id)


def _rule_permission(
    ctx: StackContext, resource: Resource, index: int, function_id: str, rule_id: str
) -> None:
    ctx.template.add_resource(
        ctx.logical_id(resource.name, f"Event{index}Permission"),
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": get_att(function_id, "Arn"),
            "Principal": "events.amazonaws.com",
            "SourceArn": get_att(rule_id, "Arn"),
        },
        owner=resource.name,
    )


def _sqs(
    ctx: StackContext,
    resource: Resource,
    index: int,
    props: dict[str, Any],
    function_id: str,
    role: dict[str, Any],
    path: tuple[str | int, ...],
) -> None:
    if bool(props.get("sqsQueueName")) == bool(props.get("sqsQueueArn")):
        ctx.fail((*path, "properties"), "an sqs event needs exactly one of `sqsQueueName` or `sqsQueueArn`")
    arn: Any
    if props.get("sqsQueueArn"):
        check_source(ctx, props, "sqsQueueArn", SQS_QUEUE_TYPE, "arn", path)
        arn = props["sqsQueueArn"]
    else:
        queue = named_resource(ctx, props, "sqsQueueName", SQS_QUEUE_TYPE, path, "an")
        arn = ctx.params_of(queue)["arn"]
    mapping: dict[str, Any] = {
        "EventSourceArn": arn,
        "FunctionName": ref(function_id),
        "BatchSize": number(props.get("batchSize", 10)),
    }
    if "maxBatchWindowSeconds" in props:
        mapping["MaximumBatchingWindowInSeconds"] = number(props["maxBatchWindowSeconds"])
    ctx.template.add_resource(
        ctx.logical_id(resource.name, f"Event{index}EventSourceMapping"),
        "AWS::Lambda::EventSourceMapping",
        mapping,
        owner=resource.name,
    )
    policies = role["Properties"].setdefault("Policies", [])
    policies.append(
        {
            "PolicyName": f"sqs-event-{index}",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": SQS_ACTIONS, "Resource": arn}],
            },
        }
    )
