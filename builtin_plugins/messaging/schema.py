"""JSON Schema of the `sqs-queue`, `sns-topic`, `kinesis-stream` and `event-bus` types' properties
(Stacktape's property names)."""

from __future__ import annotations

from typing import Any

from stackwright import schema

from .descriptions import BUS_TEXTS, QUEUE_EVENT_TEXTS, QUEUE_TEXTS, STREAM_TEXTS, TOPIC_TEXTS

_obj, _strings, _tagged = schema.obj, schema.strings, schema.tagged


DEFINITIONS: dict[str, Any] = {
    "EventBusPattern": schema.SHARED_DEFINITIONS["EventBusPattern"],
    "SqsQueueEvent": _tagged(
        "event-bus",
        _obj(
            {
                "messageGroupId": {"type": "string"},
                "eventBusArn": {"type": "string"},
                "eventBusName": {"type": "string"},
                "useDefaultBus": {"type": "boolean"},
                "eventPattern": {"$ref": "#/$defs/EventBusPattern"},
                "onDeliveryFailure": _obj(
                    {"sqsQueueArn": {"type": "string"}, "sqsQueueName": {"type": "string"}}
                ),
                "input": {},
                "inputPath": {"type": "string"},
                "inputTransformer": _obj({"inputPathsMap": {}, "inputTemplate": {}}, "inputTemplate"),
            },
            "eventPattern",
        ),
        summary="deliver the events of an EventBridge bus that match a pattern.",
    ),
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "sqs-queue": _obj(
        {
            "delayMessagesSecond": {"type": "number"},
            "maxMessageSizeBytes": {"type": "number"},
            "messageRetentionPeriodSeconds": {"type": "number"},
            "longPollingSeconds": {"type": "number"},
            "visibilityTimeoutSeconds": {"type": "number"},
            "fifoEnabled": {"type": "boolean"},
            "fifoHighThroughput": {"type": "boolean"},
            "contentBasedDeduplication": {"type": "boolean"},
            "redrivePolicy": _obj(
                {
                    "targetSqsQueueName": {"type": "string"},
                    "targetSqsQueueArn": {"type": "string"},
                    "maxReceiveCount": {"type": "number"},
                },
                "maxReceiveCount",
            ),
            "alarms": {"type": "array", "items": {"type": "object"}},
            "disabledGlobalAlarms": _strings(),
            "policyStatements": {
                "type": "array",
                "items": _obj(
                    {"Effect": {"type": "string"}, "Action": _strings(), "Condition": {}, "Principal": {}},
                    "Effect",
                    "Action",
                    "Principal",
                ),
            },
            "events": {"type": "array", "items": {"$ref": "#/$defs/SqsQueueEvent"}},
        }
    ),
    "sns-topic": _obj(
        {
            "smsDisplayName": {"type": "string"},
            "fifoEnabled": {"type": "boolean"},
            "contentBasedDeduplication": {"type": "boolean"},
        }
    ),
    "kinesis-stream": _obj(
        {
            "capacityMode": {"type": "string", "enum": ["ON_DEMAND", "PROVISIONED"], "default": "ON_DEMAND"},
            "shardCount": {"type": "number", "minimum": 1, "default": 1},
            "retentionPeriodHours": {"type": "number", "minimum": 24, "maximum": 8760, "default": 24},
            "encryption": _obj({"enabled": {"type": "boolean"}, "kmsKeyArn": {"type": "string"}}, "enabled"),
            "enableEnhancedFanOut": {"type": "boolean", "default": False},
        }
    ),
    "event-bus": _obj(
        {
            "eventSourceName": {"type": "string"},
            "archivation": _obj(
                {"enabled": {"type": "boolean"}, "retentionDays": {"type": "number"}}, "enabled"
            ),
        }
    ),
}

schema.describe(SCHEMAS["kinesis-stream"], STREAM_TEXTS)
schema.describe(SCHEMAS["event-bus"], BUS_TEXTS)
schema.describe(DEFINITIONS["SqsQueueEvent"], QUEUE_EVENT_TEXTS)
schema.describe(SCHEMAS["sqs-queue"], QUEUE_TEXTS)
schema.describe(SCHEMAS["sns-topic"], TOPIC_TEXTS)

#: Properties the schema accepts (so Stacktape configs validate) but no compiler handles yet.
schema.refuse(
    SCHEMAS["sqs-queue"],
    {
        "alarms": "remove it: alarms are not supported yet",
        "policyStatements": "remove it: the queue's policy is made from what is connected to it",
    },
)
schema.refuse(
    SCHEMAS["kinesis-stream"],
    {
        "enableEnhancedFanOut": "a function's kinesis-stream event with `autoCreateConsumer: true` reads "
        "with its own dedicated throughput"
    },
)
