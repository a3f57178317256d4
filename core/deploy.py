"""Phases 2-5 after compile (package beside extensions, bootstrap, upload, deploy) and hot-swap, through
the target and hooks."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from stackwright import pipeline
from stackwright.context import StackContext
from stackwright.errors import StackwrightError
from stackwright.naming import BOOTSTRAP_DESCRIPTION
from stackwright.packaging import Packaged, package_stack
from stackwright.records import DeployResult, ExtensionStatus, HotswapResult, Phase, StackState
from stackwright.template import Template
from stackwright.uploads import remove_uploaded, upload


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


def connected_stack(
    state: Any, command: str | None = None, *, with_state: bool = True, resolve: bool = False, **settings: Any
) -> StackContext:
    """For commands that work on a deployed stack: the context of the stack the config names (its
    directives are not resolved, so `$CliArgs` need not be given again), connected, with its state.
    With `command` (`info`, `delete`, `rollback`), the line saying where the stack lives is reported
    first. With `read_only=True` in `settings`, the clients refuse every call that is not a read and the
    state is read without repairing anything. With `with_state=False` the state is not read (`ctx.state`
    stays None). With `resolve=True` the config is loaded whole, its load-time directives resolved (for
    the scripts of `hooks`)."""
    ctx = pipeline.open_stack(state.options(target=state.target, names_only=not resolve), state.plugins)
    ctx.report.json = state.json
    ctx.settings.update(settings)
    connect(ctx, state.profile)
    ctx.clients.read_only = bool(settings.get("read_only"))
    if command:
        from stackwright.where import announce

        announce(ctx, command, defaulted=state.target_option is None and ctx.project.target != "aws")
    if with_state:
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


def hotswap_default(ctx: StackContext) -> bool:
    """`deploymentConfig.hotswap`: true, false, or the stages that hot-swap by default."""
    setting = (ctx.config.data.get("deploymentConfig") or {}).get("hotswap", False)
    return ctx.project.stage in setting if isinstance(setting, list) else bool(setting)


def try_hotswap(ctx: StackContext, packaged: list[Packaged]) -> DeployResult | None:
    """Hot-swap when the only changes are code; None (reasons printed) when CloudFormation is needed.
    Of `packaged`, only what the hot-swap takes from a store is uploaded (a type that sends the bytes
    in its update call, as Lambda's does, needs nothing stored): each byte goes over the wire once."""
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
        # nothing to swap: what sends its artifacts after a deploy (a site's sync) still does
        ctx.plugins.after_phase(ctx, Phase.HOTSWAP, [])
        return DeployResult(status, 0, False)
    needed = {id(a) for a in hotswap.to_store(decision)}
    upload(ctx, [p for p in packaged if id(p.artifact) in needed])
    results = hotswap.run(ctx, decision)
    return DeployResult(status, len(results), False, hotswapped=True)


def deploy_stack(
    ctx: StackContext, execute: bool = True, hotswap: bool | None = None, compiled: bool = False
) -> DeployResult:
    """compile (unless `compiled`: `pipeline.compile_stack(ctx, check=True)` ran) → (bootstrap) →
    package → upload → change set → execute; a failed deploy removes what it uploaded."""
    ctx.settings.setdefault("execute", execute)
    if not compiled:
        pipeline.compile_stack(ctx, check=True)
    try:
        with ctx.blame_target():  # before anything is built: refuse what the target cannot deploy
            ctx.require_target().check_deploy(ctx, ctx.template)
        if ctx.state is None or not ctx.state.exists:
            # a state the caller read (hooks, the last cycle of a watch) names the lock's bucket; the
            # state is read again under the lock in any case
            ctx.state = stack_state(ctx)
        preflight(ctx)
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


def preflight(ctx: StackContext) -> None:
    """Every plugin's `stackwright_preflight`, before the first API call that creates something. Raises
    StackwrightError listing all their problems (nothing is created then)."""
    problems = ctx.plugins.preflight(ctx)
    if problems:
        raise StackwrightError(
            f"cannot {ctx.settings.get('command') or 'deploy'} {ctx.stack_name}: nothing was created",
            details=problems,
        )


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
        names = ", ".join(e.type_name for e in ctx.extensions)
        if ctx.require_target().registry:
            ctx.report.note(f"registry extensions the deploy puts in place if missing: {names}")
        else:
            ctx.report.note(
                f"registry extensions this stack needs, which the target has no registry for: {names}"
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
    if (hotswap if hotswap is not None else hotswap_default(ctx)) and ctx.state.exists:
        swapped = try_hotswap(ctx, packaged)
        if swapped is not None:
            return swapped
    sent = upload(ctx, packaged)
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
            remove_uploaded(ctx, sent)
        raise
    ctx.settings.pop("interrupted", None)  # Ctrl-C while the stack changed: waited, the outcome follows
    if not result.executed:
        remove_uploaded(ctx, sent)
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
