"""Hot-swap against a full deploy of the same change, and against `sam sync --code`, in the same run.

A one-line change to one of FUNCTIONS Python functions (one folder each), on the local engine: the
median of whole `stackwright --local deploy --no-hotswap` commands, of `... --hotswap`, of `stackwright
package` (what any deploy does before it talks to the engine), and of `sam sync --code` on a SAM
project of the same functions (its template transformed with samtranslator and deployed once with
`sam deploy`; endpoint `localhost`, `SAM_CLI_POLL_DELAY=0.2`). Prints the ratios and the goal: a
hot-swap takes at most half of a full deploy of the same change.

    python benchmarks/hotswap.py [--repeats 5] [--functions 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import (
    STACKWRIGHT,
    functions_project,
    goal,
    local_engine,
    median_of,
    run,
    sam_binary,
    sam_env,
    sam_template,
)

RUNTIME = "python3.12"
STACK = "sam-swap"
BUCKET = "sam-swap-artifacts"


def fixture(root: Path, functions: int) -> Path:
    """Both tools' projects in `root`; returns the handler file each change touches."""
    handlers = functions_project(root, functions, "swap", RUNTIME)
    names = [h.parent.name for h in handlers]
    (root / "template.json").write_text(json.dumps(sam_template(names, names, RUNTIME)))
    return handlers[min(3, functions - 1)]


def watched(root: Path, source: Path, repeats: int, *args: str) -> float:
    """The median time from a save to its cycle's line in one `deploy --watch` process (the AWS clients
    and imports are warm: what a cycle costs in the inner loop)."""
    import queue
    import statistics
    import threading
    import time

    command = [STACKWRIGHT, "--local", "deploy", "--watch", *args]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    process = subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    lines: queue.Queue[str] = queue.Queue()
    started = threading.Event()

    def pump(stream: Any, put: Callable[[str], None]) -> None:
        for line in stream:
            put(line)

    threading.Thread(target=pump, args=(process.stdout, lines.put), daemon=True).start()
    threading.Thread(
        target=pump,
        args=(process.stderr, lambda text: started.set() if text.startswith("watching") else None),
        daemon=True,
    ).start()
    try:
        if not started.wait(300):
            sys.exit(f"{' '.join(command)} did not start watching")
        time.sleep(0.5)
        while not lines.empty():
            lines.get()
        samples = []
        for index in range(repeats):
            source.write_text(source.read_text() + f"# watched {args} {index}\n")
            begun = time.perf_counter()
            line = lines.get(timeout=120)
            samples.append(time.perf_counter() - begun)
            if " error: " in line:
                sys.exit(f"{' '.join(command)}: {line}")
            time.sleep(0.3)
        return statistics.median(samples)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--functions", type=int, default=10)
    args = parser.parse_args()
    sam = sam_binary()
    work = Path(tempfile.mkdtemp(prefix="bench-hotswap-"))
    os.environ["STACKWRIGHT_CACHE_DIR"] = str(work / "cache")
    try:
        with local_engine() as endpoint:
            import boto3

            root = work / "project"
            source = fixture(root, args.functions)
            env = sam_env(endpoint)
            s3 = boto3.client(
                "s3",
                endpoint_url=endpoint,
                region_name="us-east-1",
                aws_access_key_id="test",
                aws_secret_access_key="test",
            )
            s3.create_bucket(Bucket=BUCKET)
            run([STACKWRIGHT, "--local", "deploy"], root)
            common = ["--template-file", "template.json", "--stack-name", STACK, "--s3-bucket", BUCKET]
            deploy = [sam, "deploy", *common, "--capabilities", "CAPABILITY_IAM", "--no-confirm-changeset"]
            run(deploy, root, env)
            sync = [sam, "sync", "--code", *common, "--no-dependency-layer"]
            counter = [0]

            def edit() -> None:
                counter[0] += 1
                source.write_text(source.read_text() + f"# change {counter[0]}\n")

            deploy_ours = [STACKWRIGHT, "--local", "deploy"]
            full = median_of(args.repeats, edit, lambda: run([*deploy_ours, "--no-hotswap"], root))
            swap = median_of(args.repeats, edit, lambda: run([*deploy_ours, "--hotswap"], root))
            package = median_of(args.repeats, edit, lambda: run([STACKWRIGHT, "package"], root))
            sam_sync = median_of(args.repeats, edit, lambda: run(sync, root, env, stdin="y\n"))
            watch_swap = watched(root, source, args.repeats)
            watch_full = watched(root, source, args.repeats, "--no-hotswap")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"\nOne-line change to one of {args.functions} functions, local engine, median of {args.repeats} runs"
    )
    print(f"{'full deploy (CloudFormation)':<40}{full:>8.2f}s")
    print(f"{'hot-swap':<40}{swap:>8.2f}s")
    print(f"{'package only':<40}{package:>8.2f}s")
    print(f"{'sam sync --code':<40}{sam_sync:>8.2f}s")
    print(f"{'hot-swap / full deploy':<40}{swap / full:>8.2f}")
    print(f"{'hot-swap / sam sync --code':<40}{swap / sam_sync:>8.2f}")
    print("\nIn one `deploy --watch` process, from the save to the cycle's line")
    print(f"{'full deploy (--no-hotswap)':<40}{watch_full:>8.2f}s")
    print(f"{'hot-swap':<40}{watch_swap:>8.2f}s")
    print(f"{'hot-swap / full deploy':<40}{watch_swap / watch_full:>8.2f}")
    print(f"{'hot-swap / sam sync --code':<40}{watch_swap / sam_sync:>8.2f}")
    print(goal("hot-swap / full deploy, whole commands", swap / full, 0.5, unit=""))
    print(goal("hot-swap / full deploy, in deploy --watch", watch_swap / watch_full, 0.5, unit=""))
    print(goal("a save hot-swapped by deploy --watch", watch_swap, 1.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
