"""Deploy a template through a change set: show the changes, execute, follow the events, explain failures."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from stackwright import (
    DeployResult,
    InProgress,
    Phase,
    StackContext,
    StackwrightError,
    Template,
    nesting,
    versions,
)

from .changesets import not_first, settle, unexecuted
from .events import Diagnosed, Monitor, clean, root_cause
from .nested import is_root, root_body, split_for_deploy, swept
from .nested_changes import changes_inside
from .review import review
from .state import busy, interval

CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
NO_CHANGES = ("didn't contain changes", "No updates are to be performed", "The submitted information didn't")
MAX_BODY = 51_200


def template_source(
    ctx: StackContext, template: Template, phase: Phase, submit: dict[str, Any] | None = None
) -> tuple[dict[str, str], str | None]:
    """`TemplateBody` for a small bootstrap template; otherwise upload it and pass `TemplateURL`. With
    `submit`, CloudFormation is given that body instead, and only `template` is kept in the bucket."""
    body = template.to_json(indent=None)
    given = {"TemplateBody": json.dumps(submit)} if submit is not None else None
    bucket = ctx.state.bucket if ctx.state else None
    if given is not None and bucket and len(given["TemplateBody"].encode()) > MAX_BODY:
        given = {"TemplateURL": template_url(ctx, bucket, _sent(ctx, bucket, submit or {}))}
    if phase is Phase.BOOTSTRAP or not bucket:
        if len(body.encode()) > MAX_BODY and given is None:
            raise StackwrightError(
                "the template is over 51,200 bytes and there is no deployment bucket to upload it to"
            )
        return given or {"TemplateBody": body}, None
    key = versions.template_key(versions.version_number(ctx.version))
    lock_check = ctx.memo.get("lock-check")
    if callable(lock_check):  # a stalled deploy must not overwrite the template of the one that took over
        lock_check()
    s3 = ctx.clients.client("s3")
    try:
        s3.put_object(Bucket=bucket, Key=key, Body=body.encode(), ContentType="application/json")
    except BaseException:  # Ctrl-C or a failure mid-request: the object may exist all the same
        with contextlib.suppress(Exception):
            s3.delete_object(Bucket=bucket, Key=key)
        raise
    return given or {"TemplateURL": template_url(ctx, bucket, key)}, key


def _sent(ctx: StackContext, bucket: str, body: dict[str, Any]) -> str:
    """Put a body CloudFormation is given in place of the kept template (a split's root) under its
    content's key; returns the key. The clean-up after a deploy removes those no stack uses."""
    from stackwright import nesting

    key = nesting.template_key(body)
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    ctx.clients.client("s3").put_object(
        Bucket=bucket, Key=key, Body=text.encode(), ContentType="application/json"
    )
    return key


def template_url(ctx: StackContext, bucket: str, key: str) -> str:
    """Where CloudFormation reads the uploaded template. The local engine gets the path-style form: it
    reads a virtual-hosted name beginning with `s3` (a project named `s3-...`) as path-style."""
    region = ctx.project.region
    if ctx.project.target == "local":
        return f"https://s3.amazonaws.com/{bucket}/{key}"
    if region == "us-east-1":
        return f"https://{bucket}.s3.amazonaws.com/{key}"
    return f"https://{bucket}.s3.{region}.amazonaws.com/{key}"


def wait_for_change_set(cf: Any, stack: str, name: str, pause: float) -> dict[str, Any]:
    while True:
        described = cf.describe_change_set(StackName=stack, ChangeSetName=name)
        if described["Status"] in ("CREATE_COMPLETE", "FAILED", "DELETE_COMPLETE"):
            changes = list(described.get("Changes", []))
            token = described.get("NextToken")
            while token:
                more = cf.describe_change_set(StackName=stack, ChangeSetName=name, NextToken=token)
                changes += more.get("Changes", [])
                token = more.get("NextToken")
            described["Changes"] = changes
            return dict(described)
        time.sleep(pause)


def disable_rollback(ctx: StackContext) -> bool:
    """`--disable-rollback`, else `deploymentConfig.disableAutoRollback`."""
    return bool(ctx.settings.get("disable_rollback")) or ctx.stack_settings.disable_rollback


def deploy_template(
    ctx: StackContext, template: Template, phase: Phase, submit: dict[str, Any] | None = None
) -> DeployResult:
    from botocore.exceptions import BotoCoreError, ClientError

    ctx.settings["executing"] = False  # set once this template's change set executes
    try:
        return _deploy(ctx, template, phase, submit)
    except (ClientError, BotoCoreError) as error:
        from botocore.exceptions import ConnectionError, HTTPClientError

        if isinstance(error, ConnectionError | HTTPClientError):
            raise  # the target is gone, not refusing: the core says so
        hint = (
            "the local engine may now hold a broken stack: `stackwright local stop` resets it"
            if ctx.project.target == "local"
            else None
        )
        raise StackwrightError(f"CloudFormation refused the deploy: {clean(str(error))}", hint=hint) from None


def _deploy(
    ctx: StackContext, template: Template, phase: Phase, submit: dict[str, Any] | None
) -> DeployResult:
    cf = ctx.clients.client("cloudformation")
    stack = ctx.stack_name
    creating = ctx.state is None or not ctx.state.exists
    change_set = f"stackwright-{ctx.version}-{int(time.time())}-{os.getpid()}"
    uploaded: str | None = None
    asked = made = False
    split = deployed_root = None
    try:
        body = submit if submit is not None else template.to_dict()
        held = ctx.state.resources if ctx.state else {}
        deployed_split = any(lid.startswith(nesting.NESTED_PREFIX) for lid in held)
        if phase is Phase.DEPLOY and not creating and (deployed_split or nesting.needs_split(body)):
            deployed_root = root_body(ctx)
        # past one stack's limits, or deployed split: it stays so (merging back would move everything)
        if phase is Phase.DEPLOY and (nesting.needs_split(body) or is_root(deployed_root)):
            split = split_for_deploy(ctx, template, body, deployed_root)
            submit = split.root if split else submit
        source, uploaded = template_source(ctx, template, phase, submit)
        asked = True
        cf.create_change_set(
            StackName=stack,
            ChangeSetName=change_set,
            ChangeSetType="CREATE" if creating else "UPDATE",
            Capabilities=CAPABILITIES,
            Description=f"stackwright {phase.value} {ctx.version}",
            **ctx.stack_settings.change_set_arguments(),
            **({"IncludeNestedStacks": True} if split else {}),
            **source,
        )
        made = True
        described = wait_for_change_set(cf, stack, change_set, interval(ctx) / 2)
    except BaseException as error:  # Ctrl-C or a failure before anything executed: leave nothing of it
        from botocore.exceptions import ClientError as Answered

        if asked and not made and not isinstance(error, Answered):
            settle(cf, stack, change_set)  # the request may still be under way: let it land first
        _withdraw(ctx, cf, change_set, uploaded, creating)
        raise
    if creating and not_first(cf, stack, described):
        # another first deploy of this stack made its change set before this one: it creates the
        # stack; this one withdraws its change set (not the stack) and goes on once the stack exists
        cf.delete_change_set(StackName=stack, ChangeSetName=change_set)
        ctx.report.note(f"stack {stack} is being created by another deploy; waiting for it")
        return DeployResult("REVIEW_IN_PROGRESS", 0, False)
    if described["Status"] == "FAILED":
        reason = str(described.get("StatusReason", ""))
        _withdraw(ctx, cf, change_set, uploaded, creating)
        if any(text in reason for text in NO_CHANGES):  # the command says so, with the stack's status
            return DeployResult(ctx.state.status if ctx.state and ctx.state.status else "", 0, False)
        raise StackwrightError(f"CloudFormation refused the template: {clean(reason)}")
    changes = described["Changes"]
    steps = len(changes)  # what the root's events tell of
    try:
        if split:
            changes = changes_inside(ctx, cf, changes, deployed_root, template, split)
        review(ctx, changes, template.to_dict(), creating)
    except BaseException:  # declined, refused, or Ctrl-C at the question
        _withdraw(ctx, cf, change_set, uploaded, creating)
        raise
    if not ctx.settings.get("execute", True):
        _withdraw(ctx, cf, change_set, uploaded, creating)
        return DeployResult(ctx.state.status if ctx.state and ctx.state.status else "", len(changes), False)
    since = datetime.now(UTC)
    from botocore.exceptions import ClientError

    lock_check = ctx.memo.get("lock-check")
    if callable(lock_check):  # a deploy that lost its lock (stalled past the lease) stops here
        try:
            lock_check()
        except StackwrightError:
            _withdraw(ctx, cf, change_set, uploaded, creating)
            raise
    try:
        cf.execute_change_set(
            StackName=stack,
            ChangeSetName=change_set,
            DisableRollback=disable_rollback(ctx),
        )
    except BaseException as error:
        # the request may have reached CloudFormation (Ctrl-C, a lost connection, a retry refused
        # because the first try executed): unless the change set is known to be still unexecuted, the
        # stack may run this version, so nothing of it is removed
        if not unexecuted(cf, stack, change_set):
            ctx.settings["executing"] = True
            if isinstance(error, KeyboardInterrupt):
                ctx.report.note(
                    f"interrupted while the change set was sent: {stack} may be "
                    f"{'being created' if creating else 'updating'}; `stackwright info` shows its state"
                )
            raise
        _withdraw(ctx, cf, change_set, uploaded, creating)
        if isinstance(error, ClientError):
            raise StackwrightError(
                f"CloudFormation refused to execute the change set: {clean(str(error))}"
            ) from None
        raise
    # from here on the stack may run this version's code: nothing this deploy uploaded may be removed
    ctx.settings["executing"] = True

    def diagnose(resources: list[InProgress]) -> str | None:
        return next((c for c in (ctx.diagnose(r) for r in resources) if c), None)

    monitor = Monitor(cf, stack, since, steps, ctx.report, interval(ctx), diagnose)
    interrupted = False
    try:
        final = monitor.wait(lambda s: not busy(s) and s != "REVIEW_IN_PROGRESS")
    except KeyboardInterrupt:
        final = keep_waiting(ctx, stack, monitor, creating)
        interrupted = True
    except Diagnosed as found:
        ctx.report.note(f"{found.cause.splitlines()[0]}: rolling back instead of waiting for CloudFormation")
        cf.cancel_update_stack(StackName=stack)
        monitor.diagnose = None
        final = monitor.wait(lambda s: not busy(s))
        raise StackwrightError(
            failure_message(stack, final, creating, False),
            details=[f"root cause: {found.cause}"],
            hint=failure_hint(final, creating),
        ) from None
    if ctx.memo.get("lock-lost"):  # suspended past the lease while its update ran
        ctx.report.warn(
            f"this deploy lost the deploy lock of {stack} while it waited: the events shown may include "
            "another deploy's; `stackwright info` shows what the stack runs now"
        )
    if final in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
        with _deferred_interrupt() as pressed:  # the stack runs this version: record it whatever comes
            _recorded(ctx, template, phase)
        if phase is Phase.DEPLOY:
            swept(ctx, split.root if split else None)
        if pressed:
            ctx.report.note(f"interrupted: {stack} has finished ({final}); recorded, as it runs this version")
        if interrupted or pressed:  # waited for the outcome; what comes next in the command is not started
            ctx.settings["interrupted"] = True
        return DeployResult(final, len(changes), True)
    cause = (
        root_cause(cf, monitor.events)
        or clean(str((cf.describe_stacks(StackName=stack)["Stacks"][0]).get("StackStatusReason", "")))
        or "unknown"
    )
    raise StackwrightError(
        failure_message(stack, final, creating, disable_rollback(ctx)),
        details=[f"root cause: {cause}"],
        hint=failure_hint(final, creating),
    )


@contextmanager
def _deferred_interrupt() -> Iterator[list[int]]:
    """Hold Ctrl-C (SIGINT) off for the block, in the main thread; the list it gives is non-empty
    afterwards when Ctrl-C came meanwhile."""
    pressed: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield pressed
        return
    previous = signal.signal(signal.SIGINT, lambda number, frame: pressed.append(number))
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous)


