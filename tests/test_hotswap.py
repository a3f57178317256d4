"""Hot-swap: code-only changes skip CloudFormation; anything else goes through it, with the reasons."""

from __future__ import annotations

import copy
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import ANY
from stackwright import pipeline
from stackwright.config.load import Options
from stackwright.hotswap import Decision, decide
from stackwright.plugins import load_plugins
from stackwright.records import StackState

from tests.helpers import EXAMPLES, Result, write

Aws = Callable[[str], Any]
TWO = """\
serviceName: swap
resources:
  alpha:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: alpha/app.py}}
      memory: 256
  beta:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: beta/app.py}}
"""
FILES = {
    "stackwright.yml": TWO,
    "alpha/app.py": "def handler(e, c):\n    return 'a'\n",
    "beta/app.py": "def handler(e, c):\n    return 'b'\n",
}


def deploy(cli: Callable[..., Result], root: Path, *args: str) -> list[dict[str, Any]]:
    result = cli("--local", "--output", "json", "deploy", *args, cwd=root)
    assert result.code == 0, result.err + result.out
    return result.json_lines()


def code(aws: Aws, name: str) -> str:
    return str(aws("lambda").get_function(FunctionName=name)["Configuration"]["CodeSha256"])


def events(aws: Aws, stack: str) -> int:
    return len(aws("cloudformation").describe_stack_events(StackName=stack)["StackEvents"])


