"""Container image builds: cold (nothing cached) vs a one-line change, on a real Docker daemon.

Builds a custom-Dockerfile web service and a Python buildpack worker with `stackwright package`
(a new process each time) and prints the medians. Needs DOCKER_HOST and the base image that
`.ci/docker.sh` makes (stackwright-test-base:latest).

    python benchmarks/images.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from common import STACKWRIGHT, median_of, run

CONFIG = """\
resources:
  web:
    type: web-service
    properties:
      packaging: {type: custom-dockerfile, properties: {buildContextPath: web}}
      resources: {cpu: 0.25, memory: 512}
  worker:
    type: worker-service
    properties:
      packaging: {type: stacktape-image-buildpack, properties: {entryfilePath: worker/main.py}}
      resources: {cpu: 0.25, memory: 512}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("STACKWRIGHT_BUILDPACK_BASE_IMAGE", "stackwright-test-base:latest")
    work = Path(tempfile.mkdtemp(prefix="bench-images-"))
    root = work / "project"
    (root / "web").mkdir(parents=True)
    (root / "worker").mkdir()
    (root / "stackwright.yml").write_text(CONFIG)
    (root / "web" / "Dockerfile").write_text(
        "FROM stackwright-test-base:latest\nRUN echo building > /built.txt\nCOPY . /site/\n"
    )
    (root / "worker" / "main.py").write_text("import six\nprint(six.__version__)\n")
    (root / "worker" / "requirements.txt").write_text("six==1.16.0\n")
    site = root / "web" / "index.html"

    def cold() -> None:
        os.environ["STACKWRIGHT_CACHE_DIR"] = str(work / f"cache-{uuid.uuid4()}")
        site.write_text(f"<h1>{uuid.uuid4()}</h1>\n")  # new inputs: no image to reuse
        (root / "worker" / "main.py").write_text(f"import six\nprint(six.__version__)  # {uuid.uuid4()}\n")

    def one_line() -> None:
        site.write_text(site.read_text() + f"<!-- {uuid.uuid4()} -->\n")

    try:
        cold_build = median_of(args.repeats, cold, lambda: run([STACKWRIGHT, "package"], root))
        rebuild = median_of(args.repeats, one_line, lambda: run([STACKWRIGHT, "package"], root))
        unchanged = median_of(args.repeats, lambda: None, lambda: run([STACKWRIGHT, "package"], root))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        subprocess.run(
            ["docker", "image", "prune", "-f", "--filter", "label=stackwright.digest"], capture_output=True
        )
    print(f"\nImage builds (2 images), median of {args.repeats} runs")
    print(f"{'cold (new inputs, empty caches)':<44}{cold_build:>8.2f}s")
    print(f"{'one-line change to one image':<44}{rebuild:>8.2f}s")
    print(f"{'no change':<44}{unchanged:>8.2f}s")
    print(f"{'cold / one-line change':<44}{cold_build / rebuild:>8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
