"""Safe by default: where a command acts is named, no silent fallback to the local engine outside a
terminal, approval before data is destroyed (in a real terminal, and refused without one)."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import FUNCTION_CONFIG, Result, write

Aws = Callable[[str], Any]


def table_config(name: str = "ResultsTable", policy: str = "") -> str:
    return FUNCTION_CONFIG + (
        "cloudformationResources:\n"
        f"  {name}:\n"
        "    Type: AWS::DynamoDB::Table\n"
        + (f"    DeletionPolicy: {policy}\n    UpdateReplacePolicy: {policy}\n" if policy else "")
        + "    Properties:\n"
        "      BillingMode: PAY_PER_REQUEST\n"
        "      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
        "      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
    )


@pytest.fixture
def deployed(cli: Callable[..., Result], engine: str, tmp_path: Path) -> Path:
    root = write(
        tmp_path / "p", {"stackwright.yml": table_config(), "src/app.py": "def handler(e, c):\n    pass\n"}
    )
    result = cli("deploy", "--local", cwd=root)
    assert result.code == 0, result.err
    return root


def tables(aws: Aws) -> list[str]:
    return [name.split("-")[2] for name in aws("dynamodb").list_tables()["TableNames"]]


def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))


# --- where a command acts ---------------------------------------------------------------------------


@pytest.mark.parametrize("ci", ["true", ""])
def test_without_credentials_and_without_a_terminal_nothing_is_deployed(
    cli: Callable[..., Result],
    engine: str,
    aws: Aws,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ci: str,
) -> None:
    no_credentials(monkeypatch, tmp_path)
    monkeypatch.setenv("CI", ci)
    root = write(
        tmp_path / "p", {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    pass\n"}
    )
    for command in (["deploy"], ["diff"], ["info"], ["delete", "--yes"], ["rollback"]):
        result = cli(*command, cwd=root)
        assert result.code == 1, (command, result.out, result.err)
        assert "no AWS credentials found" in result.err and "--local" in result.err
        assert ("CI is set" if ci else "not in an interactive terminal") in result.err
    assert aws("cloudformation").describe_stacks()["Stacks"] == []
    assert aws("s3").list_buckets()["Buckets"] == []


def test_in_a_terminal_without_credentials_the_local_engine_is_the_default_and_said(
    cli: Callable[..., Result], engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_credentials(monkeypatch, tmp_path)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("stackwright.cli.state.interactive", lambda: True)
    root = write(
        tmp_path / "p", {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    pass\n"}
    )
    result = cli("deploy", cwd=root)
    assert result.code == 0, result.err
    first = result.err.splitlines()[0]
    assert first.startswith("deploy: demo-dev in the embedded local engine (http://127.0.0.1:")
    assert "us-east-1 (chosen because no AWS credentials were found; --target aws to insist)" in first


@pytest.mark.parametrize("command", [["deploy"], ["diff"], ["delete", "--yes"], ["rollback"]])
def test_every_stack_changing_command_names_its_target_first(
    cli: Callable[..., Result], engine: str, tmp_path: Path, command: list[str]
) -> None:
    root = write(
        tmp_path / "p", {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    pass\n"}
    )
    assert cli("deploy", "--local", cwd=root).code == 0
    result = cli(*command, "--local", "--region", "eu-west-1", cwd=root)
    first = result.err.splitlines()[0]
    assert first.startswith(f"{command[0]}: demo-dev in the embedded local engine (http://127.0.0.1:")
    assert first.endswith("), eu-west-1"), first
    records = [
        json.loads(line) for line in cli(*command, "--local", "--output", "json", cwd=root).out.splitlines()
    ]
    where = next(r for r in records if r["event"] == "target")
    assert where["command"] == command[0] and where["target"] == "local"
    assert where["account"] == "123456789012" and where["region"] == "us-east-1"
    assert where["chosen_by_default"] is False


def test_the_aws_target_names_account_region_and_profile() -> None:
    from stackwright.builtin_plugins.aws_target import AwsTarget

    class Ctx:
        settings = {"profile": "prod"}
        project = type("P", (), {"account": "210987654321", "region": "eu-central-1"})()

    assert AwsTarget().where(Ctx()) == "AWS account 210987654321, eu-central-1 (profile prod)"  # type: ignore[arg-type]


def test_target_where(cli: Callable[..., Result], engine: str, tmp_path: Path) -> None:
    from stackwright import Target

    class Ctx:
        project = type("P", (), {"account": "1", "region": "r"})()

    class Elsewhere(Target):
        name = "elsewhere"

    assert Elsewhere().where(Ctx()) == "target elsewhere, account 1, r"  # type: ignore[arg-type]


# --- approval before destroying data -------------------------------------------------------------------


def test_renaming_a_table_without_a_terminal_refuses_and_keeps_the_table(
    cli: Callable[..., Result], deployed: Path, aws: Aws
) -> None:
    events = len(aws("cloudformation").describe_stack_events(StackName="demo-dev")["StackEvents"])
    (deployed / "stackwright.yml").write_text(table_config("RenamedTable"))
    result = cli("deploy", "--local", cwd=deployed)
    assert result.code == 1
    assert "ResultsTable (AWS::DynamoDB::Table): removed" in result.err
    assert "there is no terminal to ask in and --yes was not given: nothing was changed" in result.err
    assert "hint: pass --yes" in result.err
    assert tables(aws) == ["ResultsTable"]
    stack = aws("cloudformation").describe_stacks(StackName="demo-dev")["Stacks"][0]
    assert stack["StackStatus"].endswith("_COMPLETE")
    assert len(aws("cloudformation").describe_stack_events(StackName="demo-dev")["StackEvents"]) == events
    summaries = aws("cloudformation").list_change_sets(StackName="demo-dev")["Summaries"]
    assert [c for c in summaries if c.get("ExecutionStatus") == "AVAILABLE"] == []
    # JSON says which resources, and approving with Stacktape's spelling goes through
    result = cli("deploy", "--local", "--output", "json", cwd=deployed)
    loss = next(json.loads(line) for line in result.out.splitlines() if '"data-loss"' in line)
    assert loss["resources"] == [
        {"logical_id": "ResultsTable", "resource_type": "AWS::DynamoDB::Table", "outcome": "removed"}
    ]
    result = cli("deploy", "--local", "--autoConfirmOperation", cwd=deployed)
    assert result.code == 0, result.err
    assert tables(aws) == ["RenamedTable"]


def test_a_kept_table_needs_no_approval(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    root = write(
        tmp_path / "p",
        {"stackwright.yml": table_config(policy="Retain"), "src/app.py": "def handler(e, c):\n    pass\n"},
    )
    assert cli("deploy", "--local", cwd=root).code == 0
    (root / "stackwright.yml").write_text(table_config("RenamedTable", policy="Retain"))
    result = cli("deploy", "--local", cwd=root)
    assert result.code == 0, result.err
    assert "destroys" not in result.err


def test_declining_in_the_terminal_changes_nothing(
    cli: Callable[..., Result], deployed: Path, aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("stackwright.cli.state.interactive", lambda: True)
    monkeypatch.setattr("click.confirm", lambda *a, **k: False)
    (deployed / "stackwright.yml").write_text(table_config("RenamedTable"))
    result = cli("deploy", "--local", cwd=deployed)
    assert result.code == 1 and "declined: nothing was changed" in result.err
    assert tables(aws) == ["ResultsTable"]
    result = cli("delete", "--local", cwd=deployed)
    assert result.code == 1 and "declined: nothing was changed" in result.err
    assert [s["StackName"] for s in aws("cloudformation").describe_stacks()["Stacks"]] == ["demo-dev"]


def test_delete_without_a_terminal_needs_yes(cli: Callable[..., Result], deployed: Path, aws: Aws) -> None:
    result = cli("delete", "--local", cwd=deployed)
    assert result.code == 1
    assert (
        "delete demo-dev needs approval; there is no terminal to ask in and --yes was not given" in result.err
    )
    assert tables(aws) == ["ResultsTable"]
    assert cli("delete", "--local", "-y", cwd=deployed).code == 0
    assert tables(aws) == []


def _take_the_terminal() -> None:
    """Make the pseudo-terminal on standard input the new session's controlling terminal, with Ctrl-C's
    signal handled as in a shell: a test run started in the background inherits SIGINT ignored, and
    Python then never turns it into KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _in_a_terminal(args: list[str], cwd: Path, answer: bytes) -> tuple[int, str]:
    """Run the console script with a pseudo-terminal as its standard input and error, answer the first
    question, and return (exit code, everything it wrote)."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    process = subprocess.Popen(
        [sys.executable, "-m", "stackwright.cli.main", *args],
        cwd=cwd,
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
        start_new_session=True,
        preexec_fn=_take_the_terminal,  # so that Ctrl-C typed at it interrupts the command, as in a shell
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 120
    answered = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if not answered and b"[y/N]" in seen:
                os.write(leader, answer)
                answered = True
        elif process.poll() is not None:
            break
    if process.poll() is None:
        process.kill()
    code = process.wait(timeout=60)
    os.close(leader)
    return code, seen.decode(errors="replace") + (process.stdout.read().decode() if process.stdout else "")


def test_a_real_terminal_is_asked_and_n_keeps_everything(deployed: Path, aws: Aws) -> None:
    (deployed / "stackwright.yml").write_text(table_config("RenamedTable"))
    code, said = _in_a_terminal(["deploy", "--local"], deployed, b"n\n")
    assert code == 1, said
    assert (
        "ResultsTable (AWS::DynamoDB::Table): removed" in said
        and "destroy their data and deploy? [y/N]" in said
    )
    assert "declined: nothing was changed" in said
    assert tables(aws) == ["ResultsTable"]
    code, said = _in_a_terminal(["delete", "--local"], deployed, b"n\n")
    assert code == 1 and "declined: nothing was changed" in said, said
    code, said = _in_a_terminal(["deploy", "--local"], deployed, b"y\n")
    assert code == 0, said
    assert tables(aws) == ["RenamedTable"]


# --- diff: which properties change ----------------------------------------------------------------------


def test_diff_shows_property_changes_with_secrets_masked(
    cli: Callable[..., Result], engine: str, tmp_path: Path
) -> None:
    files = {"stackwright.yml": "", "src/app.py": "def handler(e, c):\n    pass\n"}
    root = write(tmp_path / "p", files)
    body = (
        FUNCTION_CONFIG
        + "      timeout: {t}\n      environment:\n        - name: API_TOKEN\n          value: {v}\n"
    )
    (root / "stackwright.yml").write_text(body.format(t=10, v="hunter2"))
    assert cli("deploy", "--local", cwd=root).code == 0
    (root / "stackwright.yml").write_text(body.format(t=30, v="correct-horse"))
    result = cli("diff", "--local", cwd=root)
    assert result.code == 0, result.err
    assert "Modify  ApiFunction" in result.out
    assert "    Properties.Timeout: 10 → 30" in result.out
    assert "    Properties.Environment.Variables.API_TOKEN: **** → **** (secret)" in result.out
    assert "hunter2" not in result.out + result.err and "correct-horse" not in result.out + result.err
    records = [
        json.loads(line) for line in cli("diff", "--local", "--output", "json", cwd=root).out.splitlines()
    ]
    [change] = [r for r in records if r["event"] == "change"]
    assert change["logical_id"] == "ApiFunction" and change["resource_type"] == "AWS::Lambda::Function"
    assert change["action"] == "Modify" and change["replacement"] == "-"
    assert {"path": "Properties.Timeout", "before": "10", "after": "30", "masked": False} in change[
        "properties"
    ]
    secret = next(p for p in change["properties"] if p["path"].endswith("API_TOKEN"))
    assert secret == {
        "path": "Properties.Environment.Variables.API_TOKEN",
        "before": "****",
        "after": "****",
        "masked": True,
    }
    # a diff changes nothing: the deploy that follows still finds the change
    assert "UPDATE_COMPLETE (1 change)" in cli("deploy", "--local", cwd=root).out


def test_diff_names_data_it_would_destroy_without_asking(
    cli: Callable[..., Result], deployed: Path, aws: Aws
) -> None:
    (deployed / "stackwright.yml").write_text(table_config("RenamedTable"))
    result = cli("diff", "--local", cwd=deployed)
    assert result.code == 0, result.err
    assert (
        "this deploy would destroy the data of 1 resource:\n  ResultsTable (AWS::DynamoDB::Table): removed"
        in result.err
    )
    assert tables(aws) == ["ResultsTable"]


def test_a_table_name_change_replaces_the_table_so_it_needs_approval(
    cli: Callable[..., Result], deployed: Path, aws: Aws
) -> None:
    """The engine does not say which changes replace a resource; AWS replaces a table whose name changes
    (a create-only property), and stackwright asks as AWS would."""
    named = table_config().replace("      BillingMode", "      TableName: orders-v2\n      BillingMode")
    (deployed / "stackwright.yml").write_text(named)
    result = cli("diff", "--local", cwd=deployed)
    assert "ResultsTable (AWS::DynamoDB::Table): replaced" in result.err
    assert re.search(r"Modify\s+ResultsTable\s+AWS::DynamoDB::Table\s+yes", result.out), result.out
    # the engine would not replace it as AWS does (it loses it from the stack): refused, even with --yes
    for approval in ([], ["--yes"]):
        result = cli("deploy", "--local", *approval, cwd=deployed)
        assert result.code == 1 and "the target cannot replace ResultsTable" in result.err
        assert "nothing was changed" in result.err and "stackwright delete --target local" in result.err
        assert tables(aws) == ["ResultsTable"]
    billing = table_config().replace(
        "PAY_PER_REQUEST",
        "PROVISIONED\n      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}",
    )
    (deployed / "stackwright.yml").write_text(billing)
    result = cli("deploy", "--local", cwd=deployed)
    assert result.code == 0, result.err  # changed in place: nothing to approve
    assert "destroys" not in result.err


def test_ctrl_c_at_the_question_is_an_interruption_and_changes_nothing(deployed: Path, aws: Aws) -> None:
    (deployed / "stackwright.yml").write_text(table_config("RenamedTable"))
    code, said = _in_a_terminal(["deploy", "--local"], deployed, b"\x03")
    assert code == 130, said
    assert tables(aws) == ["ResultsTable"]
    code, said = _in_a_terminal(["delete", "--local"], deployed, b"\x04")  # Ctrl-D: declined
    assert code == 1 and "declined: nothing was changed" in said, said
