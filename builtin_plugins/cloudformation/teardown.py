"""Delete a stack with everything in it: buckets emptied (all versions), images removed, then the stack."""

from __future__ import annotations

import contextlib
from typing import Any

from stackwright import StackContext, StackwrightError, plural

from . import hotswap_record
from .state import delete_and_wait


def _resources(cf: Any, stack: str) -> list[dict[str, Any]]:
    from .nested import list_resources

    return list_resources(cf, stack)  # with those of its nested stacks


def empty_bucket(s3: Any, bucket: str) -> int:
    removed = 0
    try:
        pages = list(s3.get_paginator("list_object_versions").paginate(Bucket=bucket))
    except s3.exceptions.NoSuchBucket:
        return 0
    for page in pages:
        items = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
        ]
        for start in range(0, len(items), 1000):
            s3.delete_objects(Bucket=bucket, Delete={"Objects": items[start : start + 1000], "Quiet": True})
            removed += len(items[start : start + 1000])
    return removed


def empty_repository(ecr: Any, repository: str) -> int:
    try:
        ids = [
            i
            for page in ecr.get_paginator("list_images").paginate(repositoryName=repository)
            for i in page["imageIds"]
        ]
    except ecr.exceptions.RepositoryNotFoundException:
        return 0
    for start in range(0, len(ids), 100):
        ecr.batch_delete_image(repositoryName=repository, imageIds=ids[start : start + 100])
    return len(ids)


def retained(ctx: StackContext) -> set[str]:
    """Logical ids the deployed template keeps when the stack goes (DeletionPolicy Retain): their data
    must survive `delete`, so they are neither emptied nor removed."""
    template = hotswap_record.deployed_template(ctx) or {}
    return {
        str(lid)
        for lid, body in (template.get("Resources") or {}).items()
        if isinstance(body, dict) and body.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate")
    }


def teardown(ctx: StackContext) -> None:
    cf = ctx.clients.client("cloudformation")
    s3 = ctx.clients.client("s3")
    ecr = ctx.clients.client("ecr")
    resources = _resources(cf, ctx.stack_name)
    kept = retained(ctx)
    for r in resources:
        if r.get("LogicalResourceId") in kept and r.get("PhysicalResourceId"):
            ctx.report.note(
                f"keeping {r['ResourceType']} {r['PhysicalResourceId']}: its DeletionPolicy is Retain"
            )

    def physical(kind: str) -> list[str]:
        return [
            r["PhysicalResourceId"]
            for r in resources
            if r["ResourceType"] == kind
            and r.get("PhysicalResourceId")
            and r["LogicalResourceId"] not in kept
        ]

    buckets = physical("AWS::S3::Bucket")
    repositories = physical("AWS::ECR::Repository")
    for bucket in buckets:
        count = empty_bucket(s3, bucket)
        ctx.report.note(f"emptied bucket {bucket} ({plural(count, 'object version')})")
    for repository in repositories:
        count = empty_repository(ecr, repository)
        ctx.report.note(f"emptied image repository {repository} ({plural(count, 'image')})")
    final = delete_and_wait(ctx, cf, ctx.stack_name)
    if final != "DELETE_COMPLETE":
        raise StackwrightError(
            f"stack {ctx.stack_name} could not be deleted ({final})",
            hint="see the events above; run `stackwright delete` again once the cause is fixed",
        )
    from .extension_setup import delete_stack_secrets

    gone = delete_stack_secrets(ctx)
    if gone:
        ctx.report.note(f"deleted {plural(gone, 'provider secret')} of {ctx.stack_name}")
    if ctx.project.target == "local":
        # The local engine keeps a stack's buckets and repositories after deleting the stack; AWS does not.
        for bucket in buckets:
            with contextlib.suppress(s3.exceptions.ClientError):
                s3.delete_bucket(Bucket=bucket)
        for repository in repositories:
            with contextlib.suppress(ecr.exceptions.ClientError):
                ecr.delete_repository(repositoryName=repository, force=True)
