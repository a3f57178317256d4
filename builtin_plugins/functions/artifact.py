"""How a `function`'s packaging block becomes an artifact: its root, runtime, handler and digest."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

from stackwright import Artifact, ConfigProblem, Resource, StackContext, did_you_mean, manifest_problem

BUILDPACK = "stacktape-lambda-buildpack"
CUSTOM_ARTIFACT = "custom-artifact"
#: Version-control folders: never part of a prebuilt (custom-artifact) folder's zip.
VCS_DIRS = (".git", ".hg", ".svn")
DEFAULT_RUNTIMES = {
    ".py": "python3.13",
    ".js": "nodejs24.x",
    ".mjs": "nodejs24.x",
    ".cjs": "nodejs24.x",
    ".ts": "nodejs24.x",
    ".mts": "nodejs24.x",
    ".cts": "nodejs24.x",
    ".jsx": "nodejs24.x",
    ".tsx": "nodejs24.x",
}
#: Packaging properties that change the zip (the handler function only changes the template).
ZIP_PROPERTIES = ("includeFiles", "excludeFiles", "excludeDependencies", "languageSpecificConfig")


def _packaging_path(resource: Resource) -> tuple[str, ...]:
    return ("resources", resource.name, "properties", "packaging", "properties")


def entry_path(ctx: StackContext, resource: Resource) -> Path:
    """The function's entry file, checked (once per compile). Raises ConfigError at `entryfilePath`."""
    known: dict[str, Path] = ctx.memo.setdefault("function-entries", {})
    if resource.name not in known:
        known[resource.name] = _entry_path(ctx, resource)
    return known[resource.name]


def _entry_path(ctx: StackContext, resource: Resource) -> Path:
    props = resource.properties["packaging"]["properties"]
    entry = ctx.project.root / str(props["entryfilePath"])
    where = (*_packaging_path(resource), "entryfilePath")
    if not entry.is_file():
        ctx.fail(where, f"entry file {props['entryfilePath']!r} does not exist", hint=f"looked for {entry}")
    if not entry.resolve().is_relative_to(ctx.project.root.resolve()):
        ctx.fail(
            where,
            f"entry file {props['entryfilePath']!r} is outside the project ({ctx.project.root}): the folder "
            "holding it would be packaged",
            hint="keep the code in the folder of the config file (or below it), or move the config up",
        )
    if entry.suffix not in DEFAULT_RUNTIMES:
        ctx.fail(
            where,
            f"entry file {props['entryfilePath']!r} is not a Python or JavaScript/TypeScript file",
            hint=f"supported extensions: {', '.join(DEFAULT_RUNTIMES)}; otherwise use custom-artifact",
        )
    return entry


def runtime_for(ctx: StackContext, resource: Resource) -> str:
    props = resource.properties
    if props.get("runtime"):
        runtime = str(props["runtime"])
        packaging = props["packaging"]
        if packaging["type"] == BUILDPACK:
            family = "python" if entry_path(ctx, resource).suffix == ".py" else "nodejs"
            if not runtime.startswith(family):
                ctx.fail(
                    ("resources", resource.name, "properties", "runtime"),
                    f"runtime {runtime!r} cannot run {packaging['properties']['entryfilePath']!r}",
                    hint=f"use a {family} runtime, e.g. {DEFAULT_RUNTIMES[entry_path(ctx, resource).suffix]}",
                )
        return runtime
    if props["packaging"]["type"] == BUILDPACK:
        return DEFAULT_RUNTIMES[entry_path(ctx, resource).suffix]
    ctx.fail(
        ("resources", resource.name, "properties"),
        "a function with custom-artifact packaging needs `runtime`",
        hint="for example `runtime: python3.13`",
    )


