"""Compile a `bucket`: an S3 bucket with every public access blocked unless `accessibility` opens it,
objects owned by the bucket owner (ACLs off), encrypted at rest, and a policy that refuses plain HTTP.
With `directoryUpload` it mirrors a folder: its files are synced after each deploy (see `sync`)."""

from __future__ import annotations

from typing import Any

from stackwright import Artifact, Resource, StackContext, get_att, number, ref, sub

from .bucket_cdn import add_bucket_cdn, bucket_site
from .cdn import Site, cdn_params, clean_urls, cloudfront_reads, invalidation_site
from .content import CONTENT_TAG, KIND, check_file_options, refuse_published_project, upload_root

#: What `cors.enabled: true` without `corsRules` allows (Stacktape's default: any origin, every method).
DEFAULT_CORS_RULE: dict[str, Any] = {
    "AllowedOrigins": ["*"],
    "AllowedMethods": ["GET", "PUT", "HEAD", "POST", "DELETE"],
    "AllowedHeaders": [
        "Authorization",
        "Content-Length",
        "Content-Type",
        "Content-MD5",
        "Date",
        "Expect",
        "Host",
        "x-amz-content-sha256",
        "x-amz-date",
        "x-amz-security-token",
    ],
}
#: What each accessibility mode lets anyone (`Principal: *`) do with objects.
PUBLIC_ACTIONS = {
    "public-read": ["s3:GetObject", "s3:GetObjectVersion"],
    "public-read-write": [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
    ],
}
#: Lifecycle rule type → the CloudFormation rule field it sets.
LIFECYCLE = {
    "expiration": "ExpirationInDays",
    "non-current-version-expiration": "NoncurrentVersionExpiration",
    "class-transition": "Transitions",
    "non-current-version-class-transition": "NoncurrentVersionTransitions",
    "abort-incomplete-multipart-upload": "AbortIncompleteMultipartUpload",
}


def bucket_ids(ctx: StackContext, name: str) -> dict[str, str]:
    return {part: ctx.logical_id(name, part) for part in ("Bucket", "BucketPolicy")}


def bucket_name(ctx: StackContext, name: str) -> dict[str, Any]:
    """The bucket's name, `{stack}-{resource}-{account}-{region}`: S3 names are global, so the account and
    region make it unique, and it is known before the bucket exists (an S3 event's permission names it
    without waiting for the bucket, which waits for the permission)."""
    return sub(ctx.physical_name(name, "s3-bucket") + "-${AWS::AccountId}-${AWS::Region}")


def bucket_arn(ctx: StackContext, name: str) -> dict[str, Any]:
    """The bucket's ARN built from its name (no dependency on the bucket resource)."""
    return sub(
        "arn:${AWS::Partition}:s3:::"
        + ctx.physical_name(name, "s3-bucket")
        + "-${AWS::AccountId}-${AWS::Region}"
    )


def compile_bucket(ctx: StackContext, resource: Resource) -> None:
    props = resource.properties
    site = bucket_site(ctx, resource)
    ids = bucket_ids(ctx, resource.name)
    mode = (props.get("accessibility") or {}).get("accessibilityMode", "private")
    public = mode in PUBLIC_ACTIONS
    body: dict[str, Any] = {
        "BucketName": bucket_name(ctx, resource.name),
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": not public,
            "RestrictPublicBuckets": not public,
        },
    }
    if props.get("encryption"):  # S3 encrypts with its own keys when this is not given, since January 2023
        body["BucketEncryption"] = {
            "ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
            ]
        }
    if props.get("versioning"):
        body["VersioningConfiguration"] = {"Status": "Enabled"}
    cors = props.get("cors") or {}
    if cors.get("enabled"):
        rules = [_cors_rule(rule) for rule in cors.get("corsRules") or []] or [dict(DEFAULT_CORS_RULE)]
        body["CorsConfiguration"] = {"CorsRules": rules}
    rules = [_lifecycle_rule(index, rule) for index, rule in enumerate(props.get("lifecycleRules") or [])]
    if rules:
        body["LifecycleConfiguration"] = {"Rules": rules}
    if props.get("enableEventBusNotifications"):
        body["NotificationConfiguration"] = {"EventBridgeConfiguration": {"EventBridgeEnabled": True}}
    if props.get("directoryUpload"):
        digest = _directory_upload(ctx, resource, site)
        body["Tags"] = [{"Key": CONTENT_TAG, "Value": digest}]
    ctx.template.add_resource(ids["Bucket"], "AWS::S3::Bucket", body, owner=resource.name)
    if site is not None:
        add_bucket_cdn(ctx, resource.name, ids["Bucket"], site)
    ctx.template.add_resource(
        ids["BucketPolicy"],
        "AWS::S3::BucketPolicy",
        {
            "Bucket": ref(ids["Bucket"]),
            "PolicyDocument": {"Version": "2012-10-17", "Statement": _policy(ctx, resource, ids, mode)},
        },
        owner=resource.name,
    )


