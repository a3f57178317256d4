"""The target contract: a plugin can provide a whole target (connect, stack state, deploy) by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright import (
    Clients,
    DeployResult,
    Endpoint,
    Phase,
    StackContext,
    StackState,
    StackwrightError,
    Target,
    Template,
    hookimpl,
    pipeline,
)
from stackwright.builtin_plugins.local_engine import LocalTarget
from stackwright.config.load import Options
from stackwright.deploy import connect, deploy_stack, stack_state
from stackwright.plugins import load_plugins

from tests.helpers import FUNCTION_CONFIG, write


def project(tmp_path: Path, *plugins: tuple[str, object], target: str = "local") -> StackContext:
    root = write(
        tmp_path / "p",
        {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    return 1\n"},
    )
    ctx = pipeline.open_stack(
        Options(directory=root, target=target), load_plugins(autoload=False, extra=plugins)
    )
    ctx.report.json = True
    return ctx


def test_target_connect(tmp_path: Path, engine: str) -> None:
    seen: list[str] = []

    class Recorder(LocalTarget):
        name = "recorder"

        def connect(self, ctx: StackContext) -> Clients:
            seen.append(ctx.project.target)
            return Clients(Endpoint(ctx.project.region, endpoint_url=engine, static_credentials=("a", "b")))

    ctx = project(tmp_path, ("recorder", registering(Recorder)), target="recorder")
    connect(ctx)
    assert seen == ["recorder"] and ctx.project.account == "123456789012"
    assert ctx.clients.client("s3").meta.endpoint_url == engine
    bare = project(tmp_path / "other", target="local")
    bare.plugins.pm.unregister(name="local_engine")
    bare.plugins._targets = None
    with pytest.raises(StackwrightError, match="no installed plugin provides target 'local'"):
        connect(bare)


def registering(*classes: type[Target]) -> object:
    class Plugin:
        @hookimpl
        def stackwright_register_targets(self) -> list[type[Target]]:
            return list(classes)

    return Plugin()


class Memory(Target):
    """A whole target in memory: state, deployer and artifact store (no AWS, no CloudFormation)."""

    name = "memory"

    def __init__(self) -> None:
        self.state = StackState("demo-dev")
        self.deployed: list[tuple[Phase, list[str]]] = []
        self.objects: dict[str, bytes] = {}

    def connect(self, ctx: StackContext) -> Clients:
        return Clients(maker=lambda service: pytest.fail(f"no AWS client expected ({service})"))

    def account(self, ctx: StackContext) -> str:
        return "000000000000"

    def stack_state(self, ctx: StackContext) -> StackState:
        return self.state

    def deploy_template(self, ctx: StackContext, template: Template, phase: Phase) -> DeployResult:
        self.deployed.append((phase, sorted(template.resources)))
        self.state = StackState(
            "demo-dev",
            "UPDATE_COMPLETE",
            resources={"StpDeploymentBucket": "memory"},
            last_version=self.state.last_version + (phase is Phase.DEPLOY),
        )
        return DeployResult("UPDATE_COMPLETE", len(template.resources), True)


class MemoryPlugin:
    def __init__(self) -> None:
        self.target = Memory()

    @hookimpl
    def stackwright_register_targets(self) -> list[type[Target]]:
        target = self.target

        class Shared(Memory):
            def __new__(cls) -> Any:
                return target

        return [Shared]

    @hookimpl(tryfirst=True)
    def stackwright_get_artifact_store(self, ctx: StackContext, artifact: Any) -> Any:
        memory = self.target

        class Store:
            def find(self, artifact: Any) -> str | None:
                return next(
                    (
                        k.split("/")[1].split("-")[0]
                        for k in memory.objects
                        if k.endswith(f"-{artifact.digest}.zip")
                    ),
                    None,
                )

            def upload(self, artifact: Any) -> int:
                memory.objects[artifact.s3_key] = artifact.path.read_bytes()
                return len(memory.objects[artifact.s3_key])

            def delete(self, artifact: Any) -> None:
                memory.objects.pop(artifact.s3_key)

        return Store()


def test_target_stack_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    plugin = MemoryPlugin()
    memory = plugin.target
    ctx = project(tmp_path, ("memory", plugin), target="memory")
    connect(ctx)
    assert ctx.project.account == "000000000000"
    assert stack_state(ctx) is memory.state
    memory.state = StackState(
        "demo-dev", "UPDATE_COMPLETE", last_version=41, resources={"StpDeploymentBucket": "b"}
    )
    deploy_stack(ctx)
    assert ctx.version == "v000042"
    assert next(iter(memory.objects)).startswith("api/v000042-")


def test_target_deploy_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    plugin = MemoryPlugin()
    memory = plugin.target
    ctx = project(tmp_path, ("memory", plugin), target="memory")
    connect(ctx)
    deploy_stack(ctx)
    (bootstrap, full) = memory.deployed
    assert bootstrap == (
        Phase.BOOTSTRAP,
        ["StpContainerRepository", "StpDeploymentBucket", "StpDeploymentBucketPolicy"],
    )
    assert full[0] is Phase.DEPLOY and {"ApiFunction", "ApiRole", "ApiLogGroup"} <= set(full[1])
    assert list(memory.objects) == [ctx.artifacts["api"].s3_key]
    # a second deploy of the same code finds the artifact stored and sends nothing
    again = project(tmp_path, ("memory", plugin), target="memory")
    connect(again)
    deploy_stack(again)
    assert len(memory.objects) == 1 and again.artifacts["api"].s3_key == ctx.artifacts["api"].s3_key


def test_a_failed_deploy_removes_what_it_uploaded(
    tmp_path: Path, engine: str, aws: Callable[[str], Any]
) -> None:
    class Failing(LocalTarget):
        name = "failing"

        def deploy_template(self, ctx: StackContext, template: Template, phase: Phase) -> DeployResult:
            if phase is Phase.DEPLOY:
                raise StackwrightError("deploy failed: root cause: ApiFunction: boom")
            return super().deploy_template(ctx, template, phase)

    ctx = project(tmp_path, ("failing", registering(Failing)), target="failing")
    connect(ctx)
    with pytest.raises(StackwrightError, match="boom"):
        deploy_stack(ctx)
    bucket = ctx.state.bucket if ctx.state else None
    assert bucket
    keys = [o["Key"] for o in aws("s3").list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert not [k for k in keys if k.startswith("api/")]
