"""Read a stack's state; clear a failed first deploy; wait for (or refuse) a busy stack."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from stackwright import StackContext, StackState, StackwrightError, versions

from . import hotswap_record
from .events import Monitor
from .nested import list_resources


def interval(ctx: StackContext) -> float:
    """Seconds between polls: `ctx.settings["poll_interval"]`, else 0.2 locally and 2 on AWS."""
    given = ctx.settings.get("poll_interval")
    if given is not None:
        return float(given)
    return 0.2 if ctx.project.target == "local" else 2.0


#: Seconds a first deploy takes from making its change set to executing it, at most: a stack still in
#: REVIEW_IN_PROGRESS with a younger change set is another deploy's bootstrap, not a leftover.
BOOTSTRAP_WINDOW = 120.0


def _being_created(cf: Any, name: str, stack_id: str) -> bool:
    """Whether a change set of the stack `stack_id` (not of an earlier stack of that name) was made
    within BOOTSTRAP_WINDOW seconds (by another deploy)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        summaries = cf.list_change_sets(StackName=name).get("Summaries", [])
    except (BotoCoreError, ClientError):
        return False
    now = datetime.now(UTC)
    return any(
        c.get("StackId") == stack_id
        and isinstance(c.get("CreationTime"), datetime)
        and (now - c["CreationTime"]).total_seconds() < BOOTSTRAP_WINDOW
        and c.get("ExecutionStatus")
        in ("UNAVAILABLE", "AVAILABLE", "EXECUTE_IN_PROGRESS", "EXECUTE_COMPLETE")
        for c in summaries
    )


def describe(cf: Any, name: str) -> dict[str, Any] | None:
    from botocore.exceptions import ClientError

    try:
        return dict(cf.describe_stacks(StackName=name)["Stacks"][0])
    except ClientError as error:
        if "does not exist" in str(error):
            return None
        raise StackwrightError(f"cannot read stack {name}: {error}") from None


def busy(status: str) -> bool:
    return status.endswith("_IN_PROGRESS") and status != "REVIEW_IN_PROGRESS"


def delete_and_wait(ctx: StackContext, cf: Any, name: str) -> str:
    since = datetime.now(UTC)
    from botocore.exceptions import ClientError

    try:
        cf.delete_stack(StackName=name)
    except ClientError as error:
        if describe(cf, name) is not None:
            raise StackwrightError(f"stack {name} could not be deleted: {error}") from None
        ctx.report.warn(f"the stack is gone, but deleting it reported: {error}")  # the local engine does this
        return "DELETE_COMPLETE"
    monitor = Monitor(cf, name, since, 1, ctx.report, interval(ctx))
    while True:
        stack = describe(cf, name)
        if stack is None or stack["StackStatus"] == "DELETE_COMPLETE":
            return "DELETE_COMPLETE"
        if stack["StackStatus"] == "DELETE_FAILED":
            monitor.poll()
            return "DELETE_FAILED"
        monitor.poll()
        time.sleep(interval(ctx))


def record_stopped(ctx: StackContext, state: StackState, stored: list[int]) -> None:
    """A stack at rest on a stored version newer than every indexed one ran a deploy that was stopped
    after it succeeded: record that version now, before anything goes on top of it."""
    s3 = ctx.clients.client("s3")
    assert state.bucket
    index = versions.read_index(s3, state.bucket)
    newest = max((versions.version_number(v) for v in index), default=0)
    if not any(n > newest for n in stored):
        return
    known, ctx.state = ctx.state, state
    try:  # the target's view of the live template (the local one gives back what it resolved)
        live = ctx.require_target().deployed_template(ctx)
    finally:
        ctx.state = known
    added = versions.repair(s3, state.bucket, index, stored, live)
    if added:
        versions.write_index(s3, state.bucket, index)
        ctx.report.note(f"{added} deployed, but its deploy stopped before recording it: recorded now")


def read_state(ctx: StackContext) -> StackState:
    cf = ctx.clients.client("cloudformation")
    name = ctx.stack_name
    stack = describe(cf, name)
    if stack is None:
        return StackState(name)
    status = str(stack["StackStatus"])
    looking = bool(ctx.settings.get("read_only"))  # the console: read the stack as it is, never wait
    if (
        status == "REVIEW_IN_PROGRESS"
        and not looking
        and _being_created(cf, name, str(stack.get("StackId", "")))
    ):
        # another first deploy made its change set moments ago: wait for it rather than delete its stack
        if not ctx.settings.get("wait", True):
            raise StackwrightError(
                f"stack {name} is being created by another deploy",
                hint="wait for it to finish, or run without --no-wait to wait",
            )
        ctx.report.note(f"stack {name} is being created by another deploy; waiting for it")
        while (now := describe(cf, name)) is not None and now["StackStatus"] == "REVIEW_IN_PROGRESS":
            if not _being_created(cf, name, str(now.get("StackId", ""))):
                break
            time.sleep(interval(ctx) * 5)
        return read_state(ctx)
    if status in ("ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS") and ctx.settings.get(
        "clear_failed_create", True
    ):
        why = (
            "its first deploy failed and was rolled back"
            if status == "ROLLBACK_COMPLETE"
            else "it was never deployed"
        )
        ctx.report.note(f"stack {name} is {status} ({why}): deleting it before deploying again")
        if delete_and_wait(ctx, cf, name) != "DELETE_COMPLETE":
            raise StackwrightError(f"stack {name} could not be deleted", hint="delete it in the AWS console")
        return StackState(name)
    if busy(status) and not looking:
        if not ctx.settings.get("wait", True):
            raise StackwrightError(
                f"stack {name} is busy ({status})",
                hint="wait for it to finish, or run without --no-wait to wait",
            )
        ctx.report.note(f"stack {name} is busy ({status}); waiting for it to finish")
        monitor = Monitor(cf, name, datetime.now(UTC), 1, ctx.report, interval(ctx))
        monitor.wait(lambda s: not busy(s))
        return read_state(ctx)
    if status == "UPDATE_ROLLBACK_FAILED" and ctx.settings.get("refuse_stuck", True):
        raise StackwrightError(
            f"stack {name} is stuck in UPDATE_ROLLBACK_FAILED: the update and its rollback both failed",
            hint="fix the cause, then run `stackwright rollback --continue` "
            "(with --skip LOGICAL_ID for resources that cannot roll back)",
        )
    outputs = {str(o["OutputKey"]): str(o.get("OutputValue", "")) for o in stack.get("Outputs", [])}
    from botocore.exceptions import ClientError

    try:
        resources = {
            str(r["LogicalResourceId"]): str(r.get("PhysicalResourceId", ""))
            for r in list_resources(cf, name)  # with those of its nested stacks
        }
    except ClientError as error:
        raise StackwrightError(f"cannot list the resources of stack {name}: {error}") from None
    state = StackState(name, status, outputs, 0, str(stack.get("StackStatusReason", "")), resources)
    state.stack_id = str(stack.get("StackId", ""))
    state.termination_protection = bool(stack.get("EnableTerminationProtection"))
    state.tags = {str(t["Key"]): str(t.get("Value", "")) for t in stack.get("Tags") or []}
    if state.bucket:
        # the highest version number used (a stored template), deployed or not: numbers only go up
        stored = versions.stored_templates(ctx.clients.client("s3"), state.bucket)
        state.last_version = max(stored, default=0)
        if status in ("CREATE_COMPLETE", "UPDATE_COMPLETE") and not ctx.settings.get("read_only"):
            record_stopped(ctx, state, stored)
    state.hotswapped = hotswap_record.read(ctx, state.bucket)
    return state