def _directory_upload(ctx: StackContext, resource: Resource, site: Site | None) -> str:
    """The folder the bucket mirrors, as a `hosting-content` artifact synced after each deploy (a change
    of its files alone is hot-swapped; what it changes is invalidated in `site`'s distribution unless
    `cdn.disableInvalidationAfterDeploy`); its digest."""
    upload = resource.properties["directoryUpload"]
    at = ("resources", resource.name, "properties", "directoryUpload")
    check_file_options(ctx, upload.get("fileOptions") or [], (*at, "fileOptions"))
    options: dict[str, Any] = {
        "uploadDirectoryPath": upload["directoryPath"],
        "excludeFilesPatterns": upload.get("excludeFilesPatterns") or [],
        "fileOptions": upload.get("fileOptions") or [],
    }
    if upload.get("headersPreset"):
        options["hostingContentType"] = upload["headersPreset"]
    if clean_urls(site):
        options["cleanUrls"] = True
    refuse_published_project(ctx, upload_root(ctx.project.root, options), (*at, "directoryPath"))
    if not upload_root(ctx.project.root, options).is_dir():
        ctx.fail(
            (*at, "directoryPath"),
            f"{upload['directoryPath']!r} is not a folder (resolved to "
            f"{upload_root(ctx.project.root, options)})",
        )
    artifact = ctx.add_artifact(
        Artifact(
            resource=resource.name,
            kind=KIND,
            packaging={"type": KIND},
            root=ctx.project.root,
            options=options,
            after_deploy=True,
        )
    )
    cdn = resource.properties.get("cdn") or {}
    if site is not None and not cdn.get("disableInvalidationAfterDeploy"):
        artifact.details["distribution"] = invalidation_site(site)
    return artifact.digest


def deny_insecure_transport(bucket_id: str) -> dict[str, Any]:
    """The policy statement that refuses every request to the bucket not made over TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [get_att(bucket_id, "Arn"), sub("${" + bucket_id + ".Arn}/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _policy(ctx: StackContext, resource: Resource, ids: dict[str, str], mode: str) -> list[dict[str, Any]]:
    bucket, objects = get_att(ids["Bucket"], "Arn"), sub("${" + ids["Bucket"] + ".Arn}/*")
    statements: list[dict[str, Any]] = [deny_insecure_transport(ids["Bucket"])]
    if mode in PUBLIC_ACTIONS:
        statements.append(
            {
                "Sid": "PublicAccess",
                "Effect": "Allow",
                "Principal": "*",
                "Action": PUBLIC_ACTIONS[mode],
                "Resource": [objects],
            }
        )
        statements.append(
            {
                "Sid": "PublicList",
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["s3:ListBucket"],
                "Resource": [bucket],
            }
        )
    if resource.properties.get("cdn", {}).get("enabled"):
        statements.append(cloudfront_reads(ctx, resource.name, ids["Bucket"]))
    for statement in (resource.properties.get("accessibility") or {}).get("accessPolicyStatements") or []:
        statements.append({"Effect": "Allow", **statement})
    return statements


def _cors_rule(rule: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "AllowedOrigins": rule.get("allowedOrigins") or ["*"],
        "AllowedMethods": list(rule.get("allowedMethods") or DEFAULT_CORS_RULE["AllowedMethods"]),
    }
    if "*" in out["AllowedMethods"]:
        out["AllowedMethods"] = list(DEFAULT_CORS_RULE["AllowedMethods"])
    if rule.get("allowedHeaders"):
        out["AllowedHeaders"] = rule["allowedHeaders"]
    if rule.get("exposedResponseHeaders"):
        out["ExposedHeaders"] = rule["exposedResponseHeaders"]
    if "maxAge" in rule:
        out["MaxAge"] = number(rule["maxAge"])
    return out


def _lifecycle_rule(index: int, rule: dict[str, Any]) -> dict[str, Any]:
    kind, props = rule["type"], rule.get("properties") or {}
    out: dict[str, Any] = {"Id": f"{kind}-{index}", "Status": "Enabled"}
    if props.get("prefix"):
        out["Prefix"] = props["prefix"]
    if props.get("tags"):
        out["TagFilters"] = [{"Key": t["key"], "Value": t["value"]} for t in props["tags"]]
    field = LIFECYCLE[kind]
    if kind == "expiration":
        out[field] = number(props["daysAfterUpload"])
    elif kind == "non-current-version-expiration":
        out[field] = {"NoncurrentDays": number(props["daysAfterVersioned"])}
    elif kind == "class-transition":
        out[field] = [
            {"StorageClass": props["storageClass"], "TransitionInDays": number(props["daysAfterUpload"])}
        ]
    elif kind == "non-current-version-class-transition":
        out[field] = [
            {"StorageClass": props["storageClass"], "TransitionInDays": number(props["daysAfterVersioned"])}
        ]
    else:
        out[field] = {"DaysAfterInitiation": number(props["daysAfterInitiation"])}
    return out


def bucket_params(ctx: StackContext, resource: Resource) -> dict[str, Any]:
    """`name` and `arn` (Stacktape's referenceable params of a bucket), both built from the name the
    bucket will have, so what reads them does not wait for the bucket: a function whose S3 event the
    bucket waits for may also connect to it."""
    params = {"name": bucket_name(ctx, resource.name), "arn": bucket_arn(ctx, resource.name)}
    cdn = resource.properties.get("cdn") or {}
    if cdn.get("enabled"):
        params.update(cdn_params(ctx, resource.name, list(cdn.get("customDomains") or [])))
    return params
