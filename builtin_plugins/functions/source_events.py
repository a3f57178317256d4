"""Function events pushed by other resources: `s3` (a bucket's object notifications), `sns` (a topic
subscription) and `cloudwatch-log` (a log group's subscription filter).

An S3 notification lives on the bucket, which another plugin compiles, possibly after the function: the
permission is compiled with the function, the notification added to the bucket in `finalize_template`.
The bucket's `arn` param is built from its name, so the permission does not wait for the bucket, which
waits for the permission (S3 checks it may invoke the function when the notification is set).
"""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, get_att, ref

from .refs import check_source, named_resource

BUCKET_TYPE, TOPIC_TYPE, QUEUE_TYPE = "bucket", "sns-topic", "sqs-queue"

Path = tuple[str | int, ...]


def invoke_permission(
    ctx: StackContext, resource: Resource, index: int, function_id: str, principal: str, source: Any
) -> str:
    permission_id = ctx.logical_id(resource.name, f"Event{index}Permission")
    body: dict[str, Any] = {
        "Action": "lambda:InvokeFunction",
        "FunctionName": get_att(function_id, "Arn"),
        "Principal": principal,
        "SourceArn": source,
    }
    if principal == "s3.amazonaws.com":  # a bucket ARN names no account: say whose bucket it must be
        body["SourceAccount"] = ref("AWS::AccountId")
    ctx.template.add_resource(permission_id, "AWS::Lambda::Permission", body, owner=resource.name)
    return permission_id


def event_bucket(ctx: StackContext, value: Any, path: Path) -> Resource:
    """The `bucket` of the config whose `arn` param is `value` (what `$ResourceParam('b', 'arn')` gives).
    Raises ConfigError at `bucketArn` otherwise: S3 notifications are set on a bucket this stack owns."""
    buckets = [r for r in ctx.config.resources.values() if r.type == BUCKET_TYPE]
    for bucket in buckets:
        if ctx.params_of(bucket).get("arn") == value:
            return bucket
    names = ", ".join(b.name for b in buckets)
    ctx.fail(
        (*path, "properties", "bucketArn"),
        "s3 events of buckets outside this config are not supported by the installed plugins yet",
        hint=f"give $ResourceParam('<bucket>', 'arn') of a bucket resource ({names})"
        if buckets
        else "define the bucket under resources with `type: bucket`, "
        "and give bucketArn: $ResourceParam('<bucket>', 'arn')",
    )


def s3_event(
    ctx: StackContext, resource: Resource, index: int, props: dict[str, Any], function_id: str, path: Path
) -> None:
    event_bucket(ctx, props["bucketArn"], path)  # the notification is added by `add_s3_notifications`
    invoke_permission(ctx, resource, index, function_id, "s3.amazonaws.com", props["bucketArn"])


def add_s3_notifications(ctx: StackContext) -> None:
    """Put each function's s3 events into its bucket's `NotificationConfiguration`, the bucket waiting
    for the permissions. Raises ConfigError when two events of one bucket overlap (S3 refuses them)."""
    for resource in ctx.config.resources.values():
        if resource.type != "function":
            continue
        function_id = ctx.logical_id(resource.name, "Function")
        for index, event in enumerate(resource.properties.get("events") or []):
            if event.get("type") != "s3":
                continue
            props = event.get("properties") or {}
            path: Path = ("resources", resource.name, "properties", "events", index)
            bucket = event_bucket(ctx, props["bucketArn"], path)
            owned = ctx.template.resources_of(bucket.name)
            bucket_id = next(lid for lid, body in owned.items() if body["Type"] == "AWS::S3::Bucket")
            body = ctx.template.resources[bucket_id]
            config = body["Properties"].setdefault("NotificationConfiguration", {})
            rule: dict[str, Any] = {"Event": props["s3EventType"], "Function": get_att(function_id, "Arn")}
            filters = [
                {"Name": key, "Value": value}
                for key, value in (props.get("filterRule") or {}).items()
                if key in ("prefix", "suffix")
            ]
            if filters:
                rule["Filter"] = {"S3Key": {"Rules": filters}}
            _refuse_overlap(ctx, config.get("LambdaConfigurations") or [], rule, bucket.name, path)
            config.setdefault("LambdaConfigurations", []).append(rule)
            depends = body.setdefault("DependsOn", [])
            if isinstance(depends, str):
                body["DependsOn"] = depends = [depends]
            depends.append(ctx.logical_id(resource.name, f"Event{index}Permission"))


def _event_family(event: str) -> str:
    return event.rsplit(":", 1)[0]


