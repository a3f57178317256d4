"""sqs-queue and sns-topic: templates, and a function fed by a queue of the same config, deployed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers import Result, write

CONFIG = """\
serviceName: jobs
resources:
  jobs:
    type: sqs-queue
    properties:
      visibilityTimeoutSeconds: 120
      messageRetentionPeriodSeconds: 86400
      redrivePolicy: {targetSqsQueueName: failed, maxReceiveCount: 3}
  failed:
    type: sqs-queue
  orders:
    type: sqs-queue
    properties: {fifoEnabled: true, contentBasedDeduplication: true}
  alerts:
    type: sns-topic
    properties: {smsDisplayName: Jobs}
  worker:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      environment:
        - name: ALERTS_TOPIC
          value: $ResourceParam('alerts', 'arn')
      events:
        - type: sqs
          properties: {sqsQueueName: jobs, batchSize: 5}
"""
FILES = {"stackwright.yml": CONFIG, "src/app.py": "def handler(e, c):\n    return len(e['Records'])\n"}


def test_queue_and_topic_templates(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("synth", cwd=write(tmp_path, FILES))
    assert result.code == 0, result.err
    resources = json.loads(result.out)["Resources"]
    jobs = resources["JobsQueue"]["Properties"]
    assert (jobs["QueueName"], jobs["VisibilityTimeout"], jobs["MessageRetentionPeriod"]) == (
        "jobs-dev-jobs",
        120,
        86400,
    )
    assert jobs["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["FailedQueue", "Arn"]},
        "maxReceiveCount": 3,
    }
    orders = resources["OrdersQueue"]["Properties"]
    assert (
        orders["QueueName"] == "jobs-dev-orders.fifo"
        and orders["FifoQueue"]
        and orders["ContentBasedDeduplication"]
    )
    assert resources["AlertsTopic"]["Properties"] == {
        "TopicName": "jobs-dev-alerts",
        "DisplayName": "Jobs",
        "KmsMasterKeyId": "alias/aws/sns",  # encrypted at rest
    }
    assert all(
        resources[q]["Properties"]["SqsManagedSseEnabled"] is True for q in ("JobsQueue", "OrdersQueue")
    )
    mapping = resources["WorkerEvent0EventSourceMapping"]["Properties"]
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": ["JobsQueue", "Arn"]}
    env = resources["WorkerFunction"]["Properties"]["Environment"]["Variables"]
    assert env == {"ALERTS_TOPIC": {"Ref": "AlertsTopic"}}


def test_unsupported_queue_features_are_refused(cli: Callable[..., Result], tmp_path: Path) -> None:
    config = CONFIG.replace(
        "      visibilityTimeoutSeconds: 120", "      visibilityTimeoutSeconds: 120\n      alarms: [{}]"
    )
    result = cli("synth", cwd=write(tmp_path, {**FILES, "stackwright.yml": config}))
    assert result.code == 2 and "`alarms` of an sqs-queue is not supported" in result.err


def test_function_fed_by_a_queue_deploys(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    result = cli("--local", "deploy", cwd=write(tmp_path, FILES))
    assert result.code == 0, result.err
    url = aws("sqs").get_queue_url(QueueName="jobs-dev-jobs")["QueueUrl"]
    attributes = aws("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "120" and attributes["SqsManagedSseEnabled"] == "true"
    assert json.loads(attributes["RedrivePolicy"])["maxReceiveCount"] == 3
    (mapping,) = aws("lambda").list_event_source_mappings(FunctionName="jobs-dev-worker")[
        "EventSourceMappings"
    ]
    assert mapping["EventSourceArn"] == attributes["QueueArn"] and mapping["BatchSize"] == 5
    topics = [t["TopicArn"] for t in aws("sns").list_topics()["Topics"]]
    topic = next(t for t in topics if t.endswith(":jobs-dev-alerts"))
    assert aws("sns").get_topic_attributes(TopicArn=topic)["Attributes"]["KmsMasterKeyId"] == "alias/aws/sns"


SNS_EVENT = (
    CONFIG
    + """\
  notifier:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      events:
        - type: sns
          properties:
            snsTopicName: alerts
            filterPolicy: {severity: [high]}
            onDeliveryFailure: {sqsQueueName: failed}
