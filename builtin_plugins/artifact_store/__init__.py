"""Where Lambda zips live: the stack's deployment bucket, content-addressed, cleaned after each deploy."""

from __future__ import annotations

from typing import Any

from stackwright import Artifact, ArtifactStore, Phase, StackContext, hookimpl

from .cleanup import record_and_clean
from .images import image_store_for
from .s3 import S3Store, bucket_of, store_for


@hookimpl(trylast=True)
def stackwright_get_artifact_store(ctx: StackContext, artifact: Artifact) -> ArtifactStore | None:
    return image_store_for(ctx) if artifact.kind == "image" else store_for(ctx)


@hookimpl
def stackwright_after_phase(ctx: StackContext, phase: Phase, outcome: Any) -> None:
    if phase is not Phase.DEPLOY or not getattr(outcome, "executed", False):
        return
    bucket = bucket_of(ctx)
    zips = [a for a in ctx.artifacts.values() if a.kind == "lambda-zip"]
    ours = all(isinstance(ctx.plugins.find_artifact_store(ctx, a), S3Store) for a in zips)
    if bucket and ours:  # not when another plugin stores the artifacts
        removed = record_and_clean(ctx, bucket)
        if removed:
            ctx.report.note(f"removed {len(removed)} objects of old deployments from {bucket}")
