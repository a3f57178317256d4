"""The project's own rules: layout, packages, hook documentation and tests, modules that import alone."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import subprocess
import sys
import tomllib
from typing import Any

import pytest
from stackwright import hookspecs

from tests.helpers import REPO

TOP_LEVEL = {"core", "builtin_plugins", "providers", "tests", "docs", "examples", "benchmarks", ".ci"}
PACKAGE_ROOTS = {"stackwright": REPO / "core", "stackwright.builtin_plugins": REPO / "builtin_plugins"}


def hook_names() -> list[str]:
    return [n for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if n.startswith("stackwright_")]


def package_folders() -> set[str]:
    found: set[str] = set()
    for package, root in PACKAGE_ROOTS.items():
        for init in root.rglob("__init__.py"):
            if "__pycache__" in init.parts:
                continue
            rel = init.parent.relative_to(root).parts
            if package == "stackwright" and rel[:1] == ("builtin_plugins",):
                continue
            found.add(".".join((package, *rel)))
    return found


def test_top_level_folders_are_exactly_the_architecture() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    folders = {line.split("/")[0] for line in tracked.splitlines() if "/" in line}
    assert folders <= TOP_LEVEL, f"unexpected top-level folders: {folders - TOP_LEVEL}"
    assert {"core", "builtin_plugins", "tests", "docs", "examples", ".ci"} <= folders


def test_every_package_folder_is_in_the_package_list() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["package-dir"] == {"stackwright": "core", "stackwright.builtin_plugins": "builtin_plugins"}
    assert set(config["packages"]) == package_folders()


def hookref() -> Any:
    sys.path.insert(0, str(REPO / "docs"))
    try:
        import hookref
    finally:
        sys.path.pop(0)
    return hookref


def test_every_hook_is_documented_with_its_arguments() -> None:
    document = (REPO / "docs" / "reference" / "hooks.md").read_text()
    assert document == hookref().render(), "docs/reference/hooks.md is stale: run `python docs/hookref.py`"
    for name in hook_names():
        function = getattr(hookspecs, name)
        assert f"## `{name}`" in document
        for argument in inspect.signature(function).parameters:
            assert f"{argument}:" in document.split(f"## `{name}`")[1].split("## ")[0]
        doc = inspect.getdoc(function) or ""
        assert "Runs" in doc or "Notification" in doc, f"{name}: say when it runs"
        assert "Raise" in doc, f"{name}: say what an implementation may raise (or that it raises nothing)"


def test_every_hook_has_a_test() -> None:
    names = set()
    for path in (REPO / "tests").rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_hook_"):
                names.add(node.name.removeprefix("test_hook_"))
    missing = set(hook_names()) - names
    assert not missing, f"hooks without a test_hook_<name> test: {sorted(missing)}"


def test_every_firstresult_hook_has_a_trylast_builtin_or_none() -> None:
    """Built-in answers to 'who handles this?' are defaults: an installed plugin must win."""
    from stackwright.plugins import BUILTIN_PLUGINS, load_plugins

    plugins = load_plugins(autoload=False)
    checked = 0
    for name in hook_names():
        caller = getattr(plugins.pm.hook, name)
        if not (caller.spec and caller.spec.opts.get("firstresult")):
            continue
        for impl in caller.get_hookimpls():
            assert impl.plugin_name in BUILTIN_PLUGINS
            if not impl.wrapper:
                assert impl.trylast, f"{impl.plugin_name}.{name} must be trylast"
                checked += 1
    assert checked >= 4  # name, two packagers, the artifact store


CONTRACT_CLASSES = {"type": "ResourceType", "target": "Target", "panel": "ConsolePanel"}


def contract_methods() -> list[tuple[str, str, Any]]:
    import stackwright

    return [
        (prefix, name, member)
        for prefix, cls_name in CONTRACT_CLASSES.items()
        for name, member in vars(getattr(stackwright, cls_name)).items()
        if inspect.isfunction(member) and not name.startswith("_")
    ]


def test_every_resource_type_and_target_method_is_documented() -> None:
    document = (REPO / "docs" / "reference" / "hooks.md").read_text()
    for prefix, name, method in contract_methods():
        doc = inspect.getdoc(method) or ""
        where = f"{CONTRACT_CLASSES[prefix]}.{name}"
        assert f"## `{where}`" in document
        assert "Runs" in doc, f"{where}: say when it runs"
        assert "Raises" in doc, f"{where}: say what it raises (or that it raises nothing)"
        for parameter in list(inspect.signature(method).parameters)[2:]:  # after self and ctx
            assert f"`{parameter}`" in doc, f"{where}: describe `{parameter}`"


def test_every_resource_type_and_target_method_has_a_test() -> None:
    names = set()
    for path in (REPO / "tests").rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                names.add(node.name)
    missing = [
        f"test_{prefix}_{name}"
        for prefix, name, _ in contract_methods()
        if not any(n == f"test_{prefix}_{name}" or n.startswith(f"test_{prefix}_{name}_") for n in names)
    ]
    assert not missing, f"contract methods without a test: {missing}"


#: What a plugin outside the core may import: the public API. A built-in may also import its own package.
#: Modules plugins may import from, and where the names they may import are listed.
PUBLIC_MODULES = {"stackwright": "stackwright", "stackwright.testing": "stackwright.testing"}


def test_plugins_import_only_the_public_api() -> None:

    offenders = []
    for folder in ("builtin_plugins", "examples", "providers"):
        for path in sorted((REPO / folder).rglob("*.py")):
            rel = path.relative_to(REPO)
            own = f"stackwright.builtin_plugins.{rel.parts[1]}" if folder == "builtin_plugins" else None
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    module, names = node.module, {a.name for a in node.names}
                elif isinstance(node, ast.Import):
                    module, names = "", {a.name for a in node.names}
                    if any(n == "stackwright" or n.startswith("stackwright.") for n in names):
                        offenders.append(f"{rel}:{node.lineno}: import {', '.join(sorted(names))}")
                    continue
                else:
                    continue
                if not (module == "stackwright" or module.startswith("stackwright.")):
                    continue
                if module in PUBLIC_MODULES:
                    public = importlib.import_module(PUBLIC_MODULES[module])
                    unknown = names - set(public.__all__)
                    if unknown:
                        offenders.append(
                            f"{rel}:{node.lineno}: {sorted(unknown)} are not in {module}.__all__"
                        )
                elif own and (module == own or module.startswith(own + ".")):
                    continue
                else:
                    offenders.append(f"{rel}:{node.lineno}: from {module} import ...")
    assert not offenders, "plugins must import only the public API:\n" + "\n".join(offenders)


def test_the_public_api_is_documented() -> None:
    import stackwright

    document = (REPO / "docs" / "reference" / "api.md").read_text()
    assert document == hookref().render_api(), "docs/reference/api.md is stale: run `python docs/hookref.py`"
    for line in document.splitlines():
        if line.startswith("| `"):
            assert not line.rstrip().endswith("|  |"), f"undocumented public name: {line}"
    assert len([line for line in document.splitlines() if line.startswith("| `")]) == len(stackwright.__all__)


def modules() -> list[str]:
    result = []
    for package, root in PACKAGE_ROOTS.items():
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(root).with_suffix("").parts
            if package == "stackwright" and rel[:1] == ("builtin_plugins",):
                continue
            parts = rel[:-1] if rel[-1] == "__init__" else rel
            result.append(".".join((package, *parts)))
    return result


@pytest.mark.parametrize("module", modules())
def test_every_module_imports_on_its_own(module: str) -> None:
    assert importlib.util.find_spec(module) is not None
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, cwd=REPO / "tests")


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from stackwright.cli.main import main; code = main(['--help']);"
        "heavy = [m for m in ('boto3', 'botocore', 'docker', 'moto', 'jsonschema', 'yaml', 'rich') "
        "if m in sys.modules]; print(heavy); sys.exit(code)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_modules_stay_small() -> None:
    for package_root in PACKAGE_ROOTS.values():
        for path in package_root.rglob("*.py"):
            lines = len(path.read_text().splitlines())
            assert lines <= 400, f"{path.relative_to(REPO)} has {lines} lines; split it"
