"""What a deploy of the local config would change, worked out without changing anything: the config
compiled as `deploy` compiles it, each artifact at the version the store already holds (when it holds
its digest), compared with the template the stack runs. For the console's pending diff; no change set is
made and nothing is built or uploaded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stackwright.context import StackContext


def compiled_stack(state: Any, **settings: Any) -> StackContext:
    """The context of the config `state` (the CLI's state: directory, stage, target) names, connected
    through read-only clients, with its stack state read and its template compiled (`ctx.template`).
    Artifacts the store holds take the stored version, so unchanged code compares equal; the others take
    the version the next deploy would give them. Raises `ConfigError` for a config that does not compile,
    `StackwrightError` when the target cannot be read."""
    from stackwright import pipeline
    from stackwright.deploy import connect, stack_state

    ctx = pipeline.open_stack(state.options(target=state.target), state.plugins)
    ctx.settings.update(
        {"clear_failed_create": False, "wait": False, "refuse_stuck": False, **settings, "read_only": True}
    )
    connect(ctx, state.profile)
    ctx.clients.read_only = True
    ctx.state = stack_state(ctx)
    pipeline.compile_stack(ctx)
    ctx.version = ctx.state.next_version
    for artifact in ctx.artifacts.values():
        artifact.version = ctx.version
        store = (
            ctx.plugins.find_artifact_store(ctx, artifact)
            if ctx.state.exists and not artifact.after_deploy
            else None
        )
        if store is not None:
            with ctx.plugins.blame():
                found = store.find(artifact)
            if found:
                artifact.version = found
        artifact.refresh()
    return ctx


def pending_diffs(ctx: StackContext, deployed: dict[str, Any] | None) -> list[Any]:
    """The `property_diff.ResourceDiff` of each resource that differs between `deployed` (the template
    the stack runs; None for a stack not deployed yet) and `ctx.template`: added, then modified, then
    removed. Replacement is `-`: only CloudFormation can tell."""
    from stackwright import property_diff

    after = ctx.template.to_dict()
    return property_diff.resource_diffs(deployed, after, property_diff.template_changes(deployed, after))
