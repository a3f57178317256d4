"""Tests of ACME's in-house types with `stackwright.testing` (enabled by `-p stackwright.testing`, see
this example's pyproject.toml): projects written from dicts, synthesized with cfn-lint, deployed to the
embedded engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import acme_stackwright_types
import pytest

RECORDER = {
    "type": "function",
    "properties": {
        "packaging": {
            "type": "stacktape-lambda-buildpack",
            "properties": {"entryfilePath": "src/recorder.py"},
        },
        "connectTo": ["ledger"],
    },
}
FILES = {"src/recorder.py": "def handler(event, context):\n    return event\n"}


def config(**resources: Any) -> dict[str, Any]:
    return {"serviceName": "audited", "resources": resources}


def test_the_bucket_keeps_objects_for_its_retention(
    stackwright_project: Callable[..., Path], stackwright_synth: Callable[..., dict[str, Any]]
) -> None:
    root = stackwright_project(config(logs={"type": "audit-log-bucket", "properties": {"retentionDays": 30}}))
    bucket = stackwright_synth(root, acme_stackwright_types)["Resources"]["LogsBucket"]
    assert bucket["Properties"]["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]["Days"] == 30
    assert bucket["DeletionPolicy"] == "Retain"


def test_a_function_connected_to_the_ledger_may_append_but_not_delete(
    stackwright_project: Callable[..., Path], stackwright_synth: Callable[..., dict[str, Any]]
) -> None:
    root = stackwright_project(config(ledger={"type": "audit-ledger"}, recorder=RECORDER), FILES)
    resources = stackwright_synth(root, acme_stackwright_types)["Resources"]
    variables = resources["RecorderFunction"]["Properties"]["Environment"]["Variables"]
    assert variables == {
        "STP_LEDGER_TABLE_NAME": {"Ref": "LedgerTable"},
        "STP_LEDGER_ARN": {"Fn::GetAtt": ["LedgerTable", "Arn"]},
    }
    (policy,) = resources["RecorderRole"]["Properties"]["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert "dynamodb:PutItem" in statement["Action"]
    assert not {"dynamodb:DeleteItem", "dynamodb:UpdateItem"} & set(statement["Action"])
    assert statement["Resource"] == [{"Fn::GetAtt": ["LedgerTable", "Arn"]}]


def test_a_bad_retention_is_reported_with_its_line(
    stackwright_project: Callable[..., Path],
    stackwright_cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = stackwright_project(
        "resources:\n  logs:\n    type: audit-log-bucket\n    properties:\n      retentionDays: forever\n"
    )
    result = stackwright_cli("-p", "acme_stackwright_types", "validate", cwd=root)
    assert result.code == 2 and "stackwright.yml:5:22" in result.err and "expected: integer" in result.err


def test_the_ledger_deploys_to_the_embedded_engine(
    stackwright_project: Callable[..., Path],
    stackwright_cli: Callable[..., Any],
    stackwright_engine: str,
    stackwright_aws: Callable[[str], Any],
) -> None:
    root = stackwright_project(config(ledger={"type": "audit-ledger"}, recorder=RECORDER), FILES)
    result = stackwright_cli("-p", "acme_stackwright_types", "--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    function = stackwright_aws("lambda").get_function_configuration(FunctionName="audited-dev-recorder")
    variables = function["Environment"]["Variables"]
    table = stackwright_aws("dynamodb").describe_table(TableName=variables["STP_LEDGER_TABLE_NAME"])["Table"]
    assert variables["STP_LEDGER_ARN"] == table["TableArn"]