def handler_for(ctx: StackContext, resource: Resource) -> str:
    """Stacktape's handler rules: Python `{file}.{handlerFunction or handler}`, JS/TS
    `index.{handlerFunction or default}` (the bundle), custom artifacts `path/file.ext:fn` →
    `path.file.fn`. Whether the code defines it is `check_handler`'s question."""
    packaging = resource.properties["packaging"]
    props = packaging["properties"]
    if packaging["type"] == BUILDPACK:
        entry = entry_path(ctx, resource)
        if entry.suffix == ".py":
            return f"{entry.stem}.{props.get('handlerFunction') or 'handler'}"
        return f"index.{props.get('handlerFunction') or 'default'}"
    handler = str(props.get("handler") or "")
    if not handler:
        ctx.fail(_packaging_path(resource), "custom-artifact packaging needs `handler` (`file.py:function`)")
    if ":" in handler:
        file_part, function = handler.rsplit(":", 1)
        stem = PurePosixPath(file_part)
        module = str(stem.with_suffix("")).replace("/", ".") if stem.suffix else str(stem)
        return f"{module}.{function}"
    return handler


def check_handler(ctx: StackContext, resource: Resource, handler: str, runtime: str) -> list[ConfigProblem]:
    """[] when the code defines (Python) or exports (JavaScript/TypeScript) the function that `handler`
    (the compiled `Handler`) names, or when that cannot be known without running the code; else the
    problem, at `handlerFunction` when it is written, else at the entry file or custom handler."""
    packaging = resource.properties["packaging"]
    props = packaging["properties"]
    where = _packaging_path(resource)
    module, _, function = handler.rpartition(".")
    if packaging["type"] == BUILDPACK:
        entry = ctx.project.root / str(props["entryfilePath"])
        named = (*where, "handlerFunction") if props.get("handlerFunction") else (*where, "entryfilePath")
        problem = handler_problem(entry, function, runtime, ctx.project.root)
        hint = (
            _js_hint(function, entry, runtime, ctx.project.root)
            if problem and entry.suffix != ".py"
            else None
        )
        return [ctx.problem(named, problem, hint=hint)] if problem else []
    root = ctx.project.root / str(props.get("packagePath") or ".")
    suffixes = (
        (".py",)
        if runtime.startswith("python")
        else (".js", ".mjs", ".cjs")
        if runtime.startswith("nodejs")
        else (".py", ".js", ".mjs", ".cjs")
    )
    for suffix in suffixes:  # the runtime's own kinds of module: a python3.12 handler is never `mod.js`
        source = root / (module.replace(".", "/") + suffix)
        if module and source.is_file():
            problem = handler_problem(source, function, runtime)
            return [ctx.problem((*where, "handler"), problem)] if problem else []
    missing = _missing_module(root, module, runtime)
    return [ctx.problem((*where, "handler"), missing)] if missing else []


#: What a module of a handler may be in a folder, besides `name.py` and `name.js`, for the runtimes whose
#: loaders are known: Python's packages and compiled modules, Node.js's module kinds.
_MODULE_FORMS = {
    "python": ("{}/", "{}.pyc", "{}.*.so", "{}.so"),
    "nodejs": ("{}.mjs", "{}.cjs", "{}/"),
}


def _missing_module(root: Path, module: str, runtime: str) -> str | None:
    """The problem when a prebuilt folder lacks the module the handler names, for a Python or Node.js
    runtime (Lambda would fail every invocation with "Unable to import module"); None when it is there,
    or when that cannot be known (a zip, another runtime)."""
    family = next((f for f in _MODULE_FORMS if runtime.startswith(f)), None)
    if family is None or not module or not root.is_dir():
        return None
    stem = module.replace(".", "/")
    if any(any(root.glob(form.format(stem))) for form in _MODULE_FORMS[family]):
        return None
    shown = f"{stem}.py" if family == "python" else f"{stem}.js"
    return f"the handler's module {module!r} is not in {root.name}/ (no {shown}): Lambda could not import it"


def js_exports(source: Path, project_root: Path, runtime: str) -> set[str] | None:
    """What a JavaScript/TypeScript entry exports: esbuild's own list for an ES module when esbuild is
    installed, else read from the source (see `exports`); None when it cannot be known."""
    from stackwright import StackwrightError

    from .builders import find_esbuild
    from .exports import exported_names
    from .node_inputs import entry_exports

    try:
        found = entry_exports(find_esbuild(source.parent, project_root), source, project_root, runtime)
    except StackwrightError:
        found = None  # no esbuild, or it cannot bundle: packaging says so
    return found if found is not None else exported_names(source)


