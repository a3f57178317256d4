"""Events that start a `batch-job`: EventBridge rules whose target is the job's state machine, so each
matching event runs the job once, the event as the execution's input.

- `schedule`: a rule with the schedule expression.
- `event-bus`: a rule with the event pattern on the bus the event names (the default bus without one).
- `s3`: the bucket sends its object events to EventBridge (`EventBridgeConfiguration`, set on the
  bucket in `enable_bucket_events` once every resource compiled); a rule on the default bus matches the
  bucket, the event type and the key filter.

Stacktape's other event types for a batch job are refused by name.
"""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, did_you_mean, event_target_input, get_att, named_resource, ref

from .ecs import _assume

#: S3 event types → the EventBridge detail types and the `detail` fields that tell them apart (Amazon S3
#: User Guide, "EventBridge event message structure"). Types S3 does not send to EventBridge are absent.
S3_EVENTS: dict[str, tuple[list[str], dict[str, Any]]] = {
    "s3:ObjectCreated:*": (["Object Created"], {}),
    "s3:ObjectCreated:Put": (["Object Created"], {"reason": ["PutObject"]}),
    "s3:ObjectCreated:Post": (["Object Created"], {"reason": ["PostObject"]}),
    "s3:ObjectCreated:Copy": (["Object Created"], {"reason": ["CopyObject"]}),
    "s3:ObjectCreated:CompleteMultipartUpload": (["Object Created"], {"reason": ["CompleteMultipartUpload"]}),
    # deletions by a request, not by a lifecycle rule (those are `s3:LifecycleExpiration:*`)
    "s3:ObjectRemoved:*": (["Object Deleted"], {"reason": ["DeleteObject"]}),
    "s3:ObjectRemoved:Delete": (
        ["Object Deleted"],
        {"reason": ["DeleteObject"], "deletion-type": ["Permanently Deleted"]},
    ),
    "s3:ObjectRemoved:DeleteMarkerCreated": (
        ["Object Deleted"],
        {"reason": ["DeleteObject"], "deletion-type": ["Delete Marker Created"]},
    ),
    "s3:ObjectRestore:*": (
        ["Object Restore Initiated", "Object Restore Completed", "Object Restore Expired"],
        {},
    ),
    "s3:ObjectRestore:Post": (["Object Restore Initiated"], {}),
    "s3:ObjectRestore:Completed": (["Object Restore Completed"], {}),
    "s3:ObjectRestore:Delete": (["Object Restore Expired"], {}),
    "s3:ObjectTagging:*": (["Object Tags Added", "Object Tags Deleted"], {}),
    "s3:ObjectTagging:Put": (["Object Tags Added"], {}),
    "s3:ObjectTagging:Delete": (["Object Tags Deleted"], {}),
    "s3:ObjectAcl:Put": (["Object ACL Updated"], {}),
    "s3:LifecycleExpiration:*": (["Object Deleted"], {"reason": ["Lifecycle Expiration"]}),
    "s3:LifecycleTransition": (["Object Storage Class Changed"], {}),
    "s3:IntelligentTiering": (["Object Access Tier Changed"], {}),
}

Path = tuple[str | int, ...]


def compile_batch_events(ctx: StackContext, resource: Resource, machine: str) -> None:
    """A rule per event, and the role EventBridge starts the state machine `machine` with. Raises
    ConfigError for an event type not supported yet, an unknown bus or bucket, or an S3 event type S3
    does not send to EventBridge."""
    events = resource.properties.get("events") or []
    if not events:
        return
    role = ctx.logical_id(resource.name, "EventsRole")
    for index, event in enumerate(events):
        path: Path = ("resources", resource.name, "properties", "events", index)
        kind, props = event["type"], event.get("properties") or {}
        rule: dict[str, Any] = {"State": "ENABLED"}
        if kind == "schedule":
            _require(ctx, props, ("scheduleRate",), path)
            rule["ScheduleExpression"] = props["scheduleRate"]
        elif kind == "event-bus":
            _require(ctx, props, ("eventPattern",), path)
            chosen = [key for key in ("eventBusArn", "eventBusName", "useDefaultBus") if props.get(key)]
            if len(chosen) > 1:
                ctx.fail(
                    (*path, "properties", chosen[1]),
                    "an event-bus event takes one of `eventBusArn`, `eventBusName` or `useDefaultBus`",
                )
            rule["EventPattern"] = props["eventPattern"]
            if props.get("eventBusArn"):
                rule["EventBusName"] = props["eventBusArn"]
            elif props.get("eventBusName"):
                bus = named_resource(ctx, props, "eventBusName", "event-bus", path, "an")
                rule["EventBusName"] = ctx.params_of(bus)["arn"]
        else:  # s3: the schema refuses the other types
            _require(ctx, props, ("bucketArn", "s3EventType"), path)
            rule["EventPattern"] = _s3_pattern(ctx, props, path)
        target: dict[str, Any] = {
            "Arn": ref(machine),
            "Id": f"{resource.name}-event-{index}"[:64],
            "RoleArn": get_att(role, "Arn"),
        }
        given = [key for key in ("input", "inputPath", "inputTransformer") if key in props]
        if len(given) > 1:
            ctx.fail(
                (*path, "properties", given[1]),
                "an event takes one of `input`, `inputPath` or `inputTransformer`",
            )
        target |= event_target_input(props)
        rule["Targets"] = [target]
        ctx.template.add_resource(
            ctx.logical_id(resource.name, f"Event{index}Rule"), "AWS::Events::Rule", rule, owner=resource.name
        )
    ctx.template.add_resource(
        role,
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": _assume("events.amazonaws.com"),
            "Policies": [
                {
                    "PolicyName": "start-batch-job",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Effect": "Allow", "Action": "states:StartExecution", "Resource": ref(machine)}
                        ],
                    },
                }
            ],
        },
        owner=resource.name,
    )


