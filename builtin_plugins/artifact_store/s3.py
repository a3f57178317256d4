"""Lambda zips in the deployment bucket, content-addressed: `{kind}/{digest}.zip`, one object per digest
whatever the resources and versions that use it (`Artifact.s3_key`)."""

from __future__ import annotations

import threading
from typing import Any

from stackwright import Artifact, StackContext, StackwrightError

MULTIPART_THRESHOLD = 64 * 1024 * 1024


def bucket_of(ctx: StackContext) -> str | None:
    if ctx.aws is None or ctx.state is None:
        return None
    return ctx.state.bucket


class S3Store:
    """One per deploy: lists each kind's prefix once (ListObjectsV2) and answers from that, so a thousand
    functions cost one listing, not a thousand requests."""

    def __init__(self, ctx: StackContext, bucket: str) -> None:
        self.s3 = ctx.clients.client("s3")
        self.bucket = bucket
        self._listings: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def keys(self, prefix: str) -> set[str]:
        """The bucket's keys under `prefix`, listed on first use and kept current by this store."""
        with self._lock:
            if prefix not in self._listings:
                keys: set[str] = set()
                for page in self.s3.get_paginator("list_objects_v2").paginate(
                    Bucket=self.bucket, Prefix=prefix
                ):
                    keys.update(item["Key"] for item in page.get("Contents", []))
                self._listings[prefix] = keys
            return self._listings[prefix]

    def find(self, artifact: Artifact) -> str | None:
        """The artifact's own version when the bucket holds its digest (the key has no version)."""
        return artifact.version if artifact.s3_key in self.keys(_prefix(artifact)) else None

    def upload(self, artifact: Artifact) -> int:
        if artifact.path is None:
            raise StackwrightError(f"artifact {artifact.name!r} was not built")
        from boto3.exceptions import S3UploadFailedError
        from boto3.s3.transfer import TransferConfig

        config = TransferConfig(multipart_threshold=MULTIPART_THRESHOLD, max_concurrency=4)
        try:
            self.s3.upload_file(str(artifact.path), self.bucket, artifact.s3_key, Config=config)
        except S3UploadFailedError as error:  # a part refused, or the upload aborted under it
            raise StackwrightError(
                f"could not upload {artifact.name} to {self.bucket}: {error}",
                hint="run the deploy again: it sends what the bucket does not hold yet",
            ) from None
        with self._lock:
            self._listings.setdefault(_prefix(artifact), set()).add(artifact.s3_key)
        return artifact.path.stat().st_size

    def delete(self, artifact: Artifact) -> None:
        self.s3.delete_object(Bucket=self.bucket, Key=artifact.s3_key)
        with self._lock:
            self._listings.get(_prefix(artifact), set()).discard(artifact.s3_key)


def _prefix(artifact: Artifact) -> str:
    return artifact.s3_key.rsplit("/", 1)[0] + "/"


def store_for(ctx: StackContext) -> S3Store | None:
    bucket = bucket_of(ctx)
    if bucket is None:
        return None
    store = ctx.memo.get("s3-store")
    if not isinstance(store, S3Store) or store.bucket != bucket:
        store = ctx.memo["s3-store"] = S3Store(ctx, bucket)
    return store


def delete_keys(s3: Any, bucket: str, keys: list[str]) -> None:
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in chunk], "Quiet": True})
