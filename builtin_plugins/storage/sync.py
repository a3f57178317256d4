"""Sync a hosting bucket (or a bucket with `directoryUpload`) with its content: upload the files whose
bytes, headers or tags differ from the bucket's, delete the objects the folder no longer has, then
invalidate the changed paths in CloudFront's cache (when a distribution serves the bucket).

What the bucket holds is read from it (each object's ETag, the MD5 of its bytes for a single-part
upload); the headers and tags of the last sync are kept in the deployment bucket (`synced_key`), so a
change of headers alone is sent too, and a lost record only means every file is sent once more.
"""

from __future__ import annotations

import hashlib
import json
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from stackwright import Artifact, Resource, StackContext, StackwrightError, human_size, plural

from .content import S3_HEADERS, http_date, upload_root

#: More changed paths than this are invalidated as `/*`: CloudFront bills each path beyond the first
#: 1,000 of a month, and a wildcard counts as one (AWS: "Paying for file invalidation").
MAX_PATHS = 100
#: Objects per DeleteObjects request (its limit, AWS S3 API reference).
DELETE_BATCH = 1000


def synced_key(resource: str) -> str:
    """Where the deployment bucket keeps what the last sync of `resource` put in its bucket."""
    return f"hosting/{resource}/synced.json"


def hosting_bucket_name(ctx: StackContext, resource: str) -> str:
    """The bucket's name, as the template builds it (`bucket.bucket_name`)."""
    return f"{ctx.physical_name(resource, 's3-bucket')}-{ctx.project.account}-{ctx.project.region}"


def distribution_id(ctx: StackContext, resource: str) -> str:
    """The id of the resource's distribution, read from the stack (ListStackResources)."""
    logical_id = ctx.logical_id(resource, "Distribution")
    pages = ctx.clients.client("cloudformation").get_paginator("list_stack_resources")
    for page in pages.paginate(StackName=ctx.stack_name):
        for item in page.get("StackResourceSummaries", []):
            if item.get("LogicalResourceId") == logical_id and item.get("PhysicalResourceId"):
                return str(item["PhysicalResourceId"])
    raise StackwrightError(f"the stack {ctx.stack_name} has no distribution {logical_id}")


def sync(
    ctx: StackContext,
    resource: Resource,
    artifact: Artifact,
    *,
    plan_only: bool = False,
    transform: Callable[[str, Callable[[], bytes]], bytes | None] | None = None,
) -> str:
    """Make the bucket of `resource` hold exactly the files of its manifest (`artifact.path`) and, when
    a distribution serves it (`artifact.details["distribution"]`), invalidate what changed; return one
    line saying what was done. `transform(key, read)` gives the bytes to serve instead of a file's own
    (an HTML page with injected values), or None to send the file as it is. Raises StackwrightError
    when S3 or CloudFront refuses (what was sent stays: a new sync sends the rest)."""
    from botocore.exceptions import BotoCoreError, ClientError

    if artifact.path is None:
        raise StackwrightError(f"resources.{resource.name}: its content was not built")
    manifest: list[dict[str, Any]] = json.loads(Path(artifact.path).read_text())["files"]
    if plan_only:
        return f"sync {plural(len(manifest), 'file')}"
    s3 = ctx.clients.client("s3")
    bucket = hosting_bucket_name(ctx, resource.name)
    try:
        remote = _listing(s3, bucket)
        previous = _previous(ctx, s3, resource.name)
        wanted = {entry["key"]: entry for entry in manifest}
        root = upload_root(ctx.project.root, artifact.options)
        if transform is not None:
            for entry in manifest:
                source = entry.get("source", entry["key"])
                served = transform(source, partial(_read, root / source))
                if served is not None:
                    entry["md5"] = hashlib.md5(served, usedforsecurity=False).hexdigest()
        send = [
            entry
            for key, entry in wanted.items()
            if remote.get(key) != entry["md5"] or previous.get(key) != _settings(entry)
        ]
        gone = sorted(set(remote) - set(wanted))
        if not wanted and gone:
            ctx.report.warn(
                f"resources.{resource.name}: its folder has no files: the {plural(len(gone), 'object')} of "
                f"bucket {bucket} are deleted"
            )
        sent_bytes = _upload(s3, bucket, root, send, transform)
        for start in range(0, len(gone), DELETE_BATCH):
            batch = [{"Key": key} for key in gone[start : start + DELETE_BATCH]]
            s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
        # what changed since the last complete sync: a sync stopped before its invalidation (or its
        # record) is repeated, so no changed path is left cached
        changed = [e["key"] for e in send if e["key"] in remote or e["key"] in previous]
        changed += sorted((set(gone) | set(previous)) - set(wanted))
        cdn = artifact.details.get("distribution")
        paths = invalidation_paths(cdn, changed) if cdn else []
        invalidated = _invalidate(ctx, resource.name, paths) if paths else ""
        if ctx.state is not None and ctx.state.bucket and (send or gone or previous.keys() != wanted.keys()):
            s3.put_object(
                Bucket=ctx.state.bucket,
                Key=synced_key(resource.name),
                Body=json.dumps({key: _settings(entry) for key, entry in wanted.items()}).encode(),
                ContentType="application/json",
            )
    except (ClientError, BotoCoreError) as error:
        raise StackwrightError(
            f"resources.{resource.name}: syncing its files to bucket {bucket} failed: {error}",
            hint="deploy again: the files that still differ are sent then",
        ) from None
    line = (
        f"{resource.name}: uploaded {plural(len(send), 'file')} ({human_size(sent_bytes)}), "
        f"deleted {len(gone)}, unchanged {len(wanted) - len(send)}"
    )
    return line + (f"; invalidated {plural(len(paths), 'path')} ({invalidated})" if paths else "")


