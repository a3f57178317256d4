"""Lambda packaging: digests from inputs, byte-identical zips, shared work, limits and clear errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright import StackwrightError
from stackwright import pydeps as deps
from stackwright.config.load import Options
from stackwright.plugins import load_plugins

from tests.helpers import FUNCTION_CONFIG, Result, write

APP = "import requests\n\n\ndef handler(event, context):\n    return requests.__version__\n\n\ndef other(event, context):\n    return 2\n"


def config(*functions: tuple[str, str], extra: str = "") -> str:
    body = "serviceName: pkg\nresources:\n"
    for name, entry in functions:
        body += (
            f"  {name}:\n    type: function\n    properties:\n      packaging:\n"
            f"        type: stacktape-lambda-buildpack\n        properties:\n          entryfilePath: {entry}\n{extra}"
        )
    return body


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(folder))
    return folder


def digests(root: Path) -> dict[str, str]:
    from stackwright import pipeline

    ctx = pipeline.open_stack(Options(directory=root), load_plugins(autoload=False))
    pipeline.compile_stack(ctx)
    return {name: a.digest for name, a in ctx.artifacts.items()}


def package(cli: Callable[..., Result], root: Path, *args: str) -> dict[str, dict[str, Any]]:
    result = cli("--output", "json", "package", *args, cwd=root)
    assert result.code == 0, result.err
    return {r["artifact"]: r for r in result.json_lines() if r.get("event") == "artifact"}


def test_digest_follows_inputs_and_ignores_the_rest(tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config(("api", "src/app.py")),
            "src/app.py": "def handler(e, c):\n    return 1\n",
            "src/lib/util.py": "X = 1\n",
            "src/requirements.txt": "requests==2.32.3\n",
        },
    )
    base = digests(root)["api"]
    assert digests(root)["api"] == base

    def changed(edit: Callable[[], None], undo: Callable[[], None]) -> bool:
        edit()
        try:
            return digests(root)["api"] != base
        finally:
            undo()

    def put(name: str, text: str) -> tuple[Callable[[], None], Callable[[], None]]:
        path = root / name
        old = path.read_bytes() if path.exists() else None

        def edit() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

        return (
            edit,
            lambda: path.write_bytes(old) if old is not None else path.unlink(),
        )

    yml = (root / "stackwright.yml").read_text()

    def config_edit(text: str) -> tuple[Callable[[], None], Callable[[], None]]:
        return (
            lambda: (root / "stackwright.yml").write_text(text) and None,
            lambda: (root / "stackwright.yml").write_text(yml) and None,
        )

    sensitive = {
        "code": put("src/app.py", "def handler(e, c):\n    return 2\n"),
        "new file": put("src/lib/new.py", "Y = 2\n"),
        "requirements": put("src/requirements.txt", "requests==2.32.4\n"),
        "runtime": config_edit(yml + "      runtime: python3.12\n"),
        "architecture": config_edit(yml + "      architecture: arm64\n"),
        "excludeDependencies": config_edit(
            yml.replace("src/app.py", "src/app.py\n          excludeDependencies: [boto3]")
        ),
        "includeFiles": config_edit(
            yml.replace("src/app.py", "src/app.py\n          includeFiles: [assets/*]")
        ),
    }
    (root / "assets").mkdir()
    (root / "assets" / "logo.txt").write_text("logo")
    for name, (edit, undo) in sensitive.items():
        assert changed(edit, undo), f"{name} should change the digest"
    insensitive = {
        ".git": put("src/.git/HEAD", "ref"),
        "__pycache__": put("src/__pycache__/app.cpython-311.pyc", "x"),
        ".pyc": put("src/lib/util.pyc", "x"),
        "node_modules": put("src/node_modules/x/index.js", "x"),
        ".venv": put("src/.venv/bin/python", "x"),
        "build output": put("src/build/out.txt", "x"),
        "file outside the code root": put("README.md", "docs"),
        "handlerFunction": config_edit(
            yml.replace("src/app.py", "src/app.py\n          handlerFunction: handler")
        ),
    }
    for name, (edit, undo) in insensitive.items():
        assert not changed(edit, undo), f"{name} should not change the digest"


def test_same_inputs_give_byte_identical_zips_in_different_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "stackwright.yml": config(("api", "src/app.py"), extra="      runtime: python3.11\n"),
        "src/app.py": APP,
        "src/data/blob.bin": "x" * 1000,
        "src/run.sh": "#!/bin/sh\n",
        "src/requirements.txt": "requests==2.32.3\n",
    }
    zips = []
    for name in ("one", "two"):
        root = write(tmp_path / name / "deep" / "project", files)
        os.chmod(root / "src" / "run.sh", 0o775)
        os.chmod(root / "src" / "app.py", 0o600 if name == "one" else 0o664)
        monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / name / "cache"))
        from stackwright.cli.main import main

        monkeypatch.chdir(root)
        assert main(["package"]) == 0
        (zipped,) = (tmp_path / name / "cache" / "artifacts" / "lambda-zip").glob("*.zip")
        zips.append(zipped)
    assert zips[0].name == zips[1].name
    assert zips[0].read_bytes() == zips[1].read_bytes()
    with zipfile.ZipFile(zips[0]) as archive:
        infos = {i.filename: i for i in archive.infolist()}
        assert archive.namelist() == sorted(archive.namelist())
    assert {i.date_time for i in infos.values()} == {(1980, 1, 1, 0, 0, 0)}
    assert infos["run.sh"].external_attr >> 16 == 0o100755 and infos["app.py"].external_attr >> 16 == 0o100644


def test_zip_handler_imports_requests_in_a_fresh_interpreter(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    runtime = f"python{sys.version_info.major}.{sys.version_info.minor}"
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config(("api", "src/app.py"), extra=f"      runtime: {runtime}\n"),
            "src/app.py": APP,
            "src/requirements.txt": "requests\n",
        },
    )
    result = package(cli, root)["api"]
    assert result["status"] == "built"
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(result["path"]).extractall(unpacked)
    code = (
        "import app, requests; assert app.handler({}, None) == requests.__version__; print(requests.__file__)"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(unpacked)!r}); {code}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(str(unpacked))


def test_fifty_functions_share_one_dependency_install(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    real = deps.install

    def counting(requirements: Path, target: Path, runtime: str, architecture: str) -> None:
        calls.append(requirements)
        real(requirements, target, runtime, architecture)

    monkeypatch.setattr(deps, "install", counting)
    files = {"requirements.txt": "six==1.16.0\n"}
    functions = []
    for index in range(50):
        files[f"fn{index}/handler.py"] = f"def handler(e, c):\n    return {index}\n"
        functions.append((f"fn{index}", f"fn{index}/handler.py"))
    files["stackwright.yml"] = config(*functions)
    root = write(tmp_path / "p", files)
    results = package(cli, root)
    assert len(calls) == 1
    assert [r["status"] for r in results.values()] == ["built"] * 50
    assert len({r["digest"] for r in results.values()}) == 50
    for result in results.values():
        assert "six.py" in zipfile.ZipFile(result["path"]).namelist()
    again = package(cli, root)
    assert {r["status"] for r in again.values()} == {"cached"} and len(calls) == 1


def test_functions_with_equal_inputs_share_one_zip(cli: Callable[..., Result], tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config(("a", "src/app.py"), ("b", "src/app.py"), ("c", "src/other.py")),
            "src/app.py": "def handler(e, c):\n    return 1\n",
            "src/other.py": "def handler(e, c):\n    return 2\n",
        },
    )
    results = package(cli, root)
    assert [results[n]["status"] for n in "abc"] == ["built", "shared", "shared"]
    assert results["a"]["path"] == results["b"]["path"] == results["c"]["path"]
    rebuilt = package(cli, root, "--no-cache")
    assert rebuilt["a"]["status"] == "built"


def test_unzipped_limit(cli: Callable[..., Result], tmp_path: Path) -> None:
    root = write(tmp_path / "p", {"stackwright.yml": config(("api", "src/app.py")), "src/app.py": APP})
    with (root / "src" / "model.bin").open("wb") as stream:
        stream.truncate(251 * 1024 * 1024)  # sparse: no disk used, no time spent
    result = cli("package", cwd=root)
    assert result.code == 1 and "251 MiB unzipped; Lambda allows 250 MiB" in result.err
    assert "Traceback" not in result.err


def test_requirements_syntax_error(cli: Callable[..., Result], tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config(("api", "src/app.py")),
            "src/app.py": APP,
            "src/requirements.txt": "# deps\nrequests>=2,,<3\n",
        },
    )
    result = cli("package", cwd=root)
    assert result.code == 2 and "requirements.txt:2: syntax error in requirements file" in result.err


def test_package_without_a_wheel_for_lambda_is_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config(("api", "src/app.py")),
            "src/app.py": APP,
            "src/requirements.txt": "docopt==0.6.2\n",
        },
    )
    result = cli("package", cwd=root)
    assert result.code == 1, result.err
    assert "dependency 'docopt' has no wheel for Lambda (x86_64-manylinux_2_34, Python 3.13)" in result.err


@pytest.mark.parametrize("tool", ["uv", "pip"])
def test_installer_failure_shows_its_output(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tool: str
) -> None:
    if tool == "pip":
        monkeypatch.setenv("STACKWRIGHT_USE_PIP", "1")
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config(("api", "src/app.py")),
            "src/app.py": APP,
            "src/requirements.txt": "stackwright-no-such-package-xyz==1.0\n",
        },
    )
    result = cli("package", cwd=root)
    assert result.code == 1
    assert "stackwright-no-such-package-xyz" in result.err and "Traceback" not in result.err


def test_pip_fallback_builds_the_same_files(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "stackwright.yml": config(("api", "src/app.py")),
        "src/app.py": APP,
        "src/requirements.txt": "six==1.16.0\n",
    }
    root = write(tmp_path / "p", files)
    with_uv = zipfile.ZipFile(package(cli, root)["api"]["path"]).namelist()
    monkeypatch.setenv("STACKWRIGHT_USE_PIP", "1")
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "pip-cache"))
    with_pip = zipfile.ZipFile(package(cli, root)["api"]["path"]).namelist()
    assert "six.py" in with_pip and "app.py" in with_pip
    assert {n for n in with_uv if not n.startswith("six-")} == {
        n for n in with_pip if not n.startswith("six-")
    }


def test_pyproject_dependencies(cli: Callable[..., Result], tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config(("api", "src/app.py")),
            "src/app.py": APP,
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndependencies = ["six==1.16.0"]\n',
        },
    )
    assert "six.py" in zipfile.ZipFile(package(cli, root)["api"]["path"]).namelist()


def test_custom_artifact_zip_and_folder(cli: Callable[..., Result], tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": "resources:\n"
            "  zipped:\n    type: function\n    properties:\n      runtime: python3.12\n"
            "      packaging: {type: custom-artifact, properties: {packagePath: dist/fn.zip, handler: main.py:run}}\n"
            "  folder:\n    type: function\n    properties:\n      runtime: python3.12\n"
            "      packaging: {type: custom-artifact, properties: {packagePath: out, handler: main.run}}\n",
            "out/main.py": "def run(e, c):\n    return 1\n",
            "out/build/keep.txt": "kept: the folder is the user's own build",
        },
    )
    with (
        zipfile.ZipFile(root / "dist" / "fn.zip", "w") if (root / "dist").mkdir() is None else None as archive
    ):
        archive.writestr("main.py", "def run(e, c):\n    return 0\n")
    results = package(cli, root)
    assert Path(results["zipped"]["path"]).read_bytes() == (root / "dist" / "fn.zip").read_bytes()
    assert sorted(zipfile.ZipFile(results["folder"]["path"]).namelist()) == ["build/keep.txt", "main.py"]
    (root / "dist" / "fn.txt").write_text("not a zip")
    (root / "stackwright.yml").write_text((root / "stackwright.yml").read_text().replace("fn.zip", "fn.txt"))
    result = cli("package", cwd=root)
    assert result.code == 1 and "is not a zip file or a folder" in result.err


def test_node_function_needs_esbuild(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config(("api", "src/index.ts")),
            "src/index.ts": "export default async () => 1;\n",
        },
    )
    result = cli("package", cwd=root)
    assert result.code == 1 and "needs esbuild, which is not installed" in result.err
    assert "npm install --save-dev esbuild" in result.err


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_node_function_bundled_by_esbuild(cli: Callable[..., Result], tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config(("api", "src/index.ts")),
            "src/index.ts": "import { greet } from './greet';\nexport default async () => greet('lambda');\n",
            "src/greet.ts": "export const greet = (name: string): string => `hello ${name}`;\n",
            "package.json": '{"name": "p", "version": "1.0.0", "private": true}\n',
        },
    )
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", "esbuild@0.24"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    result = package(cli, root)["api"]
    assert zipfile.ZipFile(result["path"]).namelist() == ["index.js"]
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(result["path"]).extractall(unpacked)
    script = f"require({str(unpacked / 'index.js')!r}).default().then(v => console.log(v))"
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "hello lambda"


NODE_PROJECT = {
    "stackwright.yml": config(("api", "src/index.ts"), ("cron", "src/cron.ts")),
    "src/index.ts": "import { greet } from './greet';\nexport default async () => greet('lambda');\n",
    "src/greet.ts": "export const greet = (name: string): string => `hello ${name}`;\n",
    "src/cron.ts": "export default async () => 'tick';\n",
    "src/extra.ts": "export const extra = 1;\n",
    "NOTES.md": "notes\n",
    "package.json": '{"name": "p", "version": "1.0.0", "private": true}\n',
}


def test_node_digest_covers_what_esbuild_bundles(
    cli: Callable[..., Result], tmp_path: Path, esbuild: Path
) -> None:
    root = write(tmp_path / "p", NODE_PROJECT)
    first = digests(root)

    def changed(path: str, text: str) -> set[str]:
        before = digests(root)
        (root / path).write_text(text)
        after = digests(root)
        return {name for name in after if after[name] != before[name]}

    assert changed("NOTES.md", "edited notes\n") == set()
    assert changed("src/extra.ts", "export const extra = 2;\n") == set()  # imported by nothing yet
    assert changed("src/greet.ts", "export const greet = (n: string): string => `hi ${n}`;\n") == {"api"}
    assert changed("src/cron.ts", "export default async () => 'tock';\n") == {"cron"}
    # a new import makes its file an input, and the next edit of it is seen
    index = "import { extra } from './extra';\nexport default async () => extra;\n"
    assert changed("src/index.ts", index) == {"api"}
    assert changed("src/extra.ts", "export const extra = 3;\n") == {"api"}
    assert changed("package.json", '{"name": "p", "version": "1.0.1", "private": true}\n') == {"api", "cron"}
    # tsconfig.json and what it extends are read by the compiler: both are inputs
    (root / "config").mkdir()
    (root / "config" / "base.json").write_text('{"compilerOptions": {"target": "es2022"}}\n')
    assert changed("tsconfig.json", '{\n  // shared settings\n  "extends": "./config/base"\n}\n') == {
        "api",
        "cron",
    }
    assert changed("config/base.json", '{"compilerOptions": {"target": "es2020"}}\n') == {"api", "cron"}
    assert digests(root)["api"] != first["api"]
    # the bundle the digest stands for is the one deployed: it holds the edited module
    result = package(cli, root)["api"]
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(result["path"]).extractall(unpacked)
    script = f"require({str(unpacked / 'index.js')!r}).default().then(v => console.log(v))"
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "3"


def test_node_digest_follows_what_resolution_picks(tmp_path: Path, esbuild: Path) -> None:
    files = {
        "stackwright.yml": config(("api", "app/src/index.ts")),
        "app/src/index.ts": "import { util } from '../common/util';\nimport { lib } from 'mylib';\n"
        "import { shared } from '../../../shared/s';\nexport default async () => util + lib + shared;\n",
        "app/common/util.js": "exports.util = 'from js';\n",
        "node_modules/mylib/package.json": '{"name": "mylib", "main": "a.js"}\n',
        "node_modules/mylib/a.js": "exports.lib = 'a';\n",
        "node_modules/mylib/b.js": "exports.lib = 'b';\n",
    }
    shared = {"shared/s.ts": "export const shared = 's';\n"}
    root = write(tmp_path / "one" / "p", files)
    write(tmp_path / "one", shared)
    first = digests(root)["api"]
    # the same project checked out elsewhere, reaching outside itself the same way: the same digest
    other = write(tmp_path / "two" / "p", files)
    write(tmp_path / "two", shared)
    assert digests(other)["api"] == first
    # a new file that wins resolution over the one bundled so far
    (root / "app" / "common" / "util.ts").write_text("export const util = 'from ts';\n")
    second = digests(root)["api"]
    assert second != first
    # a package's manifest decides which of its files is bundled
    (root / "node_modules" / "mylib" / "package.json").write_text('{"name": "mylib", "main": "b.js"}\n')
    third = digests(root)["api"]
    assert third != second
    (root / "node_modules" / "mylib" / "b.js").write_text("exports.lib = 'B';\n")
    fourth = digests(root)["api"]
    assert fourth != third
    # a nearer node_modules, in a folder that already has one, wins resolution
    write(root, {"app/node_modules/other/index.js": "exports.o = 1;\n"})
    fifth = digests(root)["api"]
    write(root, {"app/node_modules/mylib/package.json": '{"name": "mylib", "main": "c.js"}\n'})
    write(root, {"app/node_modules/mylib/c.js": "exports.lib = 'c';\n"})
    sixth = digests(root)["api"]
    assert sixth not in (fourth, fifth)
    # the nearest tsconfig.json applies, wherever it sits between the file and the project root
    write(root, {"app/tsconfig.json": '{"compilerOptions": {"useDefineForClassFields": false}}\n'})
    seventh = digests(root)["api"]
    assert seventh != sixth
    # tsconfig `paths` choose the files: after a change, edits of the newly chosen one count
    write(
        root,
        {"app/tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@lib/*": ["libA/*"]}}}\n'},
    )
    write(root, {"app/libA/x.ts": "export const v = 'A';\n", "app/libB/x.ts": "export const v = 'B';\n"})
    (root / "app/src/index.ts").write_text("import { v } from '@lib/x';\nexport default async () => v;\n")
    eighth = digests(root)["api"]
    write(
        root,
        {"app/tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@lib/*": ["libB/*"]}}}\n'},
    )
    ninth = digests(root)["api"]
    assert ninth != eighth
    (root / "app/libB/x.ts").write_text("export const v = 'B2';\n")
    assert digests(root)["api"] != ninth


def test_node_digest_sees_the_workspace_above_the_project(tmp_path: Path, esbuild: Path) -> None:
    """A monorepo: settings and hoisted packages above the project root are read by esbuild too."""
    files = {
        "stackwright.yml": config(("api", "src/index.ts")),
        "src/index.ts": "import { hp } from 'hp';\nclass A { x = 1; }\nexport default async () => hp + new A().x;\n",
    }
    workspace = write(
        tmp_path / "ws",
        {
            "tsconfig.json": '{"compilerOptions": {"useDefineForClassFields": false}}\n',
            "node_modules/hp/package.json": '{"name": "hp", "main": "index.js"}\n',
            "node_modules/hp/index.js": "exports.hp = 'hoisted';\n",
        },
    )
    root = write(workspace / "apps" / "svc", files)
    first = digests(root)["api"]
    (workspace / "tsconfig.json").write_text('{"compilerOptions": {"useDefineForClassFields": true}}\n')
    second = digests(root)["api"]
    assert second != first
    write(workspace / "apps", {"node_modules/hp/package.json": '{"name": "hp", "main": "index.js"}\n'})
    write(workspace / "apps", {"node_modules/hp/index.js": "exports.hp = 'nearer';\n"})
    assert digests(root)["api"] != second


def test_esbuild_reads_the_handler_exports(cli: Callable[..., Result], tmp_path: Path, esbuild: Path) -> None:
    files = {
        "stackwright.yml": config(("api", "src/index.ts")),
        # exports the static reader cannot follow: esbuild's list decides
        "src/index.ts": "export * from 'helpers';\n",
        "node_modules/helpers/package.json": '{"name": "helpers", "main": "index.js", "type": "module"}\n',
        "node_modules/helpers/index.js": "export const handler = async () => 1;\n",
    }
    root = write(tmp_path / "p", files)
    result = cli("validate", cwd=root)
    assert result.code == 2 and "index.ts has no default export" in result.err, result.err
    assert "set `handlerFunction: handler`" in result.err
    (root / "stackwright.yml").write_text(
        config(("api", "src/index.ts"), extra="          handlerFunction: handler\n")
    )
    assert cli("validate", cwd=root).code == 0


def test_node_functions_take_include_files_and_ignore_the_rest_of_the_project(
    cli: Callable[..., Result], tmp_path: Path, esbuild: Path
) -> None:
    config = NODE_PROJECT["stackwright.yml"].replace(
        "entryfilePath: src/index.ts\n",
        "entryfilePath: src/index.ts\n          includeFiles: [assets/*]\n",
        1,
    )
    root = write(tmp_path / "p", {**NODE_PROJECT, "stackwright.yml": config, "assets/logo.txt": "logo\n"})
    os.symlink("/nonexistent", root / "NOTES-link")  # nothing a bundle reads: no reason to refuse
    first = package(cli, root)["api"]
    assert sorted(zipfile.ZipFile(first["path"]).namelist()) == ["assets/logo.txt", "index.js"]
    (root / "assets" / "logo.txt").write_text("new logo\n")
    assert package(cli, root)["api"]["digest"] != first["digest"]


def test_node_syntax_errors_are_found_before_packaging(
    cli: Callable[..., Result], tmp_path: Path, esbuild: Path
) -> None:
    root = write(tmp_path / "p", {**NODE_PROJECT, "src/greet.ts": "export const greet = (;\n"})
    result = cli("validate", cwd=root)
    assert result.code == 2 and "esbuild could not bundle src/index.ts" in result.err
    assert "resource 'api'" in result.err and "stackwright.yml:" in result.err
    assert "greet.ts" in result.err


def test_package_prints_a_table(cli: Callable[..., Result], tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config(("api", "src/app.py")),
            "src/app.py": "def handler(e, c):\n    return 1\n",
        },
    )
    result = cli("package", cwd=root)
    assert result.code == 0
    header, row = result.out.splitlines()[:2]
    assert header.split() == ["artifact", "digest", "size", "status", "seconds"]
    assert row.split()[0] == "api" and row.split()[4] == "built"
    assert "[1/1] packaging api" in result.err
    assert "1 artifact (1 cached)" in cli("package", cwd=root).out
    assert (
        json.loads(cli("--output", "json", "package", cwd=root).out.splitlines()[-1])["event"] == "packaged"
    )


PLAIN = FUNCTION_CONFIG.replace("serviceName: demo", "serviceName: linked")
LINKED = PLAIN + "          excludeFiles: [src/mylib/skip.py]\n"


def custom_artifact(name: str, folder: str) -> str:
    """The config lines of a Python function `name` packaged from the prebuilt folder `folder`."""
    return (
        f"  {name}:\n    type: function\n    properties:\n      runtime: python3.13\n      packaging:\n"
        f"        type: custom-artifact\n        properties: {{packagePath: {folder}, handler: main.handler}}\n"
    )


def _package(cli: Callable[..., Any], root: Path) -> tuple[Any, dict[str, Any]]:
    result = cli("--output", "json", "package", cwd=root)
    assert result.code == 0, result.err
    (artifact,) = [r for r in result.json_lines() if r.get("event") == "artifact"]
    return result, artifact


def test_symlinked_code_is_packaged_like_the_code_beside_it(cli: Callable[..., Any], tmp_path: Path) -> None:
    """A linked folder (`src/mylib -> ../shared/mylib`) and a linked file are in the zip and the digest
    alike, and `excludeFiles` sees the same tree (a linked folder used to be silently left out)."""
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": LINKED,
            "src/app.py": "import mylib\n\ndef handler(e, c):\n    return mylib.VALUE\n",
            "shared/mylib/__init__.py": "VALUE = 1\n",
            "shared/mylib/skip.py": "SKIPPED = True\n",
            "shared/settings.py": "DEBUG = False\n",
        },
    )
    os.symlink("../shared/mylib", root / "src" / "mylib")
    os.symlink("../shared/settings.py", root / "src" / "settings.py")
    _, first = _package(cli, root)
    with zipfile.ZipFile(first["path"]) as archive:
        names = set(archive.namelist())
    assert {"app.py", "mylib/__init__.py", "settings.py"} <= names and "mylib/skip.py" not in names
    (root / "shared" / "mylib" / "__init__.py").write_text("VALUE = 2\n")
    _, second = _package(cli, root)
    assert second["digest"] != first["digest"]
    (root / "shared" / "mylib" / "skip.py").write_text("SKIPPED = 'edited'\n")
    assert _package(cli, root)[1]["digest"] == second["digest"]  # excluded from the zip and the digest


@pytest.mark.parametrize(
    ("link", "target", "message"),
    [
        ("src/gone", "../nowhere", "which does not exist"),
        ("src/loop", "..", "a folder that holds it (a loop)"),
        ("src/self", "self", "which leads back to itself (a loop)"),
    ],
)
def test_a_link_that_cannot_be_followed_is_named(
    cli: Callable[..., Any], tmp_path: Path, link: str, target: str, message: str
) -> None:
    root = write(tmp_path / "p", {"stackwright.yml": LINKED, "src/app.py": "def handler(e, c):\n    pass\n"})
    os.symlink(target, root / link)
    result = cli("package", cwd=root)
    assert result.code == 2 and f"{link.split('/')[-1]} is a symbolic link to {target}" in result.err
    assert message in result.err and "Traceback" not in result.err and "bug" not in result.err


@pytest.mark.parametrize("pattern", ["src/fixtures", "src/fixtures/*", "src/fixtures/**"])
def test_links_in_excluded_folders_are_not_followed(
    cli: Callable[..., Any], tmp_path: Path, pattern: str
) -> None:
    config = PLAIN + f"          excludeFiles: ['{pattern}', 'src/*.tmp']\n"
    root = write(tmp_path / "p", {"stackwright.yml": config, "src/app.py": "def handler(e, c):\n    pass\n"})
    (root / "src" / "fixtures").mkdir()
    os.symlink("../nowhere", root / "src" / "fixtures" / "dangling")
    os.symlink("..", root / "src" / "fixtures" / "up")
    os.symlink("../gone", root / "src" / "scratch.tmp")
    _, artifact = _package(cli, root)
    assert zipfile.ZipFile(artifact["path"]).namelist() == ["app.py"]


def test_a_zip_beyond_the_classic_format_is_refused_by_name(cli: Callable[..., Any], tmp_path: Path) -> None:
    """70,000 files used to crash the zip writer (struct.error); now a user error before anything is written."""
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": PLAIN,
            "src/app.py": "def handler(e, c):\n    pass\n",
        },
    )
    many = root / "src" / "data"
    many.mkdir()
    for index in range(70_000):
        (many / f"{index}.txt").write_bytes(b"")
    result = cli("package", cwd=root)
    assert result.code == 1, result.err
    assert "function 'api': 70,001 files" in result.err
    assert "more than a zip without ZIP64 holds (65,535 files" in result.err
    assert "Traceback" not in result.err and "bug" not in result.err


def test_requirements_are_read_as_pip_reads_them(cli: Callable[..., Any], tmp_path: Path) -> None:
    """`-r` includes, `-c` constraints and local paths are resolved where the file lives, and what they
    name is part of the digest (an included file used to be left behind, and its edits unseen)."""
    config = PLAIN
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config,
            "src/app.py": "import six\n\ndef handler(e, c):\n    return six.__version__\n",
            "src/requirements.txt": "-r ../requirements-common.txt\n",
            "requirements-common.txt": "six==1.16.0\n",
        },
    )
    _, first = _package(cli, root)
    with zipfile.ZipFile(first["path"]) as archive:
        assert "six.py" in archive.namelist()
    (root / "requirements-common.txt").write_text("six==1.16.0\n# pinned for the audit\n")
    assert _package(cli, root)[1]["digest"] == first["digest"]  # a comment changes nothing pip reads
    (root / "requirements-common.txt").write_text("six==1.17.0\n")
    _, second = _package(cli, root)
    assert second["digest"] != first["digest"]
    with zipfile.ZipFile(second["path"]) as archive:
        assert any(n.startswith("six-1.17.0.dist-info/") for n in archive.namelist())


LOCAL_PACKAGE = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "0.1.0"

[project.optional-dependencies]
extra = ["six==1.16.0"]
"""


