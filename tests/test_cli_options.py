"""Options where users type them: the stack options before and after the command, in every command's
help, Stacktape's spellings; and the preflight that stops a deploy before it creates anything."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from stackwright import StackContext, hookimpl, pipeline
from stackwright.cli.main import build_cli
from stackwright.config.load import Options
from stackwright.plugins import load_plugins

from tests.helpers import FUNCTION_CONFIG, Result, write

Aws = Callable[[str], Any]
STACK_OPTIONS = ("--stage", "--region", "--project", "--config", "--target", "--local", "--profile", "--arg")


def leaves(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from leaves(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write(
        tmp_path / "p", {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    pass\n"}
    )


def test_every_command_takes_and_shows_the_stack_options(cli: Callable[..., Result]) -> None:
    commands = dict(leaves(build_cli([])))
    assert {"deploy", "diff", "delete", "rollback", "info", "synth", "local start", "local secret"} <= set(
        commands
    )
    for path in commands:
        help_text = cli(*path.split(), "--help").out
        for option in (*STACK_OPTIONS, "--output", "--plugin"):
            assert option in help_text, f"`stackwright {path} --help` does not show {option}"
        assert "Stack:" in help_text and "Output and plugins:" in help_text


def test_stack_options_after_the_command(cli: Callable[..., Result], root: Path) -> None:
    before = json.loads(
        cli("--output", "json", "-s", "prod", "-r", "eu-west-1", "--project", "x", "validate", cwd=root).out
    )
    after = json.loads(
        cli("validate", "--output", "json", "-s", "prod", "-r", "eu-west-1", "--project", "x", cwd=root).out
    )
    assert before == after and after["stack"] == "x-prod"
    # a value after the command wins over one before it
    assert (
        json.loads(cli("-s", "one", "validate", "-s", "two", "--output=json", cwd=root).out)["stack"]
        == "demo-two"
    )
    (root / "other.yml").write_text(FUNCTION_CONFIG.replace("serviceName: demo", "serviceName: other"))
    assert "stack other-dev" in cli("validate", "-c", "other.yml", cwd=root).out


def test_stacktape_spellings_are_accepted(cli: Callable[..., Result], root: Path) -> None:
    (root / "other.yml").write_text(FUNCTION_CONFIG)
    result = cli("validate", "--configPath", "other.yml", "--projectName", "shop", "--stage", "qa", cwd=root)
    assert result.code == 0 and "stack shop-qa" in result.out
    for spelling in ("--hotSwap", "--autoConfirmOperation", "--disableAutoRollback"):
        assert spelling in cli("deploy", "--help").out
    assert "--autoConfirmOperation" in cli("delete", "--help").out


def test_args_from_both_places_add_up(cli: Callable[..., Result], root: Path) -> None:
    config = FUNCTION_CONFIG + (
        "      environment:\n        - name: AA\n          value: $CliArgs().a\n"
        "        - name: BB\n          value: $CliArgs().b\n"
    )
    (root / "stackwright.yml").write_text(config)
    template = json.loads(cli("--arg", "a=one", "synth", "--arg", "b=two", cwd=root).out)
    function = template["Resources"]["ApiFunction"]["Properties"]
    assert function["Environment"]["Variables"] == {"AA": "one", "BB": "two"}
    bad = cli("validate", "--arg", "novalue", cwd=root)
    assert bad.code == 2 and "expected NAME=VALUE" in bad.err


def test_local_and_another_target_do_not_go_together(cli: Callable[..., Result], root: Path) -> None:
    result = cli("info", "--target", "aws", "--local", cwd=root)
    assert result.code == 2 and "--local and --target aws do not go together" in result.err


def test_an_unknown_option_after_the_command_is_a_usage_error(cli: Callable[..., Result], root: Path) -> None:
    result = cli("deploy", "--stag", "dev", cwd=root)
    assert result.code == 2 and "No such option '--stag'" in result.err and "--stage" in result.err


# --- preflight --------------------------------------------------------------------------------------

CONTAINER = """\
serviceName: boxes
resources:
  worker:
    type: worker-service
    properties:
      packaging: {type: custom-dockerfile, properties: {buildContextPath: web}}
      resources: {cpu: 0.25, memory: 512}
