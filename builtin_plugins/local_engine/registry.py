"""The local image registry (Debian's `docker-registry`) on 127.0.0.1, started on demand like the engine."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

from stackwright import StackwrightError, cache_dir

REGISTRY_ENV = "STACKWRIGHT_LOCAL_REGISTRY"
CONFIG = """version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: {root}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:{port}
"""


def _answers(address: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://{address}/v2/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _state() -> tuple[int, int] | None:
    try:
        data = json.loads((cache_dir("local") / "registry.json").read_text())
        pid, port = int(data["pid"]), int(data["port"])
        os.kill(pid, 0)
    except (OSError, ValueError, KeyError):
        return None
    return (pid, port) if _answers(f"127.0.0.1:{port}") else None


_LOCK = threading.Lock()


def address() -> str:
    """`host:port` of the registry: `$STACKWRIGHT_LOCAL_REGISTRY`, else ours, started if needed (once, even
    when parallel uploads ask together)."""
    with _LOCK, (cache_dir("local") / "registry.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            return _address()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _address() -> str:
    given = os.environ.get(REGISTRY_ENV)
    if given:
        if not _answers(given):
            raise StackwrightError(f"no image registry answers at {given} ({REGISTRY_ENV})")
        return given
    running = _state()
    if running:
        return f"127.0.0.1:{running[1]}"
    binary = shutil.which("docker-registry") or shutil.which("registry")
    if binary is None:
        raise StackwrightError(
            "the local target keeps images in a local registry, and `docker-registry` is not installed",
            hint="install Debian's docker-registry package, or set STACKWRIGHT_LOCAL_REGISTRY=host:port",
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    folder = cache_dir("local", "registry")
    config = folder / "config.yml"
    config.write_text(CONFIG.format(root=folder / "data", port=port))
    log = (folder / "registry.log").open("ab")
    process = subprocess.Popen(
        [binary, "serve", str(config)],
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(100):
        if _answers(f"127.0.0.1:{port}"):
            (cache_dir("local") / "registry.json").write_text(json.dumps({"pid": process.pid, "port": port}))
            return f"127.0.0.1:{port}"
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise StackwrightError(f"the local image registry did not start; see {log.name}")


def stop() -> bool:
    running = _state()
    if running is None:
        return False
    os.kill(running[0], signal.SIGTERM)
    (cache_dir("local") / "registry.json").unlink(missing_ok=True)
    return True
