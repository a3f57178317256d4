"""Append one audit entry to the ledger this function is connected to."""

import datetime
import os

import boto3

TABLE = os.environ["STP_LEDGER_TABLE_NAME"]


def handler(event, context):
    entry = {
        "subject": {"S": str(event.get("subject", "unknown"))},
        "at": {"S": datetime.datetime.now(datetime.UTC).isoformat()},
        "action": {"S": str(event.get("action", ""))},
    }
    boto3.client("dynamodb").put_item(TableName=TABLE, Item=entry)
    return {"recorded": entry["at"]["S"]}
