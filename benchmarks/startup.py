"""Start-up: `--version`, `--help` and a no-change `package`, stackwright against AWS SAM CLI (`sam
--version`, `sam --help`, `sam build --cached` of the same functions with nothing changed), in the same run.

Each sample is a whole command in a new process (bytecode caches written, as an installed tool has
them); the first run of each is not counted (it writes the caches stackwright keeps: the entry-point
scan, the help text, the built zips). Prints the medians, the ratios and the goals: `--version` and
`--help` at most 0.1 s, a no-change `package` at most 0.15 s.

    python benchmarks/startup.py [--repeats 9] [--functions 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from common import STACKWRIGHT, functions_project, goal, median_of, report, run, sam_binary

RUNTIME = "python3.12"


def fixture(root: Path, functions: int) -> None:
    """Both tools' projects in `root` (SAM's with `CodeUri` folders, for `sam build`)."""
    sam = ["AWSTemplateFormatVersion: '2010-09-09'", "Transform: AWS::Serverless-2016-10-31", "Resources:"]
    for index, handler in enumerate(functions_project(root, functions, "start", RUNTIME)):
        sam += [f"  Fn{index}:", "    Type: AWS::Serverless::Function", "    Properties:"]
        sam += [
            f"      CodeUri: {handler.parent.name}/",
            "      Handler: handler.handler",
            f"      Runtime: {RUNTIME}",
        ]
    (root / "template.yaml").write_text("\n".join(sam) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--functions", type=int, default=5)
    args = parser.parse_args()
    sam = sam_binary()
    work = Path(tempfile.mkdtemp(prefix="bench-start-"))
    os.environ["STACKWRIGHT_CACHE_DIR"] = str(work / "cache")
    os.environ["SAM_CLI_TELEMETRY"] = "0"
    try:
        root = work / "project"
        fixture(root, args.functions)
        cases = [
            ("--version", [STACKWRIGHT, "--version"], [sam, "--version"]),
            ("--help", [STACKWRIGHT, "--help"], [sam, "--help"]),
            ("no-change package / sam build --cached", [STACKWRIGHT, "package"], [sam, "build", "--cached"]),
        ]
        rows = []
        for label, ours, theirs in cases:
            run(ours, root)
            run(theirs, root)
            rows.append(
                (
                    label,
                    median_of(args.repeats, lambda: None, lambda ours=ours: run(ours, root)),
                    median_of(args.repeats, lambda: None, lambda theirs=theirs: run(theirs, root)),
                )
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(f"Start-up, median of {args.repeats} runs", rows, "sam")
    print(goal("stackwright --version", rows[0][1], 0.1))
    print(goal("stackwright --help", rows[1][1], 0.1))
    print(goal("no-change stackwright package", rows[2][1], 0.15))
    return 0


if __name__ == "__main__":
    sys.exit(main())
