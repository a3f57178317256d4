"""How commands and plugins tell the user what happens: text for people, JSON lines for machines.

Plugins call `ctx.report` rather than printing, so `--output json` turns every message into one JSON
object per line on stdout, and text goes to the terminal (progress and notes on stderr).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import click
from stackwright.cli.output import Progress, progress, table


def human_size(size: int) -> str:
    """`size` bytes for people: `512 B`, `1.3 KiB`, `2.0 MiB` (powers of 1024)."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def plural(number: int, noun: str, many: str | None = None) -> str:
    """`1 resource`, `2 resources`, `0 images` (`many`: the plural when it is not `noun` + "s")."""
    return f"{number:,} {noun if number == 1 else many or noun + 's'}"


@dataclass
class Reporter:
    json: bool = False
    said: set[str] = field(default_factory=set)

    def emit(self, record: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(record, default=str) + "\n")
        sys.stdout.flush()

    def note(self, text: str, **fields: Any) -> None:
        """A line for the user (stderr in text mode; an `info` record in JSON mode)."""
        if self.json:
            self.emit({"event": "info", "message": text, **fields})
        else:
            click.echo(text, err=True)

    def warn(self, text: str) -> None:
        """A warning, said once per command however often it is raised."""
        if text in self.said:
            return
        self.said.add(text)
        if self.json:
            self.emit({"event": "warning", "message": text})
        else:
            click.echo(f"warning: {text}", err=True)

    def event(self, kind: str, text: str, **fields: Any) -> None:
        """A step in a long operation: text for people, a `kind` record for machines."""
        if self.json:
            self.emit({"event": kind, **fields})
        else:
            click.echo(text, err=True)

    def detail(self, text: str) -> None:
        """A line that details what a table or result showed (stdout, text mode only: JSON mode has the
        records)."""
        if not self.json:
            click.echo(text)

    def result(self, text: str, **fields: Any) -> None:
        """The outcome of a command (stdout)."""
        if self.json:
            self.emit({"event": "result", **fields})
        else:
            click.echo(text)

    def table(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], title: str = "", kind: str = "row"
    ) -> None:
        if self.json:
            for row in rows:
                keys = [header.lower().replace(" ", "_").replace("-", "_") for header in headers]
                self.emit({"event": kind, **dict(zip(keys, row, strict=False))})
        else:
            table(headers, rows, title)

    @contextmanager
    def progress(self, total: int, label: str) -> Iterator[Progress]:
        with progress(total, label, quiet=self.json) as bar:
            yield bar
