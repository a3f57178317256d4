"""`scripts` and `hooks`: local commands around deploy and delete and by `script:run`, with the stack's
parameters in their environment, read from the deployed stack."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Result, write

Aws = Callable[[str], Any]

DUMP = "env | grep -E '^(STP_|AWS_ENDPOINT_URL|MY_)' | sort > {file}"
CONFIG = f"""\
serviceName: scripted
scripts:
  build:
    type: local-script
    properties:
      executeCommand: echo "built for $STP_STAGE" > built.txt
  migrate:
    type: local-script
    properties:
      executeCommands:
        - {DUMP.format(file="migrate-env.txt")}
        - echo second >> migrate-env.txt
      connectTo: [jobs]
      environment:
        - name: MY_QUEUE_ARN
          value: $ResourceParam('jobs', 'arn')
        - name: MY_PLAIN
          value: hello
  check:
    type: local-script
    properties:
      executeScript: tools/check.py
      cwd: tools
      connectTo: [jobs]
hooks:
  beforeDeploy:
    - scriptName: build
  afterDeploy:
    - scriptName: migrate
resources:
  jobs:
    type: sqs-queue
"""
CHECK = """\
import os, pathlib
pathlib.Path("check.txt").write_text(os.environ["STP_JOBS_NAME"] + " " + os.getcwd().rsplit("/", 1)[1])
"""


def env_file(path: Path) -> dict[str, str]:
    lines = [line for line in path.read_text().splitlines() if "=" in line]
    return dict(line.split("=", 1) for line in lines)


def test_hooks_run_around_deploy_with_the_stack_parameters(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    root = write(tmp_path / "p", {"stackwright.yml": CONFIG, "tools/check.py": CHECK})
    result = cli("--local", "--output", "json", "deploy", cwd=root)
    assert result.code == 0, result.err
    scripts = [r for r in result.json_lines() if r.get("event") == "script"]
    assert [(s["hook"], s["script"]) for s in scripts] == [
        ("beforeDeploy", "build"),
        ("afterDeploy", "migrate"),
    ]
    assert (root / "built.txt").read_text() == "built for dev\n"
    env = env_file(root / "migrate-env.txt")
    arn = aws("sqs").get_queue_attributes(
        QueueUrl=aws("sqs").get_queue_url(QueueName="scripted-dev-jobs")["QueueUrl"],
        AttributeNames=["QueueArn"],
    )["Attributes"]["QueueArn"]
    assert env["STP_JOBS_ARN"] == env["MY_QUEUE_ARN"] == arn
    assert env["STP_JOBS_NAME"] == "scripted-dev-jobs"
    assert env["STP_JOBS_URL"].endswith("/123456789012/scripted-dev-jobs")
    assert env["MY_PLAIN"] == "hello"
    assert (env["STP_PROJECT_NAME"], env["STP_STAGE"], env["STP_STACK_NAME"]) == (
        "scripted",
        "dev",
        "scripted-dev",
    )
    assert env["AWS_ENDPOINT_URL"] == engine  # SDKs in the script reach the same engine
    assert (root / "migrate-env.txt").read_text().endswith("second\n")  # executeCommands run in order

    # script:run, by name and as Stacktape spells it; the script file runs in its cwd
    done = cli("--local", "script:run", "check", cwd=root)
    assert done.code == 0, done.err
    assert (root / "tools/check.txt").read_text() == "scripted-dev-jobs tools"
    (root / "tools/check.txt").unlink()
    assert cli("--local", "script:run", "--scriptName", "check", cwd=root).code == 0
    assert (root / "tools/check.txt").is_file()


def test_a_failing_before_deploy_script_stops_the_deploy(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    config = CONFIG.replace('echo "built for $STP_STAGE" > built.txt', "echo compiling; exit 3")
    root = write(tmp_path / "p", {"stackwright.yml": config, "tools/check.py": CHECK})
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 1
    assert "script 'build': `echo compiling; exit 3` exited with code 3" in result.err
    assert "compiling" in result.out  # its output was shown as it ran
    stacks = aws("cloudformation").list_stacks()["StackSummaries"]
    assert not [
        s for s in stacks if s["StackName"] == "scripted-dev" and s["StackStatus"] != "DELETE_COMPLETE"
    ]


def test_quiet_scripts_show_their_output_when_they_fail(
    cli: Callable[..., Result], engine: str, tmp_path: Path
) -> None:
    config = """\
