"""The `local` target: an embedded AWS-compatible engine, started on demand, with `stackwright local`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click
from stackwright import (
    BOOTSTRAP_DESCRIPTION,
    Clients,
    CloudFormationTarget,
    DeployResult,
    Endpoint,
    ExtensionStatus,
    Phase,
    ProviderExtension,
    StackContext,
    StackwrightError,
    Target,
    Template,
    hookimpl,
)

from .engine import endpoint
from .unemulated import ENGINE_FAILS

# The engine's own modules (`dynamic`, `adapt`, `honour`, `settings`) are imported where they are used:
# a command that deploys nothing (`package`, `synth`) does not load them.

#: The account id the engine reports for every stack.
LOCAL_ACCOUNT = "123456789012"


class LocalTarget(CloudFormationTarget):
    name = "local"
    summary = "the embedded AWS-compatible engine on 127.0.0.1 (no AWS account needed)"
    interactive_default = True
    registry = False  # no CloudFormation registry: extensions are skipped, and said to be

    def connect(self, ctx: StackContext) -> Clients:
        from . import registry

        return Clients(
            Endpoint(
                ctx.project.region,
                endpoint_url=endpoint(),
                static_credentials=("stackwright",) * 2,
                # on this machine a refused connection means the engine is gone: say so in seconds; no
                # request to it takes more than a few seconds (a 450-resource change set executes in
                # under 2 s), so one that has not answered in 15 s comes from a suspended or hung engine
                attempts=3,
                connect_timeout=2.0,
                read_timeout=15.0,
                fail_fast=True,
            ),
            registry=registry.address,
        )

    def account(self, ctx: StackContext) -> str:
        return LOCAL_ACCOUNT

    def where(self, ctx: StackContext) -> str:
        return f"the embedded local engine ({endpoint()}), {ctx.project.region}"

    def prepare_template(self, ctx: StackContext, template: Template) -> None:
        from .adapt import adapt

        adapt(template)  # right after compiling, so every later comparison sees what gets deployed

    def check_deploy(self, ctx: StackContext, template: Template) -> None:
        failing = sorted({str(b["Type"]) for b in template.resources.values() if b["Type"] in ENGINE_FAILS})
        if failing:
            owners = sorted(
                {
                    template.owners.get(lid, lid)
                    for lid, b in template.resources.items()
                    if b["Type"] in ENGINE_FAILS
                }
            )
            raise StackwrightError(
                f"the local engine cannot deploy {', '.join(failing)} (resources: {', '.join(owners)})",
                hint="deploy this stack to AWS (--target aws), "
                "or leave these resources out of the local stage",
            )
        from . import dynamic
        from .honour import unknown
        from .settings import left_out

        dynamic.check(ctx, template)  # before anything is built: every secret and parameter is there
        body = template.to_dict()
        deployed = self._current(ctx)
        note = left_out(body, deployed, unknown(ctx, body, deployed))
        if note:
            ctx.report.warn(note)

    def _current(self, ctx: StackContext) -> dict[str, Any] | None:
        """The template the stack runs, read before its state is (None without one, or when the stack is
        only a failed or never executed create, which a deploy starts over)."""
        from botocore.exceptions import ClientError

        from . import dynamic

        if ctx.aws is None:
            return None
        cf = ctx.clients.client("cloudformation")
        try:
            (stack,) = cf.describe_stacks(StackName=ctx.stack_name)["Stacks"]
            if stack["StackStatus"] in ("ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS"):
                return None
            body = cf.get_template(StackName=ctx.stack_name)["TemplateBody"]
            body = json.loads(body) if isinstance(body, str) else body
            body = self.logical_template(ctx, body) if isinstance(body, dict) else body
        except (ClientError, ValueError):
            return None
        return dynamic.restore(body) if isinstance(body, dict) else None

    def submitted(self, ctx: StackContext, template: Template) -> dict[str, Any] | None:
        """The engine gets the values of dynamic references (it passes the references on as text); the
        deployment bucket and every comparison keep the references."""
        from . import dynamic

        return dynamic.resolved(ctx, template)

    def deployed_template(self, ctx: StackContext) -> dict[str, Any] | None:
        from . import dynamic

        body = super().deployed_template(ctx)
        return dynamic.restore(body) if body else body

    def deploy_template(self, ctx: StackContext, template: Template, phase: Phase) -> DeployResult:
        from .honour import honour

        before = self.deployed_template(ctx) if ctx.state is not None and ctx.state.exists else None
        if phase is Phase.DEPLOY and before is not None:
            stale = not_updated(before, template)
            if stale:
                ctx.report.warn(
                    "the local engine does not apply these changes to existing resources (AWS would): "
                    + ", ".join(stale)
                    + "; `stackwright delete --local` and deploy again to see them"
                )
        result = super().deploy_template(ctx, template, phase)
        if result.executed:
            if before is not None and str(before.get("Description", "")).startswith(BOOTSTRAP_DESCRIPTION):
                before = None  # the first full deploy: also what a stopped bootstrap left unapplied
            refused = honour(ctx, template.to_dict(), before)
            if refused:
                ctx.report.warn("the local engine refused these settings: " + "; ".join(refused))
        return result

    def ensure_extensions(
        self,
        ctx: StackContext,
        extensions: list[ProviderExtension],
        on_done: Callable[[ExtensionStatus], None] | None = None,
    ) -> list[ExtensionStatus]:
        """The engine has no CloudFormation registry: say so for each extension instead of pretending."""
        statuses = []
        for extension in extensions:
            status = ExtensionStatus(
                extension.type_name, "skipped", detail="the local engine has no CloudFormation registry"
            )
            statuses.append(status)
            if on_done:
                on_done(status)
        return statuses


#: Properties the engine keeps from creation when CloudFormation updates the resource: a role's inline
#: policies whatever the change, a function's environment when it is removed altogether, every property
#: of AWS Batch's resources (the engine cannot update them: a new image, size or compute type of a batch
#: job stays unapplied).
NOT_UPDATED: dict[str, tuple[str | None, bool]] = {
    "AWS::IAM::Role": ("Policies", False),
    "AWS::Lambda::Function": ("Environment", True),
    "AWS::Batch::JobDefinition": (None, False),
    "AWS::Batch::ComputeEnvironment": (None, False),
    "AWS::Batch::JobQueue": (None, False),
}


def not_updated(deployed: dict[str, Any], template: Template) -> list[str]:
    """`LogicalId.Property` for each change the engine would not apply to an existing resource."""
    old = deployed.get("Resources") or {}
    found = []
    for lid, body in template.resources.items():
        before = old.get(lid)
        rule = NOT_UPDATED.get(str(body["Type"]))
        if not isinstance(before, dict) or before.get("Type") != body["Type"] or rule is None:
            continue
        prop, only_removal = rule
        if prop is None:
            if before.get("Properties") != body.get("Properties"):
                found.append(lid)
            continue
        was, now = (before.get("Properties") or {}).get(prop), (body.get("Properties") or {}).get(prop)
        if was != now and (not only_removal or now is None):
            found.append(f"{lid}.{prop}")
    return sorted(found)


@hookimpl
def stackwright_register_targets() -> list[type[Target]]:
    return [LocalTarget]


@hookimpl
def stackwright_add_commands(cli: click.Group) -> None:
    from .commands import local

    cli.add_command(local)
