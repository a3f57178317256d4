"""Stacktape's starter configs, unchanged: each compiles to a template cfn-lint accepts, or is refused
only because it uses resource types or features no installed plugin supports yet."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import COMPAT, Result

STARTERS = sorted((COMPAT / "starters").glob("*.yml"))
PATH_KEYS = {"entryfilePath", "dockerfilePath", "packagePath", "filePath", "buildContextPath", "appDirectory"}
#: Keys naming a folder of built files: it is made with an `index.html` in it.
SITE_KEYS = {"uploadDirectoryPath"}
PLACEHOLDERS = {
    ".py": "def handler(event, context):\n    return {'statusCode': 200}\n",
    ".ts": "export default async () => ({ statusCode: 200 });\n",
    ".js": "exports.default = async () => ({ statusCode: 200 });\n",
    ".html": "<h1>placeholder</h1>\n",
}
OUTCOMES: dict[str, str] = {}
#: The starters that synthesize today. One of them refused is a regression; one that starts to synthesize
#: must be added here (so the list stays exact, and the next refusal of it fails).
SYNTHESIZED = frozenset(
    {
        "ai-chatbot-api",
        "astro-static",
        "cron-job",
        "event-driven-pipeline",
        "file-upload-api",
        "gpu-inference-api",
        "hono-api",
        "kinesis-realtime-analytics",
        "mcp-server",
        "multi-step-workflow",
        "queue-worker",
        "react-spa-vitejs",
        "remix-website-container",
        "s3-image-processor",
        "sns-notification-fanout",
        "tensorflow-image-classification",
        "webhook-ingestion",
    }
)


def referenced_paths(data: Any) -> list[str]:
    found: list[str] = []
    if isinstance(data, dict):
        if isinstance(data.get("buildContextPath"), str):  # a custom Dockerfile lives in its build context
            context = data["buildContextPath"].rstrip("/") or "."
            found.append(f"{context}/{data.get('dockerfilePath') or 'Dockerfile'}")
        for key, value in data.items():
            if key in PATH_KEYS and isinstance(value, str) and not value.startswith("$"):
                found.append(value.split(":")[0])
            elif key in SITE_KEYS and isinstance(value, str):
                found.append(value.rstrip("/") + "/index.html")
            else:
                found += referenced_paths(value)
    elif isinstance(data, list):
        for item in data:
            found += referenced_paths(item)
    return found


def prepare(starter: Path, folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(starter, folder / "stacktape.yml")
    for relative in referenced_paths(yaml.safe_load(starter.read_text())):
        target = folder / relative
        if relative.endswith(("/", ".")) or (not Path(relative).suffix and "Dockerfile" not in relative):
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        text = PLACEHOLDERS.get(target.suffix, "FROM scratch\n" if "Dockerfile" in target.name else "")
        target.write_text(text)
    if "npm run build" in starter.read_text():  # its beforeDeploy hook builds the site
        (folder / "package.json").write_text(json.dumps({"scripts": {"build": BUILD}}))
    return folder


#: The `build` script of a starter whose hook runs `npm run build`: leaves a mark the test reads back.
BUILD = "mkdir -p dist && echo built > dist/built.txt"


@pytest.mark.skipif(not STARTERS, reason=f"no Stacktape starters at {COMPAT}")
@pytest.mark.parametrize("starter", STARTERS, ids=[s.stem for s in STARTERS])
def test_starter(cli: Callable[..., Result], tmp_path: Path, starter: Path) -> None:
    root = prepare(starter, tmp_path / starter.stem)
    result = cli("--output", "json", "synth", "--out", str(tmp_path / "template.json"), cwd=root)
    if result.code == 0:
        OUTCOMES[starter.stem] = "synthesized"
        assert starter.stem in SYNTHESIZED, f"{starter.stem} synthesizes now: add it to SYNTHESIZED"
        from stackwright.testing import cfn_lint_errors

        assert cfn_lint_errors(json.loads((tmp_path / "template.json").read_text())) == []
        return
    assert starter.stem not in SYNTHESIZED, (
        f"{starter.stem} synthesized before and is refused now:\n{result.err}"
    )
    records = result.json_lines()
    assert records and records[-1]["event"] == "error", result.err
    problems = records[-1].get("problems") or [{"message": records[-1]["message"]}]
    unsupported = [p for p in problems if "not supported by the installed plugins" in p["message"]]
    assert unsupported == problems, f"{starter.name} was refused for more than missing support:\n{result.err}"
    assert "Traceback" not in result.err
    OUTCOMES[starter.stem] = "refused: " + ", ".join(sorted({p["message"] for p in problems}))


def test_starter_outcomes_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last in this module: prints how many starters compile today (for the record, not a goal)."""
    if not OUTCOMES:
        pytest.skip("starter tests did not run")
    synthesized = sorted(k for k, v in OUTCOMES.items() if v == "synthesized")
    with capsys.disabled():
        print(f"\nstarters synthesized: {len(synthesized)}/{len(OUTCOMES)}: {', '.join(synthesized)}")


