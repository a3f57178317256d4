"""The target contract: a plugin can provide a whole target (connect, stack state, deploy) by name."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

from tests.helpers import FUNCTION_CONFIG, Result, write


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
                return str(artifact.version) if artifact.s3_key in memory.objects else None

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
    assert list(memory.objects) == [f"lambda-zip/{ctx.artifacts['api'].digest}.zip"]


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


def test_target_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The core holds the target's lock around the deploy, after the bootstrap, and reads the state again
    inside it; a lock the target refuses stops the deploy before anything is built."""
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    plugin = MemoryPlugin()
    memory = plugin.target
    seen: list[str] = []

    @contextmanager
    def lock(ctx: StackContext, command: str) -> Iterator[None]:
        seen.append(f"enter {command} after {[p.value for p, _ in memory.deployed]}")
        memory.state = dataclasses.replace(memory.state, last_version=6)  # another deploy got in first
        yield
        seen.append(f"exit after {[p.value for p, _ in memory.deployed]}")

    monkeypatch.setattr(memory, "lock", lock, raising=False)
    ctx = project(tmp_path, ("memory", plugin), target="memory")
    connect(ctx)
    deploy_stack(ctx)
    assert seen == ["enter deploy after ['bootstrap']", "exit after ['bootstrap', 'deploy']"]
    assert ctx.version == "v000007"  # numbered from the state read inside the lock

    def refused(ctx: StackContext, command: str) -> Any:
        raise StackwrightError("stack demo-dev is being deployed by ana@build-7")

    monkeypatch.setattr(memory, "lock", refused, raising=False)
    again = project(tmp_path, ("memory", plugin), target="memory")
    connect(again)
    with pytest.raises(StackwrightError, match="being deployed by ana@build-7"):
        deploy_stack(again)
    assert len(memory.deployed) == 2 and all(a.path is None for a in again.artifacts.values())


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
    assert ctx.artifacts["api"].s3_key.startswith("lambda-zip/")
    assert not [k for k in keys if k.startswith("lambda-zip/")]


def test_target_account(tmp_path: Path, engine: str) -> None:
    local = project(tmp_path, target="local")
    connect(local)
    assert local.project.account == "123456789012"
    # the aws target asks STS; with no reachable AWS it fails quickly with a user error
    aws = project(tmp_path / "aws", target="aws")
    with pytest.raises(StackwrightError, match="cannot reach AWS with the configured credentials"):
        connect(aws)


