"""The console's stack page for a stack of 200+ resources on the embedded engine (goal: under 0.5 s).

Deploys 200 SQS queues and a function with `stackwright --local deploy`, starts `stackwright console`,
and times whole HTTP requests of the stack page: cold (the stack read again from the engine: resources,
events, template, kept versions) and warm (the read reused within its 1.5 s window). No peer has a local
console, so the goal is printed instead of a ratio.

    python benchmarks/console.py [--repeats 10] [--queues 200]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from common import STACKWRIGHT, run

GOAL = 0.5


def fetch(url: str, cookie: str) -> tuple[float, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
    return time.perf_counter() - started, body.count(b'data-column="physical id"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--queues", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-console-"))
    os.environ["STACKWRIGHT_CACHE_DIR"] = str(work / "cache")
    subprocess.run([STACKWRIGHT, "local", "start"], check=True, capture_output=True)
    server = None
    try:
        root = work / "project"
        (root / "src").mkdir(parents=True)
        (root / "src" / "app.py").write_text("def handler(event, context):\n    return 1\n")
        lines = [
            "serviceName: wide",
            "resources:",
            "  api:",
            "    type: function",
            "    properties:",
            "      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}",
            "cloudformationResources:",
        ]
        lines += [f"  Queue{i:03d}: {{Type: AWS::SQS::Queue}}" for i in range(args.queues)]
        (root / "stackwright.yml").write_text("\n".join(lines) + "\n")
        deployed = run([STACKWRIGHT, "--local", "deploy"], root)
        server = subprocess.Popen(
            [STACKWRIGHT, "--local", "console", "--no-browser", "--port", "0"],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdout is not None
        link = server.stdout.readline().strip().rsplit(" ", 1)[-1]
        base, token = link.split("/?token=")
        cookie = f"stackwright_console_{base.rsplit(':', 1)[1]}={token}"
        page = f"{base}/stacks/wide-dev"
        fetch(page, cookie)  # first request: the console's imports and connections
        cold, warm, rows = [], [], 0
        for _ in range(args.repeats):
            time.sleep(1.6)  # past the window in which a read is reused
            seconds, rows = fetch(page, cookie)
            cold.append(seconds)
            warm.append(fetch(page, cookie)[0])
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        subprocess.run([STACKWRIGHT, "local", "stop"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    cold_median, warm_median = statistics.median(cold), statistics.median(warm)
    print(
        f"\nStack page of {rows} resources (deployed in {deployed:.1f} s), median of {args.repeats} requests"
    )
    print(
        f"{'cold (stack read from the engine)':<40}{cold_median:>8.3f}s   goal <= {GOAL} s: "
        f"{'met' if cold_median <= GOAL else 'NOT met'} ({cold_median / GOAL:.2f}x the goal)"
    )
    print(f"{'warm (read reused)':<40}{warm_median:>8.3f}s")
    return 0 if cold_median <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
