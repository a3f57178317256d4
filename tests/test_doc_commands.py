"""Every `stackwright` command shown in README.md, docs/ and examples/ is taken from the files: each one
parses against the real command tree, and the walk-throughs run, in order, as a new user at a terminal
without AWS credentials would type them. A doc cannot drift from the CLI again."""

from __future__ import annotations

import re
import shlex
import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from stackwright.cli.main import build_cli

from tests.helpers import EXAMPLES, REPO, Result

#: `$ stackwright ...` in console blocks, and `#   stackwright ...` in the examples' config comments.
COMMAND = {
    ".md": re.compile(r"^\s*\$\s+(stackwright(?:\s.*)?)$"),
    ".yml": re.compile(r"^\s*#\s+(stackwright(?:\s.*)?)$"),
}
#: `-p NAME` plugins the docs show failing on purpose (a plugin that is not installed, or is buggy).
DOC_ONLY_PLUGINS = {"buggy_plugin", "misspelt_hook", "no:acme-types"}


def documents() -> list[Path]:
    found = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md")), *sorted(EXAMPLES.rglob("*.md"))]
    found += sorted(EXAMPLES.rglob("stackwright.yml"))
    return [p for p in found if "node_modules" not in p.parts]


def commands(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, argv after `stackwright`) of each command shown in `path`: the text before a pipe,
    a redirection or a comment."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        match = COMMAND[path.suffix].match(line)
        if not match:
            continue
        text = re.split(r"\s(?:\||#|>|&&)\s?", match.group(1) + " ", maxsplit=1)[0]
        words = shlex.split(text)[1:]
        if "<TAB>" in text:  # what completion offers, typed half-way
            continue
        if words and not words[0].startswith(("[", "COMMAND")):
            yield number, words


ALL = [(p, n, words) for p in documents() for n, words in commands(p)]


def test_the_docs_show_commands() -> None:
    shown = {p.relative_to(REPO).as_posix() for p, _, _ in ALL}
    assert {"README.md", "docs/how-to/deploy.md", "examples/quickstart/stackwright.yml"} <= shown
    assert len(ALL) >= 40


@pytest.mark.parametrize(
    ("path", "line", "words"), ALL, ids=[f"{p.relative_to(REPO)}:{n}" for p, n, _ in ALL]
)
def test_every_documented_command_parses(path: Path, line: int, words: list[str]) -> None:
    """Options and commands as the doc writes them exist (parsing only; nothing runs)."""
    args = [
        w
        for i, w in enumerate(words)
        if w not in DOC_ONLY_PLUGINS
        and not (w == "-p" and i + 1 < len(words) and words[i + 1] in DOC_ONLY_PLUGINS)
    ]
    group = build_cli([])
    try:
        ctx = group.make_context("stackwright", list(args))
        rest = unparsed(ctx)
        command: click.Command = group
        while isinstance(command, click.Group) and rest:
            name, sub, rest = command.resolve_command(ctx, rest)
            assert sub is not None, f"{path.name}:{line}: no command {name!r}"
            ctx = sub.make_context(name or "", list(rest), parent=ctx)
            rest = unparsed(ctx) if isinstance(sub, click.Group) else []
            command = sub
    except click.UsageError as error:
        pytest.fail(
            f"{path.relative_to(REPO)}:{line}: `stackwright {shlex.join(words)}`: {error.format_message()}"
        )


def unparsed(ctx: click.Context) -> list[str]:
    """What a group left for its subcommand (`protected_args` until click 9, then `args` alone)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return [*getattr(ctx, "protected_args", []), *ctx.args]


#: Commands that serve until Ctrl-C: a walkthrough parses them but does not run them (the console is
#: run as users run it in test_console.py and test_console_browser.py, `deploy --watch` in test_watch.py).
SERVING = ("console", "--watch")


def walkthrough(path: Path) -> list[list[str]]:
    return [words for _, words in commands(path) if not set(words) & set(SERVING)]


@pytest.fixture
def newcomer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A person at a terminal with no AWS credentials, answering yes to what is asked."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SESSION_TOKEN", "CI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setattr("stackwright.cli.state.interactive", lambda: True)
    monkeypatch.setattr("click.confirm", lambda *a, **k: True)


@pytest.mark.parametrize(
    ("document", "project"),
    [("README.md", "quickstart"), ("examples/quickstart/stackwright.yml", "quickstart")],
)
def test_walkthroughs_run_as_written(
    cli: Callable[..., Result], engine: str, newcomer: None, tmp_path: Path, document: str, project: str
) -> None:
    root = shutil.copytree(EXAMPLES / project, tmp_path / project)
    steps = walkthrough(REPO / document)
    assert steps
    for words in steps:
        if words[0] == "rollback" and not any(w for w in steps if w == ["deploy"]):
            continue
        result = cli(*words, cwd=root)
        if words[0] == "rollback" and "no earlier deployed version" in result.err:
            continue  # shown for its syntax: a first deploy has nothing to go back to
        assert result.code == 0, f"{document}: `stackwright {shlex.join(words)}` failed:\n{result.err}"
        if words[0] in ("deploy", "diff", "delete", "rollback"):
            assert "in the embedded local engine" in result.err.splitlines()[0]
