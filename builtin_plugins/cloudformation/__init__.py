"""CloudFormation: stack state, change sets, live progress, root causes, and the stack commands."""

from __future__ import annotations

from typing import Any

import click
from stackwright import Phase, StackContext, Template, hookimpl
from stackwright.phases import DeployResult, HotswapResult, StackState

from . import hotswap_record
from .deploy import deploy_template
from .state import read_state


@hookimpl(trylast=True)
def stackwright_stack_state(ctx: StackContext) -> StackState:
    return read_state(ctx)


@hookimpl(trylast=True)
def stackwright_deploy_template(ctx: StackContext, template: Template, phase: Phase) -> DeployResult:
    return deploy_template(ctx, template, phase)


@hookimpl(trylast=True)
def stackwright_deployed_template(ctx: StackContext) -> dict[str, Any] | None:
    return hotswap_record.deployed_template(ctx)


@hookimpl
def stackwright_hotswap_record(ctx: StackContext, results: list[HotswapResult]) -> None:
    hotswap_record.write(ctx, results)


@hookimpl
def stackwright_add_commands(cli: click.Group) -> None:
    from .commands import delete, info, rollback

    for command in (delete, info, rollback):
        cli.add_command(command)