"""
)


def test_an_sns_event_subscribes_the_function(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("synth", cwd=write(tmp_path, {**FILES, "stackwright.yml": SNS_EVENT}))
    assert result.code == 0, result.err
    resources = json.loads(result.out)["Resources"]
    assert resources["NotifierEvent0Subscription"]["Properties"] == {
        "TopicArn": {"Ref": "AlertsTopic"},
        "Protocol": "lambda",
        "Endpoint": {"Fn::GetAtt": ["NotifierFunction", "Arn"]},
        "FilterPolicy": {"severity": ["high"]},
        "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["FailedQueue", "Arn"]}},
    }
    permission = resources["NotifierEvent0Permission"]["Properties"]
    assert (permission["Principal"], permission["SourceArn"]) == ("sns.amazonaws.com", {"Ref": "AlertsTopic"})
    (statement,) = resources["FailedQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "sns.amazonaws.com"}
    assert statement["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Ref": "AlertsTopic"}}}


def test_sns_event_mistakes_are_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    fifo = SNS_EVENT.replace("properties: {smsDisplayName: Jobs}", "properties: {fifoEnabled: true}")
    result = cli("synth", cwd=write(tmp_path / "fifo", {**FILES, "stackwright.yml": fifo}))
    assert result.code == 2 and "'alerts' is a FIFO topic" in result.err
    both = SNS_EVENT.replace("snsTopicName: alerts", "snsTopicName: alerts\n            snsTopicArn: arn:x")
    result = cli("synth", cwd=write(tmp_path / "both", {**FILES, "stackwright.yml": both}))
    assert result.code == 2 and "exactly one of `snsTopicName` or `snsTopicArn`" in result.err
    dead = SNS_EVENT.replace(
        "onDeliveryFailure: {sqsQueueName: failed}", "onDeliveryFailure: {sqsQueueName: faild}"
    )
    result = cli("synth", cwd=write(tmp_path / "dead", {**FILES, "stackwright.yml": dead}))
    assert (
        result.code == 2
        and "resources.notifier.properties.events.0.properties.onDeliveryFailure.sqsQueueName:" in result.err
    )
    typo = SNS_EVENT.replace("snsTopicName: alerts", "snsTopicName: alert")
    result = cli("synth", cwd=write(tmp_path / "typo", {**FILES, "stackwright.yml": typo}))
    assert result.code == 2 and "did you mean 'alerts'" in result.err.lower()


def test_an_sns_event_deploys(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """The permission and the dead-letter queue's policy are read back; the engine creates no
    subscriptions, and says so."""
    result = cli("--local", "deploy", cwd=write(tmp_path, {**FILES, "stackwright.yml": SNS_EVENT}))
    assert result.code == 0, result.err
    assert "NotifierEvent0Subscription (AWS::SNS::Subscription)" in result.err
    topic = next(
        t["TopicArn"]
        for t in aws("sns").list_topics()["Topics"]
        if t["TopicArn"].endswith(":jobs-dev-alerts")
    )
    (permission,) = json.loads(aws("lambda").get_policy(FunctionName="jobs-dev-notifier")["Policy"])[
        "Statement"
    ]
    assert permission["Principal"] == {"Service": "sns.amazonaws.com"}
    assert permission["Condition"]["ArnLike"]["AWS:SourceArn"] == topic
    url = aws("sqs").get_queue_url(QueueName="jobs-dev-failed")["QueueUrl"]
    policy = json.loads(
        aws("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]["Policy"]
    )
    assert policy["Statement"][0]["Condition"] == {"ArnEquals": {"aws:SourceArn": topic}}


QUEUE_EVENTS = """\
serviceName: ship
resources:
  bus:
    type: event-bus
  failed:
    type: sqs-queue
  shipments:
    type: sqs-queue
    properties:
      fifoEnabled: true
      contentBasedDeduplication: true
      events:
        - type: event-bus
          properties:
            eventBusName: bus
            eventPattern: {detail-type: [ShipmentDispatched]}
            messageGroupId: shipments
            onDeliveryFailure: {sqsQueueName: failed}
  audit:
    type: sqs-queue
    properties:
      events:
        - type: event-bus
          properties:
            useDefaultBus: true
            eventPattern: {source: [aws.s3]}
  notifier:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      events:
        - type: sns
          properties: {snsTopicArn: 'arn:aws:sns:us-east-1:123456789012:elsewhere', onDeliveryFailure: {sqsQueueName: failed}}
