"""Hot-swap a function's code: UpdateFunctionCode, wait until it is live, move its alias if it has one."""

from __future__ import annotations

from stackwright import Change, HotswapResult, StackContext, StackwrightError

DIRECT_UPLOAD_LIMIT = 50 * 1024 * 1024  # above this, Lambda takes the zip from S3 only


def hotswap_function(ctx: StackContext, change: Change) -> HotswapResult:
    artifact = change.artifact
    name = change.physical_id or change.definition.get("Properties", {}).get("FunctionName", "")
    if change.plan_only:
        return HotswapResult(change.resource, str(name), "update code", change.logical_id, artifact.digest)
    if not name:
        raise StackwrightError(f"{change.logical_id}: the function's name is not known")
    from botocore.exceptions import ClientError, WaiterError

    client = ctx.clients.client("lambda")
    size = artifact.path.stat().st_size if artifact.path else DIRECT_UPLOAD_LIMIT + 1
    try:
        if size <= DIRECT_UPLOAD_LIMIT and artifact.path:
            client.update_function_code(FunctionName=name, ZipFile=artifact.path.read_bytes())
            how = f"code sent directly ({size} bytes)"
        else:
            bucket = ctx.state.bucket if ctx.state else None
            client.update_function_code(FunctionName=name, S3Bucket=bucket, S3Key=artifact.s3_key)
            how = f"code taken from s3://{bucket}/{artifact.s3_key}"
        client.get_waiter("function_updated_v2").wait(
            FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 300}
        )
        aliases = client.list_aliases(FunctionName=name).get("Aliases", [])
        if aliases:
            version = client.publish_version(
                FunctionName=name, Description=f"stackwright {artifact.digest[:12]}"
            )["Version"]
            for alias in aliases:
                client.update_alias(FunctionName=name, Name=alias["Name"], FunctionVersion=version)
            how += f"; alias {', '.join(a['Name'] for a in aliases)} → version {version}"
        arn = client.get_function_configuration(FunctionName=name)["FunctionArn"]
        client.tag_resource(Resource=arn, Tags={"stackwright:digest": artifact.digest})
    except (ClientError, WaiterError) as error:
        raise StackwrightError(f"updating function {name} failed: {error}") from None
    return HotswapResult(change.resource, str(name), how, change.logical_id, artifact.digest)
