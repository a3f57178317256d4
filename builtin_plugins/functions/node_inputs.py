"""The files a JavaScript/TypeScript function's bundle is made of, as esbuild itself lists them.

esbuild's metafile names every input it read for the bundle (the user's modules and the node_modules files
it inlined), so a function's digest covers exactly those and editing `NOTES.md` or another function's
module redeploys nothing. The list is remembered with a digest of the files on it: while none of them
changed, the import graph cannot have changed either, and esbuild is not run again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from stackwright import StackwrightError

#: Files next to the entry or the project that change how esbuild compiles without being inputs.
COMPILER_SETTINGS = ("package.json", "tsconfig.json", "jsconfig.json")


def esbuild_command(
    esbuild: str, entry: Path, runtime: str, outfile: Path, tsconfig: Path | None = None
) -> list[str]:
    """The esbuild command line for a Lambda bundle of `entry` (CommonJS, for the runtime's Node
    version, AWS SDK v3 left to the runtime); `tsconfig` (`tsConfigPath`) replaces the nearest
    tsconfig.json esbuild would find for each file."""
    from .builders import NODE_EXTERNALS

    target = "node" + "".join(ch for ch in runtime if ch.isdigit())
    return [
        esbuild,
        str(entry),
        "--bundle",
        "--platform=node",
        f"--target={target}",
        "--format=cjs",
        f"--outfile={outfile}",
        "--log-level=error",
        "--legal-comments=none",
        *(f"--external:{e}" for e in NODE_EXTERNALS),
        *([f"--tsconfig={tsconfig}"] if tsconfig is not None else []),
    ]


_EXTENDS = re.compile(r'"extends"\s*:\s*(\[[^\]]*\]|"[^"]*")')


def _extended(config: Path, seen: set[Path]) -> None:
    """Add `config` and every file its `extends` names (relative, or a package under node_modules), as
    TypeScript reads them, to `seen`."""
    if config in seen or not config.is_file():
        return
    seen.add(config)
    try:
        found = _EXTENDS.search(config.read_text(errors="replace"))
    except OSError:
        return
    if found is None:
        return
    for name in re.findall(r'"([^"]+)"', found.group(1)):
        candidates = []
        if name.startswith("."):
            base = (config.parent / name).resolve()
            candidates = [base, base.with_name(base.name + ".json"), base / "tsconfig.json"]
        else:
            for folder in (config.parent, *config.parent.parents):
                base = folder / "node_modules" / name
                candidates += [base, base.with_name(base.name + ".json"), base / "tsconfig.json"]
        target = next((c for c in candidates if c.is_file()), None)
        if target is not None:
            _extended(target, seen)


def _content_digest(paths: list[Path]) -> str | None:
    digest = hashlib.sha256()
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest.update(f"{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def compiler_settings(
    esbuild: str, folders: set[Path], project_root: Path, tsconfig: Path | None = None
) -> set[Path]:
    """The files that change how esbuild compiles without being bundled: the `package.json`,
    `tsconfig.json` (with what it `extends`) and `jsconfig.json` in each of `folders` (every folder from
    an input up to the project root: esbuild applies the nearest to each file), the given `tsconfig`
    with what it extends, and the installed esbuild's own `package.json` (its version). Looked up afresh
    every time: a new one counts."""
    settings: set[Path] = set()
    if tsconfig is not None:
        _extended(tsconfig.resolve(), settings)
    above = set(project_root.parents)
    for folder in folders:
        for name in COMPILER_SETTINGS:
            path = folder / name
            if name == "package.json":  # above the project (a monorepo root) it holds everyone's deps
                settings |= {path} if path.is_file() and folder not in above else set()
            else:
                _extended(path, settings)
    installed = Path(esbuild).parent.parent / "esbuild" / "package.json"  # node_modules/.bin/esbuild
    if installed.is_file():
        settings.add(installed.resolve())
    return settings


def bundle_inputs(
    esbuild: str, entry: Path, project_root: Path, runtime: str, tsconfig: Path | None = None
) -> list[Path]:
    """Every file esbuild reads to bundle `entry`, the `package.json` of each package it inlines from
    (its `main`/`exports` choose the files), and the `compiler_settings` that apply (the given
    `tsconfig` with what it extends among them), as absolute paths in a stable order. Raises
    StackwrightError when esbuild cannot bundle the entry."""
    return bundle(esbuild, entry, project_root, runtime, tsconfig).inputs


def entry_exports(esbuild: str, entry: Path, project_root: Path, runtime: str) -> set[str] | None:
    """The names an ES module entry exports, as esbuild sees them (`default` included); None for a
    CommonJS entry, or one whose bundle holds CommonJS modules (esbuild cannot list what they re-export).
    Raises StackwrightError like `bundle_inputs`."""
    found = bundle(esbuild, entry, project_root, runtime)
    return set(found.exports) if found.exports is not None else None


@dataclass
class Bundle:
    """What one esbuild run told of an entry: its inputs, and its exports when they can be listed."""

    inputs: list[Path]
    exports: list[str] | None


def _package_json(path: Path) -> Path | None:
    """The `package.json` of the node_modules package `path` belongs to."""
    parts = path.parts
    if "node_modules" not in parts:
        return None
    at = len(parts) - 1 - parts[::-1].index("node_modules")
    depth = 2 if at + 1 < len(parts) and parts[at + 1].startswith("@") else 1
    manifest = Path(*parts[: at + 1 + depth], "package.json")
    return manifest if manifest.is_file() else None


def _lookup_folders(paths: list[Path], entry: Path, project_root: Path) -> set[Path]:
    """The folders esbuild looks in for `paths`: their parents up to the project root (or, outside it, up
    to where they meet it), the entry's, and the `node_modules` (with `@scope` folders) in each."""
    folders: set[Path] = set()
    for path in [entry, *paths]:
        stop = Path(os.path.commonpath([path, project_root]))
        for folder in path.parents:
            if folder in folders:
                break
            folders.add(folder)
            if folder == stop:
                break
    folders |= _workspace(project_root)
    modules = {f / "node_modules" for f in folders if (f / "node_modules").is_dir()}
    scopes = {s for m in modules for s in m.glob("@*") if s.is_dir()}
    return folders | modules | scopes


