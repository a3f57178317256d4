"""Opening a stack and the compile phase, expressed only as calls to registered types and hooks."""

from __future__ import annotations

import dataclasses
from typing import Any

from stackwright.config.directives import resolve_compile_time
from stackwright.config.load import Options, load_config
from stackwright.config.suggest import did_you_mean
from stackwright.connections import wire_connections
from stackwright.context import StackContext
from stackwright.cycles import find_cycle
from stackwright.errors import ConfigError, StackwrightError, by_position
from stackwright.models import Resource, paths_where
from stackwright.plugins import Plugins
from stackwright.records import Phase, ProviderExtension
from stackwright.scripts import add_script_outputs
from stackwright.stack_config import add_stack_outputs
from stackwright.template import CONFIG_PATHS_KEY, Template


def open_stack(options: Options, plugins: Plugins) -> StackContext:
    """Load and validate the config, and make the context every later phase works on."""
    project, config = load_config(options, plugins)
    return StackContext(project=project, config=config, plugins=plugins)


def compile_stack(ctx: StackContext, check: bool = False) -> Template:
    """Phase 1: every resource compiles into `ctx.template` through its registered type; then connectTo,
    overrides, `cloudformationResources`, the plugins' finishing touches and the target's adaptation.

    Raises ConfigError with the problems of every resource that cannot compile; with `check`, also with
    what AWS would refuse in the compiled template (see `stackwright.checks`), before the target adapts
    it."""
    plugins = ctx.plugins
    plugins.before_phase(ctx, Phase.COMPILE)
    problems = resolve_compile_time(ctx)
    if problems:
        raise ConfigError(problems, ctx.source)
    plugins.bootstrap_resources(ctx, ctx.template)
    if check:
        require_bootstrap(ctx.template)
    resources = ctx.config.resources
    failed: set[str] = set()
    for resource in resources.values():
        try:
            compile_resource(ctx, resource)
        except ConfigError as error:  # the other resources are compiled too, so all is told at once
            problems += error.problems
            failed.add(resource.name)
    if problems:
        if check:
            from stackwright.checks import check_compiled

            problems += check_compiled(ctx, failed)
            problems.sort(key=by_position)
        raise ConfigError(problems, ctx.source)
    for resource in resources.values():
        apply_overrides(ctx.template, resource)
    wire_connections(ctx)  # after overrides: a connection names its target as it will be deployed
    add_cloudformation_resources(ctx)
    add_stack_outputs(ctx)
    add_script_outputs(ctx)
    plugins.finalize_template(ctx, ctx.template)
    refuse_cycles(ctx)
    if check:
        from stackwright.checks import check_template

        problems = check_template(ctx)
        if problems:
            raise ConfigError(problems, ctx.source)
    record_config_paths(ctx)
    target = ctx.target
    if target is not None:
        with plugins.blame(plugins.owner_of_target(ctx.project.target)):
            target.prepare_template(ctx, ctx.template)
    plugins.after_phase(ctx, Phase.COMPILE, ctx.template)
    return ctx.template


def record_config_paths(ctx: StackContext) -> None:
    """Keep in the template's Metadata (`CONFIG_PATHS_KEY`) the config path that produced each resource
    (`resources.api`, `cloudformationResources.JobsQueue`), so a deployed stack can be read back against
    its config (the console does); resources stackwright adds itself are not listed."""
    paths = {lid: f"resources.{owner}" for lid, owner in ctx.template.owners.items() if owner}
    for logical_id in ctx.config.data.get("cloudformationResources") or {}:
        paths[str(logical_id)] = f"cloudformationResources.{logical_id}"
    present = {lid: path for lid, path in sorted(paths.items()) if lid in ctx.template.resources}
    if present:
        ctx.template.metadata[CONFIG_PATHS_KEY] = present


def require_bootstrap(template: Template) -> None:
    """Raises StackwrightError when no plugin added the bootstrap resources to `template`."""
    if not template.resources:
        raise StackwrightError(
            "no plugin adds the bootstrap resources (the deployment bucket the first deploy needs)",
            hint="is the built-in aws_bootstrap plugin blocked with -p no:aws_bootstrap?",
        )


