"""A stack past CloudFormation's limits, deployed as a root stack and nested stacks
(`stackwright.nesting` makes the split): the nested templates sent to the deployment bucket, the
template stackwright compiled (the logical one) found again from the root, the resources of the whole
tree, and the changes of the nested stacks' change sets told resource by resource."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from stackwright import DEPLOYMENT_BUCKET_ID, StackContext, StackwrightError, Template, nesting

#: The root's `Metadata` key naming the deployment-bucket key of the logical template.
LOGICAL_KEY = "StackwrightTemplate"
STACK_TYPE = "AWS::CloudFormation::Stack"
#: A nested template's key (`nesting.template_key`).
NESTED_KEY = re.compile(r"cf-template/nested/[0-9a-f]{64}\.json")
#: Nested stacks listed at once.
WORKERS = 8


def ours(logical_id: str, resource_type: str) -> bool:
    """Whether a root's resource is one of the nested stacks a split makes."""
    return resource_type == STACK_TYPE and logical_id.startswith(nesting.NESTED_PREFIX)


def is_root(body: dict[str, Any] | None) -> bool:
    """Whether a deployed template is the root of a split."""
    return isinstance(body, dict) and LOGICAL_KEY in (body.get("Metadata") or {})


def previous_placement(root: dict[str, Any] | None) -> dict[str, str]:
    """Config resource → nested stack it went to in the deployed root (`{}` for a stack not split)."""
    if not is_root(root):
        return {}
    assert root is not None
    return {str(k): str(v) for k, v in (root["Metadata"].get(nesting.METADATA_KEY) or {}).items()}


def previous_homes(ctx: StackContext, root: dict[str, Any] | None) -> dict[str, str]:
    """Config resource → the nested stack it is deployed in, "" for the root (`nesting.split`'s
    `previous`): a stack that grows past the limits keeps what it holds where it is."""
    if root is None:
        return {}
    placement = previous_placement(root)
    before = logical(ctx, root) or {}
    return {owner: placement.get(owner, "") for owner in set(nesting.owners_of(before).values())}


def split_for_deploy(
    ctx: StackContext, template: Template, body: dict[str, Any], root: dict[str, Any] | None
) -> nesting.Split | None:
    """The split of `body` (what CloudFormation is given) when one stack cannot take it, with the root
    naming where the logical `template` is kept; the nested templates and the logical one are in the
    deployment bucket when it returns (each under its content's key: what is already there is not sent
    again). Raises StackwrightError when even split it is past a limit, or there is no bucket yet."""
    found = nesting.split_stack(ctx, body, previous_homes(ctx, root), always=is_root(root))
    if found is None:
        return None
    bucket = ctx.state.bucket if ctx.state else None
    if not bucket:
        raise StackwrightError(
            f"{ctx.stack_name} is past one stack's limits and has no deployment bucket for its nested "
            "templates yet",
        )
    logical = template.to_dict()
    found.root.setdefault("Metadata", {})[LOGICAL_KEY] = nesting.template_key(logical)
    s3 = ctx.clients.client("s3")
    present = {
        str(item["Key"])
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="cf-template/nested/")
        for item in page.get("Contents", [])
    }
    wanted = {nesting.template_key(b): b for b in [logical, *found.nested.values()]}
    missing = {k: b for k, b in wanted.items() if k not in present}
    lock_check = ctx.memo.get("lock-check")
    if missing and callable(lock_check):
        lock_check()

    def put(item: tuple[str, dict[str, Any]]) -> None:
        key, data = item
        body = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")

    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="nested-put") as pool:
        list(pool.map(put, missing.items()))
    return found


def root_body(ctx: StackContext) -> dict[str, Any] | None:
    """The template the stack runs as CloudFormation has it (a split's root), or None without a stack."""
    if ctx.state is None or not ctx.state.exists:
        return None
    body = ctx.clients.client("cloudformation").get_template(
        StackName=ctx.stack_name, TemplateStage="Original"
    )
    template = body.get("TemplateBody")
    if isinstance(template, str):
        try:
            template = json.loads(template)
        except ValueError:
            return None
    return template if isinstance(template, dict) else None


