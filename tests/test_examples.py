"""The ways users use stackwright, each shown by an example in examples/."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXAMPLES, Result, cfn_lint, policy_document, run_cli


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check", *args], check=True)


def test_hello_function_synthesizes(cli: Callable[..., Result]) -> None:
    result = cli("synth", cwd=EXAMPLES / "hello-function")
    assert result.code == 0, result.err
    resources = json.loads(result.out)["Resources"]
    assert resources["HelloFunction"]["Properties"]["FunctionName"] == "hello-dev-hello"
    assert {"HelloEvent0Rule", "HelloEvent1EventSourceMapping", "HelloRole", "HelloLogGroup"} <= set(
        resources
    )


AUTOLOAD = {"STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD": ""}


@pytest.fixture
def installed_custom_type() -> Iterator[None]:
    """The example installed with pip (left in place when the environment already has it: `make test`
    installs both examples, to show that installed plugins change no other test's outcome)."""
    from importlib import metadata

    try:
        metadata.version("acme-stackwright-types")
    except metadata.PackageNotFoundError:
        pass
    else:
        yield
        return
    pip("install", "--no-build-isolation", "--no-deps", "-e", str(EXAMPLES / "custom-resource-type"))
    try:
        yield
    finally:
        pip("uninstall", "-y", "acme-stackwright-types")


@pytest.mark.slow
def test_custom_resource_type_from_pip_install(
    cli: Callable[..., Result], installed_custom_type: None
) -> None:
    project = EXAMPLES / "custom-resource-type" / "project"
    result = run_cli("-p", "no:acme-naming", "synth", cwd=project, env=AUTOLOAD)
    assert result.code == 0, result.err
    template = json.loads(result.out)
    assert cfn_lint(template) == []
    bucket = template["Resources"]["AuditLogsBucket"]
    assert bucket["Properties"]["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]["Days"] == 365
    assert "BucketName" not in bucket["Properties"] and bucket["DeletionPolicy"] == "Retain"
    ledger = template["Resources"]["LedgerTable"]
    assert ledger["Type"] == "AWS::DynamoDB::Table" and ledger["DeletionPolicy"] == "Retain"
    recorder = template["Resources"]["RecorderFunction"]["Properties"]
    assert recorder["Environment"]["Variables"]["STP_LEDGER_TABLE_NAME"] == {"Ref": "LedgerTable"}
    listed = run_cli("--output", "json", "plugins", cwd=project, env=AUTOLOAD).json_lines()
    plugins = {r["name"]: r for r in listed}
    assert plugins["acme-types"]["distribution"] == "acme-stackwright-types"
    assert plugins["acme-types"]["resource_types"] == ["audit-ledger", "audit-log-bucket"]
    # the schema check comes from the plugin: a bad value is reported like any other
    bad = project.parent / "bad-project"
    bad.mkdir(exist_ok=True)
    try:
        (bad / "stackwright.yml").write_text(
            "resources:\n  logs:\n    type: audit-log-bucket\n    properties:\n      retentionDays: forever\n"
        )
        result = run_cli("validate", cwd=bad, env=AUTOLOAD)
        assert result.code == 2 and "stackwright.yml:5:22" in result.err and "expected: integer" in result.err
    finally:
        (bad / "stackwright.yml").unlink()
        bad.rmdir()
    # autoload can be switched off
    result = run_cli("validate", cwd=project, env={"STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert result.code == 2 and "unknown resource type 'audit-log-bucket'" in result.err
    result = run_cli("-p", "no:acme-types", "validate", cwd=project, env=AUTOLOAD)
    assert result.code == 2 and "unknown resource type 'audit-log-bucket'" in result.err


@pytest.mark.slow
def test_a_function_connects_to_the_in_house_type_on_the_local_engine(
    installed_custom_type: None, engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """connectTo from a built-in `function` to the pip-installed `audit-ledger`: the function's
    environment and its role's policy, read back through Lambda and IAM on the engine."""
    import shutil

    project = tmp_path / "audited"
    shutil.copytree(EXAMPLES / "custom-resource-type" / "project", project)
    result = run_cli("-p", "no:acme-naming", "--local", "deploy", cwd=project, env=AUTOLOAD)
    assert result.code == 0, result.err
    function = aws("lambda").get_function_configuration(FunctionName="audited-dev-recorder")
    table = aws("dynamodb").describe_table(
        TableName=function["Environment"]["Variables"]["STP_LEDGER_TABLE_NAME"]
    )
    assert function["Environment"]["Variables"]["STP_LEDGER_ARN"] == table["Table"]["TableArn"]
    table = table["Table"]
    role = function["Role"].rsplit("/", 1)[-1]
    document = aws("iam").get_role_policy(
        RoleName=role, PolicyName="custom-allow-access-to-policy-statements"
    )["PolicyDocument"]
    statements = policy_document(document)["Statement"]
    # delete keeps the retained ledger and bucket (and what the bucket holds); the stack can be created again
    summaries = aws("cloudformation").list_stack_resources(StackName="audited-dev")["StackResourceSummaries"]
    bucket_name = next(
        r["PhysicalResourceId"] for r in summaries if r["LogicalResourceId"] == "AuditLogsBucket"
    )
    aws("s3").put_object(Bucket=bucket_name, Key="2026/11/30.log", Body=b"entry")
    result = run_cli("-p", "no:acme-naming", "--local", "delete", "--yes", cwd=project, env=AUTOLOAD)
    assert result.code == 0, result.err
    assert (
        "keeping AWS::DynamoDB::Table" in result.err
        and f"keeping AWS::S3::Bucket {bucket_name}" in result.err
    )
    assert aws("dynamodb").describe_table(TableName=table["TableName"])["Table"]["TableStatus"]
    assert aws("s3").get_object(Bucket=bucket_name, Key="2026/11/30.log")["Body"].read() == b"entry"
    result = run_cli("-p", "no:acme-naming", "--local", "deploy", cwd=project, env=AUTOLOAD)
    assert result.code == 0, result.err
    assert statements == [
        {
            "Effect": "Allow",
            "Action": ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:DescribeTable"],
            "Resource": [table["TableArn"]],
        }
    ]


@pytest.mark.slow
def test_uninstalled_custom_type_is_an_unknown_type_naming_installed_ones(cli: Callable[..., Result]) -> None:
    result = cli("validate", cwd=EXAMPLES / "custom-resource-type" / "project")
    assert result.code == 2
    assert "unknown resource type 'audit-log-bucket'" in result.err
    assert "installed resource type: " in result.err and ", function," in result.err
    assert "Traceback" not in result.err


def test_naming_override_changes_every_physical_name(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = EXAMPLES / "naming-override" / "project"
    plain = json.loads(cli("synth", cwd=project).out)
    monkeypatch.syspath_prepend(str(EXAMPLES / "naming-override"))
    result = cli("-p", "acme_naming", "synth", cwd=project)
    assert result.code == 0, result.err
    named = json.loads(result.out)

    def physical_names(template: dict[str, object]) -> dict[str, str]:
        names = {}
        for logical_id, body in template["Resources"].items():  # type: ignore[attr-defined]
            for key, value in body.get("Properties", {}).items():
                if key.endswith("Name") and isinstance(value, str):
                    names[f"{logical_id}.{key}"] = value
        return names

    before, after = physical_names(plain), physical_names(named)
    assert set(before) == set(after) and len(before) >= 5
    for key, value in after.items():
        assert value != before[key], key
        assert value.startswith("acme-") or value.startswith("/aws/lambda/acme-"), value
    assert set(plain["Resources"]) == set(named["Resources"])  # logical ids are untouched
