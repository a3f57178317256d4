"""Compile a `hosting-bucket`: a private S3 bucket that only its CloudFront distribution reads, and the
distribution of `cdn` (cached by CloudFront's managed CachingOptimized policy, which honours each file's
Cache-Control).

The files are not in the template: they are the resource's `hosting-content` artifact, whose digest the
bucket carries as a tag, and a sync uploads them after the deploy (see `sync`), each page also under its
clean URL (`content.clean_url_copies`)."""

from __future__ import annotations

from typing import Any

from stackwright import Artifact, Resource, StackContext, ref

from .bucket import bucket_arn, bucket_name, deny_insecure_transport
from .cdn import Site, add_distribution, cdn_params, clean_urls, cloudfront_reads, invalidation_site
from .content import CONTENT_TAG, KIND, check_file_options, refuse_published_project, upload_root
from .inject import add_injected_outputs


def hosting_ids(ctx: StackContext, name: str) -> dict[str, str]:
    parts = ("Bucket", "BucketPolicy")
    return {part: ctx.logical_id(name, part) for part in parts}


def compile_hosting_bucket(ctx: StackContext, resource: Resource) -> None:
    props, name = resource.properties, resource.name
    at = ("resources", name, "properties")
    check_file_options(ctx, resource.properties.get("fileOptions") or [], (*at, "fileOptions"))
    root = upload_root(ctx.project.root, props)
    refuse_published_project(ctx, root, (*at, "uploadDirectoryPath"))
    if not props.get("build") and not root.is_dir():
        ctx.fail(
            (*at, "uploadDirectoryPath"),
            f"{props['uploadDirectoryPath']!r} is not a folder (resolved to {root})",
            hint="build the site first, or give its build command as `build.command`",
        )
    artifact = ctx.add_artifact(
        Artifact(
            resource=name,
            kind=KIND,
            packaging={"type": KIND},
            root=ctx.project.root,
            options={
                **props,
                "hostingContentType": props.get("hostingContentType", "static-website"),
                "cleanUrls": clean_urls(site(ctx, resource)),
            },
            after_deploy=True,
            details={"distribution": invalidation_site(site(ctx, resource))},
        )
    )
    ids = hosting_ids(ctx, name)
    template = ctx.template
    template.add_resource(
        ids["Bucket"],
        "AWS::S3::Bucket",
        {
            "BucketName": bucket_name(ctx, name),
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
            "Tags": [{"Key": CONTENT_TAG, "Value": artifact.digest}],
        },
        owner=name,
    )
    add_distribution(ctx, name, ids["Bucket"], site(ctx, resource))
    template.add_resource(
        ids["BucketPolicy"],
        "AWS::S3::BucketPolicy",
        {
            "Bucket": ref(ids["Bucket"]),
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    deny_insecure_transport(ids["Bucket"]),
                    cloudfront_reads(ctx, name, ids["Bucket"]),
                ],
            },
        },
        owner=name,
    )
    add_injected_outputs(ctx, resource)


def site(ctx: StackContext, resource: Resource) -> Site:
    """What the distribution serves: the hosting bucket's own settings."""
    props = resource.properties
    return Site(
        at=("resources", resource.name, "properties"),
        index_document=str(props.get("indexDocument", "/index.html")),
        error_document=props.get("errorDocument"),
        spa=props.get("hostingContentType") == "single-page-app",
        normalize_urls=not props.get("disableUrlNormalization"),
        custom_domains=list(props.get("customDomains") or []),
    )


def hosting_params(ctx: StackContext, resource: Resource) -> dict[str, Any]:
    """Stacktape's referenceable params of a hosting bucket: `name` and `arn` of the bucket (built from its
    name) and the CDN's (`cdn.cdn_params`)."""
    domains = list(resource.properties.get("customDomains") or [])
    return {
        "name": bucket_name(ctx, resource.name),
        "arn": bucket_arn(ctx, resource.name),
        **cdn_params(ctx, resource.name, domains),
    }
