"""What a command needs before it runs, kept between runs so that starting costs nothing it does not use.

Two things are kept under the cache folder's `startup/` (`$STACKWRIGHT_CACHE_DIR`, else
`$XDG_CACHE_HOME/stackwright`, else `~/.cache/stackwright`), each with the fingerprint it is valid for:

- the scan of the installed distributions' entry points of a group (importing `importlib.metadata` and
  reading every distribution's metadata costs tens of milliseconds), valid while no folder on `sys.path`
  changed (installing or removing a distribution adds or removes its `.dist-info` folder there);
- the text of `--help` for a command line, valid while those folders and every source file the text came
  from (stackwright's and the plugins' modules, by modification time and size) are unchanged.

This module imports only the standard library's lightest modules: it runs before anything else. A cache
that cannot be read or written is ignored; nothing here raises.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

#: Bumped when what is kept changes shape.
FORMAT = 1


def _folder() -> str:
    base = os.environ.get("STACKWRIGHT_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "stackwright")
    return os.path.join(base, "startup")


def _make_private(folder: str) -> None:
    """The cache folder holds the user's code: made here (before `cache_dir` sees it) it is private
    (0700), as `cache_dir` makes it; `os.makedirs` gives its mode to the last folder only."""
    base = os.path.dirname(folder)
    if not os.path.isdir(base):
        os.makedirs(base, mode=0o700, exist_ok=True)
    os.makedirs(folder, mode=0o700, exist_ok=True)


def _stat(path: str) -> list[int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_mtime_ns, found.st_size]


def path_fingerprint() -> dict[str, list[int] | None]:
    """Every folder on `sys.path` → its modification time and size (None when it is not there)."""
    return {entry: _stat(entry) for entry in sys.path if entry}


def _read(name: str) -> dict[str, Any] | None:
    try:
        with open(os.path.join(_folder(), name), encoding="utf-8") as stream:
            data = json.load(stream)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def _write(name: str, data: dict[str, Any]) -> None:
    folder = _folder()
    try:
        _make_private(folder)
        temporary = os.path.join(folder, f".{name}.{os.getpid()}")
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump({**data, "format": FORMAT}, stream)
        os.replace(temporary, os.path.join(folder, name))  # readers see the old file or the new one
    except OSError:
        pass


class CachedEntryPoint:
    """What `importlib.metadata.EntryPoint` offers the plugin loader, read back from the cache."""

    class Dist:
        def __init__(self, name: str, version: str) -> None:
            self.name, self.version = name, version

    def __init__(self, name: str, value: str, dist: tuple[str, str] | None) -> None:
        self.name, self.value = name, value
        self.module = value.split(":", 1)[0].strip()
        self.dist = CachedEntryPoint.Dist(*dist) if dist else None

    def load(self) -> Any:
        import importlib

        module = importlib.import_module(self.module)
        attribute = self.value.split(":", 1)[1].strip() if ":" in self.value else ""
        for part in filter(None, attribute.split(".")):
            module = getattr(module, part)
        return module


def entry_points(group: str) -> list[Any]:
    """The entry points of `group` of the installed distributions, sorted by name: from the cache when
    no folder on `sys.path` changed since it was written, else scanned (and kept)."""
    name = f"entry-points-{hashlib.sha256(group.encode()).hexdigest()[:16]}.json"
    fingerprint = path_fingerprint()
    kept = _read(name)
    if kept is not None and kept.get("paths") == fingerprint:
        return [CachedEntryPoint(str(n), str(v), tuple(d) if d else None) for n, v, d in kept["found"]]
    from importlib.metadata import entry_points as scan

    found = sorted(scan(group=group), key=lambda ep: ep.name)
    _write(
        name,
        {
            "paths": fingerprint,
            "found": [
                [ep.name, ep.value, [ep.dist.name, ep.dist.version] if ep.dist else None] for ep in found
            ],
        },
    )
    return found


def _help_name(argv: Sequence[str]) -> str:
    width = os.environ.get("COLUMNS", "")  # as shutil.get_terminal_size, which click's help follows:
    if not width.isdigit() or int(width) <= 0:  # a value that is not a positive number is not used
        width = ""
    if not width:
        try:
            width = str(os.get_terminal_size(sys.__stdout__.fileno()).columns)  # type: ignore[union-attr]
        except (AttributeError, OSError, ValueError):
            width = "80"
    # what decides the text besides the code: the command line, the width, the plugins asked for
    key = [
        list(argv),
        width,
        sys.version,
        os.environ.get("STACKWRIGHT_PLUGINS", ""),
        os.environ.get("STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD", ""),
    ]
    return f"help-{hashlib.sha256(json.dumps(key).encode()).hexdigest()[:24]}.json"


def is_help(argv: Sequence[str]) -> bool:
    """`stackwright --help` (or `-h`), or `stackwright COMMAND --help`: a text that depends only on the
    code, the plugins and the terminal's width."""
    if list(argv) in (["--help"], ["-h"]):
        return True
    return len(argv) == 2 and argv[1] in ("--help", "-h") and argv[0].replace(":", "").isalnum()


def kept_help(argv: Sequence[str]) -> str | None:
    """The help text kept for `argv`, when nothing it came from changed; else None."""
    kept = _read(_help_name(argv))
    if kept is None or kept.get("paths") != path_fingerprint():
        return None
    files = kept.get("files")
    if not isinstance(files, dict) or any(_stat(path) != stamp for path, stamp in files.items()):
        return None
    text = kept.get("text")
    return text if isinstance(text, str) else None


def keep_help(argv: Sequence[str], text: str) -> None:
    """Keep `text` as the help of `argv`, valid while the source file of every module loaded now that is
    not the standard library's (stackwright's, the plugins', click's) is unchanged."""
    stdlib = os.path.dirname(os.__file__) + os.sep
    files = {}
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and not path.startswith(stdlib):
            files[path] = _stat(path)
    _write(_help_name(argv), {"paths": path_fingerprint(), "files": files, "text": text})
