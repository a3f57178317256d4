"""Messaging resource types: SQS queues and SNS topics."""
