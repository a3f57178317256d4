"""The local target: the engine's own commands, and the list of resource types it does not create."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright.builtin_plugins.local_engine.unemulated import UNEMULATED_TYPES

from tests.helpers import Result

CREATED_TYPES = {
    "AWS::SQS::Queue": {},
    "AWS::SNS::Topic": {},
    "AWS::Logs::LogGroup": {"LogGroupName": "/proof/log-group"},
    "AWS::ECR::Repository": {"RepositoryName": "proof-repository"},
}


def logical(kind: str) -> str:
    return kind.replace("AWS::", "").replace("::", "")


@pytest.mark.parametrize("kind", sorted(UNEMULATED_TYPES))
def test_each_listed_type_is_really_not_created(engine: str, aws: Callable[[str], Any], kind: str) -> None:
    template = {
        "Resources": {"Anchor": {"Type": "AWS::SQS::Queue"}, logical(kind): {"Type": kind, "Properties": {}}}
    }
    cf = aws("cloudformation")
    cf.create_stack(StackName="proof", TemplateBody=json.dumps(template))
    created = {
        r["LogicalResourceId"]: r.get("PhysicalResourceId")
        for r in cf.list_stack_resources(StackName="proof")["StackResourceSummaries"]
        if r.get("LogicalResourceId")
    }
    assert "Anchor" in created
    assert not created.get(logical(kind)), f"{kind} was created: take it off UNEMULATED_TYPES"


@pytest.mark.parametrize("kind", sorted(CREATED_TYPES))
def test_types_off_the_list_are_created(engine: str, aws: Callable[[str], Any], kind: str) -> None:
    assert kind not in UNEMULATED_TYPES
    template = {"Resources": {logical(kind): {"Type": kind, "Properties": CREATED_TYPES[kind]}}}
    cf = aws("cloudformation")
    cf.create_stack(StackName="proof", TemplateBody=json.dumps(template))
    (resource,) = cf.list_stack_resources(StackName="proof")["StackResourceSummaries"]
    assert resource["PhysicalResourceId"]


def test_local_start_status_stop(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    assert cli("local", "status").code == 1
    started = cli("local", "start")
    assert started.code == 0 and "local engine running at http://127.0.0.1:" in started.out
    try:
        assert cli("local", "status").out == started.out
        assert cli("local", "start").out == started.out  # already running: the same one
    finally:
        assert cli("local", "stop").out == "local engine stopped\n"
    assert cli("local", "status").code == 1
    assert cli("local", "stop").out == "local engine was not running\n"


def test_two_commands_starting_the_engine_at_once_share_it(tmp_path: Path) -> None:
    """Each used to start its own engine (the second one's state file won, the first was orphaned)."""
    import subprocess
    import sys

    env = {**os.environ, "STACKWRIGHT_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "stackwright.cli.main", "local", "start"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=60)[0] for run in runs]
    try:
        assert [run.returncode for run in runs] == [0, 0, 0]
        assert len(set(outputs)) == 1 and "local engine running at http://127.0.0.1:" in outputs[0]
    finally:
        subprocess.run([sys.executable, "-m", "stackwright.cli.main", "local", "stop"], env=env, check=False)


def test_unreachable_configured_engine_is_a_clear_error(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STACKWRIGHT_LOCAL_ENDPOINT", "http://127.0.0.1:9")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(e, c):\n    return 1\n")
    (tmp_path / "stackwright.yml").write_text(
        "resources:\n  api:\n    type: function\n    properties:\n"
        "      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}\n"
    )
    result = cli("--local", "deploy", cwd=tmp_path)
    assert result.code == 1 and "no local engine answers at http://127.0.0.1:9" in result.err


def test_types_the_engine_fails_on_are_refused_before_deploying(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    from stackwright.builtin_plugins.local_engine.unemulated import ENGINE_FAILS

    (tmp_path / "stackwright.yml").write_text(
        "resources:\n  nightly:\n    type: batch-job\n    properties:\n"
        "      container: {packaging: {type: prebuilt-image, properties: {image: 'busybox:1'}}}\n"
        "      resources: {cpu: 1, memory: 2048}\n"
    )
    result = cli("--local", "deploy", cwd=tmp_path)
    assert (
        result.code == 1
        and "the local engine cannot deploy AWS::Batch::ComputeEnvironment (resources: nightly)" in result.err
    )
    # the proof: the engine really fails on the same template
    template = json.loads(cli("synth", cwd=tmp_path).out)
    failing = {lid: body for lid, body in template["Resources"].items() if body["Type"] in ENGINE_FAILS}
    assert failing
    cf = aws("cloudformation")
    with pytest.raises(Exception):  # noqa: B017 - the engine answers with an internal error
        cf.create_stack(StackName="proof", TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_IAM"])
        cf.describe_stacks(StackName="proof")
