"""Requirements files as pip reads them: includes, constraints, local paths and per-line options, made
self-contained for installing and for the digest."""

from __future__ import annotations

import os
import re
from pathlib import Path

from stackwright.artifacts import digest_named, iter_files
from stackwright.errors import StackwrightError

_INCLUDE = re.compile(r"^(-r|-c|--requirement|--constraint)(?:(?<=-r|-c)\s*|\s+|=)(\S+)$")
_DIRECT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*@\s*(file:\S+)$")
_LINKS = re.compile(r"^(-f|--find-links)(?:\s+|=)(\S+)$")
_LOCAL = re.compile(r"^(-e\s+|--editable(?:\s+|=))?(\.{1,2}/[^\s\[]*|/[^\s\[]+|file:[^\s\[]+)(\[[^\]]*\])?$")


def expand_requirements(path: Path, seen: tuple[Path, ...] = (), base: Path | None = None) -> str:
    """A requirements file as pip reads it, made self-contained: `-r` includes inlined, `-c` constraints
    and local paths (`./lib`, `-e ../shared`) made absolute, each with a digest of what it names, so the
    text is both what gets installed and the dependency cache key. With `base`, paths are written relative
    to it instead (the digest input: the same in every checkout). Raises StackwrightError naming the file
    and line of a missing include, an include loop, or a syntax error."""

    def shown(target: Path, written: str) -> str:
        """`target` as the digest input names it: relative to `base` when written relative."""
        relative = base is not None and not written.startswith(("/", "file:"))
        return os.path.relpath(target, base) if relative else str(target)

    real = path.resolve()
    if real in seen:
        chain = " → ".join(str(p) for p in (*seen, real))
        raise StackwrightError(f"requirements files include each other in a loop: {chain}")
    check_requirements(path)
    lines = []
    for number, line in logical_lines(path):
        direct, links = _DIRECT.match(line), _LINKS.match(line)
        if direct:  # `name[extra] @ file:///abs/lib` names a local path like `/abs/lib[extra]` does
            from urllib.parse import unquote, urlparse

            line = unquote(urlparse(direct.group(2)).path) + (direct.group(1) or "")
            line = line if line.startswith("/") else f"./{line}"
        if links and "://" not in links.group(2):  # a local folder of wheels, relative to this file
            folder = (path.parent / links.group(2)).resolve()
            wheels = [(f.name, f) for f in sorted(folder.glob("*")) if f.is_file()] if folder.is_dir() else []
            lines.append(f"# {digest_named(wheels, {})}\n{links.group(1)} {shown(folder, links.group(2))}")
            continue
        include, local = _INCLUDE.match(line), _LOCAL.match(line)
        if include:
            target = (path.parent / include.group(2)).resolve()
            if not target.is_file():
                raise StackwrightError(
                    f"{path}:{number}: {include.group(2)} does not exist (looked for {target})"
                )
            if include.group(1) in ("-r", "--requirement"):
                lines.append(expand_requirements(target, (*seen, real), base).rstrip("\n"))
            else:
                stamp = digest_named([(target.name, target)], {})
                lines.append(f"# {stamp}\n-c {shown(target, include.group(2))}")
        elif local:
            target = (path.parent / local.group(2).removeprefix("file:")).resolve()
            if not target.exists():
                raise StackwrightError(
                    f"{path}:{number}: {local.group(2)} does not exist (looked for {target})"
                )
            files = (
                [(target.name, target)]
                if target.is_file()
                else [(f.relative_to(target).as_posix(), f) for f in iter_files(target, prune=_build_output)]
            )
            written = f"{local.group(1) or ''}{shown(target, local.group(2))}{local.group(3) or ''}"
            lines.append(f"# {digest_named(files, {})}\n{written}")
        elif line:
            lines.append(line)
    return "".join(f"{line}\n" for line in lines)


def _build_output(path: Path) -> bool:
    """What building a local package leaves in its folder (`*.egg-info`): not its source."""
    return path.name.endswith(".egg-info")


def requirements_input(manifest_dir: Path | None, name: str = "requirements.txt") -> list[tuple[str, bytes]]:
    """A digest input for what pip reads besides the requirements file `name` itself (its includes,
    constraints and local paths): one named entry, or none when the folder has no such file."""
    path = manifest_dir / name if manifest_dir else None
    if path is None or not path.is_file():
        return []
    return [("requirements:expanded", expand_requirements(path, base=manifest_dir).encode())]


def logical_lines(path: Path) -> list[tuple[int, str]]:
    """The lines of a requirements file as pip reads them: a line ending in `\\` continues on the next
    (as pip-compile writes `--hash` options), comments removed; each with the number of its first line."""
    lines: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        if not pending:
            start = number
        text = re.sub(r"(^|\s)#.*$", "", raw)
        if text.rstrip().endswith("\\"):
            pending += text.rstrip()[:-1] + " "
            continue
        lines.append((start, (pending + text).strip()))
        pending = ""
    if pending:
        lines.append((start, pending.strip()))
    return lines


#: Options pip allows after a requirement on its line.
_PER_REQUIREMENT = re.compile(r"\s--(?:hash|config-settings|global-option|install-option)(?:=|\s+)\S+")


def check_requirements(path: Path) -> None:
    """Raises StackwrightError naming the file and line of a requirement pip could not parse."""
    from packaging.requirements import InvalidRequirement, Requirement

    for number, line in logical_lines(path):
        if not line or line.startswith("-") or "://" in line or line.startswith((".", "/")):
            continue
        line = _PER_REQUIREMENT.sub("", f" {line}").strip()
        try:
            Requirement(line.split(";")[0].strip() if "@" not in line else line)
        except InvalidRequirement as error:
            raise StackwrightError(f"{path}:{number}: syntax error in requirements file: {error}") from None
