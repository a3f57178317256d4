"""Packaging speed: stackwright vs AWS SAM CLI (`sam build --cached --parallel`), same fixture, same run.

Fixture: two Python functions importing requests and pydantic and one without dependencies (small);
fifty functions sharing the same code and requirements (large). Cases: cold (empty caches), no change,
one-line code change. Prints the median wall time of each whole command and the ratio
(stackwright / SAM; below 1 is faster).

    python benchmarks/packaging.py [--repeats 3] [--skip-sam]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from common import STACKWRIGHT, median_of, report, run, sam_binary

RUNTIME = f"python{sys.version_info.major}.{sys.version_info.minor}"
APP = "import requests\nimport pydantic\n\n\ndef handler(event, context):\n    return {'n': %d}\n"
PLAIN = "def handler(event, context):\n    return {'plain': True}\n"


def fixture(root: Path, count: int) -> list[Path]:
    """Writes both tools' configs; returns the files a one-line change touches."""
    shared = count > 3
    names = [f"fn{i}" for i in range(count)] if shared else ["orders", "users", "health"]
    sw = ["resources:"]
    sam = ["AWSTemplateFormatVersion: '2010-09-09'", "Transform: AWS::Serverless-2016-10-31", "Resources:"]
    touched = []
    for index, name in enumerate(names):
        folder = "app" if shared else name
        code = root / folder
        if not code.exists():
            code.mkdir(parents=True)
            plain = not shared and name == "health"
            (code / "handler.py").write_text(PLAIN if plain else APP % index)
            if not plain:
                (code / "requirements.txt").write_text("requests==2.32.3\npydantic==2.9.2\n")
            touched.append(code / "handler.py")
        sw += [
            f"  {name}:",
            "    type: function",
            "    properties:",
            f"      runtime: {RUNTIME}",
            "      packaging:",
            "        type: stacktape-lambda-buildpack",
            f"        properties: {{entryfilePath: {folder}/handler.py}}",
        ]
        logical = name.capitalize()
        sam += [
            f"  {logical}:",
            "    Type: AWS::Serverless::Function",
            "    Properties:",
            f"      CodeUri: {folder}/",
            "      Handler: handler.handler",
            f"      Runtime: {RUNTIME}",
        ]
    (root / "stackwright.yml").write_text("\n".join(sw) + "\n")
    (root / "template.yaml").write_text("\n".join(sam) + "\n")
    return touched[:1]


def bench(label: str, count: int, repeats: int, use_sam: bool) -> list[tuple[str, float, float | None]]:
    work = Path(tempfile.mkdtemp(prefix=f"bench-pack-{label}-"))
    root = work / "project"
    root.mkdir()
    touched = fixture(root, count)
    cache = work / "sw-cache"
    sw_env = {"STACKWRIGHT_CACHE_DIR": str(cache)}
    sam = sam_binary() if use_sam else ""
    sam_cmd = [sam, "build", "--cached", "--parallel"]
    counter = [0]

    def edit() -> None:
        counter[0] += 1
        for path in touched:
            path.write_text(path.read_text() + f"# change {counter[0]}\n")

    def sw() -> float:
        return run([STACKWRIGHT, "package"], root, sw_env)

    def sam_run() -> float:
        return run(sam_cmd, root, {"SAM_CLI_TELEMETRY": "0"})

    def clean_sw() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def clean_sam() -> None:
        shutil.rmtree(root / ".aws-sam", ignore_errors=True)

    rows: list[tuple[str, float, float | None]] = []
    cold_sw = median_of(repeats, clean_sw, sw)
    cold_sam = median_of(repeats, clean_sam, sam_run) if use_sam else None
    rows.append((f"{label}: cold", cold_sw, cold_sam))
    rows.append(
        (
            f"{label}: no change",
            median_of(repeats, lambda: None, sw),
            median_of(repeats, lambda: None, sam_run) if use_sam else None,
        )
    )
    rows.append(
        (
            f"{label}: one-line change",
            median_of(repeats, edit, sw),
            median_of(repeats, edit, sam_run) if use_sam else None,
        )
    )
    shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-sam", action="store_true", help="measure stackwright only")
    args = parser.parse_args()
    rows = bench("small (3 functions)", 3, args.repeats, not args.skip_sam)
    rows += bench("large (50 functions)", 50, args.repeats, not args.skip_sam)
    report(f"Lambda packaging, median of {args.repeats} runs ({RUNTIME})", rows, "sam")
    small_cold = rows[0][1]
    large_cold = rows[3][1]
    print(f"\nlarge cold / small cold (stackwright): {large_cold / small_cold:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
