"""The `local` target: an embedded AWS-compatible engine, started on demand, with `stackwright local`."""

from __future__ import annotations

from collections.abc import Callable

import click
from stackwright import (
    Clients,
    CloudFormationTarget,
    Endpoint,
    ExtensionStatus,
    ProviderExtension,
    StackContext,
    StackwrightError,
    Target,
    Template,
    hookimpl,
)

from .adapt import adapt
from .engine import endpoint
from .unemulated import ENGINE_FAILS, unemulated_type

#: The account id the engine reports for every stack.
LOCAL_ACCOUNT = "123456789012"


class LocalTarget(CloudFormationTarget):
    name = "local"
    summary = "the embedded AWS-compatible engine on 127.0.0.1 (no AWS account needed)"
    interactive_default = True

    def connect(self, ctx: StackContext) -> Clients:
        from . import registry

        return Clients(
            Endpoint(ctx.project.region, endpoint_url=endpoint(), static_credentials=("stackwright",) * 2),
            registry=registry.address,
        )

    def account(self, ctx: StackContext) -> str:
        return LOCAL_ACCOUNT

    def prepare_template(self, ctx: StackContext, template: Template) -> None:
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
        skipped = unemulated(template)
        if skipped:
            ctx.report.warn(
                "the local engine does not create these resources (AWS would): "
                + ", ".join(f"{lid} ({kind})" for lid, kind in skipped)
            )

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


def unemulated(template: Template) -> list[tuple[str, str]]:
    return sorted(
        (lid, str(body["Type"]))
        for lid, body in template.resources.items()
        if unemulated_type(str(body["Type"]))
    )


@hookimpl
def stackwright_register_targets() -> list[type[Target]]:
    return [LocalTarget]


@hookimpl
def stackwright_add_commands(cli: click.Group) -> None:
    from .commands import local

    cli.add_command(local)
