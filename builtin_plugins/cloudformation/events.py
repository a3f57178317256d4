"""Follow a stack's events while it changes, and find the root cause when it fails."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from stackwright import InProgress, Reporter

#: Reasons that follow a failure rather than cause it.
CONSEQUENCES = (
    "Resource creation cancelled",
    "Resource update cancelled",
    "Resource creation Initiated",
    "The following resource(s) failed to",
    "Stack creation time exceeded",
    'Resource handler returned message: "null"',
)
REQUEST_ID = re.compile(
    r"\s*\(Service: [^)]*Request ID: [^)]*\)"
    r"|\s*\(RequestToken: [^)]*\)"
    r"|\s*\(?Request ?I[Dd]: [0-9a-zA-Z-]+\)?",
)
TERMINAL = re.compile(
    r"^(CREATE|UPDATE|DELETE|ROLLBACK|UPDATE_ROLLBACK|IMPORT|IMPORT_ROLLBACK)_(COMPLETE|FAILED)$"
)


def clean(reason: str) -> str:
    return REQUEST_ID.sub("", reason).strip().rstrip(".") + ("." if reason.strip().endswith(".") else "")


def stack_events(cf: Any, stack: str, since: datetime, seen: set[str]) -> list[dict[str, Any]]:
    """New events of `stack` since `since`, oldest first."""
    fresh: list[dict[str, Any]] = []
    for page in cf.get_paginator("describe_stack_events").paginate(StackName=stack):
        stop = False
        for event in page["StackEvents"]:
            if event["Timestamp"] < since or event["EventId"] in seen:
                stop = True
                break
            fresh.append(event)
        if stop:
            break
    for event in fresh:
        seen.add(event["EventId"])
    return list(reversed(fresh))


def root_cause(cf: Any, events: list[dict[str, Any]], depth: int = 0) -> str | None:
    """The first real failure among `events` (oldest first), looking inside nested stacks."""
    for event in events:
        status = str(event.get("ResourceStatus", ""))
        reason = str(event.get("ResourceStatusReason") or "")
        if not status.endswith("FAILED") or not reason or reason.startswith(CONSEQUENCES):
            continue
        where = f"{event['LogicalResourceId']} ({event.get('ResourceType', '?')})"
        if (
            event.get("ResourceType") == "AWS::CloudFormation::Stack"
            and depth < 5
            and event.get("PhysicalResourceId") not in (None, "", event.get("StackId"))
        ):
            nested = list(reversed(_all_events(cf, event["PhysicalResourceId"])))
            inner = root_cause(cf, nested, depth + 1)
            if inner:
                return f"{event['LogicalResourceId']} → {inner}"
        return f"{where}: {clean(reason)}"
    return None


def _all_events(cf: Any, stack: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    try:
        for page in cf.get_paginator("describe_stack_events").paginate(StackName=stack):
            events += page["StackEvents"]
    except Exception:  # a nested stack that is gone: nothing more to learn
        return []
    return events


class Diagnosed(Exception):
    """A resource still in progress has in fact failed: stop waiting for CloudFormation."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


class Monitor:
    """Prints each new event and a done/total count until the stack reaches a settled status. Every
    `DIAGNOSE_EVERY` polls, `diagnose` may look at the resources still in progress and name a failure."""

    DIAGNOSE_EVERY = 5

    def __init__(
        self,
        cf: Any,
        stack: str,
        since: datetime,
        total: int,
        report: Reporter,
        interval: float,
        diagnose: Callable[[list[InProgress]], str | None] | None = None,
    ) -> None:
        self.diagnose = diagnose
        self.in_progress: dict[str, InProgress] = {}
        self.polls = 0
        self.cf = cf
        self.stack = stack
        self.since = since
        self.total = max(total, 1)
        self.report = report
        self.interval = interval
        self.seen: set[str] = set()
        self.events: list[dict[str, Any]] = []
        self.done: set[str] = set()

    def poll(self) -> None:
        for event in stack_events(self.cf, self.stack, self.since, self.seen):
            self.events.append(event)
            status = str(event["ResourceStatus"])
            logical = str(event["LogicalResourceId"])
            if logical != self.stack and status.endswith("_COMPLETE"):
                self.done.add(logical)
            finished = logical == self.stack and status in ("CREATE_COMPLETE", "UPDATE_COMPLETE")
            if logical != self.stack and status in ("CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS"):
                self.in_progress[logical] = InProgress(
                    logical,
                    str(event.get("ResourceType", "")),
                    str(event.get("PhysicalResourceId", "")),
                    event["Timestamp"],
                )
            elif not status.endswith("_IN_PROGRESS"):
                self.in_progress.pop(logical, None)
            reason = clean(str(event.get("ResourceStatusReason") or ""))
            stamp = event["Timestamp"].strftime("%H:%M:%S")
            # a stack that finished did every change, also where the engine tells no resource events
            done = self.total if finished else min(len(self.done), self.total)
            count = f"[{done}/{self.total}]"
            self.report.event(
                "stack-event",
                f"{stamp} {count} {logical} {event.get('ResourceType', '')} {status}"
                + (f": {reason}" if reason else ""),
                timestamp=event["Timestamp"].isoformat(),
                stack=self.stack,
                logical_id=logical,
                resource_type=event.get("ResourceType"),
                status=status,
                reason=reason or None,
                done=done,
                total=self.total,
            )

    def wait(self, settled: Callable[[str], bool], timeout: float = 3 * 3600) -> str:
        deadline = time.monotonic() + timeout
        while True:
            self.poll()
            self.polls += 1
            if self.diagnose and self.in_progress and self.polls % self.DIAGNOSE_EVERY == 0:
                cause = self.diagnose(list(self.in_progress.values()))
                if cause:
                    raise Diagnosed(cause)
            status = str(self.cf.describe_stacks(StackName=self.stack)["Stacks"][0]["StackStatus"])
            if settled(status):
                self.poll()
                return status
            if time.monotonic() > deadline:
                return status
            time.sleep(self.interval)
