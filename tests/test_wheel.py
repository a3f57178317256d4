"""The built wheel installs in a fresh virtualenv and its console script runs."""

from __future__ import annotations

import os
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
    # the providers: built as wheels, installed by name from a package index (a folder of wheels here)
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w"]
    for provider in ("mongodb-atlas", "upstash"):
        subprocess.run([*build, str(dist), str(REPO / "providers" / provider)], check=True)
    (atlas,) = dist.glob("stackwright_mongodb_atlas-*.whl")
    assert (
        "stackwright_mongodb_atlas/registry/mongodb-atlas-cluster.json" in zipfile.ZipFile(atlas).namelist()
    )
    (upstash,) = dist.glob("stackwright_upstash-*.whl")
    names = zipfile.ZipFile(upstash).namelist()
    assert "stackwright_upstash/handler/upstash_databasesv1_database/handlers.py" in names
    assert "stackwright_upstash/registry/upstash-databasesv1-database.json" in names
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(
        [
            *install,
            "--no-index",
            "--find-links",
            str(dist),
            "stackwright-mongodb-atlas",
            "stackwright-upstash",
        ],
        check=True,
    )
    autoloading = {k: v for k, v in os.environ.items() if k != "STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD"}
    result = subprocess.run(
        [str(venv / "bin" / "stackwright"), "plugins"], capture_output=True, text=True, env=autoloading
    )
    assert result.returncode == 0, result.stderr
    assert "mongodb-atlas  [stackwright-mongodb-atlas 0.1.0]" in result.stdout
    assert "upstash  [stackwright-upstash 0.1.0]" in result.stdout
