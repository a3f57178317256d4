"""Phases 2-5 after compile (package beside extensions, bootstrap, upload, deploy) and hot-swap, through
the target and hooks."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed, wait
from contextlib import contextmanager
from typing import Any

from stackwright import pipeline
from stackwright.artifacts import Artifact
from stackwright.aws import target_error
from stackwright.context import StackContext
from stackwright.errors import StackwrightError
from stackwright.naming import BOOTSTRAP_DESCRIPTION
from stackwright.packaging import Packaged, package_stack
from stackwright.records import DeployResult, ExtensionStatus, HotswapResult, Phase, StackState
from stackwright.template import Template


def connect(ctx: StackContext, profile: str | None = None) -> None:
    """Give `ctx` its target's client factory and the account it deploys to (`profile` for `aws`)."""
    target = ctx.require_target()
    if profile:
        ctx.settings["profile"] = profile
    with ctx.blame_target():
        ctx.aws = target.connect(ctx)
        account = target.account(ctx)
    ctx.project = dataclasses.replace(ctx.project, account=account)


def stack_state(ctx: StackContext) -> StackState:
    with ctx.blame_target():
        return ctx.require_target().stack_state(ctx)


def connected_stack(state: Any, **settings: Any) -> StackContext:
    """For commands that work on a deployed stack: the config's context, connected, with its state."""
    ctx = pipeline.open_stack(state.options(target=state.target), state.plugins)
    ctx.report.json = state.json
    ctx.settings.update(settings)
    connect(ctx, state.profile)
    ctx.state = stack_state(ctx)
    return ctx


def deploy_template(ctx: StackContext, template: Template, phase: Phase) -> DeployResult:
    """Deploy `template` through the target. `ctx.settings["executing"]` starts False; a target sets it
    once the stack may be running the template (a change set executed), and what was uploaded for it is
    kept from then on."""
    ctx.settings["executing"] = False
    with ctx.blame_target():
        return ctx.require_target().deploy_template(ctx, template, phase)


def record_hotswap(ctx: StackContext, results: list[HotswapResult]) -> None:
    with ctx.blame_target():
        ctx.require_target().record_hotswap(ctx, results)


def ensure_extensions(ctx: StackContext) -> list[ExtensionStatus]:
    """The extensions phase: every registry extension the compiled resources need is put in place
    through the target (already-current ones are skipped). Reports each as it finishes."""
    if not ctx.extensions:
        return []
    plugins = ctx.plugins
    plugins.before_phase(ctx, Phase.EXTENSIONS)
    total = len(ctx.extensions)
    done: list[ExtensionStatus] = []

    def finished(status: ExtensionStatus) -> None:
        done.append(status)
        ctx.report.event(
            "extension",
            f"[{len(done)}/{total}] extension {status.type_name}: {status.status}"
            + (f" ({status.detail})" if status.detail else ""),
            type_name=status.type_name,
            status=status.status,
            arn=status.arn,
            detail=status.detail,
        )

    with ctx.blame_target():
        statuses = ctx.require_target().ensure_extensions(ctx, list(ctx.extensions), finished)
    plugins.after_phase(ctx, Phase.EXTENSIONS, statuses)
    return statuses


def bootstrap(ctx: StackContext) -> None:
    """First deploy: create the stack with only the bootstrap resources, so artifacts have somewhere to go."""
    plugins = ctx.plugins
    plugins.before_phase(ctx, Phase.BOOTSTRAP)
    template = Template(description=f"{BOOTSTRAP_DESCRIPTION} {ctx.stack_name}")
    plugins.bootstrap_resources(ctx, template)
    pipeline.require_bootstrap(template)
    ctx.report.note(f"creating stack {ctx.stack_name} with its deployment bucket and image repository")
    result = deploy_template(ctx, template, Phase.BOOTSTRAP)
    ctx.settings["executing"] = False  # the bootstrap's change set executed; the deploy's has not yet
    ctx.memo["bootstrapped"] = True
    ctx.state = stack_state(ctx)
    plugins.after_phase(ctx, Phase.BOOTSTRAP, result)
    if ctx.settings.pop("interrupted", False):  # Ctrl-C while the target created it: stop here
        raise KeyboardInterrupt


