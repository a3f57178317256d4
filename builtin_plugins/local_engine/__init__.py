"""The `local` target: an embedded AWS-compatible engine, started on demand, with `stackwright local`."""

from __future__ import annotations

import click
from stackwright import Phase, StackContext, StackwrightError, Template, hookimpl
from stackwright.aws import Clients, Target

from .adapt import adapt
from .engine import endpoint
from .unemulated import ENGINE_FAILS, UNEMULATED_TYPES


@hookimpl
def stackwright_connect(ctx: StackContext) -> Clients | None:
    if ctx.project.target != "local":
        return None
    from . import registry

    return Clients(Target("local", ctx.project.region, endpoint_url=endpoint()), registry=registry.address)


@hookimpl
def stackwright_after_phase(ctx: StackContext, phase: Phase, outcome: object) -> None:
    if ctx.project.target == "local" and phase is Phase.COMPILE:
        adapt(ctx.template)  # right after compiling, so every later comparison sees what gets deployed


@hookimpl
def stackwright_before_phase(ctx: StackContext, phase: Phase) -> None:
    if ctx.project.target != "local" or phase is not Phase.DEPLOY:
        return
    failing = sorted({str(b["Type"]) for b in ctx.template.resources.values() if b["Type"] in ENGINE_FAILS})
    if failing:
        owners = sorted(
            {
                ctx.template.owners.get(lid, lid)
                for lid, b in ctx.template.resources.items()
                if b["Type"] in ENGINE_FAILS
            }
        )
        raise StackwrightError(
            f"the local engine cannot deploy {', '.join(failing)} (resources: {', '.join(owners)})",
            hint="deploy this stack to AWS (--target aws), or leave these resources out of the local stage",
        )
    skipped = unemulated(ctx.template)
    if skipped:
        ctx.report.warn(
            "the local engine does not create these resources (AWS would): "
            + ", ".join(f"{lid} ({kind})" for lid, kind in skipped)
        )


def unemulated(template: Template) -> list[tuple[str, str]]:
    return sorted(
        (lid, str(body["Type"]))
        for lid, body in template.resources.items()
        if body["Type"] in UNEMULATED_TYPES
    )


@hookimpl
def stackwright_add_commands(cli: click.Group) -> None:
    from .commands import local

    cli.add_command(local)
