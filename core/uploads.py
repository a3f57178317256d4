"""Phase 4, upload: send what the artifact stores do not hold yet, in parallel; stop cleanly on Ctrl-C or a
failure; remove what a deploy that did not execute sent."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor, as_completed, wait

from stackwright.artifacts import Artifact
from stackwright.aws import target_error
from stackwright.context import StackContext
from stackwright.errors import StackwrightError
from stackwright.packaging import Packaged
from stackwright.records import Phase
from stackwright.report import human_size


def upload(ctx: StackContext, packaged: list[Packaged]) -> list[Artifact]:
    """Phase 4: send every artifact the store does not have yet, in parallel, each content once: of the
    artifacts with one digest, the first is sent and the others only when their store still lacks them
    after it (a content-addressed bucket holds them all then; a registry takes one tag per job). Returns
    what was sent."""
    plugins = ctx.plugins
    plugins.before_phase(ctx, Phase.UPLOAD)
    todo = [p.artifact for p in packaged if p.status != "stored" and not p.artifact.after_deploy]
    sent: list[Artifact] = []
    total = 0
    lock_check = ctx.memo.get("lock-check")
    if todo and callable(lock_check):
        lock_check()  # a deploy resumed after another took its lock over sends nothing
    if todo:
        groups: dict[tuple[str, str], list[Artifact]] = {}
        for artifact in todo:
            groups.setdefault((artifact.kind, artifact.digest), []).append(artifact)
        done: list[Artifact] = []
        with ctx.report.progress(len(groups), "uploading") as bar:

            def send(members: list[Artifact]) -> int:
                size = 0
                for index, artifact in enumerate(members):
                    store = plugins.get_artifact_store(ctx, artifact)
                    with plugins.blame():
                        if index == 0 or store.find(artifact) is None:
                            size += store.upload(artifact)
                            done.append(artifact)  # list.append is atomic: the pool's threads share it
                others = f" (and {len(members) - 1} sharing it)" if len(members) > 1 else ""
                bar.advance(members[0].name + others)
                return size

            pool = ThreadPoolExecutor(max_workers=min(8, len(groups)), thread_name_prefix="upload")
            futures = [pool.submit(send, members) for members in groups.values()]
            try:
                for future in as_completed(futures):
                    total += future.result()
            except BaseException as error:
                _stop_uploads(ctx, pool, futures, done, error)  # a second Ctrl-C there leaves at once
                raise
            pool.shutdown(wait=True)
            sent = list(done)
    ctx.report.event(
        "uploaded",
        f"uploaded {count(len(sent), 'artifact')} ({human_size(total)})",
        artifacts=len(sent),
        bytes=total,
    )
    plugins.after_phase(ctx, Phase.UPLOAD, sent)
    return sent


def _stop_uploads(
    ctx: StackContext,
    pool: ThreadPoolExecutor,
    futures: list[Future[int]],
    done: list[Artifact],
    error: BaseException,
) -> None:
    """An upload failed or Ctrl-C came: start no other, let those under way finish (a request cannot be
    cut half-way; a second Ctrl-C stops waiting), then remove what was sent (`done`), so the bucket is as
    before. A deploy that lost its lock says so rather than the upload's error, and removes nothing."""
    pool.shutdown(wait=False, cancel_futures=True)
    under_way = [f for f in futures if not f.done()]
    ctrl_c = isinstance(error, KeyboardInterrupt)
    if ctrl_c and under_way:
        ctx.report.note(
            f"interrupted: waiting for {count(len(under_way), 'upload')} under way to end "
            "(Ctrl-C again to stop waiting; the next deploy removes what they leave)"
        )
    wait(under_way)
    lock_check = ctx.memo.get("lock-check")
    if callable(lock_check):
        try:
            lock_check()  # another deploy took the lock (and may have aborted this upload)
        except StackwrightError as lost:
            if not ctrl_c:
                raise
            ctx.report.warn(f"{lost.message}; what it uploaded is left for the next deploy to sweep")
            ctx.memo["interrupted-said"] = True  # the stack may have changed: not "unchanged"
            return
        except Exception:  # cannot tell now (the target does not answer)
            pass
    if ctrl_c:
        from stackwright.deploy import interrupted

        interrupted(ctx)
    remove_uploaded(ctx, list(done))


def count(number: int, noun: str) -> str:
    """`1 upload`, `2 uploads`: English plurals for the nouns these messages use."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def remove_uploaded(ctx: StackContext, sent: list[Artifact]) -> None:
    """Remove what a deploy that did not execute uploaded; best effort (what stays behind is swept by the
    next deploy's cleanup), and never hiding the deploy's own error. Nothing is removed once another
    deploy took this one's lock over: it may have sent the same keys (same version, same digest)."""
    if not sent or ctx.memo.get("lock-lost"):
        return
    lock_check = ctx.memo.get("lock-check")
    if callable(lock_check):
        try:
            lock_check()  # a deploy that lost its lock without knowing yet (Ctrl-C once resumed)
        except StackwrightError as lost:
            ctx.report.warn(f"{lost.message}; what it uploaded is left for the next deploy to sweep")
            return
        except Exception:  # cannot tell now; the deletes below say whether the target answers
            pass
    removed, failed = 0, ""
    for artifact in sent:
        try:
            store = ctx.plugins.get_artifact_store(ctx, artifact)
            store.delete(artifact)
            removed += 1
        except Exception as error:
            failed = failed or str(error)
            if target_error(error) is not None:  # the target does not answer: the others would wait too
                break
    if removed:
        ctx.report.note(f"removed the {count(removed, 'artifact')} this deploy uploaded")
    if failed:
        ctx.report.warn(
            f"could not remove {count(len(sent) - removed, 'artifact')} this deploy uploaded ({failed}); "
            "the next deploy removes them"
        )
