"""The one error type for user mistakes, and the wrapper that names a faulty plugin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class StackwrightError(Exception):
    """A mistake the user can fix. The CLI prints it without a traceback and exits non-zero."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = list(details)

    def render(self) -> str:
        lines = [self.message, *(f"  {d}" for d in self.details)]
        if self.hint:
            lines.append(f"hint: {self.hint}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Position:
    """Where a value sits in a config file (1-based line and column)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class ConfigProblem:
    """One mistake in a config: where, which path, what was expected and what was found."""

    path: str
    message: str
    position: Position | None = None
    expected: str | None = None
    found: str | None = None
    hint: str | None = None
    resource: str | None = None

    def render(self) -> str:
        where = f"{self.position}: " if self.position else ""
        lines = [f"{where}{self.path or '(root)'}: {self.message}"]
        if self.expected is not None:
            lines.append(f"    expected: {self.expected}")
        if self.found is not None:
            lines.append(f"    found:    {self.found}")
        if self.hint:
            lines.append(f"    {self.hint}")
        return "\n".join(lines)


def by_position(problem: ConfigProblem) -> tuple[int, int]:
    """A sort key putting problems in file order (those without a position first)."""
    return (problem.position.line, problem.position.column) if problem.position else (0, 0)


class ConfigError(StackwrightError):
    """Every mistake found in a config, reported at once (exit code 2)."""

    exit_code = 2

    def __init__(self, problems: Sequence[ConfigProblem], source: str = "config") -> None:
        self.problems = list(problems)
        self.source = source
        count = len(self.problems)
        super().__init__(f"{source}: {count} {'problem' if count == 1 else 'problems'} found")

    def render(self) -> str:
        groups: dict[str, list[ConfigProblem]] = {}
        for problem in self.problems:
            key = f"resource {problem.resource!r}" if problem.resource else "config"
            groups.setdefault(key, []).append(problem)
        lines = [self.message]
        for key, problems in groups.items():
            lines.append(f"\n{key}:")
            lines.extend("  " + p.render().replace("\n", "\n  ") for p in problems)
        return "\n".join(lines)


class PluginError(Exception):
    """A bug inside a plugin (not a user mistake): names the plugin and its distribution."""

    def __init__(self, plugin: str, distribution: str | None, error: BaseException) -> None:
        where = f"plugin {plugin!r}" + (f" (distribution {distribution})" if distribution else "")
        super().__init__(f"{where} failed: {type(error).__name__}: {error}")
        self.plugin = plugin
        self.distribution = distribution
        self.error = error
