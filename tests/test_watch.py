"""`stackwright deploy --watch` as a user runs it: a real process with a real file watcher against the
embedded engine, edits made on disk, each cycle's line read from its output and its effect read back
through the Lambda API."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from tests.helpers import Result, write
from tests.test_hotswap import FILES as SWAP_FILES
from tests.test_hotswap import TWO

Aws = Callable[[str], Any]
CONFIG = TWO.replace("serviceName: swap", "serviceName: watched")
FILES = {**SWAP_FILES, "stackwright.yml": CONFIG}


class Watcher:
    """The `deploy --watch` process, with its output lines gathered by threads."""

    def __init__(self, root: Path, *args: str) -> None:
        command = [sys.executable, "-c", "from stackwright.cli.main import run; run()", "--local", "deploy"]
        self.process = subprocess.Popen(
            [*command, "--watch", *args],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={k: v for k, v in os.environ.items() if k != "CI"},
        )
        self.out: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        assert self.process.stdout is not None and self.process.stderr is not None
        threading.Thread(target=self._pump, args=(self.process.stdout, self.out.put), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.process.stderr, self.err.append), daemon=True).start()

    @staticmethod
    def _pump(stream: IO[str], put: Callable[[str], None]) -> None:
        for line in stream:
            put(line.rstrip("\n"))

    def line(self, timeout: float = 60) -> str:
        try:
            return self.out.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line in {timeout} s; stderr:\n" + "\n".join(self.err)) from None

    def watching(self) -> None:
        """Wait for the first deploy to end and the watch to start; drop the first deploy's output."""
        for _ in range(1800):
            if any(line.startswith("watching ") for line in self.err):
                while not self.out.empty():
                    self.out.get()
                return
            if self.process.poll() is not None:
                break
            threading.Event().wait(0.1)
        raise AssertionError("\n".join(self.err))


@pytest.fixture
def watcher(engine: str, tmp_path: Path) -> Iterator[tuple[Path, Watcher]]:
    root = write(tmp_path / "w", FILES)
    running = Watcher(root)
    try:
        running.watching()
        yield root, running
    finally:
        if running.process.poll() is None:
            running.process.kill()


def code(aws: Aws, name: str) -> str:
    return str(aws("lambda").get_function(FunctionName=f"watched-dev-{name}")["Configuration"]["CodeSha256"])


def test_code_is_hot_swapped_the_rest_deployed_and_ctrl_c_stops(
    watcher: tuple[Path, Watcher], aws: Aws, cli: Callable[..., Result]
) -> None:
    root, running = watcher
    before = code(aws, "alpha")
    (root / "alpha" / "app.py").write_text("def handler(e, c):\n    return 'a2'\n")
    line = running.line()
    assert line.endswith(" s)") and " hot-swapped AlphaFunction (" in line, line
    assert code(aws, "alpha") != before
    # a change CloudFormation must make goes through it
    (root / "stackwright.yml").write_text(CONFIG.replace("memory: 256", "memory: 512"))
    assert " deployed: UPDATE_COMPLETE, 1 change (" in running.line()
    config = aws("lambda").get_function(FunctionName="watched-dev-alpha")["Configuration"]
    assert config["MemorySize"] == 512
    # a file no artifact is built from starts no cycle; a broken config is one line, and the watch goes on
    (root / "README.md").write_text("notes\n")
    (root / "stackwright.yml").write_text(CONFIG + "  gamma: [\n")
    line = running.line()
    assert " error: stackwright.yml:" in line and "YAML syntax error" in line, line
    (root / "stackwright.yml").write_text(CONFIG.replace("memory: 256", "memory: 512"))  # as deployed
    assert " no changes (" in running.line()  # the error is gone; nothing to deploy
    before = code(aws, "beta")
    (root / "beta" / "app.py").write_text("def handler(e, c):\n    return 'b2'\n")
    line = running.line()
    assert " hot-swapped BetaFunction (" in line, line
    assert code(aws, "beta") != before
    # a function built from a folder outside the project: that folder is watched from then on
    outside = write(root.parent / "outside", {"main.py": "def handler(e, c):\n    return 'x'\n"})
    extra = f"  ext:\n    type: function\n    properties:\n      runtime: python3.12\n      packaging: {{type: custom-artifact, properties: {{packagePath: {outside}, handler: main.handler}}}}\n"
    (root / "stackwright.yml").write_text(CONFIG.replace("memory: 256", "memory: 512") + extra)
    assert " deployed: UPDATE_COMPLETE, " in running.line()
    before = code(aws, "ext")
    (outside / "main.py").write_text("def handler(e, c):\n    return 'x2'\n")
    assert " hot-swapped ExtFunction (" in running.line()
    assert code(aws, "ext") != before
    running.process.send_signal(signal.SIGINT)
    assert running.process.wait(timeout=60) == 0
    assert "stopped watching" in "\n".join(running.err)


def test_no_hotswap_deploys_code_through_cloudformation(engine: str, aws: Aws, tmp_path: Path) -> None:
    root = write(tmp_path / "w", FILES)
    running = Watcher(root, "--no-hotswap")
    try:
        running.watching()
        before = code(aws, "alpha")
        (root / "alpha" / "app.py").write_text("def handler(e, c):\n    return 'a3'\n")
        assert " deployed: UPDATE_COMPLETE, 1 change (" in running.line()
        assert code(aws, "alpha") != before
    finally:
        running.process.kill()


def test_a_cycle_line_names_a_few_resources_then_counts_the_rest() -> None:
    """A save that hot-swaps 200 functions printed a 3,000-character line."""
    from stackwright.records import DeployResult
    from stackwright.watch import summary

    done = DeployResult("UPDATE_COMPLETE", 200, False, hotswapped=True)
    names = [f"Fn{i}Function" for i in range(200)]
    assert summary(done, names, 2.14) == (
        "hot-swapped Fn0Function, Fn1Function, Fn2Function, Fn3Function, Fn4Function and 195 more (2.1 s)"
    )
    assert summary(done, names[:2], 0.2) == "hot-swapped Fn0Function, Fn1Function (0.2 s)"
