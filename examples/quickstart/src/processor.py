"""Reads jobs from the queue and records each one, with a human-friendly size, in the results table."""

import json
import os

import boto3
import humanize

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    for record in event.get("Records", []):
        job = json.loads(record["body"])
        table.put_item(Item={"id": job["id"], "size": humanize.naturalsize(job.get("bytes", 0))})
    return {"processed": len(event.get("Records", []))}