scripts:
  noisy:
    type: local-script
    properties:
      executeCommand: echo first line; echo the reason >&2; exit 1
      pipeStdio: false
resources:
  jobs:
    type: sqs-queue
"""
    root = write(tmp_path / "p", {"stackwright.yml": config})
    result = cli("--local", "script:run", "noisy", cwd=root)
    assert result.code == 1
    assert "first line" not in result.out
    assert "the reason" in result.err and "first line" in result.err


def test_scripts_that_need_the_stack_say_so_before_it_exists(
    cli: Callable[..., Result], engine: str, tmp_path: Path
) -> None:
    config = CONFIG.replace(
        "  beforeDeploy:\n    - scriptName: build", "  beforeDeploy:\n    - scriptName: migrate"
    )
    root = write(tmp_path / "p", {"stackwright.yml": config, "tools/check.py": CHECK})
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 1
    assert "script 'migrate' needs values the deployed stack gives" in result.err
    assert "stack scripted-dev does not exist yet" in result.err
    assert "before the first deploy (beforeDeploy)" in result.err


@pytest.mark.parametrize(("ci", "ran"), [("", ["local-only"]), ("true", ["ci-only"])])
def test_skip_on_ci_and_skip_on_local(
    cli: Callable[..., Result],
    engine: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ci: str,
    ran: list[str],
) -> None:
    monkeypatch.setenv("CI", ci)
    config = """\
scripts:
  local-only:
    type: local-script
    properties: {executeCommand: touch local-only}
  ci-only:
    type: local-script
    properties: {executeCommand: touch ci-only}
hooks:
  beforeDeploy:
    - {scriptName: local-only, skipOnCI: true}
    - {scriptName: ci-only, skipOnLocal: true}
resources:
  jobs:
    type: sqs-queue
"""
    root = write(tmp_path / "p", {"stackwright.yml": config})
    assert cli("--local", "deploy", cwd=root).code == 0
    assert sorted(p.name for p in root.iterdir() if p.name.endswith("-only")) == ran


def test_delete_hooks_run_around_the_delete(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    config = f"""\
scripts:
  before:
    type: local-script
    properties:
      executeCommand: {DUMP.format(file="before-delete.txt")}
      connectTo: [jobs]
  after:
    type: local-script
    properties: {{executeCommand: touch after-delete.txt}}
hooks:
  beforeDelete:
    - scriptName: before
  afterDelete:
    - scriptName: after
resources:
  jobs:
    type: sqs-queue
