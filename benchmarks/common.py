"""Shared helpers for the benchmark scripts: timing commands, medians, peers' installs, reports."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "build" / "peers"
STACKWRIGHT = str(Path(sys.executable).parent / "stackwright")


def run(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Wall seconds of one run; fails loudly with the command's output."""
    started = time.perf_counter()
    environment = {**os.environ, **(env or {})}
    done = subprocess.run(list(command), cwd=cwd, env=environment, capture_output=True, text=True)
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
