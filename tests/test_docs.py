"""The generated reference pages are current, and what they describe works: the command reference, the
resource-type support page, shell completion through the installed console script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.test_schema_docs import DOCS, generator

SCRIPT = Path(sys.executable).parent / "stackwright"


@pytest.fixture
def builtins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the pages describe: the built-in plugins, whatever the environment has installed."""
    monkeypatch.setenv("STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("STACKWRIGHT_PLUGINS", raising=False)


def command_paths() -> list[tuple[str, Any]]:
    import click
    from stackwright.cli.main import build_cli

    found: list[tuple[str, Any]] = []

    def walk(command: Any, path: str) -> None:
        found.append((path, command))
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}")

    walk(build_cli([]), "stackwright")
    return found


@pytest.mark.usefixtures("builtins_only")
def test_cli_reference_is_current_and_lists_every_command_and_option() -> None:
    page = (DOCS / "reference" / "cli.md").read_text()
    assert page == generator("clireference").render(), (
        "docs/reference/cli.md is stale: run `make reference` (or "
        "`STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD=1 python docs/clireference.py`)"
    )
    paths = command_paths()
    assert {"stackwright local start", "stackwright deploy", "stackwright synth"} <= {p for p, _ in paths}
    for path, command in paths:
        section = page.split(f"## `{path}`\n")[1].split("\n## ")[0]
        for param in command.params:
            for opt in param.opts + param.secondary_opts:
                if param.param_type_name == "option":
                    assert opt in section, f"{path}: option {opt} is not in its section"


@pytest.mark.usefixtures("builtins_only")
def test_cli_reference_shows_option_groups_aliases_and_plugin_commands() -> None:
    page = generator("clireference").render()
    assert "**Stack**" in page and "**Output and plugins**" in page
    assert "Aliases: `compile-template`" in page
    assert "## `stackwright local start`" in page  # a command the local_engine plugin adds
    assert "| `-p, --plugin NAME` |" in page


def test_resource_types_page_is_current() -> None:
    from stackwright.config.known_types import STACKTAPE_TYPES

    module = generator("typesref")
    page = (DOCS / "reference" / "resource-types.md").read_text()
    assert page == module.render(), "docs/reference/resource-types.md is stale: run `python docs/typesref.py`"
    statuses = module.statuses()
    assert set(STACKTAPE_TYPES) <= set(statuses)
    assert statuses["function"] == "deployable" and statuses["bucket"] == "deployable"
    assert statuses["relational-database"] == "schema"
    assert statuses["state-machine"] == "deployable" and statuses["hosting-bucket"] == "deployable"
    for name in STACKTAPE_TYPES:
        assert f"| `{name}` |" in page
        assert name in module.WHAT, f"docs/typesref.py: say what `{name}` is in WHAT"


def test_stacktape_support_page_is_current_and_accepts_every_stacktape_property() -> None:
    """Every property of Stacktape's schema, for the root sections and each deployable type, is supported
    or refused by name: none fails as an unknown property (Stacktape configs validate unchanged)."""
    module = generator("supportref")
    page = (DOCS / "reference" / "stacktape-support.md").read_text()
    assert page == module.render(), (
        "docs/reference/stacktape-support.md is stale: run `python docs/supportref.py`"
    )
    sections = list(module.sections())
    assert {"`hooks`", "`function`", "`web-service`", "`bucket`"} <= {title for title, _, _ in sections}
    rows = {
        (title, path): module.status(path, accepted)
        for title, theirs, accepted in sections
        for path in theirs
    }
    assert not [key for key, (state, _) in rows.items() if state == "not accepted"]
    assert rows[
        "`function`", "packaging[stacktape-lambda-buildpack].languageSpecificConfig.packageManagerFile"
    ][0] == ("supported")
    state, why = rows["`web-service`", "packaging[nixpacks].sourceDirectoryPath"]
    assert state == "refused" and why == "with `packaging[nixpacks]`"
    assert rows["`function`", "provisionedConcurrency"] == (
        "refused",
        "remove it: provisioned concurrency is not supported yet",
    )


def complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    """The candidates bash would offer for `words` (the last word being completed)."""
    parts = words.split(" ")
    result = subprocess.run(
        [str(SCRIPT)],
        env={
            **os.environ,
            "_STACKWRIGHT_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_shell_completion_offers_commands_options_and_choices() -> None:
    assert SCRIPT.exists(), "the stackwright console script is not installed next to this interpreter"
    commands = complete("stackwright ")
    assert {"deploy", "synth", "validate", "local", "plugins"} <= set(commands)
    assert complete("stackwright de") == ["delete", "deploy"]
    assert set(complete("stackwright deploy --no")) == {"--no-wait", "--no-cache", "--no-hotswap"}
    assert set(complete("stackwright --target ")) >= {"aws", "local"}
    assert set(complete("stackwright local st")) == {"start", "status", "stop"}


def test_shell_completion_scripts_for_each_documented_shell() -> None:
    page = (DOCS / "how-to" / "shell-completion.md").read_text()
    for shell, marker in (("bash", "complete "), ("zsh", "compdef"), ("fish", "complete ")):
        assert f"_STACKWRIGHT_COMPLETE={shell}_source stackwright" in page
        result = subprocess.run(
            [str(SCRIPT)],
            env={**os.environ, "_STACKWRIGHT_COMPLETE": f"{shell}_source"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert marker in result.stdout and "_STACKWRIGHT_COMPLETE" in result.stdout
