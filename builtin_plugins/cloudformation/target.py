"""`CloudFormationTarget`: the stack operations of the target contract through the CloudFormation API.
Targets that speak CloudFormation (`aws`, `local`) subclass it and say how to connect."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from stackwright import (
    DeployResult,
    ExtensionStatus,
    HotswapResult,
    Phase,
    ProviderExtension,
    StackContext,
    StackEvent,
    StackResource,
    StackState,
    StackView,
    StackwrightError,
    Target,
    Template,
    versions,
)

from . import hotswap_record

# `state` (and the nested stacks and events it reads) is imported where it is used: a command that reads
# no stack (`package`, `synth`) does not load it.

#: Events `read_stack` returns (newest first).
EVENTS_SHOWN = 100


class CloudFormationTarget(Target):
    """The base of targets that deploy through CloudFormation (`aws`, `local`, or a plugin's): every
    method but `connect` and `account`, over the clients `connect` returns; `submitted` may give
    CloudFormation another body than the template kept. Public as `stackwright.CloudFormationTarget`."""

    def stack_state(self, ctx: StackContext) -> StackState:
        from .state import read_state

        return read_state(ctx)

    def deploy_template(self, ctx: StackContext, template: Template, phase: Phase) -> DeployResult:
        from .deploy import deploy_template

        return deploy_template(ctx, template, phase, self.submitted(ctx, template))

    def submitted(self, ctx: StackContext, template: Template) -> dict[str, Any] | None:
        """The body CloudFormation is given in place of `template`, or None for `template` itself; the
        deployment bucket keeps `template` either way. The local target resolves dynamic references
        here, so their values reach the engine and nothing else."""
        return None

    def deployed_template(self, ctx: StackContext) -> dict[str, Any] | None:
        return hotswap_record.deployed_template(ctx)

    def logical_template(self, ctx: StackContext, body: dict[str, Any]) -> dict[str, Any] | None:
        """The template stackwright compiled for a body CloudFormation runs: of the root of a stack split
        into nested stacks, the one the root names in the deployment bucket; else `body` itself."""
        from .nested import logical

        return logical(ctx, body)

    def lock(self, ctx: StackContext, command: str) -> AbstractContextManager[None]:
        from .lock import held

        return held(ctx, command)

    def record_hotswap(self, ctx: StackContext, results: list[HotswapResult]) -> None:
        hotswap_record.write(ctx, results)

    def ensure_extensions(
        self,
        ctx: StackContext,
        extensions: list[ProviderExtension],
        on_done: Callable[[ExtensionStatus], None] | None = None,
    ) -> list[ExtensionStatus]:
        from .registry import ensure

        return ensure(ctx, extensions, on_done)

    def describe_extensions(self, ctx: StackContext, type_names: list[str]) -> list[ExtensionStatus]:
        if not self.registry:
            return super().describe_extensions(ctx, type_names)
        from .registry import describe

        return describe(ctx, type_names)

    def read_stack(self, ctx: StackContext) -> StackView:
        from botocore.exceptions import ClientError

        from .kept import kept, read_template
        from .state import describe, read_state

        if ctx.state is None:
            ctx.state = read_state(ctx)
        state = ctx.state
        if not state.exists:
            raise StackwrightError(
                f"stack {ctx.stack_name} does not exist", hint="deploy it with `stackwright deploy`"
            )
        cf = ctx.clients.client("cloudformation")

        def listed() -> list[dict[str, Any]]:
            from .nested import list_resources

            return list_resources(cf, ctx.stack_name)  # with those of its nested stacks

        def recent() -> list[dict[str, Any]]:
            events: list[dict[str, Any]] = []
            for page in cf.get_paginator("describe_stack_events").paginate(StackName=ctx.stack_name):
                events += page["StackEvents"]
                if len(events) >= EVENTS_SHOWN:
                    break
            return events

        from concurrent.futures import ThreadPoolExecutor

        # independent reads, side by side: a stack of hundreds of resources answers in one round trip's time
        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="read-stack") as pool:
            listing, history = pool.submit(listed), pool.submit(recent)
            described = pool.submit(describe, cf, ctx.stack_name)
            live_asked = pool.submit(self.deployed_template, ctx)
            try:
                summaries, events, stack = listing.result(), history.result(), described.result()
            except ClientError as error:
                raise StackwrightError(f"cannot read stack {ctx.stack_name}: {error}") from None
            live = live_asked.result() or {}
        s3 = ctx.clients.client("s3")
        numbers = (
            versions.deployed_versions(s3, state.bucket, live, write=not ctx.settings.get("read_only"))
            if state.bucket
            else []
        )
        # the template as stackwright kept it: what the target was given may hold resolved values
        kept_template = read_template(s3, state.bucket, numbers[-1]) if state.bucket and numbers else None
        template = kept_template or live
        stack = stack or {}
        view = StackView(
            state=state,
            resources=[
                StackResource(
                    str(r["LogicalResourceId"]),
                    str(r.get("ResourceType", "")),
                    str(r.get("PhysicalResourceId", "")),
                    str(r.get("ResourceStatus", "")),
                    str(r.get("ResourceStatusReason", "") or ""),
                    str(r.get("Stack", "")),
                )
                for r in sorted(summaries, key=_tree_order)
            ],
            events=[
                StackEvent(
                    e["Timestamp"],
                    str(e.get("LogicalResourceId", "")),
                    str(e.get("ResourceType", "")),
                    str(e.get("ResourceStatus", "")),
                    str(e.get("ResourceStatusReason", "") or ""),
                )
                for e in events[:EVENTS_SHOWN]
            ],
            template=template,
            kept_versions=numbers,
            versions=kept(ctx, state, numbers, {numbers[-1]: template} if numbers else {}),
            parameters={
                str(p["ParameterKey"]): str(p.get("ParameterValue", "")) for p in stack.get("Parameters", [])
            },
            stack_id=str(stack.get("StackId", "")),
            updated_at=stack.get("LastUpdatedTime") or stack.get("CreationTime"),
        )
        return view


def _tree_order(row: dict[str, Any]) -> tuple[str, int, str]:
    """Root resources by logical id, each nested stack's resources right after it."""
    lid, stack = str(row["LogicalResourceId"]), str(row.get("Stack", ""))
    return (stack, 1, lid) if stack else (lid, 0, lid)