def _settings(entry: dict[str, Any]) -> dict[str, Any]:
    return {"md5": entry["md5"], "headers": entry["headers"], "tags": entry["tags"]}


def _listing(s3: Any, bucket: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = str(item.get("ETag", "")).strip('"')
    return found


def _previous(ctx: StackContext, s3: Any, resource: str) -> dict[str, Any]:
    from botocore.exceptions import ClientError

    if ctx.state is None or not ctx.state.bucket:
        return {}
    try:
        body = s3.get_object(Bucket=ctx.state.bucket, Key=synced_key(resource))["Body"].read()
    except ClientError:
        return {}
    try:
        loaded = json.loads(body)
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _unreadable(path: Path, error: OSError) -> StackwrightError:
    return StackwrightError(
        f"{path}: cannot read it to upload it ({error.strerror})",
        hint="build the site again and deploy; was the folder changed during the deploy?",
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise _unreadable(path, error) from None


def _upload(
    s3: Any,
    bucket: str,
    root: Path,
    entries: list[dict[str, Any]],
    transform: Callable[[str, Callable[[], bytes]], bytes | None] | None,
) -> int:
    def put(entry: dict[str, Any]) -> int:
        source = entry.get("source", entry["key"])  # a clean URL's copy of a page reads the page
        path = root / source
        extra: dict[str, Any] = {S3_HEADERS[name]: value for name, value in entry["headers"].items()}
        if "Expires" in extra:  # an HTTP date (checked at compile), which boto3 takes as a datetime
            extra["Expires"] = http_date(extra["Expires"])
        if entry["tags"]:
            extra["Tagging"] = urllib.parse.urlencode(entry["tags"])
        body = transform(source, partial(_read, path)) if transform is not None else None
        if body is not None:  # changed in memory (an HTML page): small
            entry["md5"] = hashlib.md5(body, usedforsecurity=False).hexdigest()
            s3.put_object(Bucket=bucket, Key=entry["key"], Body=body, **extra)
            return len(body)
        try:  # streamed from the file, not read whole into memory
            with open(path, "rb") as handle:
                entry["md5"] = hashlib.file_digest(handle, "md5").hexdigest()
                handle.seek(0)
                s3.put_object(Bucket=bucket, Key=entry["key"], Body=handle, **extra)
                return int(path.stat().st_size)
        except OSError as error:
            raise _unreadable(path, error) from None

    if not entries:
        return 0
    with ThreadPoolExecutor(max_workers=min(8, len(entries)), thread_name_prefix="sync") as pool:
        return sum(pool.map(put, entries))


def invalidation_paths(props: dict[str, Any], keys: list[str]) -> list[str]:
    """The viewer paths that served the changed or deleted `keys` (`props`: `cdn.invalidation_site`):
    each file, and for an index page its folder (`/docs/`, `/docs`) or for a page file its clean URL
    (`/about`). For a single-page app whose index changed, and for more than `MAX_PATHS` paths, `/*`."""
    index = str(props.get("indexDocument", "/index.html")).lstrip("/")
    spa = props.get("spa")
    if spa and index in keys:
        return ["/*"]
    paths: set[str] = set()
    for key in keys:
        paths.add("/" + key)
        if key == index:
            paths.add("/")
        elif key.endswith("/index.html"):
            folder = "/" + key[: -len("index.html")]
            paths.update({folder, folder.rstrip("/")})
        elif key.endswith(".html") and props.get("normalize", True):
            paths.add("/" + key[: -len(".html")])
    if len(paths) > MAX_PATHS:
        return ["/*"]
    return sorted(urllib.parse.quote(p, safe="/*~!$&'()+,;=:@") for p in paths)


def _invalidate(ctx: StackContext, resource: str, paths: list[str]) -> str:
    cloudfront = ctx.clients.client("cloudfront")
    found = cloudfront.create_invalidation(
        DistributionId=distribution_id(ctx, resource),
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": paths},
            "CallerReference": f"stackwright-{resource}-{time.time_ns()}",
        },
    )
    return str(found["Invalidation"]["Id"])
