"""Compile `kinesis-stream` (a Kinesis data stream) and `event-bus` (an EventBridge bus, optionally
archived), and what a connectTo to each grants."""

from __future__ import annotations

from typing import Any

from stackwright import Connection, Resource, StackContext, get_att, number, ref

#: The AWS managed key Kinesis encrypts with when `encryption.kmsKeyArn` is not given. Its key policy lets
#: the account's principals use it through Kinesis, so a connectTo needs no KMS grant for it.
KINESIS_KEY = "alias/aws/kinesis"
#: What a connectTo grants on a stream (Stacktape's list, on the stream's ARN): read and write records.
STREAM_ACTIONS = [
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
    "kinesis:PutRecord",
    "kinesis:PutRecords",
]
#: What a connectTo needs of a customer managed key the stream is encrypted with.
KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"]
#: What a connectTo grants on a bus (Stacktape's list, on the bus's ARN): publish events to it.
BUS_ACTIONS = ["events:PutEvents"]


def stream_id(ctx: StackContext, name: str) -> str:
    return ctx.logical_id(name, "KinesisStream")


def compile_stream(ctx: StackContext, resource: Resource) -> None:
    props = resource.properties
    at = ("resources", resource.name, "properties")
    mode = props.get("capacityMode", "ON_DEMAND")
    body: dict[str, Any] = {
        "Name": ctx.physical_name(resource.name, "kinesis"),
        "StreamModeDetails": {"StreamMode": mode},
        "RetentionPeriodHours": number(props.get("retentionPeriodHours", 24)),
    }
    if mode == "PROVISIONED":
        body["ShardCount"] = number(props.get("shardCount", 1))
    elif "shardCount" in props:
        ctx.fail(
            (*at, "shardCount"),
            "shardCount applies to a PROVISIONED stream only",
            hint="set capacityMode: PROVISIONED",
        )
    encryption = props.get("encryption") or {}
    if encryption.get("enabled"):
        body["StreamEncryption"] = {
            "EncryptionType": "KMS",
            "KeyId": encryption.get("kmsKeyArn") or KINESIS_KEY,
        }
    ctx.template.add_resource(
        stream_id(ctx, resource.name), "AWS::Kinesis::Stream", body, owner=resource.name
    )


def stream_params(ctx: StackContext, resource: Resource) -> dict[str, Any]:
    """`arn` and `name` (Stacktape's referenceable params of a stream)."""
    lid = stream_id(ctx, resource.name)
    return {"arn": get_att(lid, "Arn"), "name": ref(lid)}


def stream_connection(ctx: StackContext, resource: Resource) -> Connection:
    params = stream_params(ctx, resource)
    statements: list[dict[str, Any]] = [
        {"Effect": "Allow", "Action": STREAM_ACTIONS, "Resource": [params["arn"]]}
    ]
    key = (resource.properties.get("encryption") or {}).get("kmsKeyArn")
    if key and (resource.properties.get("encryption") or {}).get("enabled"):
        statements.append({"Effect": "Allow", "Action": KEY_ACTIONS, "Resource": [key]})
    return Connection(
        target=resource, statements=statements, environment={k.upper(): v for k, v in params.items()}
    )


def bus_id(ctx: StackContext, name: str, part: str = "EventBus") -> str:
    return ctx.logical_id(name, part)


def compile_bus(ctx: StackContext, resource: Resource) -> None:
    props = resource.properties
    body: dict[str, Any] = {"Name": ctx.physical_name(resource.name, "event-bus")}
    if props.get("eventSourceName"):
        body["EventSourceName"] = props["eventSourceName"]
        body["Name"] = props["eventSourceName"]  # a partner bus must be named after its event source
    lid = bus_id(ctx, resource.name)
    ctx.template.add_resource(lid, "AWS::Events::EventBus", body, owner=resource.name)
    archive = props.get("archivation") or {}
    if archive.get("enabled"):
        settings: dict[str, Any] = {"SourceArn": get_att(lid, "Arn")}
        if "retentionDays" in archive:
            settings["RetentionDays"] = number(archive["retentionDays"])
        ctx.template.add_resource(
            bus_id(ctx, resource.name, "EventBusArchive"),
            "AWS::Events::Archive",
            settings,
            owner=resource.name,
        )


def bus_params(ctx: StackContext, resource: Resource) -> dict[str, Any]:
    """`arn` and `name`, and `archiveArn` when archived (Stacktape's referenceable params of a bus)."""
    lid = bus_id(ctx, resource.name)
    params = {"arn": get_att(lid, "Arn"), "name": get_att(lid, "Name")}
    if (resource.properties.get("archivation") or {}).get("enabled"):
        params["archiveArn"] = get_att(bus_id(ctx, resource.name, "EventBusArchive"), "Arn")
    return params


def bus_connection(ctx: StackContext, resource: Resource) -> Connection:
    params = bus_params(ctx, resource)
    names = {"arn": "ARN", "name": "NAME", "archiveArn": "ARCHIVE_ARN"}
    return Connection(
        target=resource,
        statements=[{"Effect": "Allow", "Action": BUS_ACTIONS, "Resource": [params["arn"]]}],
        environment={names[k]: v for k, v in params.items()},
    )
