"""Help pages as `--help` shows them, on click's own HelpFormatter: a group's commands under section
titles, and a command's options in titled groups (its own, Stack, Output and plugins, then Other options)
whose first column lines up across groups. Works on any click command, a plugin's too."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import click
from click.formatting import HelpFormatter

#: The widest first column before a term gets a line of its own (click's default).
COLUMN_MAX = 30
OTHER_OPTIONS = "Other options"


@dataclass
class OptionGroup:
    """Options shown together under `title` in `--help` (and in the generated reference)."""

    title: str
    options: list[click.Parameter]
    help: str = ""


@dataclass
class Section:
    """Commands listed together under `title` in a group's `--help`, by the name they are called."""

    title: str
    commands: dict[str, click.Command] = field(default_factory=dict)


def group_options(command: click.Command, groups: Sequence[OptionGroup]) -> None:
    """Show `command`'s options in `groups` in its `--help`, and the others (`--help` itself) last under
    "Other options". Kept as `command.option_groups`."""
    command.option_groups = [g for g in groups if g.options]  # type: ignore[attr-defined]
    if not isinstance(command, Cli):
        command.format_options = functools.partial(_format_options, command)  # type: ignore[method-assign]


def _format_options(command: click.Command, ctx: click.Context, formatter: HelpFormatter) -> None:
    groups: list[OptionGroup] = getattr(command, "option_groups", [])
    grouped = {id(p) for g in groups for p in g.options}
    rest = [p for p in command.get_params(ctx) if id(p) not in grouped]
    blocks = [(g.title, _records(g.options, ctx)) for g in groups]
    blocks.append((OTHER_OPTIONS if groups else "Options", _records(rest, ctx)))
    _write_aligned(formatter, blocks)


def _records(params: Iterable[click.Parameter], ctx: click.Context) -> list[tuple[str, str]]:
    return [record for p in params if (record := p.get_help_record(ctx)) is not None]


def _write_aligned(formatter: HelpFormatter, blocks: Sequence[tuple[str, list[tuple[str, str]]]]) -> None:
    """Each non-empty block as a titled definition list, every first column as wide as the widest term
    of at most COLUMN_MAX characters (a longer term gets a line of its own, as click does)."""
    terms = [len(click.unstyle(term)) for _, rows in blocks for term, _ in rows]
    if not terms:
        return
    width = max((t for t in terms if t <= COLUMN_MAX), default=COLUMN_MAX)
    for title, rows in blocks:
        if rows:
            with formatter.section(title):
                formatter.write_dl([(term.ljust(width), text) for term, text in rows], col_max=width)


class Cli(click.Group):
    """The root group: its options in groups (`group_options`), its commands in sections, and aliases
    (`synth` is also `compile-template`)."""

    def __init__(self, *args: Any, sections: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.option_groups: list[OptionGroup] = []
        self.sections = [Section(title) for title in sections]
        self.alias_of: dict[str, str] = {}

    def add_command(
        self,
        cmd: click.Command,
        name: str | None = None,
        section: str | None = None,
        aliases: Sequence[str] = (),
    ) -> None:
        """Add `cmd`, listed under `section` (a new one, after the others, when no section has that
        title) and also called by each of `aliases` (kept as `cmd.aliases`)."""
        super().add_command(cmd, name)
        name = name or cmd.name or ""
        if section is not None:
            found = next((s for s in self.sections if s.title == section), None)
            if found is None:
                found = Section(section)
                self.sections.append(found)
            found.commands[name] = cmd
        if aliases:
            cmd.aliases = list(aliases)  # type: ignore[attr-defined]
            self.alias_of.update(dict.fromkeys(aliases, name))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, self.alias_of.get(cmd_name, cmd_name))

    def list_sections(self, ctx: click.Context) -> list[Section]:
        """The sections with commands, in order; commands in none of them under "Commands" last."""
        listed = {name for s in self.sections for name in s.commands}
        rest = {n: c for n in self.list_commands(ctx) if n not in listed and (c := self.commands.get(n))}
        return [s for s in [*self.sections, Section("Commands", rest)] if s.commands]

    def format_options(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        _format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        sections = self.list_sections(ctx)
        names = [name for s in sections for name, cmd in s.commands.items() if not cmd.hidden]
        if not names:
            return
        limit = formatter.width - 6 - max(map(len, names))
        blocks = [
            (s.title, [(n, c.get_short_help_str(limit)) for n, c in s.commands.items() if not c.hidden])
            for s in sections
        ]
        _write_aligned(formatter, blocks)
