"""Replays of what CloudFormation really returns, for botocore's Stubber (which checks every request
and response against the service model)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import ANY

ACCOUNT = "123456789012"
STACK = "demo-dev"
STACK_ID = f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/{STACK}/0f8e2c70-9a4e-11ef-8d7a-0affd3b7c1e3"
BUCKET = "demo-dev-deploy-6c2f1a9b"
_ids = itertools.count(1)


def stack(status: str, reason: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {
        "StackId": STACK_ID,
        "StackName": STACK,
        "CreationTime": datetime(2026, 11, 1, tzinfo=UTC),
        "StackStatus": status,
        "Outputs": [{"OutputKey": "StpDeploymentBucketName", "OutputValue": BUCKET}],
    }
    if reason:
        body["StackStatusReason"] = reason
    return {"Stacks": [body]}


def resources(*pairs: tuple[str, str, str]) -> dict[str, Any]:
    return {
        "StackResourceSummaries": [
            {
                "LogicalResourceId": logical,
                "PhysicalResourceId": physical,
                "ResourceType": kind,
                "LastUpdatedTimestamp": datetime(2026, 11, 1, tzinfo=UTC),
                "ResourceStatus": "UPDATE_COMPLETE",
            }
            for logical, kind, physical in pairs
        ]
    }


BOOTSTRAPPED = resources(
    ("StpDeploymentBucket", "AWS::S3::Bucket", BUCKET),
    ("StpContainerRepository", "AWS::ECR::Repository", "demo-dev-image-repository"),
    ("ApiFunction", "AWS::Lambda::Function", "demo-dev-api"),
)


def events(
    *rows: tuple[str, str, str, str], stack_id: str = STACK_ID, start: datetime | None = None
) -> dict[str, Any]:
    """Rows oldest first as (logical id, type, status, reason); returned newest first like the API."""
    start = start or datetime.now(UTC) + timedelta(seconds=5)
    out = []
    for offset, (logical, kind, status, reason) in enumerate(rows):
        event: dict[str, Any] = {
            "StackId": stack_id,
            "EventId": f"{logical}-{status}-{next(_ids)}",
            "StackName": stack_id.split("/")[1],
            "LogicalResourceId": logical,
            "PhysicalResourceId": stack_id
            if kind == "AWS::CloudFormation::Stack" and logical == stack_id.split("/")[1]
            else f"{logical.lower()}-physical",
            "ResourceType": kind,
            "Timestamp": start + timedelta(seconds=offset),
            "ResourceStatus": status,
        }
        if reason:
            event["ResourceStatusReason"] = reason
        out.append(event)
    return {"StackEvents": list(reversed(out))}


def change_set(
    status: str, changes: list[tuple[str, str, str, str]] = (), reason: str = ""
) -> dict[str, Any]:  # type: ignore[assignment]
    body: dict[str, Any] = {
        "ChangeSetName": "stackwright-v000004-1",
        "ChangeSetId": f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:changeSet/stackwright-v000004-1/5d1f",
        "StackId": STACK_ID,
        "StackName": STACK,
        "Status": status,
        "ExecutionStatus": "AVAILABLE" if status == "CREATE_COMPLETE" else "UNAVAILABLE",
        "Changes": [
            {
                "Type": "Resource",
                "ResourceChange": {
                    "Action": action,
                    "LogicalResourceId": logical,
                    "ResourceType": kind,
                    **({"Replacement": replacement} if action == "Modify" else {}),
                },
            }
            for action, logical, kind, replacement in changes
        ],
    }
    if reason:
        body["StatusReason"] = reason
    return body


class Stubs:
    """botocore Stubbers on clients of `services` (CloudFormation and S3 by default), checked against
    the real API model; `done()` asserts every queued response was used."""

    def __init__(self, *services: str) -> None:
        import boto3
        from botocore.stub import Stubber

        self.clients = {
            name: boto3.client(
                name, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
            )
            for name in services or ("cloudformation", "s3")
        }
        self.stubbers = {name: Stubber(client) for name, client in self.clients.items()}
        for stubber in self.stubbers.values():
            stubber.activate()

    def add(
        self, service: str, method: str, response: dict[str, Any], params: dict[str, Any] | None = None
    ) -> None:
        self.stubbers[service].add_response(method, response, params)

    def cf(self, method: str, response: dict[str, Any], params: dict[str, Any] | None = None) -> None:
        self.add("cloudformation", method, response, params)

    def s3(self, method: str, response: dict[str, Any], params: dict[str, Any] | None = None) -> None:
        self.add("s3", method, response, params)

    def index_read(self) -> None:
        """The version index read from the bucket, where there is none yet."""
        self.stubbers["s3"].add_client_error(
            "get_object",
            "NoSuchKey",
            http_status_code=404,
            expected_params={"Bucket": BUCKET, "Key": "stackwright/index.json"},
        )

    def version_recorded(self) -> None:
        """A deploy that succeeded adds its version to the index."""
        self.index_read()
        self.s3(
            "put_object",
            {},
            {
                "Bucket": BUCKET,
                "Key": "stackwright/index.json",
                "Body": ANY,
                "ContentType": "application/json",
            },
        )

    def done(self) -> None:
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()
