"""Keep the current deployment and N previous ones; remove what no kept deployment uses.

An index object (`stackwright/index.json`) records the artifact keys each version uses, so cleanup
reads one small object instead of every old template, and never removes an unchanged artifact that a
newer version still points at.
"""

from __future__ import annotations

import json
from typing import Any

from stackwright import DEPLOYMENT_BUCKET_ID, StackContext

from .s3 import delete_keys

INDEX_KEY = "stackwright/index.json"
DEFAULT_KEEP = 25


def referenced_keys(value: Any) -> set[str]:
    """Every deployment-bucket key the template points at (Lambda code locations)."""
    found: set[str] = set()
    if isinstance(value, dict):
        if value.get("S3Bucket") == {"Ref": DEPLOYMENT_BUCKET_ID} and isinstance(value.get("S3Key"), str):
            found.add(value["S3Key"])
        for item in value.values():
            found |= referenced_keys(item)
    elif isinstance(value, list):
        for item in value:
            found |= referenced_keys(item)
    return found


def read_index(s3: Any, bucket: str) -> dict[str, list[str]]:
    try:
        body = s3.get_object(Bucket=bucket, Key=INDEX_KEY)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return {}
    data = json.loads(body)
    return {str(k): list(v) for k, v in data.items()} if isinstance(data, dict) else {}


def record_and_clean(ctx: StackContext, bucket: str) -> list[str]:
    """Add this deploy to the index, drop versions beyond the window; return the removed keys."""
    s3 = ctx.clients.client("s3")
    keep = int((ctx.config.data.get("deploymentConfig") or {}).get("previousVersionsToKeep", DEFAULT_KEEP))
    index = read_index(s3, bucket)
    index[ctx.version] = sorted(referenced_keys(ctx.template.to_dict()))
    versions = sorted(index)
    kept = versions[-(keep + 1) :]
    used = {key for version in kept for key in index[version]}
    removed: list[str] = []
    for version in versions[: -(keep + 1)]:
        removed += [key for key in index.pop(version) if key not in used]
        removed.append(f"cf-template/{version}.json")
    if removed:
        delete_keys(s3, bucket, sorted(set(removed)))
    s3.put_object(
        Bucket=bucket,
        Key=INDEX_KEY,
        Body=json.dumps(index, indent=1).encode(),
        ContentType="application/json",
    )
    return removed
