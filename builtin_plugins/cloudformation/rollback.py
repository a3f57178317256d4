"""Rollback: redeploy a kept version, or continue a rollback stuck in UPDATE_ROLLBACK_FAILED."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from stackwright import HotswapResult, Phase, StackContext, StackwrightError, Template, versions

from . import hotswap_record
from .events import Monitor, root_cause
from .state import busy, interval

VERSION = re.compile(r"^v?([0-9]+)$")


def continue_rollback(ctx: StackContext, skip: list[str]) -> None:
    cf = ctx.clients.client("cloudformation")
    status = ctx.state.status if ctx.state else None
    if status != "UPDATE_ROLLBACK_FAILED":
        raise StackwrightError(
            f"stack {ctx.stack_name} is {status}, not UPDATE_ROLLBACK_FAILED: nothing to continue"
        )
    since = datetime.now(UTC)
    cf.continue_update_rollback(StackName=ctx.stack_name, **({"ResourcesToSkip": skip} if skip else {}))
    monitor = Monitor(cf, ctx.stack_name, since, 1, ctx.report, interval(ctx))
    final = monitor.wait(lambda s: not busy(s))
    if final != "UPDATE_ROLLBACK_COMPLETE":
        cause = root_cause(cf, monitor.events) or "unknown"
        raise StackwrightError(
            f"the rollback of {ctx.stack_name} did not finish: {final}",
            details=[f"root cause: {cause}"],
            hint="skip the resources that cannot roll back with --skip LOGICAL_ID",
        )
    ctx.report.result(f"stack {ctx.stack_name} rolled back: {final}", stack=ctx.stack_name, status=final)


def redeploy_version(ctx: StackContext, version: str | None) -> None:
    assert ctx.state is not None
    bucket = ctx.state.bucket
    if not bucket:
        raise StackwrightError(f"stack {ctx.stack_name} has no deployment bucket to roll back from")
    s3 = ctx.clients.client("s3")
    with ctx.blame_target():  # the target's view: the local one gives back the references it resolved
        before = ctx.require_target().deployed_template(ctx)
    kept = versions.deployed_versions(s3, bucket, before)
    shown = ", ".join(versions.version_name(v) for v in kept) or "none"
    if version is None:
        if len(kept) < 2:
            raise StackwrightError(
                "there is no earlier deployed version to roll back to", hint=f"kept: {shown}"
            )
        number = kept[-2]
    else:
        match = VERSION.match(version)
        number = int(match.group(1)) if match else -1
        if number not in kept:
            never = match is not None and number in versions.stored_templates(s3, bucket)
            raise StackwrightError(
                f"version {version!r} "
                + (
                    "never deployed (its deploy was stopped or failed)"
                    if never
                    else f"is not kept in {bucket}"
                ),
                hint=f"versions that deployed and are kept: {shown}",
            )
    body = json.loads(s3.get_object(Bucket=bucket, Key=versions.template_key(number))["Body"].read())
    template = Template(
        description=body.get("Description", ""),
        resources=body.get("Resources", {}),
        parameters=body.get("Parameters", {}),
        conditions=body.get("Conditions", {}),
        mappings=body.get("Mappings", {}),
        outputs=body.get("Outputs", {}),
        metadata=body.get("Metadata", {}),
    )
    ctx.version = f"v{ctx.state.last_version + 1:06d}"
    ctx.report.note(f"rolling {ctx.stack_name} back to v{number:06d} as {ctx.version}")
    ctx.template = template
    target = ctx.require_target()  # through the target: it may adapt what CloudFormation is given
    with ctx.blame_target():
        result = target.deploy_template(ctx, template, Phase.DEPLOY)
    if ctx.state.hotswapped and before is not None:
        keep_drift(ctx, before, body)
    ctx.plugins.after_phase(ctx, Phase.DEPLOY, result)
    ctx.report.result(
        f"stack {ctx.stack_name} is back at v{number:06d}: {result.status}",
        stack=ctx.stack_name,
        status=result.status,
        version=number,
    )


def keep_drift(ctx: StackContext, before: dict[str, Any], after: dict[str, Any]) -> None:
    """After a rollback: CloudFormation replaced the code of every resource whose code location changed
    (the artifact digests it names); a hot-swapped resource whose code location did not change still
    runs the hot-swapped code, so its record entry stays (and `info` keeps showing it) until a deploy puts
    the template's code back."""
    old, new = before.get("Resources") or {}, after.get("Resources") or {}
    record = dict(ctx.state.hotswapped) if ctx.state else {}
    still = {
        lid: entry
        for lid, entry in record.items()
        if lid in new and lid in old and _digests(old[lid]) == _digests(new[lid])
    }
    hotswap_record.write(ctx, [])
    if still:
        hotswap_record.write(
            ctx,
            [
                HotswapResult(lid, str(e.get("physical_id", "")), "", lid, str(e.get("digest", "")))
                for lid, e in still.items()
            ],
        )
        ctx.report.warn(
            "may still run hot-swapped code the rollback did not replace: "
            + ", ".join(sorted(still))
            + "; `stackwright deploy` puts the code on disk back in place"
        )


_DIGEST = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")


def _digests(body: Any) -> set[str]:
    """The artifact digests a template resource names (its code locations)."""
    return set(_DIGEST.findall(json.dumps(body, sort_keys=True, default=str)))
