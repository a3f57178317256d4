"""`stackwright deploy --watch`: after the first deploy, deploy again whenever a file it is built from
changes, one line per cycle.

What is watched: the project folder (the config's folder: the config, its `$File` includes, the code and
its dependency manifests) and the root of every artifact outside it, without the folders no artifact is
built from (`.git`, `node_modules`, `.venv`, ...; `dist`, `build`, ... at the top) and editors' temporary
files. Changes are gathered for `DEBOUNCE_MS` and then deployed together, through the same deploy as the
command: a hot-swap when only code changed (the default in watch mode; `--no-hotswap` turns it off), else
CloudFormation, with the approval a deploy that destroys data needs. The process keeps its AWS clients
between cycles, so a cycle pays for the deploy alone. A failed cycle says why and the watch goes on; Ctrl-C
ends it.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stackwright.artifacts import EXCLUDED_DIRS, ROOT_EXCLUDED_DIRS
from stackwright.cli.output import Progress
from stackwright.context import StackContext
from stackwright.errors import ConfigError, PluginError, StackwrightError
from stackwright.records import DeployResult
from stackwright.report import Reporter, plural

#: A cycle starts once no change came for `STEP_MS` (an editor's save is often a few writes in a row),
#: or `DEBOUNCE_MS` after the first change of a burst that goes on (milliseconds).
STEP_MS = 20
DEBOUNCE_MS = 400
#: Resources a cycle's line names at most (then "and N more").
SHOWN = 5
#: After the watcher restarts with new folders, the first look for changes made meanwhile (milliseconds).
RESTART_LOOK_MS = 100


class _Silent:
    def advance(self, name: str = "") -> None:
        pass


class CycleReporter(Reporter):
    """A cycle's reporter: says nothing of the steps (the cycle's line says what happened), but warnings
    (once per watch), the data-loss question's context, and every record in JSON mode."""

    def __init__(self, json: bool, said: set[str]) -> None:
        super().__init__(json=json, said=said)
        self.swapped: list[str] = []

    def note(self, text: str, **fields: Any) -> None:
        if self.json:
            super().note(text, **fields)

    def event(self, kind: str, text: str, **fields: Any) -> None:
        if kind == "hotswapped":
            self.swapped.append(str(fields.get("logical_id", "")))
        if self.json or kind == "data-loss":
            super().event(kind, text, **fields)

    def result(self, text: str, **fields: Any) -> None:
        if self.json:
            super().result(text, **fields)

    def detail(self, text: str) -> None:
        pass

    def table(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], title: str = "", kind: str = "row"
    ) -> None:
        if self.json:
            super().table(headers, rows, title, kind)

    @contextmanager
    def progress(self, total: int, label: str) -> Iterator[Progress]:
        yield _Silent()


def watched_paths(ctx: StackContext) -> list[Path]:
    """The project folder and every artifact root outside it."""
    project = (ctx.config.path.parent if ctx.config.path else Path.cwd()).resolve()
    paths = [project]
    for artifact in ctx.artifacts.values():
        root = artifact.root.resolve()
        if not root.is_relative_to(project) and not any(root.is_relative_to(p) for p in paths):
            paths.append(root)
    return paths


def change_filter(project: Path) -> Callable[[Any, str], bool]:
    """watchfiles' filter: its defaults (editors' temporary files, `__pycache__`, `.git`, ...), the
    folders no artifact is built from (`EXCLUDED_DIRS` anywhere, `ROOT_EXCLUDED_DIRS` at the top), and
    stackwright's cache folder (which a deploy writes to) when it is inside the project."""
    from stackwright.cache import cache_dir
    from watchfiles import DefaultFilter

    defaults = DefaultFilter(ignore_dirs=[*DefaultFilter.ignore_dirs, *EXCLUDED_DIRS])
    cache = str(cache_dir().resolve()) + os.sep

    def keep(change: Any, path: str) -> bool:
        if not defaults(change, path) or path.startswith(cache):
            return False
        try:
            top = Path(path).relative_to(project).parts[:1]
        except ValueError:
            return True
        return not (top and top[0] in ROOT_EXCLUDED_DIRS)

    return keep