"""
    root = write(tmp_path / "p", {"stackwright.yml": config})
    assert cli("--local", "deploy", cwd=root).code == 0
    assert cli("--local", "delete", "--yes", cwd=root).code == 0
    assert env_file(root / "before-delete.txt")["STP_JOBS_NAME"] == "p-dev-jobs"  # read before it went
    assert (root / "after-delete.txt").is_file()


@pytest.mark.parametrize(
    ("config", "where", "message"),
    [
        (
            "hooks:\n  beforeDeploy:\n    - scriptName: buidl\nscripts:\n  build:\n    type: local-script\n"
            "    properties: {executeCommand: x}\n",
            "stackwright.yml:3:19: hooks.beforeDeploy.0.scriptName",
            "no script is named 'buidl'",
        ),
        (
            "scripts:\n  build:\n    type: local-script\n    properties: {executeCommand: x, executeScript: a.py}\n",
            "stackwright.yml:4:52: scripts.build.properties.executeScript",
            "a local-script runs exactly one of",
        ),
        (
            "scripts:\n  build:\n    type: local-script\n    properties: {cwd: x}\n",
            "stackwright.yml:4:5: scripts.build.properties",
            "a local-script runs exactly one of",
        ),
        (
            "scripts:\n  build:\n    type: local-script\n    properties: {executeScript: run.rb}\n",
            "stackwright.yml:4:33: scripts.build.properties.executeScript",
            "does not know how to run 'run.rb'",
        ),
        (
            "scripts:\n  build:\n    type: local-script\n    properties: {executeScript: nope.py}\n",
            "stackwright.yml:4:33: scripts.build.properties.executeScript",
            "script file 'nope.py' does not exist",
        ),
        (
            "scripts:\n  build:\n    type: local-script\n    properties: {executeCommand: ls, cwd: no/such}\n",
            "stackwright.yml:4:43: scripts.build.properties.cwd",
            "cwd 'no/such' is not a folder of the project",
        ),
        (
            "scripts:\n  build:\n    type: local-script\n    properties: {executeCommand: x, connectTo: [jbos]}\n",
            "stackwright.yml:4:49: scripts.build.properties.connectTo.0",
            "connectTo names no resource: 'jbos'",
        ),
        (
            "scripts:\n  build:\n    type: bastion-script\n    properties: {executeCommand: x}\n",
            "stackwright.yml:2:3: scripts.build",
            "`type: bastion-script` is not supported by the installed plugins yet",
        ),
        (
            "scripts:\n  build:\n    type: local-script\n    properties: {executeCommand: x, assumeRoleOfResource: jobs}\n",
            "stackwright.yml:4:59: scripts.build.properties.assumeRoleOfResource",
            "`assumeRoleOfResource` is not supported by the installed plugins yet",
        ),
        (
            "hooks:\n  beforeDev:\n    - scriptName: build\nscripts:\n  build:\n    type: local-script\n"
            "    properties: {executeCommand: x}\n",
            "stackwright.yml:2:3: hooks.beforeDev",
            "stackwright has no dev command",
        ),
        (
            "scripts:\n  build:\n    type: local-script\n    properties: {executeComand: x}\n",
            "stackwright.yml:4:33: scripts.build.properties.executeComand",
            "did you mean 'executeCommand'",
        ),
    ],
)
def test_script_mistakes_are_told_at_their_line(
    cli: Callable[..., Result], tmp_path: Path, config: str, where: str, message: str
) -> None:
    files = {"stackwright.yml": config + "resources:\n  jobs:\n    type: sqs-queue\n", "run.rb": "puts 1\n"}
    result = cli("validate", cwd=write(tmp_path / "p", files))
    assert result.code == 2
    assert where in result.err and message in result.err, result.err


def test_script_run_names_the_scripts_there_are(
    cli: Callable[..., Result], engine: str, tmp_path: Path
) -> None:
    root = write(tmp_path / "p", {"stackwright.yml": CONFIG, "tools/check.py": CHECK})
    result = cli("--local", "script:run", "migrat", cwd=root)
    assert result.code == 1
    assert "no script is named 'migrat'" in result.err and "did you mean 'migrate'" in result.err


def test_execute_scripts_run_in_order_with_their_interpreter(
    cli: Callable[..., Result], engine: str, tmp_path: Path
) -> None:
    config = (
        "serviceName: ordered\nscripts:\n  both:\n    type: local-script\n    properties:\n"
        "      executeScripts: [tools/one.py, tools/two.sh]\nresources:\n  jobs:\n    type: sqs-queue\n"
    )
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config,
            "tools/one.py": "open('order.txt', 'a').write('one\\n')\n",
            "tools/two.sh": "echo two >> order.txt\n",
        },
    )
    result = cli("--local", "script:run", "both", cwd=root)
    assert result.code == 0, result.err
    assert (root / "order.txt").read_text() == "one\ntwo\n"
