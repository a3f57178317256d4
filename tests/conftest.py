"""The project's tests run on stackwright.testing (loaded with `-p` in pyproject.toml: isolation with
autoload off, CLI runner, engine), plus cfn-lint on every template a test compiles and the Docker
fixtures."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Result, cfn_lint, write


@pytest.fixture(autouse=True)
def compiled_templates(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Record every template compiled during a test and fail the test if cfn-lint finds an error."""
    import stackwright.pipeline as pipeline

    seen: list[dict[str, Any]] = []
    original = pipeline.compile_stack

    def recording(ctx: Any, check: bool = False) -> Any:
        from stackwright.nesting import split_stack

        template = original(ctx, check)
        body = template.to_dict()
        found = split_stack(ctx, body)  # past CloudFormation's limits, the stacks it is split into
        seen.extend([found.root, *found.nested.values()] if found else [body])
        return template

    monkeypatch.setattr(pipeline, "compile_stack", recording)
    yield seen
    for template in seen:
        errors = cfn_lint(template)
        assert not errors, "cfn-lint found errors:\n" + "\n".join(errors)


@pytest.fixture
def cli(stackwright_cli: Callable[..., Result]) -> Callable[..., Result]:
    """Run `stackwright ARGS` in-process in directory `cwd` (stackwright.testing's runner)."""
    return stackwright_cli


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


@pytest.fixture(scope="session")
def docker_daemon() -> str:
    """A reachable Docker daemon (DOCKER_HOST, as .ci/run starts it), or a skip that says why."""
    from stackwright.docker import docker_client
    from stackwright.errors import StackwrightError

    try:
        docker_client().images.get("stackwright-test-base:latest")
    except StackwrightError as error:
        pytest.skip(f"no Docker daemon: {error.message}")
    except Exception as error:
        pytest.skip(f"the base image stackwright-test-base:latest is missing ({error}); run .ci/docker.sh")
    return os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")


@pytest.fixture(scope="session")
def local_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One local image registry for the session (stackwright's own, started as users get it)."""
    from stackwright.builtin_plugins.local_engine import registry

    old = os.environ.get("STACKWRIGHT_CACHE_DIR")
    os.environ["STACKWRIGHT_CACHE_DIR"] = str(tmp_path_factory.mktemp("registry-cache"))
    try:
        address = registry.address()
        yield address
    finally:
        registry.stop()
        if old is None:
            os.environ.pop("STACKWRIGHT_CACHE_DIR", None)
        else:
            os.environ["STACKWRIGHT_CACHE_DIR"] = old


@pytest.fixture
def engine(stackwright_engine: str) -> str:
    """The engine, emptied, with stackwright pointed at it (stackwright.testing's)."""
    return stackwright_engine


@pytest.fixture
def aws(stackwright_aws: Callable[[str], Any]) -> Callable[[str], Any]:
    """boto3 clients on the engine, to read back what a deploy created through each service's own API."""
    return stackwright_aws


ESBUILD_VERSION = "0.24.2"


@pytest.fixture(scope="session")
def esbuild_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose node_modules/.bin holds esbuild, installed once from the npm registry."""
    import shutil
    import subprocess

    if shutil.which("npm") is None:
        pytest.fail("npm is not installed: .ci/run installs it")
    folder = tmp_path_factory.mktemp("esbuild")
    (folder / "package.json").write_text('{"name": "tools", "version": "1.0.0", "private": true}\n')
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", f"esbuild@{ESBUILD_VERSION}"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    return folder


@pytest.fixture
def esbuild(esbuild_install: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """esbuild on PATH for this test; returns its path."""
    bin_dir = esbuild_install / "node_modules" / ".bin"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return bin_dir / "esbuild"
