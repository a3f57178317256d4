"""Hot-swap vs full deploy on the embedded engine: a one-line change to one of ten functions.

Each sample is a whole `stackwright --local deploy` command in a new process; prints the medians, the
ratio, and how far the hot-swap is beyond packaging alone (`stackwright package` of the same change).

    python benchmarks/hotswap.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import STACKWRIGHT, median_of, run

FUNCTIONS = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-hotswap-"))
    os.environ["STACKWRIGHT_CACHE_DIR"] = str(work / "cache")
    subprocess.run([STACKWRIGHT, "local", "start"], check=True, capture_output=True)
    try:
        root = work / "project"
        lines = ["serviceName: swap", "resources:"]
        for index in range(FUNCTIONS):
            (root / f"fn{index}").mkdir(parents=True)
            (root / f"fn{index}" / "app.py").write_text(f"def handler(event, context):\n    return {index}\n")
            entry = f"{{type: stacktape-lambda-buildpack, properties: {{entryfilePath: fn{index}/app.py}}}}"
            lines += [f"  fn{index}:", "    type: function", "    properties:", f"      packaging: {entry}"]
        (root / "stackwright.yml").write_text("\n".join(lines) + "\n")
        run([STACKWRIGHT, "--local", "deploy"], root)
        source = root / "fn3" / "app.py"
        counter = [0]

        def edit() -> None:
            counter[0] += 1
            source.write_text(source.read_text() + f"# change {counter[0]}\n")

        full = median_of(
            args.repeats, edit, lambda: run([STACKWRIGHT, "--local", "deploy", "--no-hotswap"], root)
        )
        swap = median_of(
            args.repeats, edit, lambda: run([STACKWRIGHT, "--local", "deploy", "--hotswap"], root)
        )
        package = median_of(args.repeats, edit, lambda: run([STACKWRIGHT, "package"], root))
    finally:
        subprocess.run([STACKWRIGHT, "local", "stop"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nOne-line change to one of {FUNCTIONS} functions, local engine, median of {args.repeats} runs")
    print(f"{'full deploy (CloudFormation)':<40}{full:>8.2f}s")
    print(f"{'hot-swap':<40}{swap:>8.2f}s")
    print(f"{'package only':<40}{package:>8.2f}s")
    print(f"{'full / hot-swap':<40}{full / swap:>8.2f}x")
    print(f"{'hot-swap beyond packaging':<40}{swap - package:>8.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
