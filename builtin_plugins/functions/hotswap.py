"""Hot-swap a function's code: UpdateFunctionCode with the zip's bytes (or its bucket key), wait until it
is live, and, when the template declares Lambda aliases, move the function's aliases to a new version.
One request per function otherwise: a hot-swap of hundreds of functions is as many requests."""

from __future__ import annotations

import time
from typing import Any

from stackwright import Change, HotswapResult, StackContext, StackwrightError

#: The largest zip UpdateFunctionCode takes in the request (`ZipFile`): 50 MB zipped, "Lambda quotas",
#: AWS Lambda Developer Guide. Above it, Lambda takes the zip from S3 only.
DIRECT_UPLOAD_LIMIT = 50 * 1024 * 1024
#: How long an update may take before the hot-swap gives up (seconds).
UPDATE_TIMEOUT = 300.0


def sends_directly(change: Change) -> bool:
    """The zip goes in the request: it is small enough, and no other function of this hot-swap takes the
    same bytes (those share one upload to the bucket instead)."""
    path = change.artifact.path
    return path is not None and path.stat().st_size <= DIRECT_UPLOAD_LIMIT and change.sharing == 1


def hotswap_function(ctx: StackContext, change: Change) -> HotswapResult:
    artifact = change.artifact
    name = change.physical_id or change.definition.get("Properties", {}).get("FunctionName", "")
    direct = sends_directly(change)
    if change.plan_only:
        return HotswapResult(
            change.resource, str(name), "update code", change.logical_id, artifact.digest, sends_code=direct
        )
    if not name:
        raise StackwrightError(f"{change.logical_id}: the function's name is not known")
    from botocore.exceptions import ClientError

    client = ctx.clients.client("lambda")
    try:
        if direct and artifact.path:
            body = artifact.path.read_bytes()
            updated = client.update_function_code(FunctionName=name, ZipFile=body)
            how = f"code sent directly ({len(body)} bytes)"
        else:
            bucket = ctx.state.bucket if ctx.state else None
            updated = client.update_function_code(FunctionName=name, S3Bucket=bucket, S3Key=artifact.s3_key)
            how = f"code taken from s3://{bucket}/{artifact.s3_key}"
        if updated.get("LastUpdateStatus") != "Successful":
            _wait_until_updated(client, str(name))
        aliases = client.list_aliases(FunctionName=name).get("Aliases", []) if _aliased(ctx) else []
        if aliases:
            version = client.publish_version(
                FunctionName=name, Description=f"stackwright {artifact.digest[:12]}"
            )["Version"]
            for alias in aliases:
                client.update_alias(FunctionName=name, Name=alias["Name"], FunctionVersion=version)
            how += f"; alias {', '.join(a['Name'] for a in aliases)} → version {version}"
    except ClientError as error:
        raise StackwrightError(f"updating function {name} failed: {error}") from None
    return HotswapResult(change.resource, str(name), how, change.logical_id, artifact.digest)


def _aliased(ctx: StackContext) -> bool:
    """Whether the template declares Lambda aliases (through `cloudformationResources`): only then are a
    hot-swapped function's aliases looked up and moved, as CDK's hot-swap does (stackwright compiles
    none of its own)."""
    found = ctx.memo.get("lambda-aliases")
    if found is None:
        resources = ctx.template.resources.values()
        found = ctx.memo["lambda-aliases"] = any(b.get("Type") == "AWS::Lambda::Alias" for b in resources)
    return bool(found)


def _wait_until_updated(client: Any, name: str) -> None:
    """Poll GetFunctionConfiguration until `LastUpdateStatus` is `Successful`: every 0.1 s at first, then
    less often (up to 1 s), as an update mostly takes a second or two. Raises StackwrightError when it
    failed or took longer than `UPDATE_TIMEOUT`."""
    delay, deadline = 0.1, time.monotonic() + UPDATE_TIMEOUT
    while True:
        config = client.get_function_configuration(FunctionName=name)
        status = config.get("LastUpdateStatus")
        if status == "Successful":
            return
        if status == "Failed":
            reason = config.get("LastUpdateStatusReason") or config.get("LastUpdateStatusReasonCode") or ""
            raise StackwrightError(f"updating function {name} failed: {reason}".rstrip(": "))
        if time.monotonic() > deadline:
            raise StackwrightError(f"updating function {name} did not finish in {UPDATE_TIMEOUT:.0f} s")
        time.sleep(delay)
        delay = min(delay * 1.5, 1.0)
