"""Start `stackwright console` as users do (a new process, `--no-browser --port 0`), read the link it
prints, and fetch pages from it over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Served:
    """A running console: its base URL (`http://127.0.0.1:PORT`), token and process."""

    base: str
    token: str
    process: subprocess.Popen[str]

    @property
    def cookie(self) -> str:
        """The name of the cookie that keeps the token (one per port)."""
        return f"stackwright_console_{self.base.rsplit(':', 1)[1]}"

    @property
    def link(self) -> str:
        return f"{self.base}/?token={self.token}"

    def get(
        self, path: str, token: bool = True, method: str = "GET", host: str | None = None, cookie: str = ""
    ) -> tuple[int, str]:
        """(status, body) of `path`, with the token as the cookie the first visit sets (or without, or
        with `cookie` as the whole Cookie header)."""
        request = urllib.request.Request(self.base + path, method=method)
        if token or cookie:
            request.add_header("Cookie", cookie or f"{self.cookie}={self.token}")
        if host:
            request.add_header("Host", host)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@contextmanager
def console(root: Path, *args: str) -> Iterator[Served]:
    """`stackwright --local console --no-browser --port 0 ARGS` in `root`, stopped afterwards."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stackwright.cli.main",
            "--local",
            "console",
            "--no-browser",
            "--port",
            "0",
            *args,
        ],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if "token=" not in line:
            process.kill()
            raise AssertionError(f"no link printed: {line!r} {process.communicate()[1]}")
        link = line.strip().rsplit(" ", 1)[-1]
        base, token = link.split("/?token=")
        yield Served(base, token, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def as_deployed(aws: Callable[[str], Any], stack: str) -> tuple[dict[str, str], dict[str, Any]]:
    """What the engine says of `stack`: logical id → physical id, and the deployed template, to compare
    the console's pages with."""
    cf = aws("cloudformation")
    physical = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in cf.list_stack_resources(StackName=stack)["StackResourceSummaries"]
        if r.get("LogicalResourceId")  # the engine lists a nameless entry for the stack itself
    }
    body = cf.get_template(StackName=stack)["TemplateBody"]
    return physical, json.loads(body) if isinstance(body, str) else json.loads(json.dumps(body))