def upload(ctx: StackContext, packaged: list[Packaged]) -> list[Artifact]:
    """Phase 4: send every artifact the store does not have yet, in parallel. Returns what was sent."""
    plugins = ctx.plugins
    plugins.before_phase(ctx, Phase.UPLOAD)
    todo = [p.artifact for p in packaged if p.status != "stored"]
    sent: list[Artifact] = []
    total = 0
    lock_check = ctx.memo.get("lock-check")
    if todo and callable(lock_check):
        lock_check()  # a deploy resumed after another took its lock over sends nothing
    if todo:
        with ctx.report.progress(len(todo), "uploading") as bar:

            def send(artifact: Artifact) -> int:
                store = plugins.get_artifact_store(ctx, artifact)
                with plugins.blame():
                    size = store.upload(artifact)
                bar.advance(artifact.name)
                return size

            pool = ThreadPoolExecutor(max_workers=min(8, len(todo)), thread_name_prefix="upload")
            futures = {pool.submit(send, artifact): artifact for artifact in todo}
            try:
                for future in as_completed(futures):
                    total += future.result()
            except BaseException as error:
                _stop_uploads(ctx, pool, futures, error)  # a second Ctrl-C there leaves at once
                raise
            pool.shutdown(wait=True)
            sent = list(todo)
    ctx.report.event(
        "uploaded", f"uploaded {len(sent)} artifacts ({total} bytes)", artifacts=len(sent), bytes=total
    )
    plugins.after_phase(ctx, Phase.UPLOAD, sent)
    return sent


