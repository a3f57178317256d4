"""`events` of an `sqs-queue`: EventBridge rules that deliver the events of a bus matching a pattern to
the queue, and the queue's policy letting exactly those rules send."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, did_you_mean, event_target_input, get_att, ref

BUS_TYPE, QUEUE_TYPE = "event-bus", "sqs-queue"

Path = tuple[str | int, ...]


def _named(ctx: StackContext, name: str, type_name: str, at: Path) -> Resource:
    found = ctx.config.resource(name)
    if found is None or found.type != type_name:
        candidates = [n for n, r in ctx.config.resources.items() if r.type == type_name]
        ctx.fail(
            at,
            f"{name!r} is not an {type_name} resource in this config",
            hint=did_you_mean(name, candidates) or f"define it under resources with `type: {type_name}`",
        )
    return found


def _send(principal: str, queue_arn: Any, sources: Any) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": {"Service": principal},
        "Action": "sqs:SendMessage",
        "Resource": queue_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": sources}},
    }


def compile_queue_events(ctx: StackContext, resource: Resource, queue_id: str) -> None:
    events = resource.properties.get("events") or []
    if not events:
        return
    fifo = bool(resource.properties.get("fifoEnabled"))
    rules = []
    for index, event in enumerate(events):
        props = event.get("properties") or {}
        at: Path = ("resources", resource.name, "properties", "events", index, "properties")
        chosen = [key for key in ("eventBusArn", "eventBusName", "useDefaultBus") if props.get(key)]
        if len(chosen) > 1:
            ctx.fail(
                (*at, chosen[1]),
                "an event-bus event takes one of `eventBusArn`, `eventBusName` or `useDefaultBus`",
            )
        if fifo != bool(props.get("messageGroupId")):
            ctx.fail(
                (*at, "messageGroupId"),
                "a FIFO queue needs `messageGroupId` for the events it is sent"
                if fifo
                else "`messageGroupId` applies to FIFO queues only",
            )
        rule_id = ctx.logical_id(resource.name, f"Event{index}Rule")
        target: dict[str, Any] = {
            "Arn": get_att(queue_id, "Arn"),
            "Id": f"{resource.name}-event-{index}"[:64],
        }
        if fifo:
            target["SqsParameters"] = {"MessageGroupId": props["messageGroupId"]}
        target |= event_target_input(props)
        failure = props.get("onDeliveryFailure") or {}
        if failure:
            if bool(failure.get("sqsQueueName")) == bool(failure.get("sqsQueueArn")):
                ctx.fail(
                    (*at, "onDeliveryFailure"),
                    "onDeliveryFailure needs exactly one of `sqsQueueName` or `sqsQueueArn`",
                )
            if failure.get("sqsQueueName"):
                dead = _named(
                    ctx, failure["sqsQueueName"], QUEUE_TYPE, (*at, "onDeliveryFailure", "sqsQueueName")
                )
                dead_params = ctx.params_of(dead)
                target["DeadLetterConfig"] = {"Arn": dead_params["arn"]}
                ctx.template.add_policy_statements(
                    ctx.logical_id(dead.name, "QueuePolicy"),
                    "AWS::SQS::QueuePolicy",
                    {"Queues": [dead_params["url"]]},
                    [_send("events.amazonaws.com", dead_params["arn"], get_att(rule_id, "Arn"))],
                    owner=dead.name,
                )
            else:
                target["DeadLetterConfig"] = {"Arn": failure["sqsQueueArn"]}
        rule: dict[str, Any] = {
            "EventPattern": props["eventPattern"],
            "State": "ENABLED",
            "Targets": [target],
        }
        if props.get("eventBusArn"):
            rule["EventBusName"] = props["eventBusArn"]
        elif props.get("eventBusName"):
            bus = _named(ctx, props["eventBusName"], BUS_TYPE, (*at, "eventBusName"))
            rule["EventBusName"] = ctx.params_of(bus)["arn"]
        ctx.template.add_resource(rule_id, "AWS::Events::Rule", rule, owner=resource.name)
        rules.append(get_att(rule_id, "Arn"))
    ctx.template.add_policy_statements(
        ctx.logical_id(resource.name, "QueuePolicy"),
        "AWS::SQS::QueuePolicy",
        {"Queues": [ref(queue_id)]},
        [
            _send("events.amazonaws.com", get_att(queue_id, "Arn"), rules),
        ],
        owner=resource.name,
    )