@pytest.mark.slow
def test_local_source_folders_are_packaged_as_copies(cli: Callable[..., Any], tmp_path: Path) -> None:
    """`-e ../lib` used to produce a zip that pointed back at the folder on the building machine; a local
    folder with extras (`../lib[extra]`) was taken for a missing file."""
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": PLAIN,
            "src/app.py": "import mylocal, other, six\n\ndef handler(e, c):\n    return mylocal.V + other.V\n",
            "src/requirements.txt": "-e ../locallib\n../otherlib[extra]\n",
            "locallib/pyproject.toml": LOCAL_PACKAGE.format(name="mylocal"),
            "locallib/mylocal/__init__.py": "V = 1\n",
            "otherlib/pyproject.toml": LOCAL_PACKAGE.format(name="other"),
            "otherlib/other/__init__.py": "V = 2\n",
        },
    )
    write(
        root,
        {"thirdlib/pyproject.toml": LOCAL_PACKAGE.format(name="third"), "thirdlib/third/__init__.py": ""},
    )
    requirements = root / "src" / "requirements.txt"
    requirements.write_text(requirements.read_text() + f"third @ {(root / 'thirdlib').as_uri()}\n")
    _, first = _package(cli, root)
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(first["path"]) as archive:
        names = archive.namelist()
        archive.extractall(unpacked)
    assert {"mylocal/__init__.py", "other/__init__.py", "third/__init__.py", "six.py"} <= set(names)
    assert not [n for n in names if "__editable__" in n or n.endswith(("direct_url.json", "uv_cache.json"))]
    # building left nothing in the user's folders, so nothing changed: the same digest again
    assert not list(root.glob("*/*.egg-info")) and not (root / "locallib" / "build").exists()
    assert _package(cli, root)[1]["digest"] == first["digest"]
    shutil.move(root / "locallib", tmp_path / "moved")  # the zip must not need the folder
    script = "import sys; sys.path.insert(0, sys.argv[1]); import app; print(app.handler(None, None))"
    out = subprocess.run([sys.executable, "-c", script, str(unpacked)], capture_output=True, text=True)
    assert out.stdout.strip() == "3", out.stderr
    shutil.move(tmp_path / "moved", root / "locallib")
    (root / "locallib" / "mylocal" / "__init__.py").write_text("V = 10\n")
    assert _package(cli, root)[1]["digest"] != first["digest"]


