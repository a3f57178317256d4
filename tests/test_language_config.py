"""`languageSpecificConfig`: the dependency file a config names is the one packaged (not the one found
by searching up from the entry file); keys stackwright does not act on are refused by name."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright.config.load import Options
from stackwright.pipeline import compile_stack, open_stack
from stackwright.plugins import load_plugins

from tests.helpers import Result, write

APP = "import six\n\n\ndef handler(event, context):\n    return six.__version__\n"


def function(entry: str, language: str) -> str:
    return (
        "resources:\n  fn:\n    type: function\n    properties:\n      packaging:\n"
        "        type: stacktape-lambda-buildpack\n        properties:\n"
        f"          entryfilePath: {entry}\n          languageSpecificConfig:\n{language}"
    )


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))


def package(cli: Callable[..., Result], root: Path) -> dict[str, Any]:
    result = cli("--output", "json", "package", cwd=root)
    assert result.code == 0, result.err
    return next(r for r in result.json_lines() if r.get("event") == "artifact")


def names(record: dict[str, Any]) -> list[str]:
    with zipfile.ZipFile(record["path"]) as archive:
        return archive.namelist()


def digest(root: Path) -> str:
    ctx = open_stack(Options(directory=root), load_plugins(autoload=False))
    compile_stack(ctx)
    return next(iter(ctx.artifacts.values())).digest


def test_the_named_requirements_file_is_the_one_installed(cli: Callable[..., Result], tmp_path: Path) -> None:
    """The reported case: the named file used to be ignored, and the zip held only `app.py`."""
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": function(
                "src/app.py", "            packageManagerFile: deps/requirements-lambda.txt\n"
            ),
            "src/app.py": APP,
            "src/requirements.txt": "# for the tests, not for Lambda\n",  # nearer, and not the one named
            "deps/requirements-lambda.txt": "six==1.16.0\n",
        },
    )
    first = package(cli, root)
    assert "six.py" in names(first) and "app.py" in names(first)
    assert "requirements-lambda.txt" not in names(first)
    (root / "deps/requirements-lambda.txt").write_text("six==1.17.0\n")  # an edit of the named file counts
    second = package(cli, root)
    assert second["digest"] != first["digest"]
    assert any(n.startswith("six-1.17.0.dist-info/") for n in names(second))


def test_a_named_pyproject_gives_its_dependencies(cli: Callable[..., Result], tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": function(
                "src/app.py", "            packageManagerFile: lambda/pyproject.toml\n"
            ),
            "src/app.py": APP,
            "lambda/pyproject.toml": '[project]\nname = "fn"\nversion = "1"\ndependencies = ["six==1.16.0"]\n',
        },
    )
    assert "six.py" in names(package(cli, root))


def test_a_poetry_project_found_beside_the_code_is_not_packaged_without_its_dependencies(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    poetry = "[tool.poetry]\nname = 'app'\n\n[tool.poetry.dependencies]\npython = '^3.12'\nsix = '1.16.0'\n"
    files = {"stackwright.yml": function("src/app.py", "            minify: false\n"), "src/app.py": APP}
    result = cli("package", cwd=write(tmp_path / "p", {**files, "pyproject.toml": poetry}))
    assert result.code != 0 and "[tool.poetry.dependencies] are not installed" in result.err, result.err
    assert "poetry export" in result.err


@pytest.mark.parametrize(
    ("files", "language", "message"),
    [
        (
            {},
            "            packageManagerFile: deps/missing.txt\n",
            "packageManagerFile 'deps/missing.txt' does not exist",
        ),
        (
            {"Pipfile": "[packages]\nsix = '*'\n"},
            "            packageManagerFile: Pipfile\n",
            "pipenv requirements > requirements.txt",
        ),
        (
            {"poetry/pyproject.toml": "[tool.poetry.dependencies]\npython = '^3.12'\nsix = '1.16.0'\n"},
            "            packageManagerFile: poetry/pyproject.toml\n",
            "its [tool.poetry.dependencies] are not installed",
        ),
        (
            {"dyn/pyproject.toml": "[project]\nname = 'app'\nversion = '1'\ndynamic = ['dependencies']\n"},
            "            packageManagerFile: dyn/pyproject.toml\n",
            "its dependencies are dynamic",
        ),
        (
            {"deps.cfg": "six\n"},
            "            packageManagerFile: deps.cfg\n",
            "is not a requirements file (*.txt) or pyproject.toml",
        ),
    ],
)
def test_a_bad_package_manager_file_is_told_at_its_line(
    cli: Callable[..., Result], tmp_path: Path, files: dict[str, str], language: str, message: str
) -> None:
    root = write(
        tmp_path / "p", {"stackwright.yml": function("src/app.py", language), "src/app.py": APP, **files}
    )
    result = cli("synth", cwd=root)
    assert result.code == 2
    assert (
        "stackwright.yml:10:33: resources.fn.properties.packaging.properties.languageSpecificConfig."
        in result.err
    )
    assert message in result.err, result.err


@pytest.mark.parametrize(
    ("entry", "language", "message"),
    [
        (
            "src/app.js",
            "            packageManagerFile: package.json\n",
            "packageManagerFile applies to Python functions",
        ),
        (
            "src/app.py",
            "            minify: true\n",
            "`minify` of a function is not supported by the installed plugins yet",
        ),
        ("src/app.js", "            outputModuleFormat: esm\n", "functions are bundled as CommonJS"),
        (
            "src/app.js",
            "            emitTsDecoratorMetadata: true\n",
            "esbuild does not emit decorator metadata",
        ),
        (
            "src/app.py",
            "            pythonVersion: 3.12\n",
            "set the function's `runtime` (python3.13) instead",
        ),
        (
            "src/app.py",
            "            uvWithGroups: [lambda]\n",
            "`uvWithGroups` of a function is not supported",
        ),
        ("src/app.py", "            packageManagr: uv\n", "did you mean 'packageManager'"),
        (
            "src/app.js",
            "            disableSourceMaps: false\n",
            "`disableSourceMaps` of a function is not supported",
        ),
    ],
)
def test_what_functions_do_not_act_on_is_refused(
    cli: Callable[..., Result], tmp_path: Path, entry: str, language: str, message: str
) -> None:
    files = {"stackwright.yml": function(entry, language), entry: APP, "package.json": "{}"}
    result = cli("synth", cwd=write(tmp_path / "p", files))
    assert result.code == 2
    assert message in result.err, result.err


@pytest.mark.parametrize(
    "language",
    [
        "            disableSourceMaps: true\n",
        "            outputModuleFormat: cjs\n",
        "            packageManager: uv\n",
    ],
)
def test_what_stackwright_does_anyway_is_accepted(
    cli: Callable[..., Result], tmp_path: Path, language: str
) -> None:
    files = {"stackwright.yml": function("src/app.py", language), "src/app.py": APP}
    result = cli("synth", cwd=write(tmp_path / "p", files))
    assert result.code == 0, result.err


TS_HANDLER = 'import { greet } from "@lib/greet";\n\nexport const handler = async () => greet("tsconfig");\n'
TS_CONFIG = '{"compilerOptions": {"baseUrl": "..", "paths": {"@lib/*": ["lib/*"]}}}\n'


def test_the_named_tsconfig_is_the_one_esbuild_compiles_with(
    cli: Callable[..., Result], tmp_path: Path, esbuild: Path
) -> None:
    """`tsConfigPath` names a tsconfig that is not where esbuild would look: its path aliases resolve,
    and editing it changes the digest (it is one of the bundle's inputs)."""
    files = {
        "stackwright.yml": function(
            "src/handler.ts", "            tsConfigPath: config/tsconfig.build.json\n"
        ),
        "src/handler.ts": TS_HANDLER,
        "lib/greet.ts": "export const greet = (who: string) => `hello from ${who}`;\n",
        "config/tsconfig.build.json": TS_CONFIG,
    }
    root = write(tmp_path / "p", files)
    record = package(cli, root)
    with zipfile.ZipFile(record["path"]) as archive:
        assert "hello from ${who}" in archive.read("index.js").decode()
    before = digest(root)
    (root / "config" / "tsconfig.build.json").write_text(TS_CONFIG.replace("}}}", '}, "target": "es2020"}}'))
    assert digest(root) != before
    (root / "stackwright.yml").write_text(function("src/handler.ts", "            disableSourceMaps: true\n"))
    result = cli("package", cwd=root)  # without it, nothing maps @lib/*
    assert result.code != 0 and "@lib/greet" in result.err, result.err


@pytest.mark.parametrize(
    ("entry", "given", "message"),
    [
        ("src/handler.ts", "config/missing.json", "tsConfigPath 'config/missing.json' does not exist"),
        ("src/app.py", "config/tsconfig.build.json", "tsConfigPath applies to JavaScript and TypeScript"),
    ],
)
def test_a_bad_tsconfig_path_is_told_at_its_line(
    cli: Callable[..., Result], tmp_path: Path, entry: str, given: str, message: str
) -> None:
    files = {
        "stackwright.yml": function(entry, f"            tsConfigPath: {given}\n"),
        entry: TS_HANDLER if entry.endswith(".ts") else APP,
        "config/tsconfig.build.json": TS_CONFIG,
    }
    result = cli("synth", cwd=write(tmp_path / "p", files))
    assert result.code == 2 and "stackwright.yml:10:27:" in result.err and message in result.err, result.err


def test_a_container_image_uses_the_named_file_too(tmp_path: Path) -> None:
    config = """\
resources:
  api:
    type: worker-service
    properties:
      packaging:
        type: stacktape-image-buildpack
        properties:
          entryfilePath: src/main.py
          languageSpecificConfig:
            packageManagerFile: deps/requirements-image.txt
      resources: {cpu: 0.25, memory: 512}
"""
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config,
            "src/main.py": "import six\n",
            "src/requirements.txt": "requests\n",
            "deps/requirements-image.txt": "six==1.16.0\n",
        },
    )
    ctx = open_stack(Options(directory=root), load_plugins(autoload=False))
    compile_stack(ctx)
    artifact = next(iter(ctx.artifacts.values()))
    assert artifact.details["manifest_names"] == ["requirements-image.txt"]
    assert artifact.details["manifest_dir"] == root / "deps"
    before = artifact.digest
    (root / "deps/requirements-image.txt").write_text("six==1.17.0\n")
    assert digest(root) != before
