"""Which files of a code folder go into an artifact (zip or image), and which files decide its
dependencies: `collect` applies Stacktape's `includeFiles`/`excludeFiles` and finds the manifests."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stackwright.artifacts import EXCLUDED_DIRS, ROOT_EXCLUDED_DIRS, iter_files

MANIFESTS = ("requirements.txt", "pyproject.toml", "uv.lock", "poetry.lock", "Pipfile.lock")
NODE_MANIFESTS = (
    "package.json",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "tsconfig.json",
)
SKIPPED_SUFFIXES = (".pyc", ".pyo")


@dataclass
class Sources:
    """`files`: (name in the zip, path on disk); `manifests`: dependency files, by name relative to the
    project root (for the digest), and the folder holding them."""

    files: list[tuple[str, Path]] = field(default_factory=list)
    manifests: list[tuple[str, Path]] = field(default_factory=list)
    manifest_dir: Path | None = None


def _matches(relative: str, patterns: list[str]) -> bool:
    return any(
        fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(relative, p.rstrip("/") + "/*") for p in patterns
    )


def collect(
    project_root: Path, code_root: Path, props: dict[str, Any], manifest_names: tuple[str, ...]
) -> Sources:
    """The code root's files plus `includeFiles`, minus `excludeFiles` (globs relative to the project root),
    and the nearest folder at or above the code root (up to the project root) holding a manifest."""
    exclude = [str(p) for p in props.get("excludeFiles") or []]
    sources = Sources()
    seen: set[str] = set()

    def excluded(path: Path) -> bool:
        relative = _relative(path, project_root)
        # a folder whose every file is excluded is not entered, so links inside it are not followed
        return _matches(relative, exclude) or (path.is_dir() and _matches(relative + "/\0", exclude))

    for path in iter_files(code_root, prune=excluded if exclude else None):
        name = path.relative_to(code_root).as_posix()
        if path.suffix in SKIPPED_SUFFIXES or _matches(_relative(path, project_root), exclude):
            continue
        sources.files.append((name, path))
        seen.add(name)
    for name, file in included_files(project_root, props):
        if name not in seen:
            sources.files.append((name, file))
            seen.add(name)
    folder = code_root
    while True:
        found = [(n, folder / n) for n in manifest_names if (folder / n).is_file()]
        if found:
            sources.manifests = [(_relative(p, project_root), p) for _, p in found]
            sources.manifest_dir = folder
            break
        if folder == project_root or project_root not in folder.parents:
            break
        folder = folder.parent
    sources.files.sort()
    return sources


def included_files(project_root: Path, props: dict[str, Any]) -> list[tuple[str, Path]]:
    """Stacktape's `includeFiles` (globs relative to the project root) minus `excludeFiles`: (name at its
    project-relative path, path on disk), in a stable order."""
    exclude = [str(p) for p in props.get("excludeFiles") or []]

    def excluded(path: Path) -> bool:
        relative = _relative(path, project_root)
        return _matches(relative, exclude) or (path.is_dir() and _matches(relative + "/\0", exclude))

    found: dict[str, Path] = {}
    for pattern in props.get("includeFiles") or []:
        for path in sorted(project_root.glob(str(pattern))):
            inside = list(iter_files(path, prune=excluded if exclude else None)) if path.is_dir() else []
            for file in [path] if path.is_file() else inside:
                name = _relative(file, project_root)
                parts = Path(name).parts
                if not _matches(name, exclude) and not (
                    set(parts) & EXCLUDED_DIRS or parts[0] in ROOT_EXCLUDED_DIRS
                ):
                    found.setdefault(name, file)
    return sorted(found.items())


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
