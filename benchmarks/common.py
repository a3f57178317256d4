"""Shared helpers for the benchmark scripts: timing commands, medians, peers' installs, reports."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "build" / "peers"
STACKWRIGHT = str(Path(sys.executable).parent / "stackwright")


def run(
    command: Sequence[str], cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> float:
    """Wall seconds of one run; fails loudly with the command's output. Every tool writes its bytecode
    caches, as an installed one does (PYTHONDONTWRITEBYTECODE is dropped)."""
    started = time.perf_counter()
    environment = {k: v for k, v in {**os.environ, **(env or {})}.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        list(command), cwd=cwd, env=environment, capture_output=True, text=True, input=stdin
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed in {cwd}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return elapsed


def median_of(repeats: int, prepare: Callable[[], None], measure: Callable[[], float]) -> float:
    samples = []
    for _ in range(repeats):
        prepare()
        samples.append(measure())
    return statistics.median(samples)


def sam_binary() -> str:
    """AWS SAM CLI: on PATH, or installed from PyPI into build/peers/sam on first use."""
    found = shutil.which("sam")
    if found:
        return found
    venv = PEERS / "sam"
    binary = venv / "bin" / "sam"
    if not binary.exists():
        print("installing aws-sam-cli into build/peers/sam ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "aws-sam-cli"], check=True)
    return str(binary)


def report(title: str, rows: list[tuple[str, float, float | None]], peer: str) -> None:
    print(f"\n{title}")
    print(f"{'case':<40}{'stackwright':>12}{peer:>12}{'ratio':>8}")
    for case, ours, theirs in rows:
        ratio = f"{ours / theirs:.2f}" if theirs else "-"
        theirs_text = f"{theirs:.2f}s" if theirs is not None else "-"
        print(f"{case:<40}{ours:>11.2f}s{theirs_text:>12}{ratio:>8}")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def local_engine() -> Iterator[str]:
    """Start stackwright's local engine on a free port for the run; yields its endpoint as SAM needs it
    (`localhost`: SAM CLI refuses some calls to a bare IP address)."""
    port = free_port()
    subprocess.run([STACKWRIGHT, "local", "start", "--port", str(port)], check=True, capture_output=True)
    try:
        yield f"http://localhost:{port}"
    finally:
        subprocess.run([STACKWRIGHT, "local", "stop"], capture_output=True)


def sam_env(endpoint: str) -> dict[str, str]:
    """SAM CLI against the local engine: its endpoint for every client, dummy credentials, the
    CloudFormation poll interval stackwright uses (SAM's default is 5 s), no telemetry."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "SAM_CLI_POLL_DELAY": "0.2",
        "SAM_CLI_TELEMETRY": "0",
    }


def sam_template(names: list[str], folders: list[str], runtime: str) -> dict[str, object]:
    """A SAM template of one function per name, transformed with samtranslator (the local engine's
    CloudFormation has no `AWS::Serverless` transform), with each function's `Code` set back to its
    folder so that `sam deploy` zips and uploads it as it does for `CodeUri`."""
    script = f"""
import json, sys
from samtranslator.translator.transform import transform
names, folders, runtime = {names!r}, {folders!r}, {runtime!r}
resources = {{
    name.capitalize(): {{
        "Type": "AWS::Serverless::Function",
        "Properties": {{"CodeUri": f"s3://placeholder/{{name}}.zip", "Handler": "handler.handler",
                        "Runtime": runtime, "FunctionName": f"sam-bench-{{name}}"}},
    }}
    for name in names
}}
class Policies:
    def load(self):
        return {{"AWSLambdaBasicExecutionRole":
                 "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}}
template = {{"AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::Serverless-2016-10-31",
            "Resources": resources}}
out = transform(template, {{}}, Policies())
for name, folder in zip(names, folders):
    out["Resources"][name.capitalize()]["Properties"]["Code"] = folder + "/"
json.dump(out, sys.stdout)
"""
    beside = Path(sam_binary()).parent / "python"  # the interpreter SAM CLI was installed into
    python = str(beside) if beside.exists() else sys.executable
    done = subprocess.run(
        [python, "-c", script],
        env={**os.environ, "AWS_DEFAULT_REGION": "us-east-1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


def goal(label: str, value: float, bound: float, unit: str = "s") -> str:
    """`goal <label> <= bound: met (value)` or `NOT met`."""
    verdict = "met" if value <= bound else "NOT met"
    return f"goal: {label} <= {bound:g}{unit}: {verdict} ({value:.3f}{unit})"


def functions_project(root: Path, count: int, service: str, runtime: str) -> list[Path]:
    """`count` Python functions `fn0`, `fn1`, ... in folders of their own under `root`, with the
    `stackwright.yml` that deploys them; returns their handler files."""
    lines = [f"serviceName: {service}", "resources:"]
    handlers = []
    for index in range(count):
        name = f"fn{index}"
        handler = root / name / "handler.py"
        handler.parent.mkdir(parents=True)
        handler.write_text(f"def handler(event, context):\n    return {index}\n")
        handlers.append(handler)
        packaging = f"{{type: stacktape-lambda-buildpack, properties: {{entryfilePath: {name}/handler.py}}}}"
        lines += [f"  {name}:", "    type: function", "    properties:", f"      runtime: {runtime}"]
        lines += [f"      packaging: {packaging}"]
    (root / "stackwright.yml").write_text("\n".join(lines) + "\n")
    return handlers


#: The runtime, stack and bucket of SAM's side of the deploy benchmarks.
RUNTIME = "python3.12"
SAM_STACK = "sam-bench"
SAM_BUCKET = "sam-bench-artifacts"


def engine_clients(endpoint: str) -> tuple[Any, Any]:
    """boto3's S3 and CloudFormation clients on the local engine."""
    import boto3

    options = {"endpoint_url": endpoint, "region_name": "us-east-1"}
    options |= {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    return boto3.client("s3", **options), boto3.client("cloudformation", **options)


def sam_deploy(sam: str) -> list[str]:
    """`sam deploy` of `template.json` as SAM_STACK through SAM_BUCKET (made beforehand), no questions."""
    command = [sam, "deploy", "--template-file", "template.json", "--stack-name", SAM_STACK]
    command += ["--s3-bucket", SAM_BUCKET, "--capabilities", "CAPABILITY_IAM"]
    return [*command, "--no-confirm-changeset", "--no-fail-on-empty-changeset"]
