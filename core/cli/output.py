"""Terminal output: rich tables and progress in a terminal, plain text in CI and pipes."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import click


def fancy() -> bool:
    """Rich output only for a real terminal, and never in CI."""
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str = "") -> None:
    if fancy():
        from rich.console import Console
        from rich.table import Table

        grid = Table(title=title or None, title_justify="left")
        for header in headers:
            grid.add_column(header)
        for row in rows:
            grid.add_row(*row)
        Console().print(grid)
        return
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=False)]
    if title:
        click.echo(title)
    for row in [list(headers), *rows]:
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)).rstrip())


class Progress(Protocol):
    def advance(self, description: str) -> None: ...


class _Plain:
    def __init__(self, total: int, label: str) -> None:
        self.total = total
        self.done = 0
        self.label = label

    def advance(self, description: str) -> None:
        self.done += 1
        click.echo(f"[{self.done}/{self.total}] {self.label} {description}", err=True)


class _Rich:
    def __init__(self, bar: Any, task: Any) -> None:
        self.bar = bar
        self.task = task

    def advance(self, description: str) -> None:
        self.bar.update(self.task, advance=1, description=description)


@contextmanager
def progress(total: int, label: str, quiet: bool = False) -> Iterator[Progress]:
    if quiet or not fancy():
        yield _Plain(total, label) if not quiet else _Silent()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn(f"{label} {{task.description}}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        yield _Rich(bar, bar.add_task("", total=total))


class _Silent:
    def advance(self, description: str) -> None:
        pass
