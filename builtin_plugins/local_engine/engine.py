"""The embedded AWS-compatible engine: a moto server on 127.0.0.1 that stackwright starts and stops."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from stackwright import StackwrightError, cache_dir

ENDPOINT_ENV = "STACKWRIGHT_LOCAL_ENDPOINT"
#: The engine's process: moto's server, taught to change what its CloudFormation cannot update.
SERVER = "stackwright.builtin_plugins.local_engine.server"
START_TIMEOUT = 20.0


@dataclass(frozen=True)
class EngineState:
    pid: int
    port: int

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _state_file() -> Path:
    return cache_dir("local") / "engine.json"


def healthy(endpoint: str) -> bool:
    """Whether the engine answers HTTP at all (any status: the answer is what matters)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=3):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _recorded() -> EngineState | None:
    """The engine the state file names, when that process still runs and is an engine (not a process
    that took its pid since), answering or not."""
    path = _state_file()
    try:
        data = json.loads(path.read_text())
        state = EngineState(int(data["pid"]), int(data["port"]))
    except (OSError, ValueError, KeyError):
        return None
    try:
        os.kill(state.pid, 0)
        command = Path(f"/proc/{state.pid}/cmdline").read_bytes()
        alive = SERVER.encode() in command or b"moto.server" in command
    except FileNotFoundError:  # no /proc: trust the pid
        alive = True
    except OSError:
        alive = False
    if not alive:
        path.unlink(missing_ok=True)
        return None
    return state


def _stopped(pid: int) -> bool:
    """Whether the process is stopped (SIGSTOP, Ctrl-Z, a debugger): state `T` or `t` in /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] in ("T", "t")


def status() -> EngineState | None:
    """The running engine this user started, or None. Raises StackwrightError when it runs but does
    not answer (stopped, or hung): starting another beside it would orphan it and its resources."""
    state = _recorded()
    if state is None or healthy(state.endpoint):
        return state
    why = "is stopped (suspended)" if _stopped(state.pid) else "does not answer"
    raise StackwrightError(
        f"the local engine (pid {state.pid}, {state.endpoint}) {why}",
        hint=(f"resume it with `kill -CONT {state.pid}`, or " if _stopped(state.pid) else "")
        + "end it with `stackwright local stop` (its resources go with it)",
    )


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(port: int | None = None) -> EngineState:
    """The running engine, or a new one on `port` (a free one by default). Two commands starting it at
    once get the same engine: the start holds a lock file beside the engine's state. Raises
    StackwrightError when moto's server is missing or does not answer within START_TIMEOUT seconds, when
    `port` is in use, or when the engine runs on another port than `port`."""
    import fcntl

    with (cache_dir("local") / "engine.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        running = status()
        if running is not None and port is not None and running.port != port:
            raise StackwrightError(
                f"the local engine already runs at {running.endpoint} (pid {running.pid}), "
                f"not on port {port}",
                hint="`stackwright local stop` first to start it on another port "
                "(what it holds goes with it)",
            )
        return running or _start(port)


def _start(port: int | None) -> EngineState:
    import socket
    import subprocess

    try:
        import moto.server  # noqa: F401
    except ImportError:
        raise StackwrightError(
            "the local engine needs moto's server, which is not installed",
            hint="pip install 'stackwright[local]'",
        ) from None
    if port is None:
        port = _free_port()
    else:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError as error:
                raise StackwrightError(
                    f"cannot start the local engine on port {port}: {error.strerror or error}",
                    hint="choose another port, or leave --port out for a free one",
                ) from None
    log = (cache_dir("local") / "engine.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", SERVER, "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    state = EngineState(process.pid, port)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise StackwrightError(f"the local engine exited at start; see {log.name}")
            if healthy(state.endpoint):
                written = _state_file().with_suffix(".tmp")
                written.write_text(json.dumps({"pid": state.pid, "port": state.port}))
                written.replace(_state_file())
                return state
            time.sleep(0.1)
    except KeyboardInterrupt:
        process.kill()
        raise
    process.kill()
    raise StackwrightError(f"the local engine did not answer within {START_TIMEOUT:.0f} s; see {log.name}")


def stop() -> bool:
    """End the engine, answering or not (a stopped one is resumed to take its SIGTERM, and killed when
    it has not ended within 5 s). Returns whether there was one."""
    import signal

    state = _recorded()
    if state is None:
        return False
    for sig in (signal.SIGTERM, signal.SIGCONT):
        os.kill(state.pid, sig)
    for attempt in range(100):
        with contextlib.suppress(ChildProcessError):
            os.waitpid(state.pid, os.WNOHANG)  # reaped, when this process started it
        try:
            os.kill(state.pid, 0)
        except OSError:
            break
        if attempt == 50:
            os.kill(state.pid, signal.SIGKILL)
        time.sleep(0.1)
    _state_file().unlink(missing_ok=True)
    return True


def endpoint(autostart: bool = True) -> str:
    """`$STACKWRIGHT_LOCAL_ENDPOINT` when set (an engine someone else runs), else ours, started if needed."""
    given = os.environ.get(ENDPOINT_ENV)
    if given:
        if not healthy(given):
            raise StackwrightError(f"no local engine answers at {given} ({ENDPOINT_ENV})")
        return given
    running = status()
    if running:
        return running.endpoint
    if not autostart:
        raise StackwrightError(
            "the local engine is not running", hint="start it with `stackwright local start`"
        )
    return start().endpoint
