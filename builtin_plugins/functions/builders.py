"""Build Lambda zips: Python with its dependency layer, Node/TypeScript bundled by esbuild, and custom
artifacts."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from stackwright import (
    Artifact,
    Entry,
    Sources,
    StackwrightError,
    did_you_mean,
    entry_from_file,
    iter_files,
    write_zip,
)

from .artifact import VCS_DIRS

MAX_UNZIPPED = 250 * 1024 * 1024
NODE_EXTERNALS = ("@aws-sdk/*",)


def _runtime_is_newer(runtime: str) -> bool:
    """Whether Lambda runtime `runtime` (`python3.13`) is a newer Python than the one running us."""
    import sys

    digits = runtime.removeprefix("python").split(".")
    try:
        return (int(digits[0]), int(digits[1])) > sys.version_info[:2]
    except (ValueError, IndexError):
        return False


_NEWER = re.compile(r"^\s*(?:type\s+\w+|(?:async\s+)?def\s+\w+\s*\[|class\s+\w+\s*\[)")


def _newer_syntax(error: SyntaxError) -> bool:
    """Whether a syntax error may come from syntax newer than ours: f-strings as Python 3.12 reads them
    (PEP 701), `type` aliases and generic `def f[T]`/`class C[T]` (PEP 695)."""
    return str(error.msg).startswith("f-string") or bool(_NEWER.match(error.text or ""))


def _bound_names(tree: ast.Module) -> list[str] | None:
    """The names module-level code binds: definitions, assignments (also `for` targets, `with ... as`,
    `:=`, `match` captures, in every branch), imports, and names functions declare `global`; None when a
    `from m import *` makes them unknowable. Function, class, lambda and comprehension bodies have scopes
    of their own and bind nothing here (but for their `global` names)."""
    names: list[str] = []
    scoped = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, *_COMPREHENSIONS)
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.ImportFrom | ast.Import):
            if any(a.name == "*" for a in node.names):
                return None
            names += [a.asname or a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.append(node.id)
        elif isinstance(node, ast.MatchAs | ast.MatchStar) and node.name:
            names.append(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.append(node.rest)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "globals":
            return None  # `globals()[name] = ...`: bound by a computed name
        if node is not tree and isinstance(node, scoped):
            names += [n for inner in ast.walk(node) if isinstance(inner, ast.Global) for n in inner.names]
            if isinstance(node, _COMPREHENSIONS):  # `[h := f for ...]` binds h in the module
                names += [t.target.id for t in ast.walk(node) if isinstance(t, ast.NamedExpr)]
            if getattr(node, "name", None) == "__getattr__" and node in tree.body:
                return None  # a module `__getattr__` answers any name
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                stack.extend(node.decorator_list)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return names


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


#: The largest entry module whose syntax tree is read to find the handler (bytes): Python's parser needs
#: about 400 bytes of memory per byte of source. A larger (generated) module is only searched for the
#: handler's name.
MAX_PARSED = 1 * 2**20


def check_python_handler(entry: Path, function: str, runtime: str = "") -> str | None:
    """None when module-level code in `entry` binds `function` (or cannot be judged: a star import, or
    syntax only the newer `runtime` reads), else what is wrong."""
    source = entry.read_bytes()
    if len(source) > MAX_PARSED:
        if re.search(rb"\b" + re.escape(function.encode()) + rb"\b", source):
            return None
        return f"handler function {function!r} is not defined in {entry.name}"
    try:
        tree = ast.parse(source, filename=str(entry))
    except SyntaxError as error:
        if _runtime_is_newer(runtime) and _newer_syntax(error):
            return None  # PEP 695/701 syntax for python3.12+ while we run on an older Python
        return f"{entry.name}:{error.lineno}: syntax error: {error.msg}"
    names = _bound_names(tree)
    if names is None or function in names:
        return None
    hint = did_you_mean(function, names)
    return f"handler function {function!r} is not defined in {entry.name}" + (f"; {hint}" if hint else "")


def check_size(artifact: Artifact, unzipped: int) -> None:
    if unzipped > MAX_UNZIPPED:
        raise StackwrightError(
            f"function {artifact.name!r}: its code and dependencies are {unzipped / 2**20:.0f} MiB unzipped; "
            f"Lambda allows {MAX_UNZIPPED // 2**20} MiB",
            hint="leave files out with excludeFiles or excludeDependencies, or run it as a container",
        )


def build_python(artifact: Artifact, sources: Sources, out: Path, use_cache: bool) -> bool:
    """Write the zip; return whether dependencies had to be installed."""
    from stackwright import pydeps

    unzipped = sum(path.stat().st_size for _, path in sources.files)
    check_size(artifact, unzipped)
    names = [Path(n).name for n, _ in sources.manifests]
    requirements = pydeps.requirements_text(sources.manifest_dir, names) if sources.manifest_dir else ""
    props = artifact.packaging.get("properties") or {}
    layer, installed = pydeps.dependency_layer(
        requirements,
        str(artifact.options["runtime"]),
        str(artifact.options["architecture"]),
        [str(d) for d in props.get("excludeDependencies") or []],
        use_cache,
    )
    check_size(artifact, unzipped + sum(e.size for e in layer))
    code = [entry_from_file(path, name) for name, path in sources.files]
    write_zip([*layer, *code], out)
    return installed


def find_esbuild(start: Path, stop: Path) -> str:
    folder = start
    while True:
        candidate = folder / "node_modules" / ".bin" / "esbuild"
        if candidate.exists():
            return str(candidate)
        if folder == stop or stop not in folder.parents:
            break
        folder = folder.parent
    found = shutil.which("esbuild")
    if found:
        return found
    raise StackwrightError(
        "bundling JavaScript/TypeScript functions needs esbuild, which is not installed",
        hint="run `npm install --save-dev esbuild` in your project (or install it globally)",
    )


def build_node(
    artifact: Artifact,
    entry: Path,
    project_root: Path,
    out: Path,
    extra: Sequence[tuple[str, Path]] = (),
) -> None:
    """The esbuild bundle as `index.js`, plus `extra` files (`includeFiles`: name in the zip, path)."""
    from .node_inputs import esbuild_command

    esbuild = find_esbuild(entry.parent, project_root)
    with tempfile.TemporaryDirectory(prefix="stackwright-node-") as folder:
        bundle = Path(folder, "index.js")
        tsconfig = artifact.options.get("tsConfigPath")
        command = esbuild_command(
            esbuild,
            entry,
            str(artifact.options["runtime"]),
            bundle,
            project_root / tsconfig if tsconfig else None,
        )
        done = subprocess.run(command, cwd=project_root, capture_output=True, text=True)
        if done.returncode != 0:
            raise StackwrightError(
                f"function {artifact.name!r}: esbuild could not bundle {entry.name}",
                details=(done.stderr + done.stdout).strip().splitlines()[-25:],
            )
        entries = [
            entry_from_file(path, path.relative_to(folder).as_posix()) for path in iter_files(Path(folder))
        ]
        entries += [entry_from_file(path, name) for name, path in extra if name != "index.js"]
        check_size(artifact, sum(e.size for e in entries))
        write_zip(entries, out)


def build_custom(
    artifact: Artifact, source: Path, out: Path, files: list[tuple[str, Path]] | None = None
) -> None:
    """Write the zip of a `custom-artifact`: a copy of the `.zip` at `source`, or a zip of `files`
    ((name in the zip, path), see `stackwright.prebuilt`) when `source` is a folder. Raises
    StackwrightError when `source` is neither, or the zip passes Lambda's size limit."""
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise StackwrightError(
                f"function {artifact.name!r}: packagePath {source} is not a zip file or a folder"
            )
        with zipfile.ZipFile(source) as archive:
            check_size(artifact, sum(i.file_size for i in archive.infolist()))
        tmp = out.with_name(out.name + ".tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, out)
        return
    if files is None:
        files = [(p.relative_to(source).as_posix(), p) for p in iter_files(source, excluded=VCS_DIRS)]
    entries: list[Entry] = [entry_from_file(path, name) for name, path in files]
    check_size(artifact, sum(e.size for e in entries))
    write_zip(entries, out)
