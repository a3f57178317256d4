"""Starting costs nothing a command does not use: `--version` loads no plugin and no library, `--help`
comes from the text kept for it while nothing it came from changed, and the entry-point scan is kept
while no folder on `sys.path` changed. Each case runs in a new interpreter and reads `sys.modules`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import function_config

HEAVY = ("click", "cloup", "pluggy", "yaml", "jsonschema", "boto3", "botocore", "rich", "importlib.metadata")
PROBE = """
import json, sys
from stackwright.cli.main import main
code = main(sys.argv[1:])
sys.stdout.flush()
print(json.dumps({"code": code, "loaded": sorted(m for m in sys.modules if m in HEAVY)}), file=sys.stderr)
"""


def run(tmp_path: Path, *args: str, path: Path | None = None) -> tuple[str, dict[str, object]]:
    env = {**os.environ, "STACKWRIGHT_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "100"}
    if path is not None:
        env["PYTHONPATH"] = str(path)
        env["STACKWRIGHT_PLUGINS"] = "fast_plugin"
    done = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def test_version_loads_nothing(tmp_path: Path) -> None:
    from stackwright import __version__

    out, seen = run(tmp_path, "--version")
    assert out == f"stackwright, version {__version__}\n"
    assert seen == {"code": 0, "loaded": []}


PLUGIN = '''
import click
from stackwright import hookimpl


@hookimpl
def stackwright_add_commands(cli):
    @cli.command("fast")
    def fast():
        """{text}"""
'''


def test_help_is_kept_until_what_it_came_from_changes(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    module = plugins / "fast_plugin.py"
    module.write_text(PLUGIN.format(text="First words of the fast command."))
    first, seen = run(tmp_path, "--help", path=plugins)
    assert seen["code"] == 0 and "click" in seen["loaded"]  # rendered by click, then kept
    assert "First words of the fast command." in first
    again, seen = run(tmp_path, "--help", path=plugins)
    assert again == first and seen == {"code": 0, "loaded": []}  # the kept text, nothing imported
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700  # made here, private as cache_dir makes it
    # a plugin's source changed: rendered again
    module.write_text(PLUGIN.format(text="Other words, longer than the first ones were."))
    changed, seen = run(tmp_path, "--help", path=plugins)
    assert "Other words, longer than the first ones were." in changed and "click" in seen["loaded"]
    # a command's own help is kept the same way; another width is another text
    deploy, _ = run(tmp_path, "deploy", "--help", path=plugins)
    assert deploy.startswith("Usage: stackwright deploy")
    assert run(tmp_path, "deploy", "--help", path=plugins) == (deploy, {"code": 0, "loaded": []})


def test_the_entry_point_scan_is_kept_until_a_distribution_comes_or_goes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    env = {**os.environ, "STACKWRIGHT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(site)}
    env.pop("STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD", None)  # the test session turns autoload off

    def listed() -> str:
        done = subprocess.run(
            [sys.executable, "-c", "from stackwright.cli.main import run; run()", "plugins"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    assert "scan_plugin" not in listed()
    kept = list((tmp_path / "cache" / "startup").glob("entry-points-*.json"))
    assert len(kept) == 1
    probe = (
        "import sys; from stackwright.startup import entry_points; entry_points('stackwright'); "
        "print('importlib.metadata' in sys.modules)"
    )
    scanned = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert scanned.stdout == "False\n"  # read from the kept scan
    (site / "scan_plugin.py").write_text("")
    info = site / "scan_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: scan-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[stackwright]\nscan_plugin = scan_plugin\n")
    assert "scan_plugin" in listed() and "scan-plugin" in listed()
    for path in info.iterdir():
        path.unlink()
    info.rmdir()
    assert "scan_plugin" not in listed()


def test_a_no_change_package_parses_nothing_and_validates_nothing(tmp_path: Path) -> None:
    """The second `package` of an unchanged project reads the kept parse and the validation marker: it
    imports neither PyYAML nor jsonschema (nor cloup or importlib.metadata, which nothing needs)."""
    (tmp_path / "handler.py").write_text("def handler(event, context):\n    return 1\n")
    config = tmp_path / "stackwright.yml"
    config.write_text(function_config("memory: 256", entry="handler.py"))
    _, first = run(tmp_path, "package")
    assert first["code"] == 0 and {"yaml", "jsonschema"} <= set(first["loaded"])
    out, again = run(tmp_path, "package")
    assert again["code"] == 0, out
    assert again["loaded"] == ["click", "pluggy"], again
    # the config changed: parsed (and checked) again, and what it says is what is used
    config.write_text(function_config("memory: lots", entry="handler.py"))
    out, changed = run(tmp_path, "package")
    assert changed["code"] == 2 and "yaml" in changed["loaded"]
    config.write_text(function_config("memory: 512", entry="handler.py"))
    synth = subprocess.run(
        [sys.executable, "-m", "stackwright.cli.main", "synth"],
        env={**os.environ, "STACKWRIGHT_CACHE_DIR": str(tmp_path / "cache")},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(synth.stdout)["Resources"]["ApiFunction"]["Properties"]["MemorySize"] == 512


def test_a_kept_parse_is_the_parse_and_a_damaged_one_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stackwright.config import parse, parsed

    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    config = tmp_path / "stackwright.yml"
    config.write_text("serviceName: kept\nscripts: {a: {type: local-script}}\nwhen: 2024-01-02\nn: 1.5\n")
    first = parse.load(config)
    kept = list((tmp_path / "cache" / "parsed").iterdir())
    assert kept == []  # a date is not a plain value: not kept, parsed each time, the same every time
    assert parse.load(config) == first
    config.write_text("serviceName: kept\nitems: [1, 2.5, true, null, {a: b}]\n")
    first = parse.load(config)
    (kept,) = (tmp_path / "cache" / "parsed").iterdir()
    again = parse.load(config)
    assert again == first and list(again[1]) == list(first[1])  # values and positions, in order
    kept.write_bytes(b"\x00not marshal")
    assert parse.load(config) == first
    assert parsed.kept(config.read_text(), parse.display_path(config)) == first  # kept again