def test_code_change_is_hot_swapped_and_infrastructure_change_is_not(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    root = write(tmp_path / "swap", FILES)
    deploy(cli, root)
    alpha, beta, stack_events = (
        code(aws, "swap-dev-alpha"),
        code(aws, "swap-dev-beta"),
        events(aws, "swap-dev"),
    )

    write(root, {"alpha/app.py": "def handler(e, c):\n    return 'a2'\n"})
    records = deploy(cli, root, "--hotswap")
    swapped = [r for r in records if r.get("event") == "hotswapped"]
    assert [r["logical_id"] for r in swapped] == ["AlphaFunction"]
    assert records[-1] == {
        "event": "result",
        "stack": "swap-dev",
        "status": "UPDATE_COMPLETE",
        "changes": 1,
        "hotswapped": 1,
        "executed": False,
        "seconds": ANY,
    }
    assert code(aws, "swap-dev-alpha") != alpha and code(aws, "swap-dev-beta") == beta
    hot = code(aws, "swap-dev-alpha")
    assert events(aws, "swap-dev") == stack_events  # no stack update happened
    info = cli("--local", "--output", "json", "info", cwd=root).json_lines()
    alpha_row = next(r for r in info if r.get("logical_id") == "AlphaFunction")
    assert alpha_row["status"] == "CREATE_COMPLETE" and alpha_row["hotswapped_at"]

    # the same code again: nothing to redo
    again = deploy(cli, root, "--hotswap")
    assert not [r for r in again if r.get("event") == "hotswapped"]
    assert again[-1]["event"] == "result" and again[-1]["changes"] == 0

    # memory is infrastructure: a full deploy, and the reason is printed
    write(root, {"stackwright.yml": TWO.replace("memory: 256", "memory: 512")})
    result = cli("--local", "deploy", "--hotswap", cwd=root)
    assert result.code == 0, result.err
    assert "hot-swap not possible, deploying through CloudFormation:" in result.err
    assert "AlphaFunction (resources.alpha): MemorySize changed: needs CloudFormation" in result.err
    assert events(aws, "swap-dev") > stack_events
    assert aws("lambda").get_function(FunctionName="swap-dev-alpha")["Configuration"]["MemorySize"] == 512
    # ... which keeps the code hot-swapped earlier (nothing reverted) and clears the record
    assert code(aws, "swap-dev-alpha") == hot
    info = cli("--local", "--output", "json", "info", cwd=root).json_lines()
    assert not any("hot-swapped" in str(r.get("status")) for r in info)


def test_hotswap_default_from_config_per_stage(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    root = write(
        tmp_path / "swap", {**FILES, "stackwright.yml": TWO + "deploymentConfig:\n  hotswap: [dev]\n"}
    )
    deploy(cli, root)
    write(root, {"beta/app.py": "def handler(e, c):\n    return 'b2'\n"})
    assert [r["logical_id"] for r in deploy(cli, root) if r.get("event") == "hotswapped"] == ["BetaFunction"]
    write(root, {"beta/app.py": "def handler(e, c):\n    return 'b3'\n"})
    records = deploy(cli, root, "--no-hotswap")
    assert not [r for r in records if r.get("event") == "hotswapped"]
    assert [r["logical_id"] for r in records if r.get("event") == "change"] == ["BetaFunction"]


@pytest.mark.docker
def test_web_service_image_is_hot_swapped(
    cli: Callable[..., Result],
    tmp_path: Path,
    docker_daemon: str,
    local_registry: str,
    engine: str,
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STACKWRIGHT_LOCAL_REGISTRY", local_registry)
    config = """\
serviceName: shop
resources:
  web:
    type: web-service
    properties:
      packaging: {type: custom-dockerfile, properties: {buildContextPath: web}}
      resources: {cpu: 0.25, memory: 512}
"""
    root = write(
        tmp_path / "shop",
        {
            "stackwright.yml": config,
            "web/index.txt": "one\n",
            "web/Dockerfile": "FROM stackwright-test-base:latest\nCOPY index.txt /index.txt\n",
        },
    )
    deploy(cli, root)
    ecs = aws("ecs")
    before = ecs.describe_services(cluster="shop-dev-web", services=["shop-dev-web"])["services"][0][
        "taskDefinition"
    ]
    write(root, {"web/index.txt": f"two {uuid.uuid4()}\n"})
    records = deploy(cli, root, "--hotswap")
    assert [r["logical_id"] for r in records if r.get("event") == "hotswapped"] == ["WebTaskDefinition"]
    service = ecs.describe_services(cluster="shop-dev-web", services=["shop-dev-web"])["services"][0]
    assert service["taskDefinition"] != before and service["taskDefinition"].endswith(":2")
    image = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"][
        "containerDefinitions"
    ][0]["image"]
    assert image.endswith("--v000002") and image.startswith(
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-dev-image-repository:"
    )


def test_aliases_the_template_declares_are_moved_to_the_new_code(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    """A template with Lambda aliases (`cloudformationResources`): a hot-swapped function with an alias
    gets a new version and its alias points to it."""
    alias = (
        "cloudformationResources:\n  LiveAlias:\n    Type: AWS::Lambda::Alias\n    Properties:\n"
        "      FunctionName: !Ref AlphaFunction\n      FunctionVersion: '1'\n      Name: live\n"
    )
    root = write(tmp_path / "swap", {**FILES, "stackwright.yml": TWO + alias})
    deploy(cli, root)
    lam = aws("lambda")
    first = lam.publish_version(FunctionName="swap-dev-alpha")["Version"]
    lam.create_alias(FunctionName="swap-dev-alpha", Name="live", FunctionVersion=first)
    (root / "alpha" / "app.py").write_text("def handler(e, c):\n    return 'a 2'\n")
    result = cli("--local", "deploy", "--hotswap", cwd=root)
    assert result.code == 0 and "alias live → version" in result.err, result.err
    moved = lam.get_alias(FunctionName="swap-dev-alpha", Name="live")["FunctionVersion"]
    assert moved != first
    assert lam.get_function(FunctionName="swap-dev-alpha", Qualifier=moved)["Configuration"][
        "CodeSha256"
    ] == code(aws, "swap-dev-alpha")


def test_a_function_without_aliases_is_hot_swapped_in_one_request(
    cli: Callable[..., Result], engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import botocore.client

    root = write(tmp_path / "swap", FILES)
    deploy(cli, root)
    calls: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    def counted(self: Any, operation: str, params: Any) -> Any:
        if self.meta.service_model.service_name == "lambda":
            calls.append(operation)
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counted)
    for name in ("alpha", "beta"):
        (root / name / "app.py").write_text(f"def handler(e, c):\n    return '{name} 2'\n")
    assert cli("--local", "deploy", "--hotswap", cwd=root).code == 0
    assert sorted(calls) == ["UpdateFunctionCode", "UpdateFunctionCode"]


def test_ctrl_c_during_a_hot_swap_says_what_was_updated_and_the_next_one_does_the_rest(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C between updates: what was updated is recorded and named, not called "unchanged"."""
    import os
    import signal

    import stackwright.hotswap
    from stackwright.builtin_plugins.functions import hotswap as function_hotswap

    gamma = (
        "  gamma:\n    type: function\n    properties:\n      packaging: {type: stacktape-lambda-buildpack, "
    )
    files = {**FILES, "stackwright.yml": TWO + gamma + "properties: {entryfilePath: gamma/app.py}}\n"}
    files["gamma/app.py"] = "def handler(e, c):\n    return 'g'\n"
    root = write(tmp_path / "swap", files)
    deploy(cli, root)
    for name in ("alpha", "beta", "gamma"):
        (root / name / "app.py").write_text(f"def handler(e, c):\n    return '{name} 2'\n")
    original = function_hotswap.hotswap_function

    def pressed_during_beta(ctx: Any, change: Any) -> Any:
        if change.logical_id == "BetaFunction" and not change.plan_only:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while beta's update is under way
        return original(ctx, change)

    with monkeypatch.context() as patched:
        patched.setattr(stackwright.hotswap, "WORKERS", 1)  # one after the other: gamma never starts
        patched.setattr(function_hotswap, "hotswap_function", pressed_during_beta)
        result = cli("--local", "deploy", "--hotswap", cwd=root)
    assert result.code == 130, result.err
    assert "interrupted: 2 of 3 changes hot-swapped and recorded" in result.err
    assert "updated: AlphaFunction, BetaFunction; not updated: GammaFunction" in result.err
    assert "unchanged" not in result.err
    again = cli("--local", "--output", "json", "deploy", "--hotswap", cwd=root)
    swapped = [e["logical_id"] for e in again.json_lines() if e.get("event") == "hotswapped"]
    assert again.code == 0 and swapped == ["GammaFunction"], again.err


def test_a_hot_swap_that_fails_midway_says_what_was_updated_and_the_next_one_recovers(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    """The changes run at once: one that fails leaves the others to finish, and the record keeps what
    was updated, so the next deploy redoes only the rest."""
    root = write(tmp_path / "swap", FILES)
    deploy(cli, root)
    aws("lambda").delete_function(FunctionName="swap-dev-beta")  # gone behind the stack's back
    before = code(aws, "swap-dev-alpha")
    for name in ("alpha", "beta"):
        (root / name / "app.py").write_text(f"def handler(e, c):\n    return '{name} 2'\n")
    result = cli("--local", "deploy", "--hotswap", cwd=root)
    assert result.code == 1, result.err
    assert "hot-swap of BetaFunction failed: updating function swap-dev-beta failed" in result.err
    assert "updated: AlphaFunction" in result.err and "not updated: BetaFunction" in result.err
    assert "deploy again" in result.err
    assert code(aws, "swap-dev-alpha") != before
    # the next deploy redoes only what did not happen
    again = cli("--local", "deploy", "--hotswap", cwd=root)
    assert again.code == 1 and "updated: none" in again.err and "not updated: BetaFunction" in again.err
    # that failure updated nothing, and kept the record of alpha's hot-swap: with both files back as
    # deployed, alpha's code is put back (an empty record used to erase it: alpha kept running 'alpha 2')
    for name in ("alpha", "beta"):
        (root / name / "app.py").write_text(FILES[f"{name}/app.py"])
    back = cli("--local", "deploy", "--hotswap", cwd=root)
    assert back.code == 0 and "hot-swapped AlphaFunction" in back.err, back.err
    assert code(aws, "swap-dev-alpha") == before


def test_decision_names_every_reason(tmp_path: Path) -> None:
    root = write(tmp_path / "swap", FILES)
    ctx = pipeline.open_stack(Options(directory=root), load_plugins(autoload=False))
    pipeline.compile_stack(ctx)
    ctx.state = StackState("swap-dev", "UPDATE_COMPLETE")
    deployed = copy.deepcopy(ctx.template.to_dict())
    deployed["Resources"]["OldQueue"] = {"Type": "AWS::SQS::Queue"}
    deployed["Resources"]["BetaFunction"]["Properties"]["Timeout"] = 3
    del deployed["Resources"]["AlphaLogGroup"]
    deployed["Outputs"] = {}
    decision = decide(ctx, deployed)
    assert decision.reasons == [
        "AlphaLogGroup (resources.alpha) is new: needs CloudFormation",
        "BetaFunction (resources.beta): Timeout changed: needs CloudFormation",
        "OldQueue was removed: needs CloudFormation",
        "template Outputs changed: needs CloudFormation",
    ]
    assert isinstance(decision, Decision) and not decision.possible


def test_target_deployed_template(cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path) -> None:
    root = write(tmp_path / "swap", FILES)
    deploy(cli, root)
    ctx = pipeline.open_stack(Options(directory=root, target="local"), load_plugins(autoload=False))
    from stackwright.deploy import connect

    connect(ctx)
    target = ctx.require_target()
    ctx.state = target.stack_state(ctx)
    template = target.deployed_template(ctx)
    assert (
        template is not None
        and template == aws("cloudformation").get_template(StackName="swap-dev")["TemplateBody"]
    )
    assert {"AlphaFunction", "BetaFunction"} <= set(template["Resources"])


def test_target_record_hotswap(cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path) -> None:
    from stackwright.deploy import connect
    from stackwright.records import HotswapResult

    root = write(tmp_path / "swap", FILES)
    deploy(cli, root)
    ctx = pipeline.open_stack(Options(directory=root, target="local"), load_plugins(autoload=False))
    connect(ctx)
    target = ctx.require_target()
    ctx.state = target.stack_state(ctx)
    target.record_hotswap(ctx, [HotswapResult("alpha", "swap-dev-alpha", "x", "AlphaFunction", "d" * 64)])
    assert target.stack_state(ctx).hotswapped["AlphaFunction"]["digest"] == "d" * 64
    target.record_hotswap(ctx, [])
    assert target.stack_state(ctx).hotswapped == {}


def test_quickstart_example_hot_swaps(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    root = tmp_path / "quickstart"
    shutil.copytree(EXAMPLES / "quickstart", root)
    deploy(cli, root)
    with (root / "src" / "processor.py").open("a") as stream:
        stream.write("# changed\n")
    result = cli("--local", "deploy", "--hotswap", cwd=root)
    assert result.code == 0 and "hot-swapped 1 resource " in result.out


def test_only_the_containers_whose_image_changed_are_swapped(tmp_path: Path) -> None:
    config = """\
resources:
  pair:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.5, memory: 1024}
      containers:
        - name: a
          packaging: {type: custom-dockerfile, properties: {buildContextPath: a}}
        - name: b
          packaging: {type: custom-dockerfile, properties: {buildContextPath: b}}
"""
    root = write(
        tmp_path / "pair",
        {
            "stackwright.yml": config,
            "a/Dockerfile": "FROM scratch\n",
            "b/Dockerfile": "FROM scratch\n",
            "b/app.txt": "new\n",
        },
    )
    ctx = pipeline.open_stack(Options(directory=root), load_plugins(autoload=False))
    pipeline.compile_stack(ctx)
    ctx.state = StackState("pair-dev", "UPDATE_COMPLETE")
    deployed = copy.deepcopy(ctx.template.to_dict())
    containers = deployed["Resources"]["PairTaskDefinition"]["Properties"]["ContainerDefinitions"]
    b_digest = ctx.artifacts["pair-b"].digest
    containers[1]["Image"]["Fn::Sub"][0] = containers[1]["Image"]["Fn::Sub"][0].replace(b_digest, "0" * 64)
    decision = decide(ctx, deployed)
    (change,) = decision.changes
    assert [a.name for a in change.artifacts] == ["pair-b"]
    # the record holds the code the resource runs (every image it names): recorded, nothing to redo
    ctx.state.hotswapped = {
        "PairTaskDefinition": {"digest": ",".join(sorted([ctx.artifacts["pair-a"].digest, b_digest]))}
    }
    assert decide(ctx, deployed).changes == []


def test_rollback_clears_the_hot_swap_record(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    root = write(tmp_path / "swap", FILES)
    deploy(cli, root)
    first = code(aws, "swap-dev-alpha")
    write(root, {"alpha/app.py": "def handler(e, c):\n    return 'B'\n"})
    deploy(cli, root)
    write(root, {"alpha/app.py": "def handler(e, c):\n    return 'C'\n"})
    deploy(cli, root, "--hotswap")
    assert cli("--local", "rollback", "--version", "v000001", cwd=root).code == 0
    assert code(aws, "swap-dev-alpha") == first
    info = cli("--local", "--output", "json", "info", cwd=root).json_lines()
    assert not any("hot-swapped" in str(r.get("status")) for r in info)
    swapped = [r for r in deploy(cli, root, "--hotswap") if r.get("event") == "hotswapped"]
    assert [r["logical_id"] for r in swapped] == ["AlphaFunction"]  # C is swapped in again, not skipped
    assert code(aws, "swap-dev-alpha") != first
