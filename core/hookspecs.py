"""Every hook a stackwright plugin can implement.

Plugins implement hooks with `@stackwright.hookimpl` on functions named exactly as below. Resource types
and targets are registered classes (`ResourceType`, `Target`): the core dispatches to them by name, so no
hook starts with "is this mine?". Hooks marked *firstresult* stop at the first implementation that returns
something other than `None`: they answer "who handles this?". Built-in answers are `trylast`, so an
installed plugin wins without configuration. Hook arguments are context objects, so new fields never
break a plugin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pathlib import Path

    import click
    from stackwright.artifacts import Artifact, ArtifactStore, Packager
    from stackwright.console import ConsolePanel
    from stackwright.context import StackContext
    from stackwright.models import ConfigSection, Directive
    from stackwright.naming import NameRequest
    from stackwright.records import Phase
    from stackwright.resource_types import ResourceType
    from stackwright.targets import Target
    from stackwright.template import Template

hookspec = pluggy.HookspecMarker("stackwright")


@hookspec
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    """Return the `ResourceType` subclasses this plugin offers, one per Stacktape `type`.

    Runs once per command, when the plugins are loaded. Implemented by every plugin that adds a `type:`
    (the built-ins; in-house and provider plugins). A name registered by an installed plugin replaces a
    built-in's type of the same name (the precedence `stackwright plugins` shows); two installed plugins
    offering one name is an error. A full registration replaces a `schema_only` one.
    Raise nothing: a class without a `name` is reported by the core as a plugin error.
    """


@hookspec
def stackwright_register_targets() -> list[type[Target]]:
    """Return the `Target` subclasses this plugin offers (where stacks go), each with its `name`.

    Runs once per command, when the plugins are loaded; every name appears in `--target`. Implemented by
    the built-ins `aws_target` (`aws`, registered `trylast` so it is the default) and `local_engine`
    (`local`); an installed plugin registering a built-in's name replaces it.
    Raise nothing: a class without a `name` is reported by the core as a plugin error.
    """


@hookspec
def stackwright_register_directives() -> list[Directive]:
    """Return the `$Name(...)` config directives this plugin offers.

    Runs once when a config is loaded. Load-time directives return plain values; compile-time ones
    (`Directive.compile_time`) return CloudFormation intrinsics. Implemented by the core directives plugin
    and any plugin adding its own.
    Raise nothing; a directive's function raises `StackwrightError` for a bad argument, reported at the
    directive's file and line.
    """


@hookspec
def stackwright_register_config_sections() -> list[ConfigSection]:
    """Return the config sections this plugin adds at the root (`path="acme"`) or under
    `providerConfig` (`path="providerConfig.mongoDbAtlas"`), each with the JSON Schema its value must match.

    Runs once when a config is validated or the schema is printed; the sections are validated like the
    rest of the config, with file:line errors. Implemented by provider plugins; a path offered twice is an
    error.
    Raise nothing: mistakes in a section's value are reported by validation.
    """


@hookspec
def stackwright_bootstrap_resources(ctx: StackContext, template: Template) -> None:
    """Add the resources a stack needs before anything else (deployment bucket, image repository) to
    `template`.

    Runs in the compile phase (so the full template keeps them) and for the initial template of a first
    deploy. Implemented by the built-in `aws_bootstrap`; every plugin may add its own.
    Raise `StackwrightError` to refuse the stack (the deploy stops with that message).
    """


@hookspec(firstresult=True)
def stackwright_name(request: NameRequest) -> str | None:
    """Return the name for `request` (stack name, logical id or physical name), or None to leave it to
    the next plugin.

    Runs whenever a name is needed. firstresult: the built-in `naming` plugin answers last with
    Stacktape's convention; a plugin may answer for some names only, or wrap all of them
    (`wrapper=True`) to add a prefix.
    Raise `StackwrightError` for a name that cannot be made (for example too long to shorten).
    """


@hookspec(firstresult=True)
def stackwright_get_packager(ctx: StackContext, artifact: Artifact) -> Packager | None:
    """Return the packager that builds `artifact` (by `artifact.kind` and packaging type), or None.

    Runs in the compile phase (for the digest) and the package phase (for the build). firstresult: the
    built-in packagers are `trylast` defaults, so an installed packager plugin wins.
    Raise nothing here; the packager's `digest` and `build` raise `StackwrightError` for user mistakes.
    """


@hookspec(firstresult=True)
def stackwright_get_artifact_store(ctx: StackContext, artifact: Artifact) -> ArtifactStore | None:
    """Return the store that keeps `artifact` (S3 for zips, ECR or a local registry for images), or None.

    Runs in the package phase (to skip artifacts already stored) and the upload phase. firstresult: the
    built-in `artifact_store` answers last.
    Raise nothing here; the store's methods raise `StackwrightError` when the target refuses.
    """


@hookspec
def stackwright_finalize_template(ctx: StackContext, template: Template) -> None:
    """Rewrite the compiled `template` in place: the one place a plugin may change what other plugins
    compiled (add tags, adjust properties, add resources of its own).

    Runs at the end of the compile phase, after connectTo wiring, overrides and
    `cloudformationResources`, before the target adapts the template. Every plugin is called.
    Raise `StackwrightError` (or `ctx.fail(...)` for a config value) to refuse the template.
    """


@hookspec
def stackwright_data_resource_types() -> list[str]:
    """Return the CloudFormation resource types this plugin knows to hold data (`AWS::DynamoDB::Table`,
    `MongoDB::Atlas::Cluster`): removing or replacing one destroys what it holds.

    Runs when a change set is ready to execute; a deploy whose change set removes or replaces one of
    these (unless its `DeletionPolicy`/`UpdateReplacePolicy` keeps it) lists them and asks for approval,
    and refuses without a terminal unless `--yes`. Every plugin is called and the lists are joined.
    Implemented by the built-in `cloudformation` plugin for AWS's types, and by provider plugins.
    Raise nothing.
    """


@hookspec
def stackwright_registry_schemas() -> list[Path]:
    """Return directories of CloudFormation registry schemas (`*.json` files, each with its `typeName`;
    what cfn-lint's `--registry-schemas` takes) of the third-party and private resource types this
    plugin's templates use (`MongoDB::Atlas::Cluster`).

    Runs before a compiled template is checked. cfn-lint learns the types from them (so templates using
    them lint clean), and stackwright checks each such resource's `Properties` against its schema
    (required properties, unknown names, types, enums; values that are intrinsic functions pass). A type
    used in a template without a schema is not checked at all. Every plugin is called and the lists are
    joined. Raise nothing.
    """


@hookspec
def stackwright_console_panels() -> list[type[ConsolePanel]]:
    """Return `ConsolePanel` subclasses: sections of a stack's page in `stackwright console`, each also a
    page of its own (a provider shows its extension versions; containers show the last container
    failure).

    Runs once when the console starts. Every plugin is called and the lists are joined, ordered by each
    panel's `order`; an installed plugin's panel replaces a built-in's of the same `name`. Raise nothing.
    """


@hookspec
def stackwright_preflight(ctx: StackContext) -> list[str]:
    """Return what stops `ctx`'s deploy before anything is created or uploaded, one sentence each (no
    Docker daemon while images must be built, a deployment bucket name owned by another account, missing
    credentials), or an empty list.

    Runs in `deploy` after the compile and the target's connection, before the bootstrap creates the
    stack and before packaging. Every plugin is called; all problems are reported at once and the deploy
    stops with nothing created. Implemented by the built-ins that need something outside the config.
    Raise nothing: return the problems.
    """


@hookspec
def stackwright_add_commands(cli: click.Group) -> None:
    """Add commands (or groups) to the `stackwright` command line with `cli.add_command(...)`.

    Runs once when the CLI starts, after plugins are loaded. Keep imports inside the command functions
    so `stackwright --help` stays fast.
    Raise nothing; commands raise `StackwrightError` for user mistakes (printed without a traceback).
    """


@hookspec
def stackwright_before_phase(ctx: StackContext, phase: Phase) -> None:
    """Notification before a phase (compile, package, extensions, bootstrap, upload, deploy, hotswap)
    starts.

    Every plugin is called. Raise `StackwrightError` to stop the command before the phase, with that
    message.
    """


@hookspec
def stackwright_after_phase(ctx: StackContext, phase: Phase, outcome: Any) -> None:
    """Notification after a phase finished successfully; `outcome` is what the phase produced (the
    template after compile, the packaged artifacts after package, the extension statuses after
    extensions, ...). Notifications change nothing: rewrite the template in `stackwright_finalize_template`.
    Every plugin is called.
    Raise `StackwrightError` to fail the command after the phase (the phase's work is kept).
    """
