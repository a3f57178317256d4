"""The core commands: synth (compile-template), validate, schema, plugins."""

from __future__ import annotations

import json
from pathlib import Path

import click
from stackwright.cli.state import State, pass_state
from stackwright.errors import StackwrightError
from stackwright.report import plural


@click.command("synth")
@click.option(
    "--out", "-o", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file."
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "yaml"]), help="Template format (default: from --out)."
)
@pass_state
def synth(state: State, out: Path | None, fmt: str | None) -> None:
    """Compile the config into a CloudFormation template (past CloudFormation's limits, the root template
    of the nested stacks it is split into; --out writes theirs beside it)."""
    from stackwright.nesting import split_stack
    from stackwright.pipeline import compile_stack, open_stack
    from stackwright.template import dump_json, dump_yaml

    ctx = open_stack(state.options(), state.plugins)
    template = compile_stack(ctx)
    fmt = fmt or ("yaml" if out and out.suffix in (".yml", ".yaml") else "json")
    dump = dump_yaml if fmt == "yaml" else dump_json
    body = template.to_dict()
    found = split_stack(ctx, body)
    text = dump(found.root if found else body)
    if found and out is None:
        click.echo(
            f"{ctx.stack_name}: {plural(len(body['Resources']), 'resource')}, past CloudFormation's limits: "
            f"split into {plural(len(found.nested), 'nested stack')}; this is the root template "
            "(--out FILE writes the nested ones beside it)",
            err=True,
        )
    if out is None:
        click.echo(text, nl=False)
        return
    written(out, text)
    for name, nested in (found.nested if found else {}).items():
        written(out.with_name(f"{out.stem}.{name}{out.suffix}"), dump(nested))
    if state.json:
        state.emit(
            {
                "event": "result",
                "stack": ctx.stack_name,
                "file": str(out),
                "resources": len(template.resources),
            }
        )
    else:
        beside = f" (split into {plural(len(found.nested), 'nested stack')}, beside it)" if found else ""
        click.echo(
            f"{ctx.stack_name}: {plural(len(template.resources), 'resource')} written to {out}{beside}",
            err=True,
        )


@click.command("validate")
@pass_state
def validate(state: State) -> None:
    """Check the config and the template it compiles to, and report every problem at once: the schema of
    each resource type, handlers, rules AWS enforces across resources, and cfn-lint."""
    from stackwright.pipeline import compile_stack, open_stack

    ctx = open_stack(state.options(), state.plugins)
    template = compile_stack(ctx, check=True)
    resources = ctx.config.resources
    if state.json:
        state.emit(
            {
                "event": "result",
                "valid": True,
                "stack": ctx.stack_name,
                "resources": len(resources),
                "template_resources": len(template.resources),
            }
        )
    else:
        source = ctx.project.config_path.name if ctx.project.config_path else "config"
        noun = "resource" if len(resources) == 1 else "resources"
        click.echo(
            f"{source} is valid: {len(resources)} {noun} for stack {ctx.stack_name}, "
            f"compiling to {len(template.resources)} CloudFormation resources that pass cfn-lint"
        )


@click.command("schema")
@click.option(
    "--out", "-o", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file."
)
@pass_state
def schema(state: State, out: Path | None) -> None:
    """Print the config JSON Schema assembled from the core and every installed resource type."""
    from stackwright.config.schema import assemble

    plugins = state.plugins
    text = json.dumps(assemble(plugins.resource_types(), plugins.config_sections()), indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        written(out, text)
        if state.json:
            state.emit({"event": "result", "file": str(out)})
        else:
            click.echo(f"schema written to {out}", err=True)


@click.command("plugins")
@pass_state
def plugins(state: State) -> None:
    """List loaded plugins with their distribution, version, hooks, resource types and targets."""
    loaded = state.plugins
    types, targets = loaded.resource_types(), loaded.targets()
    for info in loaded.info():
        offered = sorted(name for name, (_, plugin) in types.items() if plugin == info.name)
        where = sorted(name for name, (_, plugin) in targets.items() if plugin == info.name)
        sections = sorted(path for path, plugin in loaded.section_owners.items() if plugin == info.name)
        replaced = {
            f"{what} {name}": old
            for (what, name), old in loaded.replaced.items()
            if (types if what == "resource type" else targets).get(name, (None, ""))[1] == info.name
        }
        if state.json:
            state.emit(
                {
                    "event": "plugin",
                    "name": info.name,
                    "distribution": info.distribution,
                    "version": info.version,
                    "hooks": list(info.hooks),
                    "resource_types": offered,
                    "targets": where,
                    "config_sections": sections,
                    "replaces": replaced,
                }
            )
            continue
        dist = f"{info.distribution} {info.version}".strip() or "(not installed)"
        click.echo(f"{info.name}  [{dist}]")
        if offered:
            click.echo(f"    types: {', '.join(offered)}")
        if where:
            click.echo(f"    targets: {', '.join(where)}")
        if sections:
            click.echo(f"    config sections: {', '.join(sections)}")
        for what, old in sorted(replaced.items()):
            click.echo(f"    replaces the {what} of {old!r}")
        click.echo(f"    hooks: {', '.join(info.hooks) or '-'}")


def written(path: Path, text: str) -> None:
    """Write `text` to the file the user named (its folders made). Raises StackwrightError when this
    machine cannot (disk full, a name too long, no permission)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    except OSError as error:
        raise StackwrightError(f"cannot use {path}: {error.strerror or error}") from None
