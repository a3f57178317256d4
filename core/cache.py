"""Where stackwright keeps what it can reuse between runs (built zips, dependency installs)."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "STACKWRIGHT_CACHE_DIR"


def cache_dir(*parts: str) -> Path:
    """`$STACKWRIGHT_CACHE_DIR`, else `$XDG_CACHE_HOME/stackwright`, else `~/.cache/stackwright`."""
    base = os.environ.get(CACHE_ENV)
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = str(Path(xdg) / "stackwright")
    path = Path(base, *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path
