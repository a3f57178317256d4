"""The command line: version, help, global options, errors without tracebacks, JSON output."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright import __version__
from stackwright.cli.main import plugin_args

from tests.helpers import FUNCTION_CONFIG, Result, write


def test_version_and_grouped_help(cli: Callable[..., Result]) -> None:
    assert cli("--version").out.strip() == f"stackwright, version {__version__}"
    help_text = cli("--help").out
    for section in ("Stack:", "Output and plugins:", "Build and inspect:", "Plugins:"):
        assert section in help_text
    for option in ("--stage", "--region", "--project", "--config", "--output"):
        assert option in help_text


def test_console_script_runs(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "stackwright"
    result = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert __version__ in result.stdout


def test_plugin_args_are_found_before_parsing() -> None:
    assert plugin_args(["-p", "a", "-pno:b", "--plugin=c", "synth", "--plugin", "no:d"]) == (
        ["a", "c"],
        ["b", "d"],
    )


def test_missing_config_is_a_user_error(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("synth", cwd=tmp_path)
    assert result.code == 1
    assert "no config file found" in result.err and "--config" in result.err and "Traceback" not in result.err


def test_config_option_and_stacktape_file_name(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stacktape.yml": FUNCTION_CONFIG})
    assert cli("validate", cwd=root).code == 0
    (root / "other.yml").write_text(FUNCTION_CONFIG.replace("serviceName: demo", "serviceName: other"))
    result = cli("--config", "other.yml", "validate", cwd=root)
    assert result.code == 0 and "stack other-dev" in result.out


def test_stackwright_file_wins_over_stacktape(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stacktape.yml": "nonsense: [", "stackwright.yml": FUNCTION_CONFIG})
    assert cli("validate", cwd=root).code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stage", "Prod"], "invalid stage name 'Prod'"),
        (["--stage", "x" * 40], "the limit is 32"),
        (["--project", "my_app"], "invalid project name 'my_app'"),
    ],
)
def test_bad_names_are_explained(
    cli: Callable[..., Result], project: Any, args: list[str], message: str
) -> None:
    root = project({"stackwright.yml": FUNCTION_CONFIG})
    result = cli(*args, "validate", cwd=root)
    assert result.code == 1 and message in result.err and "Traceback" not in result.err


def test_stage_region_and_project_options(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": FUNCTION_CONFIG})
    result = cli("-s", "prod", "-r", "eu-central-1", "--project", "shop", "synth", cwd=root)
    role = json.loads(result.out)["Resources"]["ApiRole"]["Properties"]["RoleName"]
    assert role == "shop-prod-api-eu-central-1"


def test_json_output_for_errors_and_success(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": FUNCTION_CONFIG.replace("entryfilePath", "entryFilePath")})
    result = cli("--output", "json", "validate", cwd=root)
    assert result.code == 2
    record = result.json_lines()[0]
    assert record["event"] == "error"
    assert {p["path"] for p in record["problems"]} >= {
        "resources.api.properties.packaging.properties.entryFilePath"
    }
    root = project({"stackwright.yml": FUNCTION_CONFIG})
    assert cli("--output", "json", "validate", cwd=root).json_lines() == [
        {"event": "result", "valid": True, "stack": "demo-dev", "resources": 1, "template_resources": 6}
    ]


def test_schema_command_prints_the_assembled_schema(cli: Callable[..., Result], tmp_path: Path) -> None:
    schema = json.loads(cli("schema").out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    branches = schema["properties"]["resources"]["additionalProperties"]["anyOf"]
    names = [b["properties"]["type"]["const"] for b in branches]
    assert names == sorted(names) and {"function", "web-service", "relational-database", "bucket"} <= set(
        names
    )
    assert "FunctionProperties" in schema["$defs"] and "LambdaPackaging" in schema["$defs"]
    out = tmp_path / "schema.json"
    assert cli("schema", "--out", str(out)).code == 0 and json.loads(out.read_text()) == schema


def test_unknown_command_is_a_usage_error(cli: Callable[..., Result]) -> None:
    result = cli("deploi")
    assert result.code == 2 and "No such command" in result.err


def test_rollback_options_that_do_not_go_together_are_usage_errors(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """`rollback --skip X` without `--continue` exited 1 after reading the stack, as if the stack were
    at fault; `--version` with `--continue` was silently ignored."""
    for args, says in (
        (("--skip", "Api"), "--skip only goes with --continue"),
        (("--continue", "--version", "v000001"), "--version and --continue do not go together"),
        (("--version", "v1x"), "'v1x' is not a version (v000002, or 2)"),
        (("--version", "v\u0661"), "is not a version (v000002, or 2)"),  # an Arabic-Indic digit
    ):
        result = cli("--local", "rollback", *args, cwd=tmp_path)
        assert result.code == 2 and says in result.err, result.err


def test_aws_target_in_tests_fails_fast_and_never_reaches_aws(
    cli: Callable[..., Result], project: Any
) -> None:
    root = project({"stackwright.yml": FUNCTION_CONFIG})
    result = cli("--target", "aws", "info", cwd=root)
    assert result.code == 1 and "cannot reach AWS with the configured credentials" in result.err
    assert "127.0.0.1:9" in result.err  # the test guard, not an AWS endpoint


def test_a_file_that_cannot_be_written_is_a_user_error(cli: Callable[..., Result], tmp_path: Path) -> None:
    """`synth -o /dev/full` or a name too long printed a Python traceback."""
    root = write(
        tmp_path / "p",
        {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    return 1\n"},
    )
    for target in ("/dev/full", str(tmp_path / ("a" * 300 + ".json"))):
        result = cli("synth", "-o", target, cwd=root)
        assert result.code == 1 and "Traceback" not in result.err, result.err
        assert f"error: cannot use {target}: " in result.err
