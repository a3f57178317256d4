"""Deploy speed on the embedded engine: first deploy, no-change deploy, one-function code change.

Each case runs the whole `stackwright --local deploy` command in a new process, on a project of
FUNCTIONS Python functions (one dependency, shared), and prints the median wall time.

    python benchmarks/deploy.py [--repeats 5] [--functions 5]
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


def fixture(root: Path, functions: int) -> Path:
    lines = ["serviceName: bench", "resources:"]
    for index in range(functions):
        folder = root / f"fn{index}"
        folder.mkdir(parents=True)
        (folder / "handler.py").write_text(
            f"import six\n\n\ndef handler(event, context):\n    return {index}\n"
        )
        packaging = (
            f"{{type: stacktape-lambda-buildpack, properties: {{entryfilePath: fn{index}/handler.py}}}}"
        )
        lines += [f"  fn{index}:", "    type: function", "    properties:", f"      packaging: {packaging}"]
    (root / "requirements.txt").write_text("six==1.16.0\n")
    (root / "stackwright.yml").write_text("\n".join(lines) + "\n")
    return root / "fn0" / "handler.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--functions", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-deploy-"))
    env = {"STACKWRIGHT_CACHE_DIR": str(work / "cache")}
    os.environ.update(env)
    subprocess.run([STACKWRIGHT, "local", "start"], check=True, capture_output=True)
    try:
        root = work / "project"
        touched = fixture(root, args.functions)
        deploy = [STACKWRIGHT, "--local", "deploy"]

        def fresh() -> None:
            subprocess.run(
                [STACKWRIGHT, "--local", "delete", "--yes"], cwd=root, check=True, capture_output=True
            )

        counter = [0]

        def edit() -> None:
            counter[0] += 1
            touched.write_text(touched.read_text() + f"# change {counter[0]}\n")

        first = median_of(args.repeats, fresh, lambda: run(deploy, root))
        unchanged = median_of(args.repeats, lambda: None, lambda: run(deploy, root))
        changed = median_of(args.repeats, edit, lambda: run(deploy, root))
    finally:
        subprocess.run([STACKWRIGHT, "local", "stop"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nDeploy to the local engine, {args.functions} functions, median of {args.repeats} runs")
    print(f"{'first deploy (bootstrap + all resources)':<46}{first:>8.2f}s")
    print(f"{'no-change deploy':<46}{unchanged:>8.2f}s")
    print(f"{'one-function code change':<46}{changed:>8.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
