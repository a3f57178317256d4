"""Where stackwright keeps what it can reuse between runs (built zips, dependency installs)."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "STACKWRIGHT_CACHE_DIR"


def _user() -> str:
    import getpass

    return getpass.getuser()


def cache_dir(*parts: str) -> Path:
    """`$STACKWRIGHT_CACHE_DIR`, else `$XDG_CACHE_HOME/stackwright`, else `~/.cache/stackwright`, with the
    sub-folder `parts`. The cache holds the user's code: its top folder is made private to the user (mode
    0700), so nothing in it can be read by others; an existing folder given by `$STACKWRIGHT_CACHE_DIR`
    keeps the mode the user gave it."""
    base = os.environ.get(CACHE_ENV)
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = str(Path(xdg) / "stackwright")
    top = Path(base)
    if not top.is_dir():
        top.mkdir(parents=True, exist_ok=True)
        top.chmod(0o700)
    elif top.name == "stackwright" and top.stat().st_mode & 0o077 and top.owner() == _user():
        top.chmod(0o700)  # a cache made before it was private; a folder the user named is left alone
    path = Path(base, *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path
