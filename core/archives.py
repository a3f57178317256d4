"""Deterministic zip archives: same entries in, same bytes out, on any machine.

Entries are sorted by name, carry a fixed timestamp (1980-01-01) and normalised permissions, and no
extra fields. Compressed entries can be copied from another archive without recompressing them, so a
cached dependency layer costs a memory copy, not a second deflate.
"""

from __future__ import annotations

import os
import stat
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from stackwright.errors import StackwrightError

DOS_TIME = 0
DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
VERSION = 20
UNIX = 3
LOCAL = struct.Struct("<4s5H3L2H")
CENTRAL = struct.Struct("<4s6H3L5H2L")
END = struct.Struct("<4s4H2LH")
DEFAULT_LEVEL = 6


@dataclass(frozen=True)
class Entry:
    """One file in an archive, already compressed (`method` 8) or stored (`method` 0)."""

    name: str
    data: bytes
    crc: int
    size: int
    method: int
    executable: bool = False

    @property
    def mode(self) -> int:
        return stat.S_IFREG | (0o755 if self.executable else 0o644)


def entry_from_bytes(
    name: str, content: bytes, executable: bool = False, level: int = DEFAULT_LEVEL
) -> Entry:
    """A deterministic zip entry named `name` holding `content`: deflated at `level` (0 stores it, as
    does a size deflate would not shrink). Raises nothing."""
    crc = zlib.crc32(content)
    if level == 0 or not content:
        return Entry(name, content, crc, len(content), 0, executable)
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    if len(data) >= len(content):
        return Entry(name, content, crc, len(content), 0, executable)
    return Entry(name, data, crc, len(content), 8, executable)


def entry_from_file(path: Path, name: str, level: int = DEFAULT_LEVEL) -> Entry:
    """A deterministic zip entry named `name` from the file at `path` (content, executable bit)."""
    return entry_from_bytes(name, path.read_bytes(), os.access(path, os.X_OK), level)


def read_entries(path: Path) -> list[Entry]:
    """The entries of an existing zip, compressed data copied as is."""
    import zipfile

    entries = []
    with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
        for info in archive.infolist():
            if info.is_dir():
                continue
            raw.seek(info.header_offset)
            header = LOCAL.unpack(raw.read(LOCAL.size))
            raw.seek(header[9] + header[10], os.SEEK_CUR)
            data = raw.read(info.compress_size)
            if info.compress_type not in (0, 8):
                content = archive.read(info)
                entries.append(entry_from_bytes(info.filename, content))
                continue
            executable = bool((info.external_attr >> 16) & 0o111)
            entries.append(
                Entry(info.filename, data, info.CRC, info.file_size, info.compress_type, executable)
            )
    return entries


#: The classic zip format's limits (no ZIP64 here): entries, and bytes of any size or offset.
MAX_ENTRIES = 0xFFFF
MAX_BYTES = 0xFFFFFFFF


def write_zip(entries: Iterable[Entry], out: Path) -> tuple[int, int]:
    """Write `entries` sorted by name (later duplicates win); return (zip size, unzipped size). Raises
    StackwrightError, before writing anything, for more than 65,535 entries or 4 GiB (no ZIP64)."""
    unique = {entry.name: entry for entry in entries}
    ordered = [unique[name] for name in sorted(unique)]
    total = sum(len(entry.data) for entry in ordered)
    if len(ordered) > MAX_ENTRIES or total > MAX_BYTES or any(e.size > MAX_BYTES for e in ordered):
        raise StackwrightError(
            f"{len(ordered):,} files ({total / 2**20:,.0f} MiB compressed) are more than a zip without "
            f"ZIP64 holds ({MAX_ENTRIES:,} files, 4 GiB)",
            hint="leave files out with excludeFiles or excludeDependencies, or run the code as a container",
        )
    central = bytearray()
    offset = 0
    unzipped = 0
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("wb") as stream:
        for entry in ordered:
            name = entry.name.encode()
            stream.write(
                LOCAL.pack(
                    b"PK\x03\x04",
                    VERSION,
                    0x800,
                    entry.method,
                    DOS_TIME,
                    DOS_DATE,
                    entry.crc,
                    len(entry.data),
                    entry.size,
                    len(name),
                    0,
                )
            )
            stream.write(name)
            stream.write(entry.data)
            central += CENTRAL.pack(
                b"PK\x01\x02",
                (UNIX << 8) | VERSION,
                VERSION,
                0x800,
                entry.method,
                DOS_TIME,
                DOS_DATE,
                entry.crc,
                len(entry.data),
                entry.size,
                len(name),
                0,
                0,
                0,
                0,
                entry.mode << 16,
                offset,
            )
            central += name
            offset += LOCAL.size + len(name) + len(entry.data)
            unzipped += entry.size
        stream.write(central)
        stream.write(END.pack(b"PK\x05\x06", 0, 0, len(ordered), len(ordered), len(central), offset, 0))
    tmp.replace(out)
    return offset + len(central) + END.size, unzipped
