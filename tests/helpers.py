"""Shared test helpers: run the CLI in-process, write projects, lint templates."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from stackwright.testing import CliResult, cfn_lint_errors, write_files

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
COMPAT = REPO.parent / "shared" / "compat" / "stacktape"


Result = CliResult


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
    """Run `stackwright ARGS` in a new interpreter, as a user's shell would."""
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "stackwright.cli.main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    return Result(result.returncode, result.stdout, result.stderr)


write = write_files
cfn_lint = cfn_lint_errors


FUNCTION_CONFIG = """\
serviceName: demo
resources:
  api:
    type: function
    properties:
      packaging:
        type: stacktape-lambda-buildpack
        properties:
          entryfilePath: src/app.py
"""


def function_config(props: str = "", resource: str = "", root: str = "", entry: str = "src/app.py") -> str:
    """FUNCTION_CONFIG plus extra YAML under the function's properties, the resource, and the root."""
    text = FUNCTION_CONFIG.replace("src/app.py", entry)
    text += textwrap.indent(textwrap.dedent(props).strip("\n"), " " * 6) + "\n" if props.strip() else ""
    text += textwrap.indent(textwrap.dedent(resource).strip("\n"), " " * 4) + "\n" if resource.strip() else ""
    text += textwrap.dedent(root).strip("\n") + "\n" if root.strip() else ""
    return text


def deployment_bucket(aws: Any, stack: str) -> str:
    """The physical name of a deployed stack's deployment bucket, read back through CloudFormation."""
    detail = aws("cloudformation").describe_stack_resource(
        StackName=stack, LogicalResourceId="StpDeploymentBucket"
    )
    return str(detail["StackResourceDetail"]["PhysicalResourceId"])


def policy_document(value: Any) -> dict[str, Any]:
    """An IAM policy document as returned by the engine: a dict, JSON text, or (the local engine, for
    inline policies CloudFormation created) Python's repr of the dict."""
    import ast

    if isinstance(value, dict):
        return value
    try:
        return dict(json.loads(value))
    except ValueError:
        return dict(ast.literal_eval(value))
