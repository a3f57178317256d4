"""A hot-swap sends each byte once: a function's own zip in its UpdateFunctionCode request (never to the
bucket as well), a zip several functions share once to the bucket; and the updates run at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Result, deployment_bucket, write

Aws = Callable[[str], Any]
CONFIG = """\
serviceName: xfer
resources:
  alpha:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: shared/a.py}}
  beta:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: shared/b.py}}
  gamma:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: own/c.py}}
"""
FILES = {
    "stackwright.yml": CONFIG,
    "shared/a.py": "def handler(event, context):\n    return 'a'\n",
    "shared/b.py": "def handler(event, context):\n    return 'b'\n",
    "own/c.py": "def handler(event, context):\n    return 'c'\n",
}


def hotswap(cli: Callable[..., Result], root: Path) -> list[dict[str, Any]]:
    result = cli("--local", "--output", "json", "deploy", "--hotswap", cwd=root)
    assert result.code == 0, result.err + result.out
    return result.json_lines()


def zips(aws: Aws) -> set[str]:
    listed = aws("s3").list_objects_v2(Bucket=deployment_bucket(aws, "xfer-dev"), Prefix="lambda-zip/")
    return {o["Key"] for o in listed.get("Contents", [])}


def code(aws: Aws, name: str) -> str:
    return str(aws("lambda").get_function(FunctionName=f"xfer-dev-{name}")["Configuration"]["CodeSha256"])


def swapped(records: list[dict[str, Any]]) -> dict[str, str]:
    return {r["logical_id"]: r["detail"] for r in records if r.get("event") == "hotswapped"}


@pytest.fixture
def root(cli: Callable[..., Result], engine: str, tmp_path: Path) -> Path:
    root = write(tmp_path / "xfer", FILES)
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    return root


def test_a_function_of_its_own_gets_its_zip_in_the_request_only(
    cli: Callable[..., Result], aws: Aws, root: Path
) -> None:
    before, running = zips(aws), code(aws, "gamma")
    (root / "own" / "c.py").write_text("def handler(event, context):\n    return 'c2'\n")
    records = hotswap(cli, root)
    (detail,) = swapped(records).values()
    assert detail.startswith("code sent directly (")
    assert not [r for r in records if r.get("event") == "uploaded" and r["artifacts"]]
    assert zips(aws) == before  # nothing went to the bucket
    assert code(aws, "gamma") != running


def test_a_zip_two_functions_share_goes_to_the_bucket_once(
    cli: Callable[..., Result], aws: Aws, root: Path
) -> None:
    before = zips(aws)
    (root / "shared" / "a.py").write_text("def handler(event, context):\n    return 'a2'\n")
    records = hotswap(cli, root)
    details = swapped(records)
    assert sorted(details) == ["AlphaFunction", "BetaFunction"]
    (new,) = zips(aws) - before
    assert all(d.startswith("code taken from s3://") and d.endswith(new) for d in details.values())
    (sent,) = [r for r in records if r.get("event") == "uploaded"]
    assert sent["artifacts"] == 1
    assert code(aws, "alpha") == code(aws, "beta")


def test_the_updates_run_at_once(
    cli: Callable[..., Result], aws: Aws, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each update waits at a barrier for the others: run one after the other, the first would wait in
    vain and the hot-swap fail."""
    from stackwright.builtin_plugins.functions import hotswap as function_hotswap

    barrier = threading.Barrier(3, timeout=20)  # alpha, beta and gamma
    original = function_hotswap.hotswap_function

    def together(ctx: Any, change: Any) -> Any:
        if not change.plan_only:
            barrier.wait()
        return original(ctx, change)

    monkeypatch.setattr(function_hotswap, "hotswap_function", together)
    (root / "shared" / "a.py").write_text("def handler(event, context):\n    return 'a3'\n")
    (root / "own" / "c.py").write_text("def handler(event, context):\n    return 'c3'\n")
    running = {name: code(aws, name) for name in ("alpha", "beta", "gamma")}
    assert sorted(swapped(hotswap(cli, root))) == ["AlphaFunction", "BetaFunction", "GammaFunction"]
    assert all(code(aws, name) != sha for name, sha in running.items())


def test_a_failure_among_more_changes_than_workers_ends_the_hot_swap(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changes not started when one fails are cancelled; the hot-swap used to wait for them forever
    (holding the deploy lock), as `as_completed` is not told of futures cancelled by a shutdown."""
    import stackwright.hotswap as hotswap

    monkeypatch.setattr(hotswap, "WORKERS", 2)
    names = [f"f{i}" for i in range(6)]
    config = "serviceName: many\nresources:\n" + "".join(
        f"  {n}:\n    type: function\n    properties:\n"
        f"      packaging: {{type: stacktape-lambda-buildpack, properties: {{entryfilePath: {n}/app.py}}}}\n"
        for n in names
    )
    files = {
        "stackwright.yml": config,
        **{f"{n}/app.py": "def handler(e, c):\n    return 1\n" for n in names},
    }
    root = write(tmp_path / "many", files)
    assert cli("--local", "deploy", "--yes", cwd=root).code == 0
    aws("lambda").delete_function(FunctionName="many-dev-f0")  # the first change fails
    for name in names:
        (root / name / "app.py").write_text("def handler(e, c):\n    return 2\n")
    outcome: list[Result] = []
    worker = threading.Thread(target=lambda: outcome.append(cli("--local", "deploy", "--hotswap", cwd=root)))
    worker.daemon = True
    worker.start()
    worker.join(120)
    assert outcome, "the hot-swap did not end"
    result = outcome[0]
    assert result.code == 1 and "hot-swap of F0Function failed" in result.err, result.err
    assert "not updated: F0Function" in result.err
