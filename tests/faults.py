"""Run `stackwright ARGS` in this interpreter and kill it (SIGKILL, as `kill -9` or a closed laptop would)
at a chosen point: `python tests/faults.py POINT ARGS...`.

Points (each after the step named has happened):
  change-set-made   the change set exists (template and zips uploaded), nothing executed;
  deployed          the change set executed and the stack finished updating, nothing recorded yet;
  locked            the deploy lock is taken, nothing else done;
  slow              (no kill) the deploy lock is taken, then held, as a slow deploy would, until the file
                    named by STACKWRIGHT_FAULT_RELEASE exists (at most 120 s).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from typing import Any


def _kill() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _after(module: Any, name: str) -> None:
    original = getattr(module, name)

    def then_die(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        _kill()
        return result

    setattr(module, name, then_die)


def _before(module: Any, name: str) -> None:
    setattr(module, name, lambda *args, **kwargs: _kill())


def main() -> int:
    point, args = sys.argv[1], sys.argv[2:]
    from stackwright.builtin_plugins.cloudformation import deploy, lock

    if point == "change-set-made":
        _after(deploy, "wait_for_change_set")
    elif point == "deployed":
        _before(deploy, "_recorded")
    elif point == "locked":
        _after(lock, "acquire")
    elif point == "slow":
        original = lock.acquire

        def slowly(*args: Any, **kwargs: Any) -> Any:
            held = original(*args, **kwargs)
            print("holding the lock", file=sys.stderr, flush=True)
            release = os.environ["STACKWRIGHT_FAULT_RELEASE"]
            deadline = time.monotonic() + 120
            while not os.path.exists(release) and time.monotonic() < deadline:
                time.sleep(0.1)
            return held

        lock.acquire = slowly
    else:
        raise SystemExit(f"unknown point {point!r}")
    from stackwright.cli.main import main as cli

    return cli(args)


if __name__ == "__main__":
    sys.exit(main())
