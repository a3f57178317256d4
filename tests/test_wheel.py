"""The built wheel installs in a fresh virtualenv and its console script runs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO


@pytest.mark.slow
def test_wheel_installs_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(REPO),
        ],
        check=True,
    )
    (wheel,) = dist.glob("stackwright-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "stackwright/py.typed" in names
    assert "stackwright/builtin_plugins/functions/__init__.py" in names
    assert not any(n.startswith(("core/", "builtin_plugins/", "tests/")) for n in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
    )
    result = subprocess.run([str(venv / "bin" / "stackwright"), "--version"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "stackwright, version 0.1.0"
    result = subprocess.run(
        [str(venv / "bin" / "stackwright"), "validate"],
        cwd=REPO / "examples" / "hello-function",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