def logical(
    ctx: StackContext, root: dict[str, Any] | None, bucket: str | None = None
) -> dict[str, Any] | None:
    """The logical template of a deployed `root` (the root itself when the stack is not split), read
    from the deployment bucket once per process (its key names its content)."""
    if not is_root(root):
        return root
    assert root is not None
    key = str(root["Metadata"][LOGICAL_KEY])
    kept: dict[str, bytes] = ctx.memo.setdefault("logical-templates", {})
    if key not in kept:
        bucket = bucket or (ctx.state.bucket if ctx.state else None) or _bucket(ctx)
        if not bucket:
            return None
        s3 = ctx.clients.client("s3")
        try:
            kept[key] = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        except s3.exceptions.NoSuchKey:
            raise StackwrightError(
                f"the template {ctx.stack_name} runs is missing from its deployment bucket ({key})",
                hint="deploy again: the deploy puts it back",
            ) from None
    data = json.loads(kept[key])
    return data if isinstance(data, dict) else None


def _bucket(ctx: StackContext) -> str | None:
    from botocore.exceptions import ClientError

    cf = ctx.clients.client("cloudformation")
    try:
        found = cf.describe_stack_resource(StackName=ctx.stack_name, LogicalResourceId=DEPLOYMENT_BUCKET_ID)
    except ClientError:
        return None
    return str(found["StackResourceDetail"].get("PhysicalResourceId") or "") or None


def list_resources(cf: Any, stack: str) -> list[dict[str, Any]]:
    """`ListStackResources` of `stack` and of each of its nested stacks (theirs after it, each with
    `"Stack"`: the nested stack's logical id in the root); the nested stacks' own rows stay in."""
    found = [
        dict(r)
        for page in cf.get_paginator("list_stack_resources").paginate(StackName=stack)
        for r in page["StackResourceSummaries"]
        if r.get("LogicalResourceId")
    ]
    nested = [
        r
        for r in found
        if ours(str(r["LogicalResourceId"]), str(r.get("ResourceType", ""))) and r.get("PhysicalResourceId")
    ]
    if not nested:
        return found

    def inside(row: dict[str, Any]) -> list[dict[str, Any]]:
        from botocore.exceptions import ClientError

        try:
            pages = list(
                cf.get_paginator("list_stack_resources").paginate(StackName=str(row["PhysicalResourceId"]))
            )
        except ClientError as error:
            if "does not exist" in str(error):  # being created, or gone with a failed create
                return []
            raise
        return [
            {**r, "Stack": str(row["LogicalResourceId"])}
            for page in pages
            for r in page["StackResourceSummaries"]
            if r.get("LogicalResourceId")
        ]

    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="nested-list") as pool:
        for rows in pool.map(inside, nested):
            found += rows
    return found


def keys_in_use(root: dict[str, Any] | None) -> set[str]:
    """The nested-template keys (and the logical template's) a deployed root uses."""
    return set(NESTED_KEY.findall(json.dumps(root, default=str))) if root else set()


def sweep(ctx: StackContext, root: dict[str, Any] | None) -> int:
    """After a deploy succeeded (under the deploy lock): remove the nested templates (and logical ones)
    that `root`, the template the stack now runs, does not use; returns how many. CloudFormation keeps
    its own copy of every template a stack runs, so a rollback needs none of them."""
    bucket = ctx.state.bucket if ctx.state else None
    if not bucket:
        return 0
    s3 = ctx.clients.client("s3")
    used = keys_in_use(root) | ({nesting.template_key(root)} if is_root(root) and root else set())
    unused = [
        str(item["Key"])
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="cf-template/nested/")
        for item in page.get("Contents", [])
        if str(item["Key"]) not in used
    ]
    for start in range(0, len(unused), 1000):  # DeleteObjects takes 1,000 keys a request
        s3.delete_objects(
            Bucket=bucket,
            Delete={"Objects": [{"Key": k} for k in unused[start : start + 1000]], "Quiet": True},
        )
    return len(unused)


def swept(ctx: StackContext, root: dict[str, Any] | None) -> None:
    """`sweep`, a failure only said (the next deploy tries again)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        sweep(ctx, root)
    except (BotoCoreError, ClientError) as error:
        ctx.report.warn(f"unused nested templates stay in the deployment bucket: {error}")
