"""Function events that read a stream in batches through an event source mapping: `dynamo-db-stream`
(a table's item changes) and `kinesis-stream` (a Kinesis data stream, directly or through a dedicated
consumer)."""

from __future__ import annotations

from typing import Any

from stackwright import LIMITS, Resource, StackContext, fit, get_att, number, ref

from .refs import check_source, named_resource

KINESIS_TYPE = "kinesis-stream"
#: What reading a DynamoDB stream needs (the actions of AWS's AWSLambdaDynamoDBExecutionRole), on the
#: stream only.
DYNAMO_READ_ACTIONS = [
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
]
#: What reading a Kinesis stream needs (AWS's AWSLambdaKinesisExecutionRole), on the stream only.
KINESIS_READ_ACTIONS = [
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
    "kinesis:ListStreams",
]
#: What reading through a dedicated (enhanced fan-out) consumer needs, on the consumer.
CONSUMER_ACTIONS = ["kinesis:SubscribeToShard"]
#: What sending a failed batch to its `onFailure` destination needs, by destination type.
ON_FAILURE_ACTIONS = {"sns": ["sns:Publish"], "sqs": ["sqs:SendMessage"]}
#: Event property → the event source mapping's property.
MAPPING_FIELDS = (
    ("batchSize", "BatchSize"),
    ("maxBatchWindowSeconds", "MaximumBatchingWindowInSeconds"),
    ("maximumRetryAttempts", "MaximumRetryAttempts"),
    ("parallelizationFactor", "ParallelizationFactor"),
)

Path = tuple[str | int, ...]


def _mapping(
    ctx: StackContext,
    resource: Resource,
    index: int,
    props: dict[str, Any],
    function_id: str,
    role: dict[str, Any],
    source: Any,
    statements: list[dict[str, Any]],
    kind: str,
) -> None:
    mapping: dict[str, Any] = {
        "EventSourceArn": source,
        "FunctionName": ref(function_id),
        "StartingPosition": props.get("startingPosition", "TRIM_HORIZON"),
    }
    mapping |= {field: number(props[key]) for key, field in MAPPING_FIELDS if key in props}
    if "bisectBatchOnFunctionError" in props:
        mapping["BisectBatchOnFunctionError"] = bool(props["bisectBatchOnFunctionError"])
    failure = props.get("onFailure")
    if failure:
        mapping["DestinationConfig"] = {"OnFailure": {"Destination": failure["arn"]}}
        statements.append(
            {"Effect": "Allow", "Action": ON_FAILURE_ACTIONS[failure["type"]], "Resource": failure["arn"]}
        )
    # Lambda checks the role may read the stream when the mapping is made: the policy is inline in the
    # role, which the function, and so the mapping, waits for
    ctx.template.add_resource(
        ctx.logical_id(resource.name, f"Event{index}EventSourceMapping"),
        "AWS::Lambda::EventSourceMapping",
        mapping,
        owner=resource.name,
    )
    role["Properties"].setdefault("Policies", []).append(
        {
            "PolicyName": f"{kind}-event-{index}",
            "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
        }
    )


def dynamo_stream_event(
    ctx: StackContext,
    resource: Resource,
    index: int,
    props: dict[str, Any],
    function_id: str,
    role: dict[str, Any],
    path: Path,
) -> None:
    check_source(ctx, props, "streamArn", "dynamo-db-table", "streamArn", path)
    arn = props["streamArn"]
    statements = [{"Effect": "Allow", "Action": DYNAMO_READ_ACTIONS, "Resource": arn}]
    _mapping(ctx, resource, index, props, function_id, role, arn, statements, "dynamo-db-stream")


def kinesis_stream_event(
    ctx: StackContext,
    resource: Resource,
    index: int,
    props: dict[str, Any],
    function_id: str,
    role: dict[str, Any],
    path: Path,
) -> None:
    if bool(props.get("kinesisStreamName")) == bool(props.get("streamArn")):
        ctx.fail(
            (*path, "properties"),
            "a kinesis-stream event needs exactly one of `kinesisStreamName` or `streamArn`",
        )
    if props.get("consumerArn") and props.get("autoCreateConsumer"):
        ctx.fail(
            (*path, "properties", "autoCreateConsumer"),
            "`autoCreateConsumer` makes a consumer, `consumerArn` names one: give one of them",
        )
    arn: Any
    key = None
    if props.get("kinesisStreamName"):
        stream = named_resource(ctx, props, "kinesisStreamName", KINESIS_TYPE, path)
        arn = ctx.params_of(stream)["arn"]
        encryption = stream.properties.get("encryption") or {}
        key = encryption.get("kmsKeyArn") if encryption.get("enabled") else None
    else:
        check_source(ctx, props, "streamArn", KINESIS_TYPE, "arn", path)
        arn = props["streamArn"]
    statements: list[dict[str, Any]] = [{"Effect": "Allow", "Action": KINESIS_READ_ACTIONS, "Resource": arn}]
    if key:  # records encrypted with a key of the user's own: reading them needs it
        statements.append({"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": key})
    source = arn
    if props.get("autoCreateConsumer"):
        consumer_id = ctx.logical_id(resource.name, f"Event{index}StreamConsumer")
        ctx.template.add_resource(
            consumer_id,
            "AWS::Kinesis::StreamConsumer",
            {
                "StreamARN": arn,
                "ConsumerName": fit(
                    f"{ctx.physical_name(resource.name, 'kinesis')}-{index}", LIMITS["kinesis"][0]
                ),
            },
            owner=resource.name,
        )
        source = get_att(consumer_id, "ConsumerARN")
    elif props.get("consumerArn"):
        source = props["consumerArn"]
    if source is not arn:
        statements.append({"Effect": "Allow", "Action": CONSUMER_ACTIONS, "Resource": source})
    _mapping(ctx, resource, index, props, function_id, role, source, statements, "kinesis-stream")
