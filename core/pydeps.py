"""Python dependencies for the Lambda platform and Python images: installed once per distinct set, kept
as a zip layer. Public as `stackwright.pydeps` (the function and image buildpacks share it).

Functions whose manifests, Python version and architecture are equal share one install, cached under
the user cache folder by a key of exactly those inputs. uv installs (pip when uv is missing), always
binary wheels for the Lambda platform, never the build machine's.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from stackwright.archives import Entry, entry_from_file, read_entries, write_zip
from stackwright.artifacts import EXCLUDED_DIRS, digest_named, iter_files
from stackwright.cache import cache_dir
from stackwright.errors import StackwrightError

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()
OUTPUT_TAIL = 25
#: Files installers leave in the target folder that are not part of any package.
INSTALLER_FILES = frozenset({".lock"})
#: Files an install writes in `*.dist-info` about this machine and moment (where a local wheel was built,
#: the installer's cache stamp): left out, so the same requirements give the same zip anywhere.
RECORDS_OF_THE_INSTALL = frozenset({"direct_url.json", "uv_cache.json"})


def python_version(runtime: str) -> str:
    return runtime.removeprefix("python")


def platforms(runtime: str, architecture: str) -> tuple[str, list[str]]:
    """(uv's --python-platform, pip's --platform list): AL2023 runtimes (3.12+) take manylinux_2_34 wheels,
    older ones manylinux2014."""
    arch = "aarch64" if architecture == "arm64" else "x86_64"
    major, minor = (int(x) for x in python_version(runtime).split(".")[:2])
    if (major, minor) >= (3, 12):
        return f"{arch}-manylinux_2_34", [f"manylinux_2_{v}_{arch}" for v in (34, 28, 24, 17)] + [
            f"manylinux2014_{arch}"
        ]
    return f"{arch}-manylinux2014", [f"manylinux2014_{arch}", f"manylinux_2_17_{arch}"]


def requirements_text(manifest_dir: Path, names: list[str]) -> str:
    """The requirements to install, as requirements.txt text, checked line by line."""
    if "requirements.txt" in names:
        return expand_requirements(manifest_dir / "requirements.txt")
    if "uv.lock" in names and "pyproject.toml" in names:
        return _uv_export(manifest_dir)
    if "pyproject.toml" not in names and any(n in names for n in ("Pipfile.lock", "poetry.lock")):
        lock = next(n for n in names if n in ("Pipfile.lock", "poetry.lock"))
        raise StackwrightError(
            f"{manifest_dir / lock}: dependencies from {lock} alone are not supported",
            hint="export them to requirements.txt (pipenv requirements > requirements.txt, or poetry export)",
        )
    if "pyproject.toml" in names:
        path = manifest_dir / "pyproject.toml"
        try:
            data = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as error:
            raise StackwrightError(f"{path}: not valid TOML: {error}") from None
        dependencies = (data.get("project") or {}).get("dependencies") or []
        return "".join(f"{d}\n" for d in dependencies)
    return ""


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


def _leftovers(folder: Path) -> Callable[[str, list[str]], list[str]]:
    """A `shutil.copytree` ignore function: what building leaves in `folder` (`build/` and `dist/` at its
    top, `*.egg-info`) and the folders never packaged."""

    def ignore(where: str, names: list[str]) -> list[str]:
        top = Path(where) == folder
        return [
            n
            for n in names
            if (top and n in ("build", "dist")) or _build_output(Path(n)) or n in EXCLUDED_DIRS
        ]

    return ignore


def _build_output(path: Path) -> bool:
    """What building a local package leaves in its folder (`*.egg-info`): not its source."""
    return path.name.endswith(".egg-info")


def requirements_input(manifest_dir: Path | None) -> list[tuple[str, bytes]]:
    """A digest input for what pip reads besides `requirements.txt` itself (its includes, constraints
    and local paths): one named entry, or none when the folder has no `requirements.txt`."""
    path = manifest_dir / "requirements.txt" if manifest_dir else None
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


def _uv_export(folder: Path) -> str:
    command = [
        uv_binary() or "uv",
        "export",
        "--frozen",
        "--no-hashes",
        "--no-dev",
        "--no-emit-project",
        "-q",
    ]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    if done.returncode != 0:
        raise StackwrightError(f"{folder}/uv.lock: `uv export` failed:\n{_tail(done.stderr + done.stdout)}")
    return done.stdout


def uv_binary() -> str | None:
    candidate = Path(sys.executable).parent / "uv"
    return str(candidate) if candidate.exists() else shutil.which("uv")


def _tail(text: str) -> str:
    lines = text.strip().splitlines()
    return "\n".join(lines[-OUTPUT_TAIL:])


def layer_key(requirements: str, runtime: str, architecture: str, exclude: list[str]) -> str:
    h = hashlib.sha256()
    for part in (requirements, runtime, architecture, ",".join(sorted(exclude))):
        h.update(part.encode() + b"\0")
    return h.hexdigest()[:32]


@contextmanager
def _locked(key: str) -> Iterator[None]:
    """One build per key: a thread lock in this process, a file lock across processes."""
    with _LOCKS_GUARD:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock, (cache_dir("deps") / f"{key}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def dependency_layer(
    requirements: str, runtime: str, architecture: str, exclude: list[str], use_cache: bool = True
) -> tuple[list[Entry], bool]:
    """The compressed entries of the installed dependencies, and whether this call installed them."""
    layer, installed = dependency_zip(requirements, runtime, architecture, exclude, use_cache)
    return (read_entries(layer) if layer else []), installed


def dependency_zip(
    requirements: str, runtime: str, architecture: str, exclude: list[str], use_cache: bool = True
) -> tuple[Path | None, bool]:
    """The cached zip of the installed dependencies (None when there are none), and whether this call
    installed them. Shared by every function and image with the same dependency set."""
    if not requirements.strip():
        return None, False
    key = layer_key(requirements, runtime, architecture, exclude)
    layer = cache_dir("deps") / f"{key}.zip"
    with _locked(key):
        if use_cache and layer.exists():
            return layer, False
        with tempfile.TemporaryDirectory(prefix="stackwright-deps-") as folder:
            target = Path(folder, "site")
            req = Path(folder, "requirements.txt")
            req.write_text(build_local_folders(requirements, Path(folder, "wheels")))
            install(req, target, runtime, architecture)
            for name in exclude:
                for pattern in (name, name.replace("-", "_")):
                    for path in target.glob(pattern):
                        shutil.rmtree(path, ignore_errors=True)
            entries = [
                entry_from_file(path, path.relative_to(target).as_posix())
                for path in iter_files(target)
                if path.suffix not in (".pyc", ".pyo")
                and path.relative_to(target).as_posix() not in INSTALLER_FILES
                and path.name not in RECORDS_OF_THE_INSTALL
            ]
            write_zip(entries, layer)
        return layer, True


def build_local_folders(requirements: str, out: Path) -> str:
    """`requirements` (as `expand_requirements` writes it) with each local source folder (`/abs/lib`,
    `-e /abs/lib`, `/abs/lib[extra]`) built into a wheel in `out` and named by it: Lambda needs a copy of
    the code, so an editable install (a link back to the folder) becomes a normal one, and only wheels are
    installed. Raises StackwrightError when a folder cannot be built."""
    lines = []
    for line in requirements.splitlines():
        local = _LOCAL.match(line.strip())
        folder = Path(local.group(2).removeprefix("file:")) if local else None
        if local is None or folder is None or not folder.is_dir():
            lines.append(line)
            continue
        out.mkdir(parents=True, exist_ok=True)
        before = set(out.glob("*.whl"))
        # built from a copy: a build leaves `build/` and `*.egg-info` behind, which must neither change
        # the user's folder (and so the digest) nor leak stale files into the wheel
        copy = out.parent / "sources" / f"{len(before)}-{folder.name}"

        shutil.copytree(folder, copy, symlinks=False, ignore=_leftovers(folder))
        command = [uv_binary() or "uv", "build", "--wheel", "--out-dir", str(out), "--no-config", str(copy)]
        done = subprocess.run(command, capture_output=True, text=True)
        built = sorted(set(out.glob("*.whl")) - before)
        if done.returncode != 0 or not built:
            raise StackwrightError(
                f"the local package {folder} could not be built into a wheel",
                hint="it needs a pyproject.toml (or setup.py) that builds, or list a built wheel instead",
                details=_tail(done.stderr + done.stdout).splitlines(),
            )
        name = built[0].name.split("-")[0]
        lines.append(f"{name}{local.group(3) or ''} @ {built[0].as_uri()}")
    return "".join(f"{line}\n" for line in lines)


def install(requirements: Path, target: Path, runtime: str, architecture: str) -> None:
    uv_platform, pip_platforms = platforms(runtime, architecture)
    version = python_version(runtime)
    uv = uv_binary()
    if uv and not os.environ.get("STACKWRIGHT_USE_PIP"):
        command = [
            uv,
            "pip",
            "install",
            "--target",
            str(target),
            "--python-version",
            version,
            "--python-platform",
            uv_platform,
            "--only-binary",
            ":all:",
            "--no-config",
            "-r",
            str(requirements),
        ]
        tool = "uv"
    else:
        command = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--target",
            str(target),
            "--python-version",
            version,
            "--implementation",
            "cp",
            "--only-binary=:all:",
            "--no-compile",
            "--disable-pip-version-check",
            "--quiet",
            "-r",
            str(requirements),
        ]
        for platform in pip_platforms:
            command += ["--platform", platform]
        tool = "pip"
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode == 0:
        return
    output = done.stderr + done.stdout
    missing = _no_wheel(output)
    if missing:
        raise StackwrightError(
            f"dependency {missing!r} has no wheel for Lambda ({uv_platform}, Python {version})",
            hint="pin a version that publishes manylinux wheels, or build it and use custom-artifact",
            details=_tail(output).splitlines(),
        )
    raise StackwrightError(
        f"installing dependencies with {tool} failed (exit code {done.returncode})",
        details=_tail(output).splitlines(),
    )


def _no_wheel(output: str) -> str | None:
    for pattern in (
        r"(?:Because|because) (?:only )?([A-Za-z0-9_.\-]+)(?:[<>=!~]=?[^ ]*)? "
        r"(?:has no|has|was) .*?(?:wheel|usable)",
        r"no matching distribution found for ([A-Za-z0-9_.\-]+)",
        r"satisfies the requirement ([A-Za-z0-9_.\-]+)",
        r"([A-Za-z0-9_.\-]+)==[^ ]+ has no wheels with a matching",
        r"Distribution `([A-Za-z0-9_.\-]+)==",
    ):
        match = re.search(pattern, output, re.IGNORECASE)
        if match:
            return match.group(1)
    return None
