"""Where Lambda zips live: the stack's deployment bucket, content-addressed, cleaned after each deploy."""

from __future__ import annotations

from typing import Any

from stackwright import Artifact, ArtifactStore, Phase, StackContext, StackwrightError, hookimpl, plural

from .cleanup import clean
from .images import image_store_for
from .s3 import S3Store, bucket_of, store_for


@hookimpl(trylast=True)
def stackwright_get_artifact_store(ctx: StackContext, artifact: Artifact) -> ArtifactStore | None:
    return image_store_for(ctx) if artifact.kind == "image" else store_for(ctx)


@hookimpl
def stackwright_after_phase(ctx: StackContext, phase: Phase, outcome: Any) -> None:
    """After a deploy (executed or with no changes) and a hot-swap that stored code: clean the bucket. A
    hot-swap that sent its code in the update calls leaves the bucket as it is (what an earlier hot-swap
    stored goes at the next clean), so it waits for nothing it does not need."""
    if phase is Phase.UPLOAD:
        ctx.memo["artifact-store-sent"] = bool(ctx.memo.get("artifact-store-sent")) or bool(outcome)
        return
    if phase not in (Phase.DEPLOY, Phase.HOTSWAP) or not ctx.settings.get("execute", True):
        return
    if phase is Phase.HOTSWAP and not ctx.memo.get("artifact-store-sent"):
        return
    bucket = bucket_of(ctx)
    zips = [a for a in ctx.artifacts.values() if a.kind == "lambda-zip"]
    if not bucket or not all(isinstance(ctx.plugins.find_artifact_store(ctx, a), S3Store) for a in zips):
        return  # not when another plugin stores the artifacts
    lock_check = ctx.memo.get("lock-check")
    if callable(lock_check):
        try:
            lock_check()
        except StackwrightError as lost:  # another deploy runs now: what looks unused may be its
            ctx.report.warn(f"{lost.message}; the bucket is left as it is")
            return
    # after a deploy the stack runs the template just deployed (or found unchanged)
    live = ctx.template.to_dict() if phase is Phase.DEPLOY else ctx.require_target().deployed_template(ctx)
    removed = clean(ctx, bucket, live)
    if removed:
        ctx.report.note(
            f"removed {plural(len(removed), 'object')} no kept or running deployment uses from {bucket}"
        )