def _require(ctx: StackContext, props: dict[str, Any], keys: tuple[str, ...], path: Path) -> None:
    for key in keys:
        if props.get(key) in (None, ""):
            ctx.fail((*path, "properties"), f"this event needs `{key}`")


def _bucket(ctx: StackContext, value: Any, path: Path) -> Resource:
    """The `bucket` of the config whose `arn` param `bucketArn` is."""
    buckets = [r for r in ctx.config.resources.values() if r.type == "bucket"]
    for bucket in buckets:
        if ctx.params_of(bucket).get("arn") == value:
            return bucket
    ctx.fail(
        (*path, "properties", "bucketArn"),
        "s3 events of buckets outside this config are not supported by the installed plugins yet",
        hint="give $ResourceParam('<bucket>', 'arn') of a bucket resource"
        + (f" ({', '.join(b.name for b in buckets)})" if buckets else ""),
    )


def _s3_pattern(ctx: StackContext, props: dict[str, Any], path: Path) -> dict[str, Any]:
    bucket = _bucket(ctx, props["bucketArn"], path)
    kind = props["s3EventType"]
    if kind not in S3_EVENTS:
        ctx.fail(
            (*path, "properties", "s3EventType"),
            f"S3 does not send `{kind}` events to EventBridge, which starts a batch job",
            hint=did_you_mean(str(kind), list(S3_EVENTS)) or "one of " + ", ".join(S3_EVENTS),
        )
    detail_types, fields = S3_EVENTS[kind]
    detail: dict[str, Any] = {"bucket": {"name": [ctx.params_of(bucket)["name"]]}, **fields}
    rule = props.get("filterRule") or {}
    prefix, suffix = rule.get("prefix", ""), rule.get("suffix", "")
    if prefix and suffix:  # both in one pattern: a wildcard, its own `*` and `\` escaped
        escaped = [p.replace("\\", "\\\\").replace("*", "\\*") for p in (prefix, suffix)]
        detail["object"] = {"key": [{"wildcard": f"{escaped[0]}*{escaped[1]}"}]}
    elif prefix:
        detail["object"] = {"key": [{"prefix": prefix}]}
    elif suffix:
        detail["object"] = {"key": [{"suffix": suffix}]}
    return {"source": ["aws.s3"], "detail-type": detail_types, "detail": detail}


def enable_bucket_events(ctx: StackContext) -> None:
    """Have every bucket a batch job's `s3` event names send its events to EventBridge."""
    for resource in ctx.config.resources.values():
        if resource.type != "batch-job":
            continue
        for index, event in enumerate(resource.properties.get("events") or []):
            if event.get("type") != "s3":
                continue
            path: Path = ("resources", resource.name, "properties", "events", index)
            bucket = _bucket(ctx, (event.get("properties") or {}).get("bucketArn"), path)
            owned = ctx.template.resources_of(bucket.name)
            bucket_id = next(lid for lid, body in owned.items() if body["Type"] == "AWS::S3::Bucket")
            config = ctx.template.resources[bucket_id]["Properties"].setdefault(
                "NotificationConfiguration", {}
            )
            config["EventBridgeConfiguration"] = {"EventBridgeEnabled": True}