def compile_resource(ctx: StackContext, resource: Resource) -> None:
    """`resource` compiled through its registered type, with the registry extensions it needs."""
    plugins = ctx.plugins
    rtype = plugins.type_of(resource)
    if rtype.schema_only:
        raise StackwrightError(
            f"resource {resource.name!r}: type `{resource.type}` is not supported by the installed "
            "plugins yet"
        )
    plugin = plugins.resource_types()[resource.type][1]
    with plugins.blame(plugin):
        try:
            rtype.compile(ctx, resource)
        except OSError as error:  # a path the config names cannot be used (too long, not readable)
            if error.filename is None:
                raise
            _unusable_path(ctx, resource, error)
        wanted = plugins.returned(
            plugin, f"{type(rtype).__name__}.extensions", rtype.extensions(ctx, resource), ProviderExtension
        )
    for extension in wanted:
        extension = dataclasses.replace(extension, plugin=extension.plugin or plugin)
        if extension not in ctx.extensions:
            ctx.extensions.append(extension)


def _unusable_path(ctx: StackContext, resource: Resource, error: OSError) -> None:
    """A file the config names that the system refuses (`File name too long`, `Permission denied`), as
    a config problem at the value that names it (or the resource). Raises ConfigError."""
    filename = str(error.filename)
    found = paths_where(
        resource.properties,
        lambda value: isinstance(value, str) and bool(value) and filename.endswith(value.lstrip("./")),
        ("resources", resource.name, "properties"),
    )
    shown = filename if len(filename) <= 80 else filename[:40] + "..." + filename[-37:]
    ctx.fail(found[0] if found else ("resources", resource.name), f"cannot use {shown}: {error.strerror}")


def apply_overrides(template: Template, resource: Resource) -> None:
    """Stacktape's `overrides`: `{ChildLogicalId: {"Property.Path": value}}`, set into that child's
    Properties."""
    if not resource.overrides:
        return
    children = template.resources_of(resource.name)
    for logical_id, patch in resource.overrides.items():
        if logical_id not in children:
            raise StackwrightError(
                f"resource {resource.name!r}: `overrides` names {logical_id!r}, which it does not create",
                hint=did_you_mean(logical_id, list(children))
                or f"its CloudFormation resources are: {', '.join(children)}",
            )
        body = children[logical_id]
        for dotted, value in patch.items():
            target: dict[str, Any] = body.setdefault("Properties", {})
            parts = str(dotted).split(".")
            if parts[0] == "Properties" and len(parts) > 1:
                parts = parts[1:]
            for part in parts[:-1]:
                nested = target.get(part)
                if not isinstance(nested, dict):
                    nested = target[part] = {}
                target = nested
            target[parts[-1]] = value


def add_cloudformation_resources(ctx: StackContext) -> None:
    """The config's `cloudformationResources`: raw CloudFormation resources added as written."""
    extra = ctx.config.data.get("cloudformationResources") or {}
    for logical_id, body in extra.items():
        if logical_id in ctx.template.resources:
            owner = ctx.template.owners.get(logical_id) or "stackwright"
            raise StackwrightError(
                f"cloudformationResources.{logical_id}: the logical id is already used by {owner!r}",
                hint="choose another logical id",
            )
        ctx.template.resources[logical_id] = dict(body)


def refuse_cycles(ctx: StackContext) -> None:
    """A template whose resources depend on each other in a circle is refused now, naming the config
    resources (CloudFormation would refuse it only after the change set was made)."""
    cycle = find_cycle(ctx.template)
    if cycle is None:
        return
    owners = [ctx.template.owners.get(lid) or lid for lid in cycle]
    names = list(dict.fromkeys(owners))
    raise StackwrightError(
        "the template's resources depend on each other in a circle: " + " → ".join(cycle),
        details=[f"config resources involved: {', '.join(names)}"],
        hint="look for resources that connect to (or reference) each other both ways, "
        "e.g. with connectTo or $ResourceParam, and remove one direction",
    )
