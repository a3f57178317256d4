"""JSON Schema of the `sqs-queue` and `sns-topic` types' properties (Stacktape's property names)."""

from __future__ import annotations

from typing import Any

#: Top-level fields of an EventBridge event pattern; their values are patterns of any shape.
EVENT_PATTERN_FIELDS = [
    "version",
    "detail-type",
    "source",
    "account",
    "region",
    "resources",
    "detail",
    "replay-name",
]


def _obj(props: dict[str, Any], *required: str) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        body["required"] = list(required)
    return body


def _tagged(type_name: str, props: dict[str, Any]) -> dict[str, Any]:
    """One branch of a union discriminated by `type`, with its own `properties` object."""
    return _obj({"type": {"type": "string", "const": type_name}, "properties": props}, "type", "properties")


def _strings() -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}}


DEFINITIONS: dict[str, Any] = {
    "SqsQueueEvent": _tagged(
        "event-bus",
        _obj(
            {
                "messageGroupId": {"type": "string"},
                "eventBusArn": {"type": "string"},
                "eventBusName": {"type": "string"},
                "useDefaultBus": {"type": "boolean"},
                "eventPattern": _obj({name: {} for name in EVENT_PATTERN_FIELDS}),
                "onDeliveryFailure": _obj(
                    {"sqsQueueArn": {"type": "string"}, "sqsQueueName": {"type": "string"}}
                ),
                "input": {},
                "inputPath": {"type": "string"},
                "inputTransformer": _obj({"inputPathsMap": {}, "inputTemplate": {}}, "inputTemplate"),
            },
            "eventPattern",
        ),
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
}

REQUIRES_PROPERTIES: dict[str, bool] = {"sqs-queue": False, "sns-topic": False}