def keep_waiting(ctx: StackContext, stack: str, monitor: Monitor, creating: bool = False) -> str:
    """Ctrl-C once the change set executes: the update is CloudFormation's now, and stopping it half-way
    helps no one, so wait for its outcome; a second Ctrl-C stops waiting (the deploy goes on). Returns the
    final status; raises StackwrightError on the second Ctrl-C."""
    doing, work = ("created", "creation") if creating else ("updated", "update")
    ctx.report.note(
        f"interrupted: {stack} is already being {doing}, so this waits for CloudFormation to finish "
        f"(Ctrl-C again to stop waiting; the {work} goes on)"
    )
    try:
        return monitor.wait(lambda s: not busy(s) and s != "REVIEW_IN_PROGRESS")
    except KeyboardInterrupt:
        raise StackwrightError(
            f"stopped waiting: the {work} of {stack} goes on in CloudFormation",
            hint="`stackwright info` shows how it ends; deploy again once it has",
        ) from None


def failure_message(stack: str, final: str, creating: bool, kept: bool) -> str:
    if kept:
        return (
            f"deploy of {stack} failed ({final}); rollback is disabled, so the stack keeps its partial state"
        )
    if final == "ROLLBACK_COMPLETE":
        return f"the first deploy of {stack} failed and was rolled back"
    if final == "UPDATE_ROLLBACK_COMPLETE":
        return f"the update of {stack} failed and was rolled back; the previous version is still running"
    return f"deploy of {stack} failed: the stack is {final}"


