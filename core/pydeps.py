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
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stackwright.archives import Entry, entry_from_file, read_entries, write_zip
from stackwright.artifacts import EXCLUDED_DIRS, iter_files
from stackwright.cache import cache_dir, used
from stackwright.errors import StackwrightError
from stackwright.requirements import _LOCAL, _build_output, expand_requirements
from stackwright.requirements import check_requirements as check_requirements
from stackwright.requirements import requirements_input as requirements_input

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
    """The requirements to install, as requirements.txt text, checked line by line: from a requirements
    file (`requirements.txt`, or any `*.txt` the config names), else `pyproject.toml` (with `uv.lock`)."""
    listed = next((n for n in names if n.endswith(".txt")), None)
    if listed:
        return expand_requirements(manifest_dir / listed)
    if "Pipfile" in names:
        raise StackwrightError(
            f"{manifest_dir / 'Pipfile'}: dependencies from a Pipfile are not supported",
            hint="export them to requirements.txt (pipenv requirements > requirements.txt)",
        )
    if "uv.lock" in names and "pyproject.toml" in names:
        return _uv_export(manifest_dir)
    if "pyproject.toml" not in names and any(n in names for n in ("Pipfile.lock", "poetry.lock")):
        lock = next(n for n in names if n in ("Pipfile.lock", "poetry.lock"))
        raise StackwrightError(
            f"{manifest_dir / lock}: dependencies from {lock} alone are not supported",
            hint="export them to requirements.txt (pipenv requirements > requirements.txt, or poetry export)",
        )
    if "pyproject.toml" in names:
        import tomllib

        path = manifest_dir / "pyproject.toml"
        try:
            data = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as error:
            raise StackwrightError(f"{path}: not valid TOML: {error}") from None
        problem = unread_dependencies(data)
        if problem:
            raise StackwrightError(f"{path}: {problem}", hint=UNREAD_HINT)
        dependencies = (data.get("project") or {}).get("dependencies") or []
        return "".join(f"{d}\n" for d in dependencies)
    return ""


UNREAD_HINT = (
    "list them in [project].dependencies, or export a requirements file (poetry export -o requirements.txt)"
)


def unread_dependencies(data: dict[str, Any]) -> str | None:
    """What a parsed `pyproject.toml` declares that packaging would not install (Poetry's own
    dependency table, or dependencies computed by the build backend), or None."""
    project = data.get("project") or {}
    poetry = ((data.get("tool") or {}).get("poetry") or {}).get("dependencies") or {}
    if not project.get("dependencies") and [name for name in poetry if name != "python"]:
        return "its [tool.poetry.dependencies] are not installed (only [project].dependencies are)"
    if "dependencies" in (project.get("dynamic") or []):
        return "its dependencies are dynamic (worked out by the build backend) and are not installed"
    return None


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


def _uv_export(folder: Path) -> str:
    import subprocess

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
    import shutil

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
    import shutil
    import tempfile

    if not requirements.strip():
        return None, False
    key = layer_key(requirements, runtime, architecture, exclude)
    layer = cache_dir("deps") / f"{key}.zip"
    with _locked(key):
        if use_cache and layer.exists():
            return used(layer), False
        with tempfile.TemporaryDirectory(prefix="stackwright-deps-") as folder:
            target = Path(folder, "site")
            req = Path(folder, "requirements.txt")
            req.write_text(build_local_folders(requirements, Path(folder, "wheels")))
            install(req, target, runtime, architecture)
            for name in exclude:
                for pattern in (name, name.replace("-", "_")):
                    for path in target.glob(pattern):
                        if path.is_dir():
                            shutil.rmtree(path, ignore_errors=True)
                        else:  # a single-module distribution (`six.py`)
                            path.unlink(missing_ok=True)
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
    import shutil
    import subprocess

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
    import subprocess

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
