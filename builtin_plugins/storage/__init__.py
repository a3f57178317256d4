"""Storage resource types: `bucket` (an S3 bucket, private unless its `accessibility` opens it) and
`hosting-bucket` (a site: a bucket only CloudFront reads, synced with a folder after each deploy)."""

from __future__ import annotations

from typing import Any

from stackwright import (
    Artifact,
    Change,
    Connection,
    HotswapResult,
    Packager,
    Phase,
    Resource,
    ResourceType,
    StackContext,
    hookimpl,
)

from .bucket import bucket_params, compile_bucket
from .content import KIND, HostingContentPackager
from .schema import DEFINITIONS, REQUIRES_PROPERTIES, SCHEMAS

#: What a connectTo grants on the bucket itself: list its objects, versions and uploads. Stacktape grants
#: `s3:ListBucket` and `s3:GetBucket*`; the bucket's settings are left out here.
BUCKET_ACTIONS = [
    "s3:GetBucketLocation",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:ListBucketVersions",
]
#: What a connectTo grants on the bucket's objects (`<arn>/*`): read, write, delete, tag and restore them,
#: and upload in parts; Stacktape's `s3:*Object*`, `s3:Abort*` and `s3:*MultipartUpload*`, named one by
#: one (ACLs are off, so their actions are left out).
OBJECT_ACTIONS = [
    "s3:AbortMultipartUpload",
    "s3:DeleteObject",
    "s3:DeleteObjectTagging",
    "s3:DeleteObjectVersion",
    "s3:DeleteObjectVersionTagging",
    "s3:GetObject",
    "s3:GetObjectAttributes",
    "s3:GetObjectTagging",
    "s3:GetObjectVersion",
    "s3:GetObjectVersionAttributes",
    "s3:GetObjectVersionTagging",
    "s3:ListMultipartUploadParts",
    "s3:PutObject",
    "s3:PutObjectTagging",
    "s3:PutObjectVersionTagging",
    "s3:RestoreObject",
]


class Bucket(ResourceType):
    name = "bucket"
    schema = SCHEMAS[name]
    definitions = DEFINITIONS
    properties_required = REQUIRES_PROPERTIES[name]
    summary = "An S3 bucket: private, TLS only, with optional CORS, versioning and lifecycle rules."
    code_locations = {"AWS::S3::Bucket": ("Tags",)}  # the digest of its directoryUpload, if any

    def hotswap(self, ctx: StackContext, change: Change) -> HotswapResult | None:
        """A change of the `directoryUpload` folder alone: sync the bucket (no CloudFormation)."""
        return _sync_swap(ctx, change)

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_bucket(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return bucket_params(ctx, resource)

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        params = self.params(ctx, resource)
        objects = {"Fn::Join": ["", [params["arn"], "/*"]]}
        return Connection(
            target=resource,
            statements=[
                {"Effect": "Allow", "Action": BUCKET_ACTIONS, "Resource": [params["arn"]]},
                {"Effect": "Allow", "Action": OBJECT_ACTIONS, "Resource": [objects]},
            ],
            environment={key.upper(): value for key, value in params.items()},
        )


class HostingBucket(ResourceType):
    name = "hosting-bucket"
    schema = SCHEMAS[name]
    definitions = DEFINITIONS
    properties_required = REQUIRES_PROPERTIES[name]
    summary = "A static site or single-page app: a private bucket behind CloudFront, synced with a folder."
    code_locations = {"AWS::S3::Bucket": ("Tags",)}

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        from .hosting import compile_hosting_bucket

        compile_hosting_bucket(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        from .hosting import hosting_params

        return hosting_params(ctx, resource)

    def hotswap(self, ctx: StackContext, change: Change) -> HotswapResult | None:
        """A change of the content alone: sync the bucket (no CloudFormation)."""
        return _sync_swap(ctx, change)


def _sync_swap(ctx: StackContext, change: Change) -> HotswapResult:
    from .sync import hosting_bucket_name

    resource = ctx.config.resources[change.resource]
    detail = _sync(ctx, resource, change.artifact, plan_only=change.plan_only)
    return HotswapResult(resource.name, hosting_bucket_name(ctx, resource.name), detail)


def _sync(ctx: StackContext, resource: Resource, artifact: Artifact, plan_only: bool = False) -> str:
    """Sync the resource's files (a hosting bucket's HTML with its injected values); one line."""
    from .sync import sync

    if plan_only or resource.type != HostingBucket.name:
        return sync(ctx, resource, artifact, plan_only=plan_only)
    from .inject import prepare, transform

    values, wrote = prepare(ctx, resource)
    line = sync(ctx, resource, artifact, transform=transform(values) if values else None)
    return f"{line}; {wrote}" if wrote else line


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return [Bucket, HostingBucket]


@hookimpl(trylast=True)
def stackwright_get_packager(ctx: StackContext, artifact: Artifact) -> Packager | None:
    return HostingContentPackager() if artifact.kind == KIND else None


@hookimpl
def stackwright_before_phase(ctx: StackContext, phase: Phase) -> None:
    """Before a deploy: note the buckets of synced content it removes (`removed`)."""
    if phase is Phase.DEPLOY and ctx.settings.get("execute", True):
        from .removed import note_removed

        note_removed(ctx)


@hookimpl
def stackwright_after_phase(ctx: StackContext, phase: Phase, outcome: Any) -> None:
    """After a deploy that executed or found nothing to change, and after a hot-swap (the buckets it
    did not sync itself): sync every hosting bucket's files and every bucket's `directoryUpload`. A
    sync compares with the bucket, so one cut short, a build whose inputs the digest does not cover,
    or a file removed by hand is made right by the next deploy of any kind."""
    if phase not in (Phase.DEPLOY, Phase.HOTSWAP) or not ctx.settings.get("execute", True):
        return
    if ctx.settings.get("converging"):  # hot-swapped code put back before a deploy: sync after it
        return
    if phase is Phase.DEPLOY:
        from .removed import delete_removed

        delete_removed(ctx)
    swapped = {r.logical_id for r in outcome or []} if phase is Phase.HOTSWAP else set()
    for artifact in ctx.artifacts.values():
        if artifact.kind == KIND and ctx.logical_id(artifact.resource, "Bucket") not in swapped:
            line = _sync(ctx, ctx.config.resources[artifact.resource], artifact)
            ctx.report.event("synced", f"synced {line}", resource=artifact.resource)
