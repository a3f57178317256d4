"""Buckets of synced content (a hosting bucket, a bucket with `directoryUpload`) that a deploy removes.

CloudFormation cannot delete a bucket that holds objects: on AWS the deletion fails while the stack
cleans up (the update still succeeds) and the bucket stays behind, files and all. Their files are the
deploy's own copies of a folder, and the deploy that removes them was approved as destroying their data,
so once it has succeeded, each such bucket that still exists is emptied and deleted.
"""

from __future__ import annotations

from typing import Any

from stackwright import StackContext, plural

from .content import CONTENT_TAG

MEMO = "storage:removed-content-buckets"


def note_removed(ctx: StackContext) -> None:
    """Before the deploy: the buckets of synced content the deployed template has and the new one does
    not (only read when the stack loses resources)."""
    state = ctx.state
    if state is None or not state.exists:
        return
    gone = [lid for lid in state.resources if lid not in ctx.template.resources]
    if not gone:
        return
    with ctx.blame_target():
        deployed = ctx.require_target().deployed_template(ctx) or {}
    resources: dict[str, Any] = deployed.get("Resources", {})
    found = []
    for logical_id in gone:
        body = resources.get(logical_id) or {}
        tags = (body.get("Properties") or {}).get("Tags") or []
        if body.get("Type") == "AWS::S3::Bucket" and any(t.get("Key") == CONTENT_TAG for t in tags):
            found.append(state.resources[logical_id])
    ctx.memo[MEMO] = found


def delete_removed(ctx: StackContext) -> None:
    """After the deploy succeeded: empty and delete each noted bucket that still exists."""
    from botocore.exceptions import ClientError

    buckets = ctx.memo.pop(MEMO, None) or []
    if not buckets:
        return
    s3 = ctx.clients.client("s3")
    for bucket in buckets:
        try:
            s3.head_bucket(Bucket=bucket)
        except ClientError:
            continue  # deleted with the stack's cleanup: it was empty
        removed = 0
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            items = [
                {"Key": v["Key"], "VersionId": v["VersionId"]}
                for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
            ]
            for start in range(0, len(items), 1000):
                s3.delete_objects(
                    Bucket=bucket, Delete={"Objects": items[start : start + 1000], "Quiet": True}
                )
            removed += len(items)
        s3.delete_bucket(Bucket=bucket)
        ctx.report.note(
            f"deleted bucket {bucket}, no longer in the config, and its {plural(removed, 'object')}"
        )
