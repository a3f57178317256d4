"""Run `mypy --strict` on core/, builtin_plugins/ and the provider packages under their import names.

The source folders install as `stackwright` and `stackwright.builtin_plugins`; mypy needs to see that
layout, so this builds it from symbolic links under build/typecheck and checks it there.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / "build" / "typecheck"


def main() -> int:
    shutil.rmtree(TREE, ignore_errors=True)
    package = TREE / "stackwright"
    package.mkdir(parents=True)
    for entry in (ROOT / "core").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    (package / "builtin_plugins").symlink_to(ROOT / "builtin_plugins")
    providers = sorted((ROOT / "providers").glob("*/stackwright_*/__init__.py"))
    for init in providers:
        (TREE / init.parent.name).symlink_to(init.parent)
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--config-file",
        str(ROOT / "pyproject.toml"),
        "-p",
        "stackwright",
        *[arg for init in providers for arg in ("-p", init.parent.name)],
    ]
    return subprocess.call(command, cwd=TREE)


if __name__ == "__main__":
    sys.exit(main())