def test_requirements_digest_is_the_same_in_every_checkout(tmp_path: Path) -> None:
    from stackwright import pydeps

    files = {
        "src/requirements.txt": "-e ../lib\n-c ../constraints.txt\n--find-links ../wheels\n",
        "lib/pyproject.toml": LOCAL_PACKAGE.format(name="lib"),
        "lib/lib/__init__.py": "",
        "lib/lib.egg-info/PKG-INFO": "left by a build\n",
        "constraints.txt": "six==1.16.0\n",
        "wheels/README": "",
    }
    one, two = write(tmp_path / "one", files), write(tmp_path / "deeper" / "two", files)
    assert pydeps.requirements_input(one / "src") == pydeps.requirements_input(two / "src")
    (one / "lib" / "lib.egg-info" / "PKG-INFO").write_text("left by another build\n")
    assert pydeps.requirements_input(one / "src") == pydeps.requirements_input(two / "src")
    (one / "lib" / "lib" / "__init__.py").write_text("V = 1\n")
    assert pydeps.requirements_input(one / "src") != pydeps.requirements_input(two / "src")


def test_wheel_folders_and_absolute_paths_in_requirements(tmp_path: Path) -> None:
    from stackwright import pydeps

    shared = write(
        tmp_path / "shared", {"pyproject.toml": LOCAL_PACKAGE.format(name="shared"), "shared/__init__.py": ""}
    )
    files = {
        "src/requirements.txt": f"--find-links ./wheels\nwhl\nshared @ {shared.as_uri()}\n",
        "src/wheels/whl-1.0-py3-none-any.whl": "v1",
    }
    one, two = write(tmp_path / "one", files), write(tmp_path / "deep" / "er" / "two", files)
    assert pydeps.requirements_input(one / "src") == pydeps.requirements_input(two / "src")
    (one / "src" / "wheels" / "whl-1.0-py3-none-any.whl").write_text("v1, rebuilt")
    assert pydeps.requirements_input(one / "src") != pydeps.requirements_input(two / "src")


