"""`stackwright.testing`: a pytest plugin for plugin authors (and stackwright's own tests).

Enable it in a `conftest.py` with `pytest_plugins = ["stackwright.testing"]` (or `pytest -p
stackwright.testing`). It gives every test an isolated environment (installed plugins are not
autoloaded, AWS credentials are fake and point at a closed port, a private cache folder) and fixtures:

- `stackwright_project(config, files)`: write a project folder from a config (dict or YAML text) and files.
- `stackwright_synth(root, *plugins)`: compile it with the given plugin objects loaded, check the template
  with cfn-lint, and return it as a dict.
- `stackwright_cli(*args, cwd=...)`: run the command line in-process; returns `CliResult`.
- `stackwright_engine`: the embedded AWS-compatible engine (one per session, emptied per test), with
  stackwright's `local` target pointed at it; `stackwright_aws(service)` gives boto3 clients on it to read
  back what a deploy created.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from stackwright.context import StackContext

#: Variables a user's shell may set that would change what a test sees.
ISOLATED = (
    "STACKWRIGHT_PLUGINS",
    "STACKWRIGHT_STAGE",
    "STACKWRIGHT_DEBUG",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "CI",
)


@dataclass
class CliResult:
    """What one run of the command line did: exit code, standard output and standard error."""

    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict[str, Any]]:
        """The JSON objects of `--output json`, one per line."""
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


_RULES: list[Any] = []
_LINTED: dict[str, list[str]] = {}


def _teach_installed_registry_schemas() -> None:
    """cfn-lint learns the registry types of every installed plugin (its `stackwright_registry_schemas`),
    as a deploy's checks teach it those of the plugins in use (once per process)."""
    if _TAUGHT:
        return
    from importlib.metadata import entry_points

    from stackwright.plugins import ENTRY_POINT_GROUP
    from stackwright.registry_schemas import teach_cfn_lint

    directories: set[Path] = set()
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            hook = getattr(entry.load(), "stackwright_registry_schemas", None)
            directories |= {Path(d) for d in (hook() if callable(hook) else None) or ()}
        except Exception:  # a broken plugin fails its own tests, not every template's lint
            continue
    teach_cfn_lint(directories)
    _TAUGHT.append(True)


_TAUGHT: list[bool] = []


def cfn_lint_errors(template: dict[str, Any] | str) -> list[str]:
    """Every cfn-lint error (not warning) in `template`, as 'RULE message at path' strings. The rules are
    loaded once per process and each distinct template is linted once."""
    from cfnlint.api import lint

    _teach_installed_registry_schemas()
    text = template if isinstance(template, str) else json.dumps(template, sort_keys=True, ensure_ascii=False)
    if text in _LINTED:
        return _LINTED[text]
    if not _RULES:
        from cfnlint.config import ConfigMixIn
        from cfnlint.runner import Runner

        _RULES.append(Runner(ConfigMixIn(regions=["us-east-1"])).rules)
    matches = lint(text, rules=_RULES[0], regions=["us-east-1"])
    _LINTED[text] = [
        f"{m.rule.id} {m.message} at {'/'.join(map(str, getattr(m, 'path', [])))}"
        for m in matches
        if m.rule.id.startswith("E")
    ]
    return _LINTED[text]


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path → text, dedented) under `root`; returns `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


@pytest.fixture(autouse=True)
def stackwright_isolation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No installed plugin is autoloaded, no real AWS is reachable, and the cache is the test's own
    (`tmp_path / "cache"`)."""
    for name in ISOLATED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def stackwright_project(tmp_path: Path) -> Callable[..., Path]:
    """`stackwright_project(config, files={}, folder="project")`: a project folder with
    `stackwright.yml` (a dict is written as YAML) and the given files."""

    def make(
        config: dict[str, Any] | str, files: dict[str, str] | None = None, folder: str = "project"
    ) -> Path:
        import yaml

        text = config if isinstance(config, str) else yaml.safe_dump(config, sort_keys=False)
        return write_files(tmp_path / folder, {"stackwright.yml": text, **(files or {})})

    return make


@pytest.fixture
def stackwright_context() -> Callable[..., StackContext]:
    """`stackwright_context(root, *plugins, target="aws")`: the project at `root` compiled with the
    built-ins and `plugins` (objects, or `(name, object)` pairs) loaded; its `StackContext` (the
    template in `.template`, the registry extensions it needs in `.extensions`)."""

    def compiled(root: Path, *plugins: object, target: str = "aws") -> StackContext:
        from stackwright.config.load import Options
        from stackwright.pipeline import compile_stack, open_stack
        from stackwright.plugins import load_plugins

        extra = [
            p if isinstance(p, tuple) else (str(getattr(p, "__name__", type(p).__name__)), p) for p in plugins
        ]
        ctx = open_stack(Options(directory=root, target=target), load_plugins(autoload=False, extra=extra))
        compile_stack(ctx)
        return ctx

    return compiled


@pytest.fixture
def stackwright_synth(stackwright_context: Callable[..., StackContext]) -> Callable[..., dict[str, Any]]:
    """`stackwright_synth(root, *plugins, target="aws", ignore=())`: compile the project at `root` with the
    built-ins and `plugins` (objects, or `(name, object)` pairs) loaded; fails the test on any cfn-lint
    error but those whose rule ids are in `ignore` (e.g. `"E3006"` for a registry type no plugin ships a
    schema of), and on any registry resource whose Properties break its plugin's schema."""

    def synth(
        root: Path, *plugins: object, target: str = "aws", ignore: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        from stackwright.registry_schemas import property_errors, teach_cfn_lint

        ctx = stackwright_context(root, *plugins, target=target)
        template = ctx.template.to_dict()
        schemas = ctx.plugins.registry_schemas()
        teach_cfn_lint({directory for directory, _ in schemas.values()})
        errors = [e for e in cfn_lint_errors(template) if e.split(" ", 1)[0] not in ignore]
        errors += [
            f"schema of {body['Type']}: {message} at {'/'.join(map(str, [logical_id, 'Properties', *at]))}"
            for logical_id, body in template["Resources"].items()
            if body["Type"] in schemas
            for at, message in property_errors(schemas[body["Type"]][1], body.get("Properties"))
        ]
        if errors:
            pytest.fail("cfn-lint found errors:\n" + "\n".join(errors))
        return template

    return synth


@pytest.fixture
def stackwright_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    """`stackwright_cli(*args, cwd=None)`: run `stackwright ARGS` in-process (in folder `cwd`)."""
    from stackwright.cli.main import main

    def run(*args: str, cwd: Path | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def stackwright_engine_server() -> Iterator[str]:
    """One embedded engine (moto server on 127.0.0.1) for the whole session, taught what the `local`
    target's engine process is taught (see `local_engine.server`); its URL."""
    from moto.server import ThreadedMotoServer
    from stackwright.builtin_plugins.local_engine.server import teach

    teach()

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def stackwright_engine(stackwright_engine_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The engine, emptied, with the `local` target pointed at it; its URL."""
    import urllib.request

    url = stackwright_engine_server
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"))
    monkeypatch.setenv("STACKWRIGHT_LOCAL_ENDPOINT", url)
    return url


@pytest.fixture
def stackwright_aws(stackwright_engine: str) -> Callable[[str], Any]:
    """`stackwright_aws(service)`: a boto3 client on the engine, to read back what a deploy created."""
    import boto3

    session = boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    return lambda service: session.client(service, endpoint_url=stackwright_engine)


__all__ = ["CliResult", "cfn_lint_errors", "write_files"]
