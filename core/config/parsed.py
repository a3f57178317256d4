"""Parses kept between runs: a config whose text is unchanged is not parsed again (nor PyYAML imported,
about a tenth of a no-change command's start). Each parse is kept in the cache's `parsed/` under the
digest of the text, the path it is shown by, the parser's source and the Python version; only a parse
that succeeded, of plain values (`marshal`'s: no dates, no binary), is kept. A kept parse that cannot be
read is parsed again; nothing here raises."""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from typing import Any

from stackwright.errors import Position

Positions = dict[tuple[str | int, ...], Position]
#: Bumped when what a kept parse holds changes shape.
FORMAT = 1


def _key(text: str, source: str) -> str:
    from stackwright.config import parse

    try:
        parser = os.stat(parse.__file__)
        stamp = f"{parser.st_mtime_ns}:{parser.st_size}"
    except OSError:
        stamp = ""
    digest = hashlib.sha256()
    for part in (str(FORMAT), sys.version, stamp, source, text):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def kept(text: str, source: str) -> tuple[Any, Positions] | None:
    """The kept parse of `text` (read from `source`): (data, positions), or None."""
    from stackwright.cache import cache_dir, used

    try:
        blob = used(cache_dir("parsed") / _key(text, source)).read_bytes()
        data, rows = marshal.loads(blob)
        return data, {path: Position(source, line, column) for path, line, column in rows}
    except (OSError, EOFError, ValueError, TypeError):
        return None


def keep(text: str, source: str, data: Any, positions: Positions) -> None:
    """Keep the parse of `text`, when marshal can hold it (plain values only)."""
    from stackwright.cache import cache_dir

    rows = [(path, p.line, p.column) for path, p in positions.items()]
    try:
        blob = marshal.dumps((data, rows))
        folder = cache_dir("parsed")
        name = _key(text, source)
        temporary = folder / f".{name}.{os.getpid()}"
        temporary.write_bytes(blob)
        os.replace(temporary, folder / name)  # readers see no file or the whole one
    except (OSError, ValueError):
        pass
