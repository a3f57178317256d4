"""Generate docs/reference/hooks.md (hooks, `ResourceType`, `Target` and `ConsolePanel` methods) and
docs/reference/api.md (every public name of `stackwright`): `python docs/hookref.py`."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent / "reference"
OUT = REFERENCE / "hooks.md"
API = REFERENCE / "api.md"

HEADER = """# Plugin contract reference

Generated from `stackwright.hookspecs`, `stackwright.ResourceType`, `stackwright.Target` and
`stackwright.ConsolePanel` by
`python docs/hookref.py`; a test fails when it is out of date. A plugin is a module or an object
registered through the `stackwright` entry-point group (or `-p`); see
[writing a resource type](../how-to/write-a-resource-type.md).

- **Hooks**: implement one with `@stackwright.hookimpl` on a function of the same name. *firstresult*
  hooks stop at the first implementation that returns something other than `None`.
- **Resource types**, **targets** and **console panels** are classes: subclass
  `stackwright.ResourceType`, `stackwright.Target` or `stackwright.ConsolePanel`, override the methods
  that apply, and return the class from `stackwright_register_resource_types`,
  `stackwright_register_targets` or `stackwright_console_panels`.
"""


def _signature(function: object) -> str:
    return str(inspect.signature(function)).replace("'", "")  # type: ignore[arg-type]


def _methods(cls: type) -> list[tuple[str, object]]:
    return [
        (name, member)
        for name, member in vars(cls).items()
        if inspect.isfunction(member) and not name.startswith("_")
    ]


def render() -> str:
    from stackwright import ConsolePanel, ResourceType, Target, hookspecs

    parts = [HEADER, "# Hooks\n"]
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction):
        if not name.startswith("stackwright_"):
            continue
        opts = getattr(function, "stackwright_spec", {}) or {}
        kind = "firstresult" if opts.get("firstresult") else "all implementations are called"
        doc = inspect.cleandoc(function.__doc__ or "")
        code = f"```python\ndef {name}{_signature(function)}\n```"
        parts.append(f"## `{name}`\n\n{code}\n\n*{kind}*\n\n{doc}\n")
    for cls in (ResourceType, Target, ConsolePanel):
        parts.append(f"# `{cls.__name__}`\n\n{inspect.cleandoc(cls.__doc__ or '')}\n")
        for name, method in _methods(cls):
            doc = inspect.cleandoc(method.__doc__ or "")  # type: ignore[attr-defined]
            parts.append(
                f"## `{cls.__name__}.{name}`\n\n```python\ndef {name}{_signature(method)}\n```\n\n{doc}\n"
            )
    return "\n".join(parts)


#: What each public constant is (constants carry no docstring of their own).
CONSTANTS = {
    "__version__": "stackwright's version",
    "CONFIG_PATHS_KEY": "the template Metadata key mapping each logical id to its config path",
    "CONNECT_TO_POLICY": "the inline role policy that holds a resource's connectTo statements",
    "BOOTSTRAP_DESCRIPTION": "how a first deploy's bootstrap template's Description begins (then the stack)",
    "DEPLOYMENT_BUCKET": "the naming `service` of the deployment bucket",
    "DEPLOYMENT_BUCKET_ID": "the logical id of the deployment bucket (fixed: renaming it replaces it)",
    "EXCLUDED_DIRS": "folders that never belong in an artifact's inputs (`.git`, `node_modules`, ...)",
    "IMAGE_REPOSITORY": "the naming `service` of the image repository",
    "IMAGE_REPOSITORY_ID": "the logical id of the image repository (fixed: renaming it replaces it)",
    "LIMITS": "each AWS service's name length limit (and case rule), by naming `service`",
    "MANIFESTS": "the files that decide a Python code folder's dependencies",
    "NODE_MANIFESTS": "the files that decide a Node.js code folder's dependencies",
}


def render_api() -> str:
    import stackwright

    lines = [
        "# Public API",
        "",
        "Generated from `stackwright.__all__` by `python docs/hookref.py`. Plugins (the built-ins, the",
        "examples and the providers included) import only these names, from `stackwright`; a test enforces",
        "it. `stackwright.testing` is the pytest plugin for plugin authors.",
        "",
        "| name | kind | what it is |",
        "| --- | --- | --- |",
    ]
    for name in sorted(stackwright.__all__, key=str.lower):
        value = getattr(stackwright, name)
        if inspect.ismodule(value):
            kind = "module"
        elif inspect.isclass(value):
            kind = "class"
        elif callable(value):
            kind = "function"
        else:
            kind = "constant"
        doc = inspect.getdoc(value) if kind != "constant" else CONSTANTS.get(name, "")
        summary = (doc or "").split("\n\n")[0].replace("\n", " ").replace("|", "\\|")
        lines.append(f"| `{name}` | {kind} | {summary} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    REFERENCE.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render())
    API.write_text(render_api())
    print(f"wrote {OUT} and {API}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
