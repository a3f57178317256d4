"""Security defaults, checked by checkov over every template users see stackwright compile: each example,
each Stacktape starter that compiles, and the projects of tests/security/projects, which use every
built-in resource type. A finding that tests/security/allowlist.yml does not explain fails, and so does
an entry there that explains nothing any more.

checkov has its own virtual environment (its dependencies clash with ours): `make checkov` (and so
`make test`) creates `.venv-checkov`, or `STACKWRIGHT_CHECKOV` names the executable. Without it the test is skipped, except
in CI, where it fails."""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import EXAMPLES, REPO, Result
from tests.test_starters import STARTERS, prepare

SECURITY = REPO / "tests" / "security"
CHECKOV = Path(os.environ.get("STACKWRIGHT_CHECKOV") or REPO / ".venv-checkov" / "bin" / "checkov")
#: How each example compiles: its project folder and the plugin it loads by name (from its own folder).
EXAMPLE_PROJECTS: dict[str, tuple[str, str | None]] = {
    "hello-function": (".", None),
    "quickstart": (".", None),
    "naming-override": ("project", "acme_naming"),
    "custom-resource-type": ("project", "acme_stackwright_types"),
}


def checkov() -> Path:
    if CHECKOV.exists():
        return CHECKOV
    message = f"checkov is not installed at {CHECKOV}: `make checkov` installs it"
    if os.environ.get("CI"):
        pytest.fail(message + " (make test does, before the tests)")
    pytest.skip(message)


def allowlist() -> list[dict[str, str]]:
    entries = yaml.safe_load((SECURITY / "allowlist.yml").read_text())
    for entry in entries:
        assert {"check", "resource", "reason"} <= set(entry) <= {"check", "resource", "templates", "reason"}
        assert entry["reason"].strip(), entry
    return list(entries)


def compile_all(cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every template, as `{kind}.{name}.json` in one folder."""
    out = tmp_path / "templates"
    out.mkdir()

    def synth(name: str, root: Path, *options: str) -> Result:
        return cli(*options, "synth", "--out", str(out / f"{name}.json"), cwd=root)

    examples = {p.name for p in EXAMPLES.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    assert examples == set(EXAMPLE_PROJECTS), "tell EXAMPLE_PROJECTS how to compile each example"
    for name, (folder, plugin) in EXAMPLE_PROJECTS.items():
        if plugin:
            monkeypatch.syspath_prepend(str(EXAMPLES / name))
        result = synth(f"example.{name}", EXAMPLES / name / folder, *(("-p", plugin) if plugin else ()))
        assert result.code == 0, result.err
    compiled = 0
    for starter in STARTERS:  # those refused for missing support are test_starters' business
        compiled += synth(f"starter.{starter.stem}", prepare(starter, tmp_path / starter.stem)).code == 0
    assert compiled or not STARTERS, "no Stacktape starter compiled"
    for project in sorted((SECURITY / "projects").iterdir()):
        result = synth(f"project.{project.name}", project)
        assert result.code == 0, result.err
    return out


def run_checkov(folder: Path) -> list[dict[str, Any]]:
    """checkov's report of the folder's CloudFormation templates, passed and failed checks."""
    command = [
        str(checkov()),
        "--directory",
        str(folder),
        "--framework",
        "cloudformation",
        "--external-checks-dir",
        str(SECURITY / "policies"),
        "--output",
        "json",
        "--compact",
        "--skip-download",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), f"checkov failed ({done.returncode}):\n{done.stderr[-3000:]}"
    report = json.loads(done.stdout)
    (report,) = report if isinstance(report, list) else [report]
    return [*report["results"]["passed_checks"], *report["results"]["failed_checks"]]


def test_checkov_finds_only_deliberate_defaults(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkov()
    entries = allowlist()
    folder = compile_all(cli, tmp_path, monkeypatch)
    results = run_checkov(folder)

    def template(check: dict[str, Any]) -> str:
        return Path(check["file_path"]).stem.replace(".", ":", 1)

    # every template was read, and our own check (SSE-SQS counts as encryption at rest) was loaded
    assert {template(r) for r in results} == {p.stem.replace(".", ":", 1) for p in folder.iterdir()}
    assert any(r["check_id"] == "CKV2_STP_1" for r in results)
    used: set[int] = set()
    unexplained = []
    for finding in (r for r in results if r["check_result"]["result"] == "FAILED"):
        matches = [
            index
            for index, entry in enumerate(entries)
            if entry["check"] == finding["check_id"]
            and fnmatch.fnmatchcase(finding["resource"], entry["resource"])
            and fnmatch.fnmatchcase(template(finding), entry.get("templates", "*"))
        ]
        used.update(matches)
        if not matches:
            unexplained.append(
                f"{template(finding)}: {finding['check_id']} {finding['resource']}: {finding['check_name']}"
            )
    assert not unexplained, (
        "checkov finds what is not a deliberate default (fix it, or add it with its reason to "
        "tests/security/allowlist.yml and docs/explanation/security.md):\n  " + "\n  ".join(unexplained)
    )
    stale = [f"{e['check']} {e['resource']}" for i, e in enumerate(entries) if i not in used]
    assert not stale, "allow-list entries nothing matches any more (take them off):\n  " + "\n  ".join(stale)