def failure_hint(final: str, creating: bool) -> str | None:
    if final == "ROLLBACK_COMPLETE":
        return "fix the cause and deploy again: the failed stack is deleted automatically first"
    if final == "UPDATE_ROLLBACK_FAILED":
        return "run `stackwright rollback --continue` once the cause is fixed"
    return None


def _recorded(ctx: StackContext, template: Template, phase: Phase) -> None:
    """Add the version just deployed to the version index (see `stackwright.versions`). A version whose
    deploy stopped before this is recorded when the stack is next read at rest (`state.record_stopped`)."""
    bucket = ctx.state.bucket if ctx.state else None
    if phase is Phase.DEPLOY and bucket:
        versions.record(ctx.clients.client("s3"), bucket, ctx.version, template.to_dict())


def _withdraw(ctx: StackContext, cf: Any, change_set: str, uploaded: str | None, creating: bool) -> None:
    """Undo a deploy that did not execute: its change set, its uploaded template and, for a first deploy,
    the empty REVIEW_IN_PROGRESS stack the change set made. Best effort: what cannot be removed now is
    cleared by the next deploy (a REVIEW_IN_PROGRESS stack is deleted first, a template of a version that
    never deployed is swept)."""
    for step in (
        lambda: cf.delete_change_set(StackName=ctx.stack_name, ChangeSetName=change_set),
        lambda: _forget_template(ctx, uploaded),
        lambda: _delete_if_empty(cf, ctx.stack_name) if creating else None,
    ):
        # any failure, even an answer the client cannot parse (the engine's 500 for a change set that
        # was never made): the clean-up must not replace the error or the Ctrl-C that led to it
        with contextlib.suppress(Exception):
            step()


def _delete_if_empty(cf: Any, stack: str) -> None:
    """Delete the stack only while it is the empty shell a CREATE change set makes (never a stack that
    another deploy created meanwhile)."""
    found = cf.describe_stacks(StackName=stack)["Stacks"]
    if found and found[0]["StackStatus"] == "REVIEW_IN_PROGRESS":
        cf.delete_stack(StackName=stack)


def _forget_template(ctx: StackContext, key: str | None) -> None:
    if key and ctx.state:
        bucket = ctx.state.bucket
        if bucket:
            ctx.clients.client("s3").delete_object(Bucket=bucket, Key=key)