def handler_problem(
    source: Path, function: str, runtime: str = "", project_root: Path | None = None
) -> str | None:
    """What is wrong with `function` as the handler in `source` (Python: defined at top level; JS/TS:
    exported), or None when it is there or cannot be known without running the code. `runtime` is the
    Lambda runtime (`python3.13`); a Python file the host cannot parse for a newer runtime is not
    judged."""
    if source.suffix == ".py":
        from .builders import check_python_handler

        return check_python_handler(source, function, runtime)
    names = js_exports(source, project_root or source.parent, runtime)
    if names is None or function in names:
        return None
    shown = ", ".join(sorted(names)) if names else "nothing"
    if function == "default":
        return f"{source.name} has no default export, which Lambda calls as the handler; it exports {shown}"
    problem = (
        f"{source.name} does not export {function!r}, which Lambda calls as the handler; it exports {shown}"
    )
    hint = did_you_mean(function, sorted(names))
    return f"{problem}; {hint}" if hint else problem


def _js_hint(function: str, entry: Path, runtime: str, project_root: Path) -> str | None:
    if function != "default":
        return None
    names = sorted((js_exports(entry, project_root, runtime) or set()) - {"default"})
    if len(names) == 1:
        return f"set `handlerFunction: {names[0]}` in packaging.properties, or `export default` the handler"
    return "set `handlerFunction` to the exported handler's name, or `export default` the handler"


def _tsconfig(ctx: StackContext, resource: Resource, entry: Path, given: str) -> str:
    """`tsConfigPath` as a path relative to the project root. Raises ConfigError for a Python entry or a
    file that does not exist."""
    at = (*_packaging_path(resource), "languageSpecificConfig", "tsConfigPath")
    if entry.suffix == ".py":
        ctx.fail(at, "tsConfigPath applies to JavaScript and TypeScript functions", hint="remove it")
    path = ctx.project.root / given
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "does not exist"
        ctx.fail(at, f"tsConfigPath {given!r} {what} (looked for {path})")
    return Path(os.path.relpath(path, ctx.project.root)).as_posix()


def make_artifact(ctx: StackContext, resource: Resource, runtime: str) -> Artifact:
    packaging = resource.properties["packaging"]
    props = packaging["properties"]
    options: dict[str, Any] = {
        "type": packaging["type"],
        "runtime": runtime,
        "architecture": resource.properties.get("architecture", "x86_64"),
        **{key: props[key] for key in ZIP_PROPERTIES if key in props},
    }
    details: dict[str, Any] = {"project_root": ctx.project.root}
    if packaging["type"] == BUILDPACK:
        entry = entry_path(ctx, resource)
        details["entry"] = entry
        manifest_at = (*_packaging_path(resource), "languageSpecificConfig", "packageManagerFile")
        problem = manifest_problem(ctx.project.root, props)
        if problem and entry.suffix == ".py":
            ctx.fail(manifest_at, problem)
        if entry.suffix != ".py" and (props.get("languageSpecificConfig") or {}).get("packageManagerFile"):
            ctx.fail(
                manifest_at,
                "packageManagerFile applies to Python functions; esbuild bundles JavaScript and TypeScript "
                "from the node_modules beside the code",
                hint="remove it",
            )
        if entry.suffix == ".py":
            root = entry.parent
            options["codeRoot"] = (
                root.relative_to(ctx.project.root).as_posix() if root != ctx.project.root else "."
            )
        else:
            root = ctx.project.root
            options["entry"] = entry.relative_to(ctx.project.root).as_posix()
        tsconfig = (props.get("languageSpecificConfig") or {}).get("tsConfigPath")
        if tsconfig:
            options["tsConfigPath"] = _tsconfig(ctx, resource, entry, str(tsconfig))
    else:
        root = ctx.project.root / str(props["packagePath"])
        if not root.exists():
            ctx.fail(
                (*_packaging_path(resource), "packagePath"),
                f"package path {props['packagePath']!r} does not exist",
            )
    return Artifact(
        resource=resource.name,
        kind="lambda-zip",
        packaging=packaging,
        root=root,
        options=options,
        details=details,
    )
