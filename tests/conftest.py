"""Fixtures: an in-process CLI runner, project folders, and cfn-lint on every template a test compiles."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Result, cfn_lint, write


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any client made for the `aws` target goes to a closed local port with fake credentials."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)


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


@pytest.fixture(scope="session")
def local_engine() -> Iterator[str]:
    """One embedded engine (moto server on 127.0.0.1) for the whole session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def engine(local_engine: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """The engine, emptied, with stackwright pointed at it and a fresh cache."""
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{local_engine}/moto-api/reset", method="POST"))
    monkeypatch.setenv("STACKWRIGHT_LOCAL_ENDPOINT", local_engine)
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    return local_engine


@pytest.fixture
def aws(engine: str) -> Callable[[str], Any]:
    """boto3 clients on the engine, to read back what a deploy created through each service's own API."""
    import boto3

    session = boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    return lambda service: session.client(service, endpoint_url=engine)