"""


def nothing_created(aws: Aws) -> None:
    assert aws("cloudformation").describe_stacks()["Stacks"] == []
    assert aws("s3").list_buckets()["Buckets"] == []
    assert aws("ecr").describe_repositories()["repositories"] == []


def test_no_docker_daemon_stops_the_deploy_before_anything_is_created(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stackwright import docker

    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")
    docker.reset()
    try:
        root = write(tmp_path / "p", {"stackwright.yml": CONTAINER, "web/Dockerfile": "FROM scratch\n"})
        result = cli("deploy", "--local", cwd=root)
    finally:
        monkeypatch.undo()
        docker.reset()
    assert result.code == 1, result.err
    assert "cannot deploy boxes-dev: nothing was created" in result.err
    assert (
        "building the image worker-default needs a Docker daemon: cannot reach a Docker daemon at tcp://127.0.0.1:9"
        in result.err
    )
    nothing_created(aws)


def test_a_deployment_bucket_name_taken_stops_the_first_deploy(
    cli: Callable[..., Result], engine: str, aws: Aws, root: Path
) -> None:
    assert cli("deploy", "--local", cwd=root).code == 0  # to learn the names this account gets
    [bucket] = [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
    [repository] = [r["repositoryName"] for r in aws("ecr").describe_repositories()["repositories"]]
    assert cli("delete", "--local", "--yes", cwd=root).code == 0
    aws("s3").create_bucket(Bucket=bucket)
    aws("ecr").create_repository(repositoryName=repository)
    result = cli("deploy", "--local", cwd=root)
    assert result.code == 1
    assert f"the deployment bucket name {bucket} is taken by a bucket of this account" in result.err
    assert f"the image repository {repository} already exists in this account" in result.err
    assert aws("cloudformation").describe_stacks()["Stacks"] == []
    aws("s3").delete_bucket(Bucket=bucket)
    aws("ecr").delete_repository(repositoryName=repository)
    assert cli("deploy", "--local", cwd=root).code == 0


def test_hook_stackwright_preflight(root: Path, engine: str) -> None:
    from stackwright.deploy import connect, deploy_stack

    class Refuses:
        @hookimpl
        def stackwright_preflight(self, ctx: StackContext) -> list[str]:
            return [f"{ctx.stack_name} is not welcome here"]

    ctx = pipeline.open_stack(
        Options(directory=root, target="local"), load_plugins(autoload=False, extra=[("refuses", Refuses())])
    )
    ctx.report.json = True
    connect(ctx)
    from stackwright import StackwrightError

    with pytest.raises(StackwrightError) as raised:
        deploy_stack(ctx)
    assert raised.value.details == ["demo-dev is not welcome here"]
    assert "nothing was created" in raised.value.message


def test_hook_stackwright_data_resource_types(
    cli: Callable[..., Result], engine: str, aws: Aws, root: Path
) -> None:
    from stackwright.builtin_plugins.cloudformation.approval import destroyed

    class Queues:
        @hookimpl
        def stackwright_data_resource_types(self) -> list[str]:
            return ["Acme::Ledger::Book"]

    types = load_plugins(autoload=False, extra=[("queues", Queues())]).data_resource_types()
    assert {"Acme::Ledger::Book", "AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SQS::Queue"} <= types
    change = {
        "ResourceChange": {
            "Action": "Remove",
            "LogicalResourceId": "Book",
            "ResourceType": "Acme::Ledger::Book",
        }
    }
    before = {"Resources": {"Book": {"Type": "Acme::Ledger::Book"}}}
    assert destroyed([change], before, {"Resources": {}}, types) == [
        ("Book", "Acme::Ledger::Book", "removed")
    ]
    kept = {"Resources": {"Book": {"Type": "Acme::Ledger::Book", "DeletionPolicy": "Retain"}}}
    assert destroyed([change], kept, {"Resources": {}}, types) == []
    replaced = {
        "ResourceChange": {
            "Action": "Modify",
            "LogicalResourceId": "Book",
            "ResourceType": "Acme::Ledger::Book",
            "Replacement": "Conditional",
        }
    }
    assert destroyed([replaced], before, before, types) == [("Book", "Acme::Ledger::Book", "may be replaced")]
    logs = {"Resources": {"L": {"Type": "AWS::Logs::LogGroup"}}}
    gone = {
        "ResourceChange": {
            "Action": "Remove",
            "LogicalResourceId": "L",
            "ResourceType": "AWS::Logs::LogGroup",
        }
    }
    # a log group keeps its logs forever without a retention, and for that long with one: both are data
    assert destroyed([gone], logs, {"Resources": {}}, types) == [("L", "AWS::Logs::LogGroup", "removed")]
    logs["Resources"]["L"]["Properties"] = {"RetentionInDays": 30}
    assert destroyed([gone], logs, {"Resources": {}}, types) == [("L", "AWS::Logs::LogGroup", "removed")]


@pytest.mark.parametrize("option", ["--stage", "--region", "--project", "--profile"])
def test_an_empty_value_is_refused_not_taken_for_the_default(
    cli: Callable[..., Result], root: Path, option: str
) -> None:
    """`-s "$STAGE"` with STAGE unset in a pipeline must not deploy to the default stage."""
    for args in ([option, "", "validate"], ["-s", "prod", "validate", option, ""]):
        result = cli(*args, cwd=root)
        assert result.code == 2 and f"Invalid value for {option}: must not be empty" in result.err


@pytest.mark.parametrize("region", ["nowhere-1", "US-EAST-1", "mars", "eu west 1"])
def test_a_region_that_is_not_one_is_a_user_error(
    cli: Callable[..., Result], root: Path, region: str
) -> None:
    for where in (["--region", region, "validate"], ["validate", "--output", "json", "-r", region]):
        result = cli(*where, cwd=root)
        assert result.code == 1 and f"{region!r} is not an AWS region" in result.err
        assert "Traceback" not in result.err
    # a region newer than cfn-lint's data is linted as us-east-1
    assert cli("validate", "--region", "xx-newplace-1", cwd=root).code == 0


def test_an_unknown_blocked_plugin_is_warned_about_once(cli: Callable[..., Result], root: Path) -> None:
    result = cli("-p", "no:qqqq", "validate", "-p", "no:qqqq", cwd=root)
    assert result.err.count("warning: -p no:qqqq matches no plugin") == 1
    records = cli("-p", "no:qqqq", "validate", "--output", "json", cwd=root).json_lines()
    assert records[0] == {"event": "warning", "message": "-p no:qqqq matches no plugin"}


def test_local_commands_speak_json(cli: Callable[..., Result], tmp_path: Path) -> None:
    records = cli("local", "status", "--output", "json").json_lines()
    assert records == [{"event": "result", "running": False, "endpoint": None, "pid": None}]
