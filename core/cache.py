"""Where stackwright keeps what it can reuse between runs (built zips, dependency installs)."""

from __future__ import annotations

import contextlib
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


SIZE_ENV = "STACKWRIGHT_CACHE_SIZE"
#: The default bound of the cache (bytes): `$STACKWRIGHT_CACHE_SIZE` (`500M`, `4G`, bytes) overrides.
DEFAULT_SIZE = 2 * 1024**3
#: The folders whose files are rebuilt on demand, so may be evicted (not the local engine's state).
EVICTABLE = ("artifacts", "deps", "validated", "checked", "esbuild-inputs", "parsed")
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def used(path: Path) -> Path:
    """Mark a cached file as just used (its modification time is its last use) and return it."""
    with contextlib.suppress(OSError):  # gone meanwhile, or read-only: it is rebuilt when missed
        os.utime(path)
    return path


def size_limit() -> int:
    """The cache bound in bytes. Raises StackwrightError for a malformed `$STACKWRIGHT_CACHE_SIZE`."""
    given = os.environ.get(SIZE_ENV, "").strip().upper().removesuffix("B").removesuffix("I")
    if not given:
        return DEFAULT_SIZE
    number, unit = given.rstrip("KMGT"), given[len(given.rstrip("KMGT")) :]
    try:
        value = float(number) * _UNITS[unit]
        if not value > 0:
            raise ValueError
    except (KeyError, ValueError):
        from stackwright.errors import StackwrightError

        raise StackwrightError(
            f"{SIZE_ENV}={os.environ[SIZE_ENV]!r} is not a size", hint="write it like 500M, 4G or 1073741824"
        ) from None
    return int(value)


def evict(keep: frozenset[Path] = frozenset(), limit: int | None = None) -> tuple[int, int]:
    """Bound the cache: while its rebuildable files (EVICTABLE) take more than `limit` bytes (default
    `size_limit()`), remove the least recently used ones (oldest modification time, see `used`) down to
    80% of it, never one of `keep` (what the running command still needs) nor a lock file. Returns
    (files removed, bytes freed)."""
    limit = size_limit() if limit is None else limit
    top = Path(cache_dir())
    files: list[tuple[float, int, Path]] = []
    for name in EVICTABLE:
        for folder, _, names in os.walk(top / name):
            for file in names:
                path = Path(folder, file)
                try:
                    stat = path.lstat()
                except OSError:
                    continue
                files.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in files)
    if total <= limit:
        return 0, 0
    removed = freed = 0
    for _, size, path in sorted(files):
        if total - freed <= limit * 0.8:
            break
        if path in keep or path.suffix == ".lock":
            continue
        try:
            path.unlink()
        except OSError:
            continue
        removed, freed = removed + 1, freed + size
    return removed, freed


#: A bounded cache is walked again at least this often (seconds) when nothing new was built.
EVICT_INTERVAL = 24 * 3600


def evict_if_due(keep: frozenset[Path], grew: bool) -> tuple[int, int]:
    """`evict(keep)` when it may free something: the cache `grew` (this run built into it), the bound
    (`size_limit()`, so a malformed one is still reported) differs from the last walk's, or the last walk
    is older than `EVICT_INTERVAL`. A no-change run skips the walk, which on a large cache costs more
    than the rest of the run. Returns (files removed, bytes freed)."""
    import json
    import time

    limit = size_limit()
    marker = Path(cache_dir()) / ".evicted"
    try:
        last = json.loads(marker.read_text())
        due = grew or last.get("limit") != limit or time.time() - float(last.get("at", 0)) > EVICT_INTERVAL
    except (OSError, ValueError, AttributeError, TypeError):
        due = True
    if not due:
        return 0, 0
    found = evict(keep, limit)
    with contextlib.suppress(OSError):
        marker.write_text(json.dumps({"limit": limit, "at": time.time()}))
    return found
