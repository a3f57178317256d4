"""Deploy speed on the embedded engine, stackwright against `sam deploy`, in the same run.

A project of FUNCTIONS Python functions, one folder each, no dependencies, deployed by both tools to
the same local engine: first deploy, no-change deploy, one-function code change. Each sample is a whole
command in a new process; prints the medians and the ratios (stackwright / SAM; below 1 is faster).

SAM is given every advantage the engine allows: its template is transformed beforehand with
samtranslator (the engine has no `AWS::Serverless` transform), its bucket is made beforehand and
passed with `--s3-bucket` (stackwright's first deploy creates its own bucket and repository), the
endpoint is `localhost`, `SAM_CLI_POLL_DELAY=0.2` matches stackwright's poll interval, and `sam build`
is not counted (SAM zips the folders as they are).

    python benchmarks/deploy.py [--repeats 5] [--functions 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import (
    RUNTIME,
    SAM_BUCKET,
    SAM_STACK,
    STACKWRIGHT,
    engine_clients,
    functions_project,
    local_engine,
    median_of,
    report,
    run,
    sam_binary,
    sam_deploy,
    sam_env,
    sam_template,
)


def fixture(root: Path, functions: int) -> list[Path]:
    """Both tools' projects in `root`; returns each function's handler file."""
    handlers = functions_project(root, functions, "bench", RUNTIME)
    names = [h.parent.name for h in handlers]
    (root / "template.json").write_text(json.dumps(sam_template(names, names, RUNTIME)))
    return handlers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--functions", type=int, default=5)
    args = parser.parse_args()
    sam = sam_binary()
    work = Path(tempfile.mkdtemp(prefix="bench-deploy-"))
    os.environ["STACKWRIGHT_CACHE_DIR"] = str(work / "cache")
    rows = []
    try:
        with local_engine() as endpoint:
            root = work / "project"
            handlers = fixture(root, args.functions)
            env = sam_env(endpoint)
            s3, cloudformation = engine_clients(endpoint)
            s3.create_bucket(Bucket=SAM_BUCKET)
            ours = [STACKWRIGHT, "--local", "deploy"]
            theirs = sam_deploy(sam)

            def delete_ours() -> None:
                subprocess.run([STACKWRIGHT, "--local", "delete", "--yes"], cwd=root, capture_output=True)

            def delete_theirs() -> None:
                cloudformation.delete_stack(StackName=SAM_STACK)
                waiter = cloudformation.get_waiter("stack_delete_complete")
                waiter.wait(StackName=SAM_STACK, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})

            counter = [0]

            def edit() -> None:
                counter[0] += 1
                handlers[0].write_text(handlers[0].read_text() + f"# change {counter[0]}\n")

            first = median_of(args.repeats, delete_ours, lambda: run(ours, root))
            first_sam = median_of(args.repeats, delete_theirs, lambda: run(theirs, root, env))
            rows.append(("first deploy", first, first_sam))
            same = median_of(args.repeats, lambda: None, lambda: run(ours, root))
            same_sam = median_of(args.repeats, lambda: None, lambda: run(theirs, root, env))
            rows.append(("no-change deploy", same, same_sam))
            changed = median_of(args.repeats, edit, lambda: run([*ours, "--no-hotswap"], root))
            changed_sam = median_of(args.repeats, edit, lambda: run(theirs, root, env))
            rows.append(("one-function code change", changed, changed_sam))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(
        f"Deploy to the local engine, {args.functions} functions, median of {args.repeats} runs",
        rows,
        "sam deploy",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
