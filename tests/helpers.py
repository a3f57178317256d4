"""Shared test helpers: run the CLI in-process, write projects, lint templates."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
COMPAT = REPO.parent / "shared" / "compat" / "stacktape"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


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


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


_RULES: list[Any] = []
_LINTED: dict[str, list[str]] = {}


def cfn_lint(template: dict[str, Any] | str) -> list[str]:
    """Every cfn-lint error (not warning) in `template`, as 'RULE message at path' strings. The rules are
    loaded once per session and each distinct template is linted once."""
    from cfnlint.api import lint

    text = template if isinstance(template, str) else json.dumps(template, sort_keys=True)
    if text in _LINTED:
        return _LINTED[text]
    if not _RULES:
        from cfnlint.config import ConfigMixIn
        from cfnlint.runner import Runner

        _RULES.append(Runner(ConfigMixIn(regions=["us-east-1"])).rules)
    matches = lint(text, rules=_RULES[0], regions=["us-east-1"])
    _LINTED[text] = [
        f"{m.rule.id} {m.message} at {'/'.join(map(str, m.path)) if hasattr(m, 'path') else ''}"
        for m in matches
        if m.rule.id.startswith("E")
    ]
    return _LINTED[text]


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
