"""Every hook a stackwright plugin can implement.

Plugins implement hooks with `@stackwright.hookimpl` on functions named exactly as below. Hooks marked
*firstresult* stop at the first implementation that returns something other than `None`: they answer
"who handles this?". Built-in answers are `trylast`, so an installed plugin wins without configuration.
Hook arguments are context objects, so new fields never break a plugin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click
    from stackwright.artifacts import Artifact, ArtifactStore, Packager
    from stackwright.aws import Clients
    from stackwright.context import StackContext
    from stackwright.models import Directive, Resource, ResourceType
    from stackwright.naming import NameRequest
    from stackwright.phases import (
        Change,
        DeployResult,
        HotswapResult,
        InProgress,
        Phase,
        ProviderExtension,
        StackState,
    )
    from stackwright.template import Template

hookspec = pluggy.HookspecMarker("stackwright")


@hookspec
def stackwright_register_resource_types() -> list[ResourceType]:
    """Return the resource types this plugin offers, each with the JSON Schema of its `properties`.

    Runs once when a config is validated or a schema is assembled. Implemented by every plugin that adds a
    `type:` (built-in `functions`; in-house and provider plugins). A name offered twice is an error.
    """


@hookspec
def stackwright_register_directives() -> list[Directive]:
    """Return the `$Name(...)` config directives this plugin offers.

    Runs once when a config is loaded. Load-time directives return plain values; compile-time ones
    (`Directive.compile_time`) return CloudFormation intrinsics. Implemented by the core directives plugin
    and any plugin adding its own.
    """


@hookspec(firstresult=True)
def stackwright_compile_resource(ctx: StackContext, resource: Resource) -> bool | None:
    """Compile one config resource into `ctx.template`; return True when this plugin handled it.

    Runs in the compile phase, once per resource, in config order. firstresult: the plugin that
    registered the resource's type answers; a `tryfirst` plugin may take over a type, and a
    `wrapper=True` implementation may adjust what another plugin produced.
    """


@hookspec(firstresult=True)
def stackwright_resource_params(ctx: StackContext, resource: Resource) -> dict[str, Any] | None:
    """Return the parameters `resource` exposes to `$ResourceParam(resource, name)`, as CloudFormation
    intrinsics by name (`{"arn": {"Fn::GetAtt": [...]}}`), or None when this plugin does not own it.

    Runs in the compile phase when a `$ResourceParam()` directive names the resource. firstresult:
    answered by the plugin that registered the resource's type.
    """


@hookspec
def stackwright_provider_resources(ctx: StackContext, resource: Resource) -> list[ProviderExtension]:
    """Return the CloudFormation registry extensions `resource` needs (public types to activate, private
    types to register), so the deploy can make them available before the stack uses them.

    Runs in the compile phase after the resource compiled. Implemented by provider plugins
    (MongoDB Atlas, Upstash); results from all plugins are collected.
    """


@hookspec
def stackwright_bootstrap_resources(ctx: StackContext, template: Template) -> None:
    """Add the resources a stack needs before anything else (deployment bucket, image repository) to
    `template`.

    Runs in the compile phase (so the full template keeps them) and for the initial template of a first
    deploy. Implemented by the built-in `aws_bootstrap`; every plugin may add its own.
    """


@hookspec(firstresult=True)
def stackwright_name(request: NameRequest) -> str | None:
    """Return the name for `request` (stack name, logical id or physical name), or None to leave it to
    the next plugin.

    Runs whenever a name is needed. firstresult: the built-in `naming` plugin answers last with
    Stacktape's convention; a plugin may answer for some names only, or wrap all of them
    (`wrapper=True`) to add a prefix.
    """


@hookspec(firstresult=True)
def stackwright_get_packager(ctx: StackContext, artifact: Artifact) -> Packager | None:
    """Return the packager that builds `artifact` (digest first, build second), or None.

    Runs in the compile phase (for the digest) and the package phase (for the build). firstresult: the
    built-in packagers are `trylast` defaults, so an installed packager plugin wins.
    """


@hookspec(firstresult=True)
def stackwright_get_artifact_store(ctx: StackContext, artifact: Artifact) -> ArtifactStore | None:
    """Return the store that keeps `artifact` (S3 for zips, ECR or a local registry for images), or None.

    Runs in the package phase (to skip artifacts already stored) and the upload phase. firstresult: the
    built-in `artifact_store` answers last.
    """


@hookspec(firstresult=True)
def stackwright_connect(ctx: StackContext) -> Clients | None:
    """Return the boto3 client factory for `ctx.project.target`, or None to leave it to the next plugin
    (the core's default is the `aws` target: boto3's credential chain).

    Runs once per command that talks to the target. firstresult: the built-in `local_engine` answers
    for the `local` target, starting the engine if needed.
    """


@hookspec(firstresult=True)
def stackwright_stack_state(ctx: StackContext) -> StackState | None:
    """Return what the target knows of the stack (status, outputs, last deployed version), or None when
    this plugin does not manage the target; a stack that does not exist has `status` None.

    Runs at the start of every command that talks to the target. firstresult: the built-in
    `cloudformation` answers last.
    """


@hookspec(firstresult=True)
def stackwright_deploy_template(ctx: StackContext, template: Template, phase: Phase) -> DeployResult | None:
    """Deploy `template` to the stack and wait for the outcome (phase BOOTSTRAP: the initial template of a
    new stack; DEPLOY: the full template). With `ctx.settings["execute"]` false, only show the changes.

    Runs in the bootstrap and deploy phases. firstresult: the built-in `cloudformation` answers last;
    a failed deploy raises a `StackwrightError` carrying the root cause.
    """


@hookspec(firstresult=True)
def stackwright_diagnose(ctx: StackContext, resource: InProgress) -> str | None:
    """Look at a resource that is still in progress during a deploy and return the root cause if it has
    in fact already failed (for example an ECS service whose new tasks keep stopping), so the deploy
    stops waiting for CloudFormation's timeout and rolls back; None when nothing is wrong yet.

    Runs every few polls while a deploy waits. firstresult: the plugin that owns the resource type answers.
    """


@hookspec(firstresult=True)
def stackwright_deployed_template(ctx: StackContext) -> dict[str, Any] | None:
    """Return the template the stack runs now (as a dict), or None when there is none.

    Runs before a hot-swap decides whether the only changes are code. firstresult: the built-in
    `cloudformation` answers last.
    """


@hookspec
def stackwright_hotswap_record(ctx: StackContext, results: list[HotswapResult]) -> None:
    """Record what a hot-swap changed behind CloudFormation's back (resource, digest, time), so a later
    hot-swap skips what is already in place and `info` shows the drift; an empty list clears the record.

    Runs after a hot-swap (also a partial one that failed), and after a full deploy that made
    CloudFormation run the hot-swapped code. Every plugin is called; the built-in `cloudformation` keeps
    the record in the deployment bucket.
    """


@hookspec(firstresult=True)
def stackwright_hotswap(ctx: StackContext, change: Change) -> HotswapResult | None:
    """Apply a code-only `change` directly through the service API, bypassing CloudFormation, and return
    what was done; None when this plugin cannot hot-swap it (the change then goes through CloudFormation).

    Runs in the hot-swap phase, once per changed resource. firstresult: resource-type plugins answer
    for their own resources.
    """


@hookspec
def stackwright_add_commands(cli: click.Group) -> None:
    """Add commands (or groups) to the `stackwright` command line with `cli.add_command(...)`.

    Runs once when the CLI starts, after plugins are loaded. Keep imports inside the command functions
    so `stackwright --help` stays fast.
    """


@hookspec
def stackwright_before_phase(ctx: StackContext, phase: Phase) -> None:
    """Notification before a phase (compile, package, bootstrap, upload, deploy, hotswap) starts.

    Every plugin is called. Raising a `StackwrightError` stops the deploy with that message.
    """


@hookspec
def stackwright_after_phase(ctx: StackContext, phase: Phase, outcome: Any) -> None:
    """Notification after a phase finished successfully; `outcome` is what the phase produced (the
    template after compile, the artifacts after package, ...). Plugins may adjust `ctx.template` after
    compile. Every plugin is called.
    """