def fingerprint(ctx: StackContext) -> str:
    """What a deploy of `ctx` would do: its config (stack settings, hooks), its compiled template and its
    artifacts' digests."""
    import hashlib
    import json

    digests = sorted((a.name, a.digest) for a in ctx.artifacts.values())
    text = json.dumps([ctx.config.data, ctx.template.to_dict(), digests], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def one_line(error: StackwrightError) -> str:
    """An error as a cycle's line: the message, the first config problem (and how many more), the
    details; `validate` or a deploy without `--watch` says the rest."""
    parts = [error.message]
    if isinstance(error, ConfigError) and error.problems:
        first = error.problems[0]
        where = f"{first.position}: " if first.position else ""
        more = f" (and {plural(len(error.problems) - 1, 'more problem')})" if len(error.problems) > 1 else ""
        parts = [f"{where}{first.path or '(root)'}: {first.message}{more}"]
    parts += error.details
    return "; ".join(parts)


def summary(result: DeployResult, swapped: list[str], elapsed: float) -> str:
    """The cycle's line, without the time of day."""
    if result.hotswapped:
        named = ", ".join(swapped[:SHOWN]) + (
            f" and {len(swapped) - SHOWN} more" if len(swapped) > SHOWN else ""
        )
        return f"hot-swapped {named or plural(result.changes, 'resource')} ({elapsed:.1f} s)"
    if result.executed:
        return f"deployed: {result.status}, {plural(result.changes, 'change')} ({elapsed:.1f} s)"
    return f"no changes ({elapsed:.1f} s)"


def watch(
    first: StackContext,
    open_cycle: Callable[[], StackContext],
    hotswap: bool,
    say: Callable[[str, bool], None],
) -> None:
    """Deploy again on every batch of changes under `watched_paths(first)` until Ctrl-C. `open_cycle`
    makes a new context from the config on disk; it gets the clients and account of `first`. `say(line,
    cycle)` prints a line (`cycle`: a cycle's outcome, else a note). Raises nothing for a failed cycle (its
    error is its line)."""
    from stackwright.deploy import deploy_stack
    from stackwright.pipeline import compile_stack
    from watchfiles import watch as changes

    said: set[str] = set(first.report.said)
    paths = watched_paths(first)
    last, state, failed = fingerprint(first), first.state, False
    say(f"watching {', '.join(str(p) for p in paths)} (Ctrl-C to stop)", False)
    logging.getLogger("watchfiles").setLevel(logging.ERROR)  # Ctrl-C is said once, here
    restarted = False
    while paths:
        watching, paths = paths, []
        for batch in changes(
            *watching,
            watch_filter=change_filter(watching[0]),
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            raise_interrupt=False,
            # after a restart, one look as soon as the new watcher runs: a save made while it started
            rust_timeout=RESTART_LOOK_MS if restarted else 5_000,
            yield_on_timeout=restarted,
        ):
            if not batch and not restarted:
                continue  # the new watcher's quiet timeouts, after its first look
            restarted = False
            started = time.perf_counter()
            stamp = time.strftime("%H:%M:%S")
            report = CycleReporter(first.report.json, said)
            ctx: StackContext | None = None
            try:
                ctx = open_cycle()
                ctx.report = report
                ctx.aws = first.aws
                ctx.project = dataclasses.replace(ctx.project, account=first.project.account)
                kept = ("command", "wait", "approved", "disable_rollback")
                ctx.settings.update({k: v for k, v in first.settings.items() if k in kept})
                ctx.use_cache = first.use_cache
                ctx.state = state  # the lock's bucket; read again under the lock
                compile_stack(ctx, check=True)
                now = fingerprint(ctx)
                if now == last:
                    if failed:  # the error is gone: back to what runs
                        say(f"{stamp} no changes ({time.perf_counter() - started:.1f} s)", True)
                    failed = False
                    continue  # a file no artifact is built from, or a change undone: nothing to deploy
                result = deploy_stack(ctx, hotswap=hotswap, compiled=True)
            except KeyboardInterrupt:
                told = ctx.memo.get("interrupted-said") if ctx is not None else None
                say(f"{stamp} {told if isinstance(told, str) else 'interrupted'}", True)
                return
            except StackwrightError as error:
                say(f"{stamp} error: {one_line(error)}", True)
                state, failed = None, True  # the state is read whole next time
                continue
            except PluginError as error:
                say(f"{stamp} error: {error}", True)
                state, failed = None, True
                continue
            last, state, failed = now, ctx.state, False
            say(f"{stamp} {summary(result, report.swapped, time.perf_counter() - started)}", True)
            moved = watched_paths(ctx)
            if moved != watching:  # an artifact's folder outside the project came or went
                say(f"watching {', '.join(str(p) for p in moved)} (Ctrl-C to stop)", False)
                paths, restarted = moved, True
                break