def _workspace(project_root: Path) -> set[Path]:
    """The folders above the project that esbuild also reads: up to the highest one holding a
    `node_modules`, `package.json`, `tsconfig.json` or `jsconfig.json` (a monorepo root, with hoisted
    packages and shared settings)."""
    above = list(project_root.parents)
    marks = ("node_modules", "package.json", "tsconfig.json", "jsconfig.json")
    last = max((i for i, f in enumerate(above) if any((f / m).exists() for m in marks)), default=-1)
    return set(above[: last + 1])


def _mtimes(folders: set[Path]) -> dict[str, int]:
    """Each folder → its mtime in ns: a file added or removed there changes it, and a new file may win
    resolution (`util.ts` beside `util.js`, a package in a nearer node_modules)."""
    stamps: dict[str, int] = {}
    for folder in sorted(folders):
        try:
            stamps[str(folder)] = folder.stat().st_mtime_ns
        except OSError:
            stamps[str(folder)] = -1
    return stamps


def bundle(
    esbuild: str, entry: Path, project_root: Path, runtime: str, tsconfig: Path | None = None
) -> Bundle:
    """The inputs (settings included) and exports of `entry`'s bundle. Remembered while no input or
    settings file changed and no folder esbuild resolved from gained or lost a file."""
    from stackwright import cache_dir

    words = [esbuild, str(entry), str(project_root), runtime, str(tsconfig or "")]
    key = hashlib.sha256(json.dumps(words).encode()).hexdigest()
    remembered = cache_dir("esbuild-inputs") / f"{key}.json"
    try:
        known = json.loads(remembered.read_text())
        bundled = [Path(p) for p in known["inputs"]]
        folders = _lookup_folders(bundled, entry, project_root)
        paths = sorted(set(bundled) | compiler_settings(esbuild, folders, project_root, tsconfig))
        if _content_digest(paths) == known["digest"] and _mtimes(folders) == known["folders"]:
            return Bundle(paths, known["exports"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    with tempfile.TemporaryDirectory(prefix="stackwright-esbuild-") as folder:
        meta, esm = Path(folder, "meta.json"), Path(folder, "esm.json")
        out = Path(folder, "index.js")
        command = [*esbuild_command(esbuild, entry, runtime, out, tsconfig), f"--metafile={meta}"]
        _run(command, entry, project_root)
        inputs = json.loads(meta.read_text()).get("inputs") or {}
        found = {(project_root / name).resolve() for name in inputs}
        found |= {m for m in map(_package_json, found) if m is not None}
        bundled = sorted(p for p in found if p.is_file())
        exports = None
        formats = {(project_root / name).resolve(): body.get("format") for name, body in inputs.items()}
        if formats.get(entry.resolve()) == "esm" and "cjs" not in formats.values():
            out = Path(folder, "esm.js")
            command = [*esbuild_command(esbuild, entry, runtime, out, tsconfig), f"--metafile={esm}"]
            _run([c if c != "--format=cjs" else "--format=esm" for c in command], entry, project_root)
            outputs = json.loads(esm.read_text()).get("outputs") or {}
            exports = sorted({str(n) for body in outputs.values() for n in body.get("exports") or []})
    folders = _lookup_folders(bundled, entry, project_root)
    paths = sorted(set(bundled) | compiler_settings(esbuild, folders, project_root, tsconfig))
    digest = _content_digest(paths)
    if digest is not None:
        record = {
            "inputs": [str(p) for p in bundled],
            "digest": digest,
            "folders": _mtimes(folders),
            "exports": exports,
        }
        remembered.write_text(json.dumps(record))
    return Bundle(paths, exports)


def _run(command: list[str], entry: Path, project_root: Path) -> None:
    done = subprocess.run(command, cwd=project_root, capture_output=True, text=True)
    if done.returncode != 0:
        raise StackwrightError(
            f"esbuild could not bundle {os.path.relpath(entry, project_root)}",
            details=(done.stderr + done.stdout).strip().splitlines()[-25:],
        )