def test_folders_named_like_build_outputs_are_code_below_the_top(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": PLAIN,
            "src/app.py": "from myapp.build import V\n\ndef handler(e, c):\n    return V\n",
            "src/myapp/__init__.py": "",
            "src/myapp/build/__init__.py": "V = 1\n",
            "src/myapp/dist/data.txt": "data\n",
            "src/build/left-over.txt": "a build's output\n",
        },
    )
    _, first = _package(cli, root)
    names = set(zipfile.ZipFile(first["path"]).namelist())
    assert {"myapp/build/__init__.py", "myapp/dist/data.txt"} <= names and "build/left-over.txt" not in names
    (root / "src" / "myapp" / "build" / "__init__.py").write_text("V = 2\n")
    assert _package(cli, root)[1]["digest"] != first["digest"]


def test_requirements_written_by_pip_compile_are_read(tmp_path: Path) -> None:
    """Continued lines with `--hash` options (pip-compile --generate-hashes) and `-rfile` without a space
    used to be refused as syntax errors."""
    from stackwright import pydeps

    write(
        tmp_path,
        {
            "requirements.txt": "-rcommon.txt\nsix==1.16.0 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n"
            "    # via -r requirements.in\n",
            "common.txt": "humanize==4.11.0  # pinned\n",
        },
    )
    expanded = pydeps.expand_requirements(tmp_path / "requirements.txt")
    assert expanded == "humanize==4.11.0\nsix==1.16.0      --hash=sha256:aaaa      --hash=sha256:bbbb\n"
    (tmp_path / "requirements.txt").write_text("six==1.16.0 \\\n  --hash=sha256:aa\nnot a requirement!\n")
    with pytest.raises(StackwrightError, match=r"requirements\.txt:3: syntax error"):
        pydeps.expand_requirements(tmp_path / "requirements.txt")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"src/requirements.txt": "six\n-r missing.txt\n"}, "requirements.txt:2: missing.txt does not exist"),
        (
            {"src/requirements.txt": "-r other.txt\n", "src/other.txt": "-r requirements.txt\n"},
            "requirements files include each other in a loop",
        ),
    ],
)
def test_a_requirements_include_that_cannot_be_read_is_named(
    cli: Callable[..., Any], tmp_path: Path, files: dict[str, str], message: str
) -> None:
    config = PLAIN
    root = write(
        tmp_path / "p", {"stackwright.yml": config, "src/app.py": "def handler(e, c):\n    pass\n", **files}
    )
    result = cli("package", cwd=root)
    assert result.code == 2 and message in result.err and "Traceback" not in result.err


