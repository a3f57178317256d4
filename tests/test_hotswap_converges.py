"""Hot-swap converges to the code on disk: after any sequence of edits, reverts, hot-swaps and full
deploys, the function runs exactly the zip its files make (read back as Lambda's CodeSha256)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from tests.helpers import Result, write

CONFIG = """\
serviceName: {name}
resources:
  api:
    type: function
    properties:
      packaging: {{type: stacktape-lambda-buildpack, properties: {{entryfilePath: src/app.py}}}}
"""


def source(version: int) -> str:
    return f"def handler(event, context):\n    return {version}\n"


class Project:
    def __init__(self, cli: Callable[..., Result], aws: Callable[[str], Any], root: Path) -> None:
        self.name = f"conv{uuid.uuid4().hex[:8]}"
        self.cli, self.aws = cli, aws
        self.root = write(
            root / self.name, {"stackwright.yml": CONFIG.format(name=self.name), "src/app.py": source(1)}
        )
        self.expected = ""

    def edit(self, version: int) -> None:
        (self.root / "src" / "app.py").write_text(source(version))

    def deploy(self, *flags: str) -> list[dict[str, Any]]:
        result = self.cli("--local", "--output", "json", "deploy", *flags, cwd=self.root)
        assert result.code == 0, result.err + result.out
        records = result.json_lines()
        (artifact,) = [r for r in records if r.get("event") == "artifact"]
        built = Path(
            os.environ["STACKWRIGHT_CACHE_DIR"], "artifacts", "lambda-zip", f"{artifact['digest']}.zip"
        )
        self.expected = base64.b64encode(hashlib.sha256(built.read_bytes()).digest()).decode()
        return records

    def running(self) -> str:
        function = self.aws("lambda").get_function(FunctionName=f"{self.name}-dev-api")
        return str(function["Configuration"]["CodeSha256"])


def test_reverting_after_a_hot_swap_runs_the_reverted_code(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """The reported case: v1 deployed, v2 hot-swapped, v1 restored on disk. Both a hot-swap and a full
    deploy must bring v1 back (both used to say "no changes" and leave v2 running)."""
    for flag in ("--hotswap", "--no-hotswap"):
        project = Project(cli, aws, tmp_path / flag.strip("-"))
        project.deploy()
        first = project.running()
        project.edit(2)
        project.deploy("--hotswap")
        assert project.running() != first
        project.edit(1)
        plan = cli("--local", "--output", "json", "diff", cwd=project.root)
        assert "run hot-swapped code" in plan.out and "ApiFunction" in plan.out  # diff tells of the drift
        records = project.deploy(flag)
        assert project.running() == first == project.expected, flag
        assert any(r.get("event") == "hotswapped" for r in records), records
        (result,) = [r for r in records if r.get("event") == "result"]
        assert result["hotswapped"] == 1, result  # not "no changes": the running code changed
        assert records[-1] is result  # told last, after what it sums up
        info = cli("--local", "--output", "json", "info", cwd=project.root).json_lines()
        assert not [r for r in info if "hot-swapped" in json.dumps(r)]  # no drift left in the record


class Converging(RuleBasedStateMachine):
    """Edits, reverts, hot-swaps and full deploys in any order; after each deploy the function runs the
    code on disk."""

    context: tuple[Callable[..., Result], Callable[[str], Any], Path]

    @initialize()
    def start(self) -> None:
        self.project = Project(*self.context)
        self.project.deploy()

    @rule(version=st.integers(min_value=1, max_value=2))
    def edit(self, version: int) -> None:
        self.project.edit(version)

    @rule(flag=st.sampled_from(["--hotswap", "--no-hotswap"]))
    def deploy(self, flag: str) -> None:
        self.project.deploy(flag)

    @invariant()
    def runs_what_the_files_say(self) -> None:
        if self.project.expected:
            assert self.project.running() == self.project.expected


def test_any_sequence_of_deploys_runs_the_code_on_disk(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    Converging.context = (cli, aws, tmp_path)
    run_state_machine_as_test(
        Converging,
        settings=settings(
            max_examples=10,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        ),
    )


def test_a_rollback_says_which_hot_swapped_code_it_left_running(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """On AWS a rollback replaces the code only where the kept version names other code. Here v1 and v2
    name the same code (v2 only changed memory), so the code hot-swapped after v2 may keep running: the
    rollback says so, `info` keeps showing it, and the next deploy puts the code on disk back. (The
    engine happens to reload the code when the memory changes; AWS does not.)"""
    project = Project(cli, aws, tmp_path)
    project.deploy()
    first = project.running()
    config = project.root / "stackwright.yml"
    config.write_text(config.read_text() + "      memory: 256\n")
    project.deploy()
    project.edit(2)
    project.deploy("--hotswap")
    swapped = project.running()
    assert swapped != first
    result = cli("--local", "rollback", cwd=project.root)
    assert result.code == 0, result.err
    assert "may still run hot-swapped code the rollback did not replace: ApiFunction" in result.err
    info = cli("--local", "info", cwd=project.root)
    assert "hot-swapped" in info.out
    project.edit(1)
    project.deploy()
    assert project.running() == first == project.expected
