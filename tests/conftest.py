"""Fixtures: an in-process CLI runner, project folders, and cfn-lint on every template a test compiles."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Result, cfn_lint, write


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "STACKWRIGHT_PLUGINS",
        "STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD",
        "STACKWRIGHT_STAGE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "STACKWRIGHT_DEBUG",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def compiled_templates(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Record every template compiled during a test and fail the test if cfn-lint finds an error."""
    import stackwright.pipeline as pipeline

    seen: list[dict[str, Any]] = []
    original = pipeline.compile_stack

    def recording(ctx: Any) -> Any:
        template = original(ctx)
        seen.append(template.to_dict())
        return template

    monkeypatch.setattr(pipeline, "compile_stack", recording)
    yield seen
    for template in seen:
        errors = cfn_lint(template)
        assert not errors, "cfn-lint found errors:\n" + "\n".join(errors)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `stackwright ARGS` in-process in directory `cwd`."""
    from stackwright.cli.main import main

    def run(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """Write a project: `project({"stackwright.yml": "...", "src/app.py": "..."})`."""

    def make(files: dict[str, str]) -> Path:
        files = {"src/app.py": "def handler(event, context):\n    return event\n", **files}
        return write(tmp_path / "project", files)

    return make


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get("STACKWRIGHT_SKIP_SLOW"):
        skip = pytest.mark.skip(reason="STACKWRIGHT_SKIP_SLOW is set")
        for item in items:
            if "slow" in item.keywords:
                item.add_marker(skip)