def test_secrets_looking_files_stay_out_of_zips_unless_named(cli: Callable[..., Any], tmp_path: Path) -> None:
    """`.env`, keys and the config file itself used to be packaged with the code; a custom-artifact folder
    shipped its `.git/`."""
    config = FUNCTION_CONFIG.replace("src/app.py", "app.py") + custom_artifact("prebuilt", "prebuilt")
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config,
            "app.py": "def handler(e, c):\n    return 1\n",
            ".env": "TOKEN=secret\n",
            ".env.production": "TOKEN=secret\n",
            "certs/server.pem": "-----BEGIN PRIVATE KEY-----\n",
            "lib/.npmrc": "//registry/:_authToken=secret\n",
            "KEYS/TLS.KEY": "-----BEGIN PRIVATE KEY-----\n",
            "infra/terraform.tfstate": "{}\n",
            "gcp/service-account.json": "{}\n",
            ".envrc": "export TOKEN=secret\n",
            ".aws/credentials": "[default]\n",
            ".docker/config.json": "{}\n",
            "lib/.ssh/deploy_key": "PRIVATE\n",
            "prebuilt/main.py": "def handler(e, c):\n    return 2\n",
            "prebuilt/.git/config": "[core]\n",
        },
    )
    result = cli("--output", "json", "package", cwd=root)
    assert result.code == 0, result.err
    records = result.json_lines()
    zips = {r["artifact"]: r["path"] for r in records if r.get("event") == "artifact"}
    assert sorted(zipfile.ZipFile(zips["api"]).namelist()) == ["app.py", "prebuilt/main.py"]
    assert sorted(zipfile.ZipFile(zips["prebuilt"]).namelist()) == ["main.py"]
    (note,) = [line for line in result.err.splitlines() if "secrets-looking" in line]
    assert note.startswith("api: left out of the zip") and all(
        n in note
        for n in (
            ".env",
            ".env.production",
            ".envrc",
            "certs/server.pem",
            "lib/.npmrc",
            "KEYS/TLS.KEY",
            "infra/terraform.tfstate",
            "gcp/service-account.json",
            ".aws/credentials",
            ".docker/config.json",
            "lib/.ssh/deploy_key",
            "stackwright.yml",
        )
    )
    # named in includeFiles: shipped as asked
    (root / "stackwright.yml").write_text(
        config.replace(
            "entryfilePath: app.py\n", "entryfilePath: app.py\n          includeFiles: [certs/server.pem]\n"
        )
    )
    result = cli("--output", "json", "package", cwd=root)
    zips = {r["artifact"]: r["path"] for r in result.json_lines() if r.get("event") == "artifact"}
    assert sorted(zipfile.ZipFile(zips["api"]).namelist()) == [
        "app.py",
        "certs/server.pem",
        "prebuilt/main.py",
    ]


