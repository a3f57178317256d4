"""Past CloudFormation's limits: 1,000 functions (3,003 resources) synthesized and deployed as nested
stacks on the embedded engine, with AWS SAM CLI on the same functions in the same run.

Goals: `synth` in at most 1.5 s; the first deploy and a one-function change succeed on the engine.
SAM's peers: its compile step (samtranslator's transform of the same 1,000 functions, in SAM CLI's own
interpreter) and `sam deploy` of that template as one stack (the engine takes it; AWS would refuse a
stack of more than 500 resources, SAM splits nothing).

    python benchmarks/nested.py [--functions 1000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import (
    RUNTIME,
    SAM_BUCKET,
    STACKWRIGHT,
    engine_clients,
    functions_project,
    goal,
    local_engine,
    median_of,
    report,
    run,
    sam_binary,
    sam_deploy,
    sam_env,
    sam_template,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sam = sam_binary()
    work = Path(tempfile.mkdtemp(prefix="bench-nested-"))
    os.environ["STACKWRIGHT_CACHE_DIR"] = str(work / "cache")
    rows: list[tuple[str, float, float | None]] = []
    goals = []
    try:
        root = work / "project"
        handlers = functions_project(root, args.functions, "many", RUNTIME)
        names = [h.parent.name for h in handlers]
        started = time.perf_counter()
        template = sam_template(names, names, RUNTIME)
        transform = time.perf_counter() - started
        (root / "template.json").write_text(json.dumps(template))
        run([STACKWRIGHT, "synth"], root)  # builds nothing; warms the bytecode caches
        synth = median_of(args.repeats, lambda: None, lambda: run([STACKWRIGHT, "synth"], root))
        rows.append((f"synth {args.functions} functions", synth, transform))
        goals.append(goal(f"synth of {args.functions} functions", synth, 1.5))
        config = (root / "stackwright.yml").read_text()
        with local_engine() as endpoint:
            ours = [STACKWRIGHT, "--local", "deploy", "--yes"]
            first = run(ours, root)
            env = sam_env(endpoint)
            s3, cloudformation = engine_clients(endpoint)
            s3.create_bucket(Bucket=SAM_BUCKET)
            theirs = sam_deploy(sam)
            first_sam = run(theirs, root, env)
            rows.append(("first deploy", first, first_sam))
            stacks = cloudformation.describe_stacks()["Stacks"]
            nested = sum("-StpNested" in s["StackName"] for s in stacks)
            same = median_of(args.repeats, lambda: None, lambda: run(ours, root))
            same_sam = median_of(args.repeats, lambda: None, lambda: run(theirs, root, env))
            rows.append(("no-change deploy", same, same_sam))
            memory = [256]

            def edit() -> None:
                memory[0] += 64
                changed_config = config.replace(
                    "  fn1:\n    type: function\n    properties:\n",
                    f"  fn1:\n    type: function\n    properties:\n      memory: {memory[0]}\n",
                )
                (root / "stackwright.yml").write_text(changed_config)

            def edit_sam() -> None:
                template["Resources"]["Fn1"]["Properties"]["MemorySize"] = memory[0]  # type: ignore[index]
                (root / "template.json").write_text(json.dumps(template))

            changed = median_of(args.repeats, edit, lambda: run(ours, root))
            changed_sam = median_of(args.repeats, edit_sam, lambda: run(theirs, root, env))
            rows.append(("one function changed", changed, changed_sam))
        verdict = "met" if nested else "NOT met: the config was not split (use more functions)"
        goals.append(f"goal: deploys as nested stacks on the local engine: {verdict} ({nested} of them)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(
        f"{args.functions} functions past CloudFormation's limits (median of {args.repeats}; "
        "first deploy once each; the change is one function's memory)",
        rows,
        "sam",
    )
    print("\n".join(goals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
