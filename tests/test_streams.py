"""`kinesis-stream` and `event-bus`: templates, a function's `kinesis-stream` and `event-bus` events and
connectTo to both, deployed to the local engine and read back through Kinesis', EventBridge's and Lambda's
APIs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers import Result, write

CONFIG = """\
serviceName: flow
resources:
  clicks:
    type: kinesis-stream
    properties:
      capacityMode: PROVISIONED
      shardCount: 2
      retentionPeriodHours: 48
      encryption: {enabled: true}
  orders:
    type: event-bus
    properties:
      archivation: {enabled: true, retentionDays: 14}
  failed:
    type: sqs-queue
  counter:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      connectTo: [orders]
      events:
        - type: kinesis-stream
          properties: {kinesisStreamName: clicks, batchSize: 100, startingPosition: LATEST, maxBatchWindowSeconds: 10}
  shipper:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      connectTo: [clicks]
      events:
        - type: event-bus
          properties:
            eventBusName: orders
            eventPattern: {source: [shop], detail-type: [OrderPlaced]}
            inputPath: $.detail
            onDeliveryFailure: {sqsQueueName: failed}
        - type: event-bus
          properties:
            useDefaultBus: true
            eventPattern: {source: [aws.s3]}
"""
FILES = {"stackwright.yml": CONFIG, "src/app.py": "def handler(event, context):\n    return 1\n"}


def synth(cli: Callable[..., Result], root: Path) -> dict[str, Any]:
    result = cli("synth", cwd=root)
    assert result.code == 0, result.err
    return dict(json.loads(result.out)["Resources"])


def test_stream_and_bus_templates(cli: Callable[..., Result], tmp_path: Path) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    assert resources["ClicksKinesisStream"]["Properties"] == {
        "Name": "flow-dev-clicks",
        "StreamModeDetails": {"StreamMode": "PROVISIONED"},
        "RetentionPeriodHours": 48,
        "ShardCount": 2,
        "StreamEncryption": {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
    }
    assert resources["OrdersEventBus"]["Properties"] == {"Name": "flow-dev-orders"}
    assert resources["OrdersEventBusArchive"]["Properties"] == {
        "SourceArn": {"Fn::GetAtt": ["OrdersEventBus", "Arn"]},
        "RetentionDays": 14,
    }
    on_demand = CONFIG.replace("      capacityMode: PROVISIONED\n      shardCount: 2\n", "")
    stream = synth(cli, write(tmp_path / "on-demand", {**FILES, "stackwright.yml": on_demand}))[
        "ClicksKinesisStream"
    ]
    assert stream["Properties"]["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"}
    assert "ShardCount" not in stream["Properties"]


def test_a_kinesis_event_reads_the_stream_and_nothing_else(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    assert resources["CounterEvent0EventSourceMapping"]["Properties"] == {
        "EventSourceArn": {"Fn::GetAtt": ["ClicksKinesisStream", "Arn"]},
        "FunctionName": {"Ref": "CounterFunction"},
        "StartingPosition": "LATEST",
        "BatchSize": 100,
        "MaximumBatchingWindowInSeconds": 10,
    }
    policies = {
        p["PolicyName"]: p["PolicyDocument"]["Statement"]
        for p in resources["CounterRole"]["Properties"]["Policies"]
    }
    (read,) = policies["kinesis-stream-event-0"]
    assert read["Resource"] == {"Fn::GetAtt": ["ClicksKinesisStream", "Arn"]}
    assert "kinesis:GetRecords" in read["Action"] and "kinesis:PutRecord" not in read["Action"]
    (publish,) = policies["custom-allow-access-to-policy-statements"]
    assert publish == {
        "Effect": "Allow",
        "Action": ["events:PutEvents"],
        "Resource": [{"Fn::GetAtt": ["OrdersEventBus", "Arn"]}],
    }
    variables = resources["CounterFunction"]["Properties"]["Environment"]["Variables"]
    assert set(variables) == {"STP_ORDERS_ARN", "STP_ORDERS_NAME", "STP_ORDERS_ARCHIVE_ARN"}
    consumer = CONFIG.replace("batchSize: 100,", "autoCreateConsumer: true, batchSize: 100,")
    resources = synth(cli, write(tmp_path / "consumer", {**FILES, "stackwright.yml": consumer}))
    assert resources["CounterEvent0StreamConsumer"]["Properties"]["StreamARN"] == {
        "Fn::GetAtt": ["ClicksKinesisStream", "Arn"]
    }
    mapping = resources["CounterEvent0EventSourceMapping"]["Properties"]
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": ["CounterEvent0StreamConsumer", "ConsumerARN"]}


def test_an_event_bus_event_is_a_rule_on_the_named_bus(cli: Callable[..., Result], tmp_path: Path) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    rule = resources["ShipperEvent0Rule"]["Properties"]
    assert rule["EventBusName"] == {"Fn::GetAtt": ["OrdersEventBus", "Arn"]}
    assert rule["EventPattern"] == {"source": ["shop"], "detail-type": ["OrderPlaced"]}
    (target,) = rule["Targets"]
    assert target["InputPath"] == "$.detail"
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["FailedQueue", "Arn"]}}
    (statement,) = resources["FailedQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Condition"] == {
        "ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["ShipperEvent0Rule", "Arn"]}}
    }
    assert "EventBusName" not in resources["ShipperEvent1Rule"]["Properties"]  # the default bus
    permission = resources["ShipperEvent1Permission"]["Properties"]
    assert permission["SourceArn"] == {"Fn::GetAtt": ["ShipperEvent1Rule", "Arn"]}
    (write_records,) = [
        p
        for p in resources["ShipperRole"]["Properties"]["Policies"]
        if p["PolicyName"] == "custom-allow-access-to-policy-statements"
    ]
    actions = write_records["PolicyDocument"]["Statement"][0]["Action"]
    assert "kinesis:PutRecords" in actions and all("*" not in a for a in actions)


def test_stream_and_bus_mistakes_are_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    def refused(name: str, config: str) -> str:
        result = cli("synth", cwd=write(tmp_path / name, {**FILES, "stackwright.yml": config}))
        assert result.code == 2 and "Traceback" not in result.err, result.err
        return result.err

    shards = CONFIG.replace("      capacityMode: PROVISIONED\n", "")
    assert "shardCount applies to a PROVISIONED stream only" in refused("shards", shards)
    fan_out = CONFIG.replace("      retentionPeriodHours: 48\n", "      enableEnhancedFanOut: true\n")
    assert "`enableEnhancedFanOut` of a kinesis-stream is not supported" in refused("fan-out", fan_out)
    two_buses = CONFIG.replace(
        "            eventBusName: orders\n",
        "            eventBusName: orders\n            useDefaultBus: true\n",
    )
    assert "takes one of `eventBusArn`, `eventBusName` or `useDefaultBus`" in refused("buses", two_buses)
    both = CONFIG.replace(
        "kinesisStreamName: clicks,", "kinesisStreamName: clicks, consumerArn: x, autoCreateConsumer: true,"
    )
    assert "give one of them" in refused("consumers", both)


def test_a_stream_and_a_bus_deploy_with_their_events(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    result = cli("--local", "deploy", cwd=write(tmp_path, FILES))
    assert result.code == 0, result.err
    summary = aws("kinesis").describe_stream_summary(StreamName="flow-dev-clicks")["StreamDescriptionSummary"]
    assert (summary["OpenShardCount"], summary["RetentionPeriodHours"], summary["EncryptionType"]) == (
        2,
        48,
        "KMS",
    )
    (mapping,) = aws("lambda").list_event_source_mappings(FunctionName="flow-dev-counter")[
        "EventSourceMappings"
    ]
    assert (mapping["EventSourceArn"], mapping["StartingPosition"], mapping["BatchSize"]) == (
        summary["StreamARN"],
        "LATEST",
        100,
    )
    events = aws("events")
    (rule,) = [
        r for r in events.list_rules(EventBusName="flow-dev-orders")["Rules"] if "Archive" not in r["Name"]
    ]
    assert json.loads(rule["EventPattern"]) == {"source": ["shop"], "detail-type": ["OrderPlaced"]}
    (target,) = events.list_targets_by_rule(Rule=rule["Name"], EventBusName="flow-dev-orders")["Targets"]
    function = aws("lambda").get_function(FunctionName="flow-dev-shipper")["Configuration"]
    assert target["Arn"] == function["FunctionArn"] and target["InputPath"] == "$.detail"
    (archive,) = events.list_archives()["Archives"]
    assert archive["EventSourceArn"].endswith(":event-bus/flow-dev-orders") and archive["RetentionDays"] == 14
    statements = json.loads(aws("lambda").get_policy(FunctionName="flow-dev-shipper")["Policy"])["Statement"]
    assert {s["Condition"]["ArnLike"]["AWS:SourceArn"] for s in statements} >= {rule["Arn"]}
    assert function["Environment"]["Variables"]["STP_CLICKS_NAME"] == "flow-dev-clicks"
    counter = aws("lambda").get_function(FunctionName="flow-dev-counter")["Configuration"]["Environment"][
        "Variables"
    ]
    assert counter["STP_ORDERS_NAME"] == "flow-dev-orders"


def test_a_consumer_the_engine_cannot_make_is_named_and_the_rest_deploys(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    consumer = CONFIG.replace("batchSize: 100,", "autoCreateConsumer: true, batchSize: 100,")
    result = cli("--local", "deploy", cwd=write(tmp_path, {**FILES, "stackwright.yml": consumer}))
    assert result.code == 0, result.err
    assert "CounterEvent0StreamConsumer (AWS::Kinesis::StreamConsumer)" in result.err
    assert aws("kinesis").describe_stream_summary(StreamName="flow-dev-clicks")


LOG_EVENT = """\
serviceName: logs
resources:
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
  watcher:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      events:
        - type: cloudwatch-log
          properties:
            logGroupArn: $ResourceParam('api', 'logGroupArn')
            filter: ERROR