def test_the_cache_is_private_to_the_user(cli: Callable[..., Any], tmp_path: Path, cache: Path) -> None:
    """Built zips hold the user's code; they used to be readable by every user of the machine."""
    root = write(
        tmp_path / "p", {"stackwright.yml": PLAIN, "src/app.py": "def handler(e, c):\n    return 1\n"}
    )
    _, artifact = _package(cli, root)
    assert Path(artifact["path"]).is_relative_to(cache)
    assert cache.stat().st_mode & 0o777 == 0o700


def test_the_cache_is_bounded_least_recently_used_out(
    cli: Callable[..., Any], tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache used to grow without end (2.1 GB after an afternoon of deploys)."""
    root = write(
        tmp_path / "p", {"stackwright.yml": PLAIN, "src/app.py": "def handler(e, c):\n    return 1\n"}
    )
    _, first = _package(cli, root)
    built = Path(first["path"])
    folder = built.parent
    old = [folder / f"{n:064x}.zip" for n in range(6)]
    for age, path in enumerate(old):
        path.write_bytes(b"x" * 100_000)
        os.utime(path, (1_000_000 + age, 1_000_000 + age))  # used long ago, the first one longest
    os.utime(built, (1_000_000, 1_000_000))
    monkeypatch.setenv("STACKWRIGHT_CACHE_SIZE", "400K")
    result = cli("package", cwd=root)
    assert result.code == 0, result.err
    assert "least recently used cache files" in result.err
    # the zip this run reused is kept (and marked used); the oldest others went first, down to 80%
    assert built.exists() and built.stat().st_mtime > 1_000_010
    assert [p.exists() for p in old] == [False, False, False, True, True, True]
    # nothing built and the same bound: the cache is not walked again (a walk of a large cache cost more
    # than a whole no-change package); the next build, a new bound, or a day later walk it
    for path in old[:2]:  # over the bound again
        path.write_bytes(b"x" * 100_000)
        os.utime(path, (1_000_000, 1_000_000))
    assert cli("package", cwd=root).code == 0 and old[0].exists() and old[1].exists()
    (root / "src" / "app.py").write_text("def handler(e, c):\n    return 2\n")
    assert cli("package", cwd=root).code == 0 and not old[0].exists()
    for given in ("lots", "0", "-5M"):
        monkeypatch.setenv("STACKWRIGHT_CACHE_SIZE", given)
        bad = cli("package", cwd=root)
        assert bad.code == 1 and f"STACKWRIGHT_CACHE_SIZE={given!r} is not a size" in bad.err


def test_links_leading_outside_the_project_are_not_followed(cli: Callable[..., Any], tmp_path: Path) -> None:
    """A link to a file or folder outside the project used to be followed and its content packed."""
    elsewhere = write(tmp_path / "home", {".ssh/id_rsa": "PRIVATE", "notes/todo.txt": "private notes"})
    root = write(
        tmp_path / "p",
        {"stackwright.yml": PLAIN, "src/app.py": "def handler(e, c):\n    return 1\n", "lib/x.py": "X = 1\n"},
    )
    (root / "src" / "key").symlink_to(elsewhere / ".ssh" / "id_rsa")
    (root / "src" / "notes").symlink_to(elsewhere / "notes")
    (root / "src" / "lib").symlink_to(root / "lib")  # inside the project: followed
    # inside the project, to what is withheld where it is: withheld through the link too
    write(root, {".aws/credentials": "[default]\n", ".ssh/id_rsa": "PRIVATE", "env/.env.d/prod": "T=1\n"})
    (root / "src" / "creds").symlink_to(root / ".aws")
    (root / "src" / "deploykey").symlink_to(root / ".ssh" / "id_rsa")
    (root / "src" / "conf").symlink_to(root / "env")
    result, artifact = _package(cli, root)
    assert sorted(zipfile.ZipFile(artifact["path"]).namelist()) == ["app.py", "lib/x.py"]
    assert "files: src/deploykey, src/conf/.env.d/prod, src/creds/credentials (" in result.err, result.err
    assert "left out symbolic links that lead outside the project: " in result.err
    assert f"src/key -> {elsewhere / '.ssh' / 'id_rsa'}" in result.err
    assert f"src/notes -> {elsewhere / 'notes'}" in result.err
    # the config names it: packed as asked
    config = root / "stackwright.yml"
    config.write_text(
        config.read_text().replace(
            "entryfilePath: src/app.py\n", "entryfilePath: src/app.py\n          includeFiles: [src/key]\n"
        )
    )
    again = cli("--output", "json", "package", cwd=root)
    (packed,) = [r for r in again.json_lines() if r.get("event") == "artifact"]
    assert zipfile.ZipFile(packed["path"]).read("src/key") == b"PRIVATE"
    assert "src/key" not in again.err


@pytest.mark.parametrize("command", ["validate", "package"])
def test_a_pipe_or_device_in_the_code_is_refused_not_read_forever(
    cli: Callable[..., Any], tmp_path: Path, command: str
) -> None:
    """A named pipe hung packaging (and validate) forever; a link to /dev/urandom spun at full CPU."""
    root = write(
        tmp_path / "p", {"stackwright.yml": PLAIN, "src/app.py": "def handler(e, c):\n    return 1\n"}
    )
    os.mkfifo(root / "src" / "pipe")
    result = cli(command, cwd=root)
    assert result.code in (1, 2) and "src/pipe is not a regular file" in result.err, result.err
    (root / "src" / "pipe").unlink()
    (root / "src" / "noise").symlink_to("/dev/urandom")  # outside the project: left out, not read
    result = cli(command, cwd=root)
    assert result.code == 0, result.err
    assert command == "validate" or "src/noise -> /dev/urandom" in result.err


def test_a_prebuilt_folder_keeps_secrets_and_outside_links_out(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    """A custom-artifact folder was zipped with its `.env` and keys, and followed links out of the
    project (its content packed without a word)."""
    elsewhere = write(tmp_path / "home", {".ssh/id_rsa": "PRIVATE"})
    config = PLAIN.replace("  api:", "  old:") + custom_artifact("api", "dist")
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": config,
            "src/app.py": "def handler(e, c):\n    return 1\n",
            "dist/main.py": "def handler(e, c):\n    return 2\n",
            "dist/.env": "TOKEN=secret\n",
            "dist/certs/ca.pem": "-----BEGIN CERTIFICATE-----\n",
            "shared/util.py": "X = 1\n",
        },
    )
    (root / "dist" / "key").symlink_to(elsewhere / ".ssh" / "id_rsa")
    (root / "dist" / "util").symlink_to(root / "shared")  # inside the project: followed
    result = cli("--output", "json", "package", cwd=root)
    assert result.code == 0, result.err
    zips = {r["artifact"]: r["path"] for r in result.json_lines() if r.get("event") == "artifact"}
    assert sorted(zipfile.ZipFile(zips["api"]).namelist()) == ["main.py", "util/util.py"]
    assert (
        "api: left out of the zip as secrets-looking files: dist/.env, dist/certs/ca.pem "
        "(to ship them, zip the folder yourself and set packagePath to the .zip)" in result.err
    )
    assert (
        f"api: left out symbolic links that lead outside the project: dist/key -> {elsewhere}" in result.err
    )


def test_what_an_include_wildcard_ships_that_would_stay_out_is_named(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    """`includeFiles: ['assets/*']` shipped `assets/.env` and a link out of the project without a word."""
    elsewhere = write(tmp_path / "home", {".ssh/id_rsa": "PRIVATE"})
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": PLAIN.replace(
                "entryfilePath: src/app.py\n",
                "entryfilePath: src/app.py\n          includeFiles: ['assets/*']\n",
            ),
            "src/app.py": "def handler(e, c):\n    return 1\n",
            "assets/logo.svg": "<svg/>",
            "assets/.env": "TOKEN=secret\n",
        },
    )
    (root / "assets" / "key").symlink_to(elsewhere / ".ssh" / "id_rsa")
    result, artifact = _package(cli, root)
    assert sorted(zipfile.ZipFile(artifact["path"]).namelist()) == [
        "app.py",
        "assets/.env",
        "assets/key",
        "assets/logo.svg",
    ]
    (note,) = [line for line in result.err.splitlines() if "includeFiles ships" in line]
    assert f"matched: assets/.env, assets/key -> {elsewhere / '.ssh' / 'id_rsa'} (name each" in note
    # each named on its own: shipped as asked, nothing to say
    config = root / "stackwright.yml"
    config.write_text(
        config.read_text().replace("['assets/*']", "[assets/logo.svg, assets/.env, assets/key]")
    )
    again, _ = _package(cli, root)
    assert "includeFiles ships" not in again.err, again.err


def test_a_file_saved_while_packaging_is_not_built_under_the_old_digest(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save between digesting and building: the build would hold the new code under the digest of the
    old, and the cache (and the bucket) would keep serving it. It is refused and removed; the next run
    builds the file as it is then."""
    from stackwright.builtin_plugins.functions.packager import LambdaPackager

    root = write(
        tmp_path / "p",
        {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    return 1\n"},
    )
    source = root / "src" / "app.py"
    original = LambdaPackager._build

    def saved_meanwhile(self: Any, artifact: Any, output_dir: Path) -> Path:
        source.write_text("def handler(e, c):\n    return 'saved while packaging'\n")
        return original(self, artifact, output_dir)

    with monkeypatch.context() as patched:
        patched.setattr(LambdaPackager, "_build", saved_meanwhile)
        first = cli("--output", "json", "package", cwd=root)
    assert (
        first.code == 1
        and "app.py changed while it was being packaged" in first.err
        and "run the command again" in first.err
    )
    assert not list((tmp_path / "cache" / "artifacts" / "lambda-zip").glob("*.zip"))  # nothing kept
    again = cli("--output", "json", "package", cwd=root)
    assert again.code == 0, again.err
    (built,) = [r for r in again.json_lines() if r.get("event") == "artifact"]
    assert built["status"] == "built"
    assert Path(built["path"]).parent == tmp_path / "cache" / "artifacts" / "lambda-zip"
    with zipfile.ZipFile(built["path"]) as archive:
        assert b"saved while packaging" in archive.read("app.py")