def test_the_mongodb_starter_deploys_with_its_provider(
    cli: Callable[..., Result], tmp_path: Path, esbuild: Path, engine: str, aws: Any
) -> None:
    """lambda-api-mongo-db.yml, unchanged, with stackwright-mongodb-atlas loaded: lint-clean, and deployed
    to the embedded engine, which says it leaves out the Atlas resources (it has no registry)."""
    pytest.importorskip("stackwright_mongodb_atlas")
    starter = COMPAT / "starters" / "lambda-api-mongo-db.yml"
    if not starter.exists():
        pytest.skip(f"no {starter}")
    root = prepare(starter, tmp_path / "starter")
    plugin = ("-p", "stackwright_mongodb_atlas")
    synth = cli(*plugin, "--output", "json", "synth", "--out", str(tmp_path / "template.json"), cwd=root)
    assert synth.code == 0, synth.err
    template = yaml.safe_load((tmp_path / "template.json").read_text())
    from stackwright.testing import cfn_lint_errors

    assert cfn_lint_errors(template) == []
    types = {body["Type"] for body in template["Resources"].values()}
    assert {"MongoDB::Atlas::Cluster", "AWS::ApiGatewayV2::Route", "AWS::Lambda::Function"} <= types
    deployed = cli(*plugin, "deploy", "--local", cwd=root)
    assert deployed.code == 0, deployed.err
    assert (
        "registry resources it cannot create" in deployed.err and "MongoDbClusterAtlasCluster" in deployed.err
    )
    functions = aws("lambda").list_functions()["Functions"]
    variables = {f["FunctionName"]: f["Environment"]["Variables"] for f in functions}
    assert variables["starter-dev-savePost"]["STP_MONGO_DB_CLUSTER_CONNECTION_STRING"].startswith(
        "stackwright-local-engine-skipped:MongoDbClusterAtlasCluster."
    )


#: Synthesized starters whose local deploy needs a Docker daemon (they build container images).
NEEDS_DOCKER = frozenset({"remix-website-container", "gpu-inference-api", "tensorflow-image-classification"})


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=[pytest.mark.docker] if n in NEEDS_DOCKER else []) for n in sorted(SYNTHESIZED)],
)
def test_a_synthesized_starter_deploys(
    cli: Callable[..., Result],
    tmp_path: Path,
    esbuild: Path,
    engine: str,
    aws: Any,
    request: pytest.FixtureRequest,
    name: str,
) -> None:
    """Each starter that synthesizes, unchanged, deploys to the embedded engine; what the engine leaves
    out is named, never silently dropped."""
    starter = COMPAT / "starters" / f"{name}.yml"
    if not starter.exists():
        pytest.skip(f"no {starter}")
    root = prepare(starter, tmp_path / name)
    if name in NEEDS_DOCKER:
        request.getfixturevalue("docker_daemon")  # skips, with the reason, without one
        for dockerfile in root.rglob("Dockerfile*"):
            dockerfile.write_text("FROM stackwright-test-base:latest\n")
    result = cli("deploy", "--local", cwd=root)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    if (root / "package.json").exists():
        assert (root / "dist" / "built.txt").read_text() == "built\n"  # the beforeDeploy hook ran
    summaries = aws("cloudformation").list_stack_resources(StackName=f"{name}-dev")["StackResourceSummaries"]
    assert any(
        s["ResourceType"] in ("AWS::Lambda::Function", "AWS::CloudFront::Distribution")
        or "ECS" in s["ResourceType"]
        or "Batch" in s["ResourceType"]
        for s in summaries
    )
