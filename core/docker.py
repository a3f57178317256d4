"""The one place a Docker client is made: deferred import, a ping, and a clear error without a daemon."""

from __future__ import annotations

import os
import threading
from typing import Any

from stackwright.errors import StackwrightError

_client: Any = None
_lock = threading.Lock()


def docker_client() -> Any:
    """The docker SDK client for the daemon `DOCKER_HOST` (or the default socket) names, made once.
    Raises `StackwrightError` saying how to start a daemon when none can be reached."""
    global _client
    with _lock:
        if _client is not None:
            return _client
        try:
            import docker
        except ImportError:
            raise StackwrightError(
                "building container images needs the docker package", hint="pip install docker"
            ) from None
        try:
            client = docker.from_env(timeout=600)
            client.ping()
        except Exception as error:
            where = os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
            raise StackwrightError(
                f"cannot reach a Docker daemon at {where}: {error}",
                hint="start one (`sudo systemctl start docker`, or `dockerd &`), or point DOCKER_HOST at it",
            ) from None
        _client = client
        return client


def reset() -> None:
    """Forget the cached client (tests that change DOCKER_HOST)."""
    global _client
    with _lock:
        _client = None
