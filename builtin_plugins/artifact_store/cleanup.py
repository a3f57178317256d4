"""Keep the current deployment and N previous ones; remove what nothing kept or running uses.

After every successful deploy, no-change deploy and hot-swap (under the stack's deploy lock, so no other
deploy is between upload and execution) whose zips this store keeps, the bucket keeps:
  - the templates of the last `previousVersionsToKeep` + 1 versions in the index (`stackwright.versions`);
  - every code zip one of those templates points at, or the stack's live template points at;
  - every code zip a hot-swap put in place that still runs (the hot-swap record's digests).
Everything else that stackwright put there is removed: zips of older versions, of failed or interrupted
deploys and of superseded hot-swaps, templates of versions that never deployed, and unfinished multipart
uploads (an upload killed half-way).
"""

from __future__ import annotations

import re
from typing import Any

from stackwright import StackContext, versions

from .s3 import delete_keys

DEFAULT_KEEP = 25
#: The keys of code zips: `{kind}/{digest}.zip` (`Artifact.s3_key`), and `{artifact}/{version}-{digest}.zip`
#: as earlier releases named them (removed once nothing kept uses them).
ZIP_KEY = re.compile(r"^[^/]+/(v\d+-)?(?P<digest>[0-9a-f]{64})\.zip$")


def keep_count(ctx: StackContext) -> int:
    """`deploymentConfig.previousVersionsToKeep` (default 25)."""
    return int((ctx.config.data.get("deploymentConfig") or {}).get("previousVersionsToKeep", DEFAULT_KEEP))


def clean(ctx: StackContext, bucket: str, live: dict[str, Any] | None) -> list[str]:
    """Drop the versions beyond the window from the index and remove what nothing kept, nothing in
    `live` (the template the stack runs) and no running hot-swap uses. Returns the removed keys."""
    s3 = ctx.clients.client("s3")
    index = versions.read_index(s3, bucket)
    stored = versions.stored_templates(s3, bucket)
    ordered = sorted(index, key=versions.version_number)
    keep = keep_count(ctx)
    kept, dropped = ordered[-(keep + 1) :], ordered[: -(keep + 1)]
    for version in dropped:
        index.pop(version)
    removed = [versions.template_key(versions.version_number(v)) for v in dropped]
    newest = max((versions.version_number(v) for v in kept), default=0)
    # templates of versions that never deployed (stopped before executing, or failed), older than the
    # newest deployed one (so version numbers only go up)
    kept_numbers = {versions.version_number(v) for v in kept}
    removed += [versions.template_key(n) for n in stored if n < newest and n not in kept_numbers]
    used = {key for version in kept for key in index[version]} | versions.referenced_keys(live or {})
    running = {str(e.get("digest", "")) for e in (ctx.state.hotswapped if ctx.state else {}).values()}
    removed += [
        key
        for key in _zip_keys(s3, bucket)
        if key not in used and (m := ZIP_KEY.match(key)) and m.group("digest") not in running
    ]
    _abort_uploads(ctx, s3, bucket)
    removed = sorted(set(removed))
    if removed:
        delete_keys(s3, bucket, removed)
    versions.write_index(s3, bucket, index)
    return removed


def _zip_keys(s3: Any, bucket: str) -> list[str]:
    return [
        str(item["Key"])
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for item in page.get("Contents", [])
        if ZIP_KEY.match(str(item["Key"])) and not versions.TEMPLATE_KEY.match(str(item["Key"]))
    ]


def _abort_uploads(ctx: StackContext, s3: Any, bucket: str) -> None:
    """Unfinished multipart uploads: under the deploy lock, none is another deploy's."""
    aborted = 0
    for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket):
        for upload in page.get("Uploads", []):
            s3.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])
            aborted += 1
    if aborted:
        ctx.report.note(f"aborted {aborted} unfinished uploads left in {bucket}")
