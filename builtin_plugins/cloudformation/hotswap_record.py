"""What hot-swaps changed behind CloudFormation's back, kept in the deployment bucket until the next full
deploy makes CloudFormation run the same code."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from stackwright import HotswapResult, StackContext

KEY = "stackwright/hotswap.json"


def deployed_template(ctx: StackContext) -> dict[str, Any] | None:
    """The template the stack runs as stackwright compiled it (of a stack split into nested stacks, the
    logical template its root names), or None without a stack."""
    from .nested import logical, root_body

    return logical(ctx, root_body(ctx))


def read(ctx: StackContext, bucket: str | None) -> dict[str, dict[str, str]]:
    if not bucket:
        return {}
    s3 = ctx.clients.client("s3")
    try:
        data = json.loads(s3.get_object(Bucket=bucket, Key=KEY)["Body"].read())
    except s3.exceptions.NoSuchKey:
        return {}
    except ValueError:
        return {}
    return {str(k): dict(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write(ctx: StackContext, results: list[HotswapResult]) -> None:
    bucket = ctx.state.bucket if ctx.state else None
    if not bucket:
        return
    s3 = ctx.clients.client("s3")
    if not results:
        s3.delete_object(Bucket=bucket, Key=KEY)
        if ctx.state:
            ctx.state.hotswapped = {}
        return
    record = dict(ctx.state.hotswapped) if ctx.state else {}
    at = datetime.now(UTC).isoformat(timespec="seconds")
    for result in results:
        record[result.logical_id] = {"digest": result.digest, "at": at, "physical_id": result.physical_id}
    s3.put_object(
        Bucket=bucket, Key=KEY, Body=json.dumps(record, indent=1).encode(), ContentType="application/json"
    )
    if ctx.state:
        ctx.state.hotswapped = record