"""


def test_a_cloudwatch_log_event_subscribes_to_the_log_group(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    root = write(tmp_path, {**FILES, "stackwright.yml": LOG_EVENT})
    resources = synth(cli, root)
    arn = {"Fn::GetAtt": ["ApiLogGroup", "Arn"]}
    assert resources["WatcherEvent0SubscriptionFilter"] == {
        "Type": "AWS::Logs::SubscriptionFilter",
        "Properties": {
            "LogGroupName": {"Fn::Select": [6, {"Fn::Split": [":", arn]}]},
            "FilterPattern": "ERROR",
            "DestinationArn": {"Fn::GetAtt": ["WatcherFunction", "Arn"]},
        },
        "DependsOn": ["WatcherEvent0Permission"],
    }
    permission = resources["WatcherEvent0Permission"]["Properties"]
    assert (permission["Principal"], permission["SourceArn"]) == ("logs.amazonaws.com", arn)
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    assert (
        "WatcherEvent0SubscriptionFilter (AWS::Logs::SubscriptionFilter)" in result.err
    )  # named, not hidden
    (statement,) = json.loads(aws("lambda").get_policy(FunctionName="logs-dev-watcher")["Policy"])[
        "Statement"
    ]
    group = aws("logs").describe_log_groups(logGroupNamePrefix="/aws/lambda/logs-dev-api")["logGroups"][0]
    assert statement["Principal"] == {"Service": "logs.amazonaws.com"}
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"].removesuffix(":*") == group["arn"].removesuffix(
        ":*"
    )


def test_arns_of_the_wrong_resource_and_odd_patterns_are_named(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    def refused(name: str, config: str) -> str:
        result = cli("synth", cwd=write(tmp_path / name, {**FILES, "stackwright.yml": config}))
        assert result.code == 2 and "Traceback" not in result.err, result.err
        return result.err

    queue_as_stream = CONFIG.replace(
        "kinesisStreamName: clicks,", "streamArn: \"$ResourceParam('failed', 'arn')\","
    )
    assert (
        "`streamArn` is the `arn` of 'failed', a sqs-queue; it takes the `arn` of a kinesis-stream"
        in refused("queue", queue_as_stream)
    )
    empty = CONFIG.replace("eventPattern: {source: [aws.s3]}", "eventPattern: {}")
    assert "eventPattern" in refused("empty", empty)
    scalar = CONFIG.replace("eventPattern: {source: [aws.s3]}", "eventPattern: {source: aws.s3}")
    assert "eventPattern.source" in refused("scalar", scalar)
    named = CONFIG.replace(
        "kinesisStreamName: clicks,", "kinesisStreamName: \"$ResourceParam('clicks', 'arn')\","
    )
    assert "takes the name of a kinesis-stream resource of this config, not a value" in refused(
        "named", named
    )