def _refuse_overlap(
    ctx: StackContext, rules: list[dict[str, Any]], rule: dict[str, Any], bucket: str, path: Path
) -> None:
    """S3 refuses two notifications whose event types overlap and whose key filters both match a key."""

    def keys(r: dict[str, Any]) -> dict[str, str]:
        return {f["Name"]: f["Value"] for f in (r.get("Filter") or {}).get("S3Key", {}).get("Rules", [])}

    mine = keys(rule)
    for other in rules:
        same_events = rule["Event"] == other["Event"] or (
            _event_family(rule["Event"]) == _event_family(other["Event"])
            and "*" in (rule["Event"][-1], other["Event"][-1])
        )
        theirs = keys(other)
        prefixes = (mine.get("prefix", ""), theirs.get("prefix", ""))
        suffixes = (mine.get("suffix", ""), theirs.get("suffix", ""))
        if (
            same_events
            and (prefixes[0].startswith(prefixes[1]) or prefixes[1].startswith(prefixes[0]))
            and (suffixes[0].endswith(suffixes[1]) or suffixes[1].endswith(suffixes[0]))
        ):
            target = (other.get("Function") or {}).get("Fn::GetAtt", ["?"])[0]
            ctx.fail(
                (*path, "properties", "s3EventType"),
                f"an s3 event of function {ctx.template.owners.get(target, target)!r} already takes "
                f"{other['Event']} of bucket {bucket!r} for these keys: S3 refuses overlapping notifications",
                hint="give each event its own filterRule prefix or suffix, or one function the events",
            )


def sns_event(
    ctx: StackContext, resource: Resource, index: int, props: dict[str, Any], function_id: str, path: Path
) -> None:
    if bool(props.get("snsTopicName")) == bool(props.get("snsTopicArn")):
        ctx.fail((*path, "properties"), "an sns event needs exactly one of `snsTopicName` or `snsTopicArn`")
    if props.get("snsTopicName"):
        topic = named_resource(ctx, props, "snsTopicName", TOPIC_TYPE, path, "an")
        if topic.properties.get("fifoEnabled"):
            ctx.fail(
                (*path, "properties", "snsTopicName"),
                f"{topic.name!r} is a FIFO topic: SNS delivers FIFO topics only to SQS FIFO queues",
                hint="subscribe an sqs-queue with fifoEnabled and give the function an sqs event of it",
            )
        arn: Any = ctx.params_of(topic)["arn"]
    else:
        check_source(ctx, props, "snsTopicArn", TOPIC_TYPE, "arn", path)
        arn = props["snsTopicArn"]
    subscription: dict[str, Any] = {
        "TopicArn": arn,
        "Protocol": "lambda",
        "Endpoint": get_att(function_id, "Arn"),
    }
    if props.get("filterPolicy"):
        subscription["FilterPolicy"] = props["filterPolicy"]
    failure = props.get("onDeliveryFailure") or {}
    if failure:
        subscription["RedrivePolicy"] = {
            "deadLetterTargetArn": dead_letter_queue(ctx, failure, "sns.amazonaws.com", arn, path)
        }
    ctx.template.add_resource(
        ctx.logical_id(resource.name, f"Event{index}Subscription"),
        "AWS::SNS::Subscription",
        subscription,
        owner=resource.name,
    )
    invoke_permission(ctx, resource, index, function_id, "sns.amazonaws.com", arn)


def dead_letter_queue(
    ctx: StackContext, failure: dict[str, Any], principal: str, source: Any, path: Path
) -> Any:
    """The ARN of the queue an event's `onDeliveryFailure` names; a queue of this config also gets a
    policy letting `principal` send to it for `source` (the topic or rule). Raises ConfigError unless
    exactly one of `sqsQueueName` and `sqsQueueArn` is given."""
    if bool(failure.get("sqsQueueName")) == bool(failure.get("sqsQueueArn")):
        ctx.fail(
            (*path, "properties", "onDeliveryFailure"),
            "onDeliveryFailure needs exactly one of `sqsQueueName` or `sqsQueueArn`",
        )
    if failure.get("sqsQueueArn"):
        return failure["sqsQueueArn"]
    at = (*path, "properties", "onDeliveryFailure", "sqsQueueName")
    queue = named_resource(ctx, failure, "sqsQueueName", QUEUE_TYPE, path, "an", at=at)
    params = ctx.params_of(queue)
    ctx.template.add_policy_statements(
        ctx.logical_id(queue.name, "QueuePolicy"),  # the queue's one policy, shared with what else sends
        "AWS::SQS::QueuePolicy",
        {"Queues": [params["url"]]},
        [
            {
                "Effect": "Allow",
                "Principal": {"Service": principal},
                "Action": "sqs:SendMessage",
                "Resource": params["arn"],
                "Condition": {"ArnEquals": {"aws:SourceArn": source}},
            }
        ],
        owner=queue.name,
    )
    return params["arn"]


def cloudwatch_log_event(
    ctx: StackContext, resource: Resource, index: int, props: dict[str, Any], function_id: str
) -> None:
    """A subscription filter on the log group (its name is the sixth field of its ARN), waiting for the
    permission that lets CloudWatch Logs invoke the function."""
    arn = props["logGroupArn"]
    # CloudWatch Logs invokes with the log group's ARN ending in `:*` (what GetAtt's Arn gives)
    source = f"{arn}:*" if isinstance(arn, str) and not arn.endswith(":*") else arn
    permission_id = invoke_permission(ctx, resource, index, function_id, "logs.amazonaws.com", source)
    ctx.template.add_resource(
        ctx.logical_id(resource.name, f"Event{index}SubscriptionFilter"),
        "AWS::Logs::SubscriptionFilter",
        {
            "LogGroupName": {"Fn::Select": [6, {"Fn::Split": [":", arn]}]},
            "FilterPattern": props.get("filter", ""),
            "DestinationArn": get_att(function_id, "Arn"),
        },
        owner=resource.name,
        DependsOn=[permission_id],
    )
