"""What `read_stack` tells of the kept versions: each one's artifacts (zips in the deployment bucket
with their sizes, images with theirs when the registry says), and the template the stack runs as it
was kept (before a target resolved anything in it)."""

from __future__ import annotations

import json
import re
from typing import Any

from stackwright import IMAGE_REPOSITORY_ID, KeptArtifact, KeptVersion, StackContext, StackState, versions

#: The digest in an artifact's bucket key or image tag: the longest run of hex digits (12 or more).
_DIGEST = re.compile(r"[0-9a-f]{12,64}")
#: An image tag as artifacts name them: NAME--DIGEST--VERSION.
_IMAGE_TAG = re.compile(r"[A-Za-z0-9._-]+--[0-9a-f]{12,64}--v\d+")


def digest_in(location: str) -> str:
    """The artifact digest a bucket key or image reference carries, or "" when it has none."""
    found = _DIGEST.findall(location.rsplit("/", 1)[-1])
    return max(found, key=len) if found else ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def image_tags(template: dict[str, Any]) -> list[str]:
    """The artifact image tags a template's resources use, sorted."""
    return sorted({m for s in _strings(template.get("Resources", {})) for m in _IMAGE_TAG.findall(s)})


def _sizes(s3: Any, bucket: str) -> dict[str, int]:
    return {
        str(item["Key"]): int(item.get("Size", 0))
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for item in page.get("Contents", [])
    }


def _image_sizes(ctx: StackContext, state: StackState) -> dict[str, int]:
    from botocore.exceptions import BotoCoreError, ClientError

    repository = state.resources.get(IMAGE_REPOSITORY_ID)
    if not repository:
        return {}
    ecr = ctx.clients.client("ecr")
    try:
        return {
            str(tag): int(image.get("imageSizeInBytes", 0))
            for page in ecr.get_paginator("describe_images").paginate(repositoryName=repository)
            for image in page.get("imageDetails", [])
            for tag in image.get("imageTags", [])
        }
    except (BotoCoreError, ClientError):  # images kept outside ECR (the local engine's registry)
        return {}


def read_template(s3: Any, bucket: str, number: int) -> dict[str, Any] | None:
    """The kept template of version `number`, or None when it is gone or unreadable."""
    try:
        body = json.loads(s3.get_object(Bucket=bucket, Key=versions.template_key(number))["Body"].read())
    except (s3.exceptions.NoSuchKey, ValueError):
        return None
    return body if isinstance(body, dict) else None


def kept(
    ctx: StackContext, state: StackState, numbers: list[int], templates: dict[int, dict[str, Any]]
) -> list[KeptVersion]:
    """Each kept version of `numbers` with its artifacts: the bucket keys the index lists for it, and the
    images its template (from `templates`, read from the bucket when missing) uses."""
    bucket = state.bucket
    if not bucket or not numbers:
        return []
    s3 = ctx.clients.client("s3")
    index = versions.read_index(s3, bucket)
    sizes = _sizes(s3, bucket)
    image_sizes: dict[str, int] | None = None
    out = []
    for number in numbers:
        artifacts = [
            KeptArtifact(key, digest_in(key), sizes.get(key), "zip")
            for key in index.get(versions.version_name(number), [])
        ]
        template = templates.get(number) or read_template(s3, bucket, number) or {}
        tags = image_tags(template)
        if tags and image_sizes is None:
            image_sizes = _image_sizes(ctx, state)
        artifacts += [
            KeptArtifact(tag, digest_in(tag), (image_sizes or {}).get(tag), "image") for tag in tags
        ]
        out.append(KeptVersion(number, artifacts))
    return out