def test_target_read_stack(cli: Callable[..., Result], tmp_path: Path, engine: str) -> None:
    root = write(
        tmp_path / "p",
        {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    return 1\n"},
    )
    assert cli("--local", "deploy", cwd=root).code == 0
    ctx = project(tmp_path, target="local")
    connect(ctx)
    view = ctx.require_target().read_stack(ctx)
    assert view.state.status == "UPDATE_COMPLETE" and view.kept_versions == [1]
    assert {"ApiFunction", "ApiRole", "StpDeploymentBucket"} <= {r.logical_id for r in view.resources}
    function = next(r for r in view.resources if r.logical_id == "ApiFunction")
    assert function.physical_id == "demo-dev-api" and function.resource_type == "AWS::Lambda::Function"
    assert set(view.template["Resources"]) == {r.logical_id for r in view.resources} | {
        "StpDeploymentBucketPolicy"
    } or ("ApiFunction" in view.template["Resources"])
    assert view.events and view.events[0].logical_id == "demo-dev"
    # `info` prints exactly this view
    info = cli("--local", "--output", "json", "info", cwd=root).json_lines()
    (stack,) = [r for r in info if r["event"] == "result"]
    assert stack["status"] == "UPDATE_COMPLETE" and stack["kept_versions"] == [1]
    rows = {r["logical_id"]: r for r in info if r["event"] == "resource"}
    assert rows["ApiFunction"]["physical_id"] == "demo-dev-api"
    missing = project(tmp_path / "gone", target="local")
    (tmp_path / "gone" / "p" / "stackwright.yml").write_text(FUNCTION_CONFIG.replace("demo", "gone"))
    missing = pipeline.open_stack(
        Options(directory=tmp_path / "gone" / "p", target="local"), load_plugins(autoload=False)
    )
    connect(missing)
    with pytest.raises(StackwrightError, match="does not exist"):
        missing.require_target().read_stack(missing)


def test_target_ensure_extensions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The extensions phase runs through the target, beside packaging; `diff` puts nothing in place.
    (The aws target's own registry calls are replayed in test_extensions.py.)"""
    from stackwright import ExtensionStatus, ResourceType

    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[tuple[list[str], str]] = []

    class Recording(Memory):
        def ensure_extensions(self, ctx: StackContext, extensions: Any, on_done: Any = None) -> Any:
            import threading

            calls.append(([e.type_name for e in extensions], threading.current_thread().name))
            statuses = [ExtensionStatus(e.type_name, "in-place") for e in extensions]
            for status in statuses:
                on_done(status)
            return statuses

    class Plugin(MemoryPlugin):
        def __init__(self) -> None:
            self.target = Recording()

        @hookimpl
        def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
            from tests.plugins.atlas_extension import CacheCluster

            return [CacheCluster]

    plugin = Plugin()
    root = write(
        tmp_path / "x",
        {
            "stackwright.yml": FUNCTION_CONFIG + "  widget:\n    type: cache-cluster\n",
            "src/app.py": "def handler(e, c):\n    pass\n",
        },
    )

    def opened() -> StackContext:
        ctx = pipeline.open_stack(
            Options(directory=root, target="memory"), load_plugins(autoload=False, extra=[("memory", plugin)])
        )
        ctx.report.json = True
        connect(ctx)
        return ctx

    deploy_stack(opened(), execute=False)
    assert calls == []
    deploy_stack(opened())
    assert calls == [(["MongoDB::Atlas::Cluster"], calls[0][1])] and calls[0][1].startswith("extensions")


def test_target_prepare_template(tmp_path: Path) -> None:
    """The local target swaps what its engine does not create for placeholders right after compile;
    the aws target leaves the template alone."""
    config = FUNCTION_CONFIG + "      url: {enabled: true}\n"
    root = write(tmp_path / "p", {"stackwright.yml": config, "src/app.py": "def handler(e, c):\n    pass\n"})
    local = pipeline.open_stack(Options(directory=root, target="local"), load_plugins(autoload=False))
    pipeline.compile_stack(local)
    aws = pipeline.open_stack(Options(directory=root, target="aws"), load_plugins(autoload=False))
    pipeline.compile_stack(aws)
    assert local.template.to_dict() != aws.template.to_dict()
    assert "stackwright-local-engine-skipped" in local.template.to_json()
    assert "stackwright-local-engine-skipped" not in aws.template.to_json()


def test_target_check_deploy(
    cli: Callable[..., Result], tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A type the engine would fail on is refused before anything is built or uploaded."""
    from stackwright.builtin_plugins import local_engine

    monkeypatch.setattr(local_engine, "ENGINE_FAILS", frozenset({"AWS::SQS::Queue"}))
    config = "serviceName: jobs\nresources:\n  jobs:\n    type: sqs-queue\n"
    root = write(tmp_path / "p", {"stackwright.yml": config})
    result = cli("--local", "deploy", cwd=root)
    assert (
        result.code == 1 and "the local engine cannot deploy AWS::SQS::Queue (resources: jobs)" in result.err
    )


def test_a_target_from_a_plugin_appears_in_the_command_line(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).parent / "plugins"))
    help_text = cli("-p", "elsewhere_target", "--help").out
    assert "[aws|elsewhere|local]" in help_text and "elsewhere: a target from a plugin" in " ".join(
        help_text.split()
    )
    result = cli("-p", "elsewhere_target", "--target", "nowhere", "info")
    assert result.code == 2 and "'nowhere' is not one of 'aws', 'elsewhere', 'local'" in result.err


def test_the_local_engine_names_third_party_types_it_does_not_create(tmp_path: Path) -> None:
    """The engine has no registry: a provider's type is skipped, and said so, like the AWS types it skips."""
    template = Template()
    template.add_resource("Cluster", "MongoDB::Atlas::Cluster", {"Name": "c", "ProjectId": "p"}, owner="db")
    template.add_resource("Topic", "AWS::SNS::Topic", {"DisplayName": {"Ref": "Cluster"}}, owner="db")
    ctx = project(tmp_path, target="local")
    warnings: list[str] = []
    ctx.report.warn = warnings.append  # type: ignore[method-assign]
    target = LocalTarget()
    target.prepare_template(ctx, template)
    target.check_deploy(ctx, template)
    assert warnings == [
        "the local engine leaves out what AWS would create or apply (of what this deploy adds or changes):\n"
        "  registry resources it cannot create (it has no CloudFormation registry; what reads them gets the "
        "placeholder stackwright-local-engine-skipped:<LogicalId>.<Attribute>): Cluster (MongoDB::Atlas::Cluster)"
    ]
    assert (
        template.resources["Topic"]["Properties"]["DisplayName"] == "stackwright-local-engine-skipped:Cluster"
    )
