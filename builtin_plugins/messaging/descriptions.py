"""What each property of the `sqs-queue` and `sns-topic` types means (the descriptions editors show on
hover and the config reference lists)."""

from __future__ import annotations

QUEUE_EVENT_TEXTS = {
    "messageGroupId": "Message group id given to the events delivered to a FIFO queue.",
    "eventBusArn": "ARN of an event bus outside this config to listen on.",
    "eventBusName": "Name of the `event-bus` resource in this config to listen on.",
    "useDefaultBus": "Listen on the account's default event bus (AWS services' events).",
    "eventPattern": "Which events are delivered: EventBridge's event pattern; every field given must match.",
    "onDeliveryFailure": "The queue that receives events that could not be delivered.",
    "onDeliveryFailure.sqsQueueArn": "ARN of the queue for undeliverable events.",
    "onDeliveryFailure.sqsQueueName": "Name of the `sqs-queue` resource for undeliverable events.",
    "input": "A fixed JSON value delivered instead of the event.",
    "inputPath": "A JSONPath into the event: only that part is delivered (`$.detail`).",
    "inputTransformer": "Builds the delivered message from parts of the event.",
    "inputTransformer.inputPathsMap": "Names → JSONPaths into the event, for use in `inputTemplate`.",
    "inputTransformer.inputTemplate": "The message, with `<name>` placeholders from `inputPathsMap`.",
}

QUEUE_TEXTS = {
    "delayMessagesSecond": "Seconds every new message stays invisible before it can be received (0 to 900, "
    "default 0).",
    "maxMessageSizeBytes": "Largest message accepted, in bytes (at least 1,024; default: SQS's maximum).",
    "messageRetentionPeriodSeconds": "Seconds a message is kept when nobody deletes it (60 to 1,209,600, "
    "default 345,600: 4 days).",
    "longPollingSeconds": "Seconds a receive call waits for a message to arrive (0 to 20; default 0: "
    "return at once).",
    "visibilityTimeoutSeconds": "Seconds a received message stays hidden from other consumers (0 to 43,200, "
    "default 30); at least the consuming function's timeout.",
    "fifoEnabled": "A FIFO queue: exactly-once delivery, in order within a message group. Cannot be changed "
    "later.",
    "fifoHighThroughput": "Higher throughput for a FIFO queue, deduplicating and limiting per message group.",
    "contentBasedDeduplication": "For a FIFO queue: messages with the same body within 5 minutes are "
    "delivered once.",
    "redrivePolicy": "Move a message that keeps failing to another queue (a dead-letter queue).",
    "redrivePolicy.targetSqsQueueName": "Name of the `sqs-queue` resource in this config to move it to.",
    "redrivePolicy.targetSqsQueueArn": "ARN of a queue outside this config to move it to.",
    "redrivePolicy.maxReceiveCount": "Receives after which a message is moved (1 to 1,000).",
    "alarms": "CloudWatch alarms on the queue's metrics (not supported yet).",
    "disabledGlobalAlarms": "Names of project-wide alarms that do not apply to this queue.",
    "policyStatements": "Statements added to the queue's resource policy (not supported yet).",
    "policyStatements.Effect": "`Allow` or `Deny`.",
    "policyStatements.Action": "SQS actions (`sqs:SendMessage`).",
    "policyStatements.Condition": "IAM condition block: operator → condition key → value(s).",
    "policyStatements.Principal": "Who the statement applies to (`{Service: events.amazonaws.com}`).",
    "events": "EventBridge events delivered to the queue: those of a bus that match a pattern.",
}

TOPIC_TEXTS = {
    "smsDisplayName": "Sender name shown on SMS messages sent from the topic (at most 11 characters).",
    "fifoEnabled": "A FIFO topic: ordered, deduplicated delivery to FIFO queues. Cannot be changed later.",
    "contentBasedDeduplication": "For a FIFO topic: messages with the same body within 5 minutes are "
    "delivered once.",
}

STREAM_TEXTS = {
    "capacityMode": "`ON_DEMAND` (default): capacity follows the traffic; `PROVISIONED`: a fixed number of "
    "shards.",
    "shardCount": "Shards of a `PROVISIONED` stream (each takes 1 MB/s or 1,000 records/s in; default 1).",
    "retentionPeriodHours": "Hours records are kept (24 to 8,760, default 24).",
    "encryption": "Encrypt records at rest with a KMS key.",
    "encryption.enabled": "Encrypt records at rest.",
    "encryption.kmsKeyArn": "ARN of your own KMS key (default: the AWS managed key of Kinesis).",
    "enableEnhancedFanOut": "Give consumers a dedicated read throughput (not supported yet).",
}

BUS_TEXTS = {
    "eventSourceName": "Name of a partner event source the bus receives events from (a SaaS partner's).",
    "archivation": "Keep the events the bus receives, so they can be replayed.",
    "archivation.enabled": "Archive the events.",
    "archivation.retentionDays": "Days archived events are kept (default: for ever).",
}