def _stop_uploads(
    ctx: StackContext, pool: ThreadPoolExecutor, futures: dict[Future[int], Artifact], error: BaseException
) -> None:
    """An upload failed or Ctrl-C came: start no other, let those under way finish (a request cannot be
    cut half-way; a second Ctrl-C stops waiting), then remove what was sent, so the bucket is as before.
    A deploy that lost its lock says so rather than the upload's error, and removes nothing."""
    pool.shutdown(wait=False, cancel_futures=True)
    under_way = [f for f in futures if not f.done()]
    ctrl_c = isinstance(error, KeyboardInterrupt)
    if ctrl_c and under_way:
        ctx.report.note(
            f"interrupted: waiting for {_count(len(under_way), 'upload')} under way to end "
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
        interrupted(ctx)
    _remove(ctx, [a for f, a in futures.items() if not f.cancelled() and f.exception() is None])


def _count(number: int, noun: str) -> str:
    """`1 upload`, `2 uploads`: English plurals for the nouns these messages use."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def hotswap_default(ctx: StackContext) -> bool:
    """`deploymentConfig.hotswap`: true, false, or the stages that hot-swap by default."""
    setting = (ctx.config.data.get("deploymentConfig") or {}).get("hotswap", False)
    return ctx.project.stage in setting if isinstance(setting, list) else bool(setting)


def try_hotswap(ctx: StackContext) -> DeployResult | None:
    """Hot-swap when the only changes are code; None (reasons printed) when CloudFormation is needed."""
    from stackwright import hotswap

    with ctx.blame_target():
        deployed = ctx.require_target().deployed_template(ctx)
    if not deployed:
        ctx.report.note("hot-swap: the stack has no deployed template yet: deploying through CloudFormation")
        return None
    decision = hotswap.decide(ctx, deployed)
    if decision.possible:
        hotswap.plan(ctx, decision)
    if not decision.possible:
        ctx.report.event(
            "hotswap-refused",
            "hot-swap not possible, deploying through CloudFormation:\n"
            + "\n".join(f"  {r}" for r in decision.reasons),
            reasons=decision.reasons,
        )
        return None
    status = ctx.state.status if ctx.state and ctx.state.status else ""
    if not decision.changes:
        ctx.report.result(f"{ctx.stack_name}: no changes", stack=ctx.stack_name, changes=0, executed=False)
        return DeployResult(status, 0, False)
    results = hotswap.run(ctx, decision)
    return DeployResult(status, len(results), False, hotswapped=True)


def deploy_stack(ctx: StackContext, execute: bool = True, hotswap: bool | None = None) -> DeployResult:
    """compile → (bootstrap) → package → upload → change set → execute; a failed deploy removes what it
    uploaded."""
    ctx.settings.setdefault("execute", execute)
    pipeline.compile_stack(ctx, check=True)
    try:
        with ctx.blame_target():  # before anything is built: refuse what the target cannot deploy
            ctx.require_target().check_deploy(ctx, ctx.template)
        ctx.state = stack_state(ctx)
        if not ctx.state.exists:
            if not execute:
                ctx.report.note(f"stack {ctx.stack_name} does not exist yet: every resource would be added")
            else:
                bootstrap(ctx)
        with locked(ctx, "deploy" if execute else "diff"):
            return _deploy_locked(ctx, execute, hotswap)
    except KeyboardInterrupt:
        if not ctx.settings.get("executing"):
            interrupted(ctx)
        elif not ctx.state or not ctx.state.exists:  # the bootstrap's change set executed
            ctx.memo["bootstrapped"] = True
            interrupted(ctx)
        raise


def interrupted(ctx: StackContext) -> None:
    """Say, once per command, that Ctrl-C stopped the deploy before anything changed the stack."""
    if ctx.memo.get("interrupted-said"):
        return
    ctx.memo["interrupted-said"] = True
    if ctx.memo.get("bootstrapped"):
        ctx.report.note(
            f"interrupted: {ctx.stack_name} was created with its deployment bucket and image repository "
            "only; deploy again for the rest"
        )
        return
    unchanged = "was not created" if ctx.state is not None and not ctx.state.exists else "is unchanged"
    ctx.report.note(f"interrupted before the change set executed: {ctx.stack_name} {unchanged}")


@contextmanager
def locked(ctx: StackContext, command: str) -> Iterator[None]:
    """Hold the target's deploy lock of the stack around the block, then read the stack's state again
    (another holder may have changed it while this command waited)."""
    with ctx.blame_target():
        lock = ctx.require_target().lock(ctx, command)
        lock.__enter__()
    try:
        if ctx.state is not None and ctx.state.exists:
            ctx.state = stack_state(ctx)
        yield
    finally:
        with ctx.blame_target():
            lock.__exit__(None, None, None)


def _deploy_locked(ctx: StackContext, execute: bool, hotswap: bool | None) -> DeployResult:
    plugins = ctx.plugins
    if ctx.state is None:
        ctx.state = stack_state(ctx)
    ctx.version = ctx.state.next_version
    for artifact in ctx.artifacts.values():
        artifact.version = ctx.version
        artifact.refresh()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="extensions") as side:
        extensions = side.submit(ensure_extensions, ctx) if execute else None
        with ctx.report.progress(len(ctx.artifacts), "packaging") as bar:
            packaged = package_stack(ctx, on_done=lambda p: bar.advance(p.artifact.name))
        if extensions is not None:
            extensions.result()
    if not execute and ctx.extensions:
        ctx.report.note(
            "registry extensions the deploy puts in place if missing: "
            + ", ".join(e.type_name for e in ctx.extensions)
        )
    if ctx.report.json:
        for item in packaged:
            ctx.report.emit(
                {
                    "event": "artifact",
                    "artifact": item.artifact.name,
                    "kind": item.artifact.kind,
                    "digest": item.artifact.digest,
                    "status": item.status,
                    "seconds": round(item.seconds, 3),
                }
            )
    if not execute:
        plugins.before_phase(ctx, Phase.DEPLOY)
        from stackwright.hotswap import drift

        drifted = drift(ctx)
        if drifted:
            ctx.report.note(
                "these resources run hot-swapped code, not the code the template names; a deploy puts the "
                "template's code back: " + ", ".join(drifted)
            )
        return deploy_template(ctx, ctx.template, Phase.DEPLOY)
    sent = upload(ctx, packaged)
    if (hotswap if hotswap is not None else hotswap_default(ctx)) and ctx.state.exists:
        swapped = try_hotswap(ctx)
        if swapped is not None:
            return swapped
    plugins.before_phase(ctx, Phase.DEPLOY)
    deployed: dict[str, Any] | None = None
    if ctx.state.hotswapped:  # kept to find the hot-swapped code CloudFormation will not touch
        with ctx.blame_target():
            deployed = ctx.require_target().deployed_template(ctx) or {}
    if deployed is not None:
        # code CloudFormation will not touch (unchanged in the template) is put back first, so the result
        # below can tell of it; the deployed template names that same code, so a failed deploy leaves
        # the stack consistent
        from stackwright.hotswap import converge

        ctx.settings["converged"] = len(converge(ctx, deployed))
    try:
        result = deploy_template(ctx, ctx.template, Phase.DEPLOY)
    except BaseException as error:
        if not ctx.settings.get("executing"):  # once executing, the stack may already run what was sent
            if isinstance(error, KeyboardInterrupt):
                interrupted(ctx)
            _remove(ctx, sent)
        raise
    ctx.settings.pop("interrupted", None)  # Ctrl-C while the stack changed: waited, the outcome follows
    if not result.executed:
        _remove(ctx, sent)
    try:
        plugins.after_phase(ctx, Phase.DEPLOY, result)
    except KeyboardInterrupt:
        if result.executed:
            ctx.report.note(
                f"interrupted after {ctx.stack_name} deployed ({result.status}): what the bucket no longer "
                "needs is removed by the next deploy"
            )
        raise
    return result


def _remove(ctx: StackContext, sent: list[Artifact]) -> None:
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
        ctx.report.note(f"removed the {removed} artifacts this deploy uploaded")
    if failed:
        ctx.report.warn(
            f"could not remove {len(sent) - removed} artifacts this deploy uploaded ({failed}); "
            "the next deploy removes them"
        )