"""


def test_queue_events_and_dead_letters_share_one_policy_per_queue(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """A queue has one policy: the rule of a queue's events and an SNS subscription both sending failures
    to `failed` add to the same policy, instead of one replacing the other."""
    result = cli("synth", cwd=write(tmp_path, {**FILES, "stackwright.yml": QUEUE_EVENTS}))
    assert result.code == 0, result.err
    resources = json.loads(result.out)["Resources"]
    rule = resources["ShipmentsEvent0Rule"]["Properties"]
    assert rule["EventBusName"] == {"Fn::GetAtt": ["BusEventBus", "Arn"]}
    (target,) = rule["Targets"]
    assert target["SqsParameters"] == {"MessageGroupId": "shipments"}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["FailedQueue", "Arn"]}}
    (own,) = resources["ShipmentsQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert own["Condition"] == {
        "ArnEquals": {"aws:SourceArn": [{"Fn::GetAtt": ["ShipmentsEvent0Rule", "Arn"]}]}
    }
    failed = resources["FailedQueuePolicy"]["Properties"]
    assert failed["Queues"] == [{"Ref": "FailedQueue"}]
    sources = [s["Condition"]["ArnEquals"]["aws:SourceArn"] for s in failed["PolicyDocument"]["Statement"]]
    assert sources == [
        {"Fn::GetAtt": ["ShipmentsEvent0Rule", "Arn"]},
        "arn:aws:sns:us-east-1:123456789012:elsewhere",
    ]
    policies = [b for b in resources.values() if b["Type"] == "AWS::SQS::QueuePolicy"]
    assert len(policies) == len({json.dumps(b["Properties"]["Queues"]) for b in policies})  # one per queue
    assert "EventBusName" not in resources["AuditEvent0Rule"]["Properties"]


def test_queue_event_mistakes_are_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    no_group = QUEUE_EVENTS.replace("            messageGroupId: shipments\n", "")
    result = cli("synth", cwd=write(tmp_path / "a", {**FILES, "stackwright.yml": no_group}))
    assert result.code == 2 and "a FIFO queue needs `messageGroupId`" in result.err
    typo = QUEUE_EVENTS.replace("eventBusName: bus", "eventBusName: buss")
    result = cli("synth", cwd=write(tmp_path / "b", {**FILES, "stackwright.yml": typo}))
    assert result.code == 2 and "did you mean 'bus'" in result.err.lower()


def test_queue_events_deploy(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    result = cli("--local", "deploy", cwd=write(tmp_path, {**FILES, "stackwright.yml": QUEUE_EVENTS}))
    assert result.code == 0, result.err
    (rule,) = aws("events").list_rules(EventBusName="ship-dev-bus")["Rules"]
    (target,) = aws("events").list_targets_by_rule(Rule=rule["Name"], EventBusName="ship-dev-bus")["Targets"]
    url = aws("sqs").get_queue_url(QueueName="ship-dev-shipments.fifo")["QueueUrl"]
    attributes = aws("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn", "Policy"])[
        "Attributes"
    ]
    assert target["Arn"] == attributes["QueueArn"] and target["SqsParameters"] == {
        "MessageGroupId": "shipments"
    }
    (statement,) = json.loads(attributes["Policy"])["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
