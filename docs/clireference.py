"""Generate docs/reference/cli.md from the live command tree (the root group `build_cli` returns, with
every command and subcommand the installed plugins add): `python docs/clireference.py`.

Run with `STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD=1` (as `make reference` does) so that only the built-in
plugins' commands and targets are listed, whatever else the environment has installed.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "reference" / "cli.md"

HEADER = """# Command line

Generated from the command tree (`stackwright.cli.main.build_cli`) by `python docs/clireference.py`;
a test fails when it is out of date. Commands added by plugins through `stackwright_add_commands` are
listed with the built-in ones, under *From plugins* in `stackwright --help`. What the commands print,
their JSON records, the environment variables they read and their exit codes are described in
[Output, environment and exit codes](cli-behaviour.md).

Every command takes `-h` / `--help`. Shell completion of commands and options:
[Shell completion](../how-to/shell-completion.md).
"""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _code(text: str) -> str:
    """A code span in a table cell: the table extension leaves `|` inside backticks alone."""
    return "`" + " ".join(text.split()) + "`"


def _type(info: dict[str, Any]) -> str:
    kind = info["type"]
    if info.get("is_flag"):
        return "flag"
    if "choices" in kind:
        return ", ".join(f"`{c}`" for c in kind["choices"])
    name = str(kind.get("name", ""))
    if "min" in kind or "max" in kind:
        low, high = kind.get("min"), kind.get("max")
        name = f"{name} ({low if low is not None else ''}..{high if high is not None else ''})"
    return name


def _default(info: dict[str, Any]) -> str:
    default = info.get("default")
    if default in (None, False, (), []):
        return ""
    return f"`{default}`"


def _option_row(param: Any, ctx: Any) -> str:
    info = param.to_info_dict()
    record = param.get_help_record(ctx)
    names = record[0] if record else ", ".join(param.opts)
    notes = []
    if info.get("multiple") and "repeat" not in (info.get("help") or ""):
        notes.append("repeatable")
    if info.get("required"):
        notes.append("required")
    if info.get("envvar"):
        notes.append(f"env `{info['envvar']}`")
    extra = f" ({', '.join(notes)})" if notes else ""
    helptext = _cell(info.get("help") or "") + extra
    return f"| {_code(names)} | {_type(info)} | {_default(info)} | {helptext} |"


def _groups(command: Any) -> list[tuple[str, str, list[Any]]]:
    """(title, help, options) per option group; options outside a group come last, as "Options"."""
    options = [p for p in command.params if p.param_type_name == "option" and not p.hidden]
    groups = [(g.title, g.help, list(g.options)) for g in getattr(command, "option_groups", [])]
    grouped = {id(o) for _, _, members in groups for o in members}
    rest = [o for o in options if id(o) not in grouped]
    return [*groups, *([("Options", "", rest)] if rest else [])]


def _command(command: Any, ctx: Any, path: str) -> list[str]:
    import click

    usage = " ".join(command.collect_usage_pieces(ctx))
    aliases = list(getattr(command, "aliases", []) or [])
    parts = [f"## `{path}`\n"]
    if aliases:
        parts.append("Aliases: " + ", ".join(f"`{a}`" for a in aliases) + ".\n")
    parts.append(f"{inspect.cleandoc(command.help or '')}\n")
    parts.append(f"```text\n{path} {usage}\n```\n")
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    if arguments:
        rows = ["| Argument | Type | Required |", "| --- | --- | --- |"]
        for argument in arguments:
            info = argument.to_info_dict()
            required = "yes" if info["required"] else ""
            rows.append(f"| `{argument.make_metavar(ctx)}` | {_type(info)} | {required} |")
        parts.append("\n".join(rows) + "\n")
    for title, helptext, options in _groups(command):
        if not options:
            continue
        rows = [f"**{title}**" + (f": {_cell(helptext)}" if helptext else ""), ""]
        rows += ["| Option | Type | Default | Help |", "| --- | --- | --- | --- |"]
        rows += [_option_row(option, ctx) for option in options]
        parts.append("\n".join(rows) + "\n")
    if isinstance(command, click.Group):
        if hasattr(command, "list_sections"):
            sections = [(s.title, list(s.commands)) for s in command.list_sections(ctx)]
        else:
            sections = [("Commands", command.list_commands(ctx))]
        for title, names in sections:
            links = ", ".join(f"[`{n}`](#{_anchor(f'{path} {n}')})" for n in names)
            parts.append(f"- {title}: {links}")
        parts.append("")
        for name in [name for _, names in sections for name in names]:
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            sub_ctx = click.Context(sub, info_name=name, parent=ctx)
            parts.extend(_command(sub, sub_ctx, f"{path} {name}"))
    return parts


def _anchor(heading: str) -> str:
    """The anchor mkdocs' toc extension gives the heading `` `heading` ``."""
    return heading.replace(" ", "-").lower()


def render() -> str:
    import click
    from stackwright.cli.main import build_cli

    cli = build_cli([])
    ctx = click.Context(cli, info_name="stackwright")
    return HEADER + "\n" + "\n".join(_command(cli, ctx, "stackwright")).rstrip("\n") + "\n"


def main() -> int:
    OUT.write_text(render())
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
