"""Phases 3-5 (bootstrap, upload, deploy) after compile and package, as hook calls."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from stackwright import pipeline
from stackwright.artifacts import Artifact
from stackwright.aws import Clients, Target
from stackwright.context import StackContext
from stackwright.errors import StackwrightError
from stackwright.packaging import Packaged, package_stack
from stackwright.phases import DeployResult, Phase
from stackwright.template import Template


def connect(ctx: StackContext, profile: str | None = None) -> None:
    """Give `ctx` its client factory (a plugin's for non-`aws` targets) and the account it deploys to."""
    clients = ctx.plugins.connect(ctx)
    if clients is None:
        if ctx.project.target != "aws":
            raise StackwrightError(f"no installed plugin provides target {ctx.project.target!r}")
        clients = Clients(Target("aws", ctx.project.region, profile))
    ctx.aws = clients
    ctx.project = dataclasses.replace(ctx.project, account=clients.account_id())


def connected_stack(state: Any, **settings: Any) -> StackContext:
    """For commands that work on a deployed stack: the config's context, connected, with its state."""
    ctx = pipeline.open_stack(state.options(target=state.target), state.plugins)
    ctx.report.json = state.json
    ctx.settings.update(settings)
    connect(ctx, state.profile)
    ctx.state = ctx.plugins.stack_state(ctx)
    return ctx


def bootstrap(ctx: StackContext) -> None:
    """First deploy: create the stack with only the bootstrap resources, so artifacts have somewhere to go."""
    plugins = ctx.plugins
    plugins.before_phase(ctx, Phase.BOOTSTRAP)
    template = Template(description=f"stackwright bootstrap of {ctx.stack_name}")
    plugins.bootstrap_resources(ctx, template)
    ctx.report.note(f"creating stack {ctx.stack_name} with its deployment bucket and image repository")
    result = plugins.deploy_template(ctx, template, Phase.BOOTSTRAP)
    ctx.state = plugins.stack_state(ctx)
    plugins.after_phase(ctx, Phase.BOOTSTRAP, result)


def upload(ctx: StackContext, packaged: list[Packaged]) -> list[Artifact]:
    """Phase 4: send every artifact the store does not have yet, in parallel. Returns what was sent."""
    plugins = ctx.plugins
    plugins.before_phase(ctx, Phase.UPLOAD)
    todo = [p.artifact for p in packaged if p.status != "stored"]
    sent: list[Artifact] = []
    total = 0
    if todo:
        with (
            ctx.report.progress(len(todo), "uploading") as bar,
            ThreadPoolExecutor(max_workers=min(8, len(todo))) as pool,
        ):

            def send(artifact: Artifact) -> int:
                store = plugins.get_artifact_store(ctx, artifact)
                with plugins.blame():
                    size = store.upload(artifact)
                bar.advance(artifact.name)
                return size

            for artifact, size in zip(todo, pool.map(send, todo), strict=True):
                sent.append(artifact)
                total += size
    ctx.report.event(
        "uploaded", f"uploaded {len(sent)} artifacts ({total} bytes)", artifacts=len(sent), bytes=total
    )
    plugins.after_phase(ctx, Phase.UPLOAD, sent)
    return sent


def hotswap_default(ctx: StackContext) -> bool:
    """`deploymentConfig.hotswap`: true, false, or the stages that hot-swap by default."""
    setting = (ctx.config.data.get("deploymentConfig") or {}).get("hotswap", False)
    return ctx.project.stage in setting if isinstance(setting, list) else bool(setting)


def try_hotswap(ctx: StackContext) -> DeployResult | None:
    """Hot-swap when the only changes are code; None (reasons printed) when CloudFormation is needed."""
    from stackwright import hotswap

    deployed = ctx.plugins.deployed_template(ctx)
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
    plugins = ctx.plugins
    ctx.settings.setdefault("execute", execute)
    pipeline.compile_stack(ctx)
    ctx.state = plugins.stack_state(ctx)
    if not ctx.state.exists:
        if not execute:
            ctx.report.note(f"stack {ctx.stack_name} does not exist yet: every resource would be added")
        else:
            bootstrap(ctx)
    ctx.version = ctx.state.next_version
    for artifact in ctx.artifacts.values():
        artifact.version = ctx.version
        artifact.refresh()
    with ctx.report.progress(len(ctx.artifacts), "packaging") as bar:
        packaged = package_stack(ctx, on_done=lambda p: bar.advance(p.artifact.name))
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
        return plugins.deploy_template(ctx, ctx.template, Phase.DEPLOY)
    sent = upload(ctx, packaged)
    if (hotswap if hotswap is not None else hotswap_default(ctx)) and ctx.state.exists:
        swapped = try_hotswap(ctx)
        if swapped is not None:
            return swapped
    plugins.before_phase(ctx, Phase.DEPLOY)
    try:
        result = plugins.deploy_template(ctx, ctx.template, Phase.DEPLOY)
    except BaseException:
        _remove(ctx, sent)
        raise
    if not result.executed:
        _remove(ctx, sent)
    elif ctx.state.hotswapped:
        plugins.hotswap_record(ctx, [])  # CloudFormation now runs what was hot-swapped: no drift left
    plugins.after_phase(ctx, Phase.DEPLOY, result)
    return result


def _remove(ctx: StackContext, sent: list[Artifact]) -> None:
    for artifact in sent:
        try:
            store = ctx.plugins.get_artifact_store(ctx, artifact)
            store.delete(artifact)
        except Exception as error:  # cleanup must not hide the deploy's own error
            ctx.report.warn(f"could not remove {artifact.s3_key}: {error}")
    if sent:
        ctx.report.note(f"removed the {len(sent)} artifacts this deploy uploaded")
