"""What the console reads: the project's stacks in the region, and each stack's page (its view read
through the target, with read-only clients), kept for a moment so a page's panels share one read."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import datetime
from typing import Any

from stackwright import (
    CONFIG_PATHS_KEY,
    ConsolePage,
    ConsolePanel,
    StackContext,
    StackwrightError,
    connected_stack,
)

#: Seconds a stack's page (its view) is reused: the panels of one page, and the refreshes of several
#: live panels in the same moment, share one read of the stack.
PAGE_SECONDS = 1.5
#: Seconds the list of the project's stacks is reused.
LIST_SECONDS = 3.0


class NotListed(StackwrightError):
    """A stack name that is not one of the project's stacks in the region (a 404, not a read failure)."""


@dataclasses.dataclass(frozen=True)
class StackRow:
    """One stack of the project, as the stacks page lists it."""

    name: str
    stage: str
    status: str
    updated_at: datetime | None = None
    reason: str = ""


class Console:
    """The console's reads, over one connection: `state` is the CLI's state (directory, stage, target)."""

    def __init__(self, state: Any) -> None:
        self.state = state
        # the state of each stack is read per page: one that cannot be read does not stop the console
        self.base: StackContext = connected_stack(
            state,
            None,
            with_state=False,
            read_only=True,
            clear_failed_create=False,
            wait=False,
            refuse_stuck=False,
        )
        self.panels: list[tuple[ConsolePanel, str]] = state.plugins.console_panels()
        self._lock = threading.Lock()
        self._pages: dict[str, tuple[float, ConsolePage]] = {}
        self._list: tuple[float, list[StackRow]] | None = None

    @property
    def project(self) -> str:
        return self.base.project.name

    @property
    def where(self) -> str:
        """Where the stacks live, in words (`embedded local engine (...)`, `AWS account ..., region`)."""
        with self.base.blame_target():
            return self.base.require_target().where(self.base)

    def stacks(self) -> list[StackRow]:
        """The stacks tagged with this project (`stackwright:project`) in the region, and the stack of
        the configured stage even when it is not deployed yet (status "not deployed")."""
        with self._lock:
            if self._list and time.monotonic() - self._list[0] < LIST_SECONDS:
                return self._list[1]
        cf = self.base.clients.client("cloudformation")
        rows: dict[str, StackRow] = {}
        with self.base.blame_target():
            stacks = [
                s for page in cf.get_paginator("describe_stacks").paginate() for s in page.get("Stacks", [])
            ]
        for stack in stacks:
            tags = {str(t.get("Key")): str(t.get("Value", "")) for t in stack.get("Tags", [])}
            name = str(stack.get("StackName", ""))
            if tags.get("stackwright:project") != self.project and name != self.base.stack_name:
                continue
            rows[name] = StackRow(
                name,
                tags.get(
                    "stackwright:stage", self.base.project.stage if name == self.base.stack_name else ""
                ),
                str(stack.get("StackStatus", "")),
                stack.get("LastUpdatedTime") or stack.get("CreationTime"),
                str(stack.get("StackStatusReason", "") or ""),
            )
        if self.base.stack_name not in rows:
            rows[self.base.stack_name] = StackRow(
                self.base.stack_name, self.base.project.stage, "not deployed"
            )
        listed = sorted(rows.values(), key=lambda r: (r.name != self.base.stack_name, r.name))
        with self._lock:
            self._list = (time.monotonic(), listed)
        return listed

    def row(self, name: str) -> StackRow:
        """The listed stack `name`; NotListed for a stack that is not one of the project's, and
        StackwrightError when the stacks cannot be read."""
        found = next((r for r in self.stacks() if r.name == name), None)
        if found is None:
            raise NotListed(f"stack {name} is not a stack of project {self.project} in this region")
        return found

    def context(self, name: str) -> StackContext:
        """A fresh context for stack `name` of the project, sharing the connection."""
        row = self.row(name)
        project = dataclasses.replace(self.base.project, stage=row.stage or self.base.project.stage)
        return dataclasses.replace(
            self.base,
            project=project,
            stack_name=name,
            state=None,
            settings=dict(self.base.settings),
            memo={},
        )

    def page(self, name: str) -> ConsolePage:
        """Stack `name`'s page: its view read through the target (reused for PAGE_SECONDS), the config
        path and the console link of each resource. Raises StackwrightError when it cannot be read."""
        with self._lock:
            cached = self._pages.get(name)
            if cached and time.monotonic() - cached[0] < PAGE_SECONDS:
                return cached[1]
        ctx = self.context(name)
        target = ctx.require_target()
        with ctx.blame_target():
            ctx.state = target.stack_state(ctx)
            view = target.read_stack(ctx)
            links = {r.logical_id: url for r in view.resources if (url := target.console_url(ctx, r))}
        owners = view.template.get("Metadata", {}).get(CONFIG_PATHS_KEY, {})
        page = ConsolePage(ctx, view, {str(k): str(v) for k, v in owners.items()}, links)
        with self._lock:
            self._pages[name] = (time.monotonic(), page)
        return page

    def cli_state(self, name: str) -> Any:
        """The command line's state at stack `name`'s stage (for `stackwright.compiled_stack`)."""
        row = self.row(name)
        return dataclasses.replace(self.state, stage=row.stage or self.state.stage)
