"""Compile a `hosting-bucket`: a private S3 bucket that only its CloudFront distribution reads (origin
access control), the distribution (HTTPS, compressed, cached by CloudFront's managed CachingOptimized
policy, which honours each file's Cache-Control), and a CloudFront function that maps clean URLs to files
(`/about` → `/about.html` or `/about/index.html`) or, for a single-page app, every route to its index.

The files are not in the template: they are the resource's `hosting-content` artifact, whose digest the
bucket carries as a tag, and a sync uploads them after the deploy (see `sync`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stackwright import Artifact, Resource, StackContext, get_att, ref, sub

from .bucket import bucket_arn, bucket_name
from .content import CONTENT_TAG, KIND, check_headers, content_files, upload_root
from .inject import add_injected_outputs

#: CloudFront's managed cache policy CachingOptimized (AWS: "Use managed cache policies"): caches by path
#: only, gzip and brotli, TTLs 1 s to 1 year, so each file's Cache-Control `s-maxage` decides.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
#: Settings whose compilers are not installed yet: refused by name rather than ignored.
NOT_YET = {
    "edgeFunctions": "edge functions of a hosting bucket",
    "routeRewrites": "route rewrites to other origins",
    "useFirewall": "a web-app-firewall in front of a hosting bucket",
    "dev": "a dev server command (stackwright has no dev mode)",
}
#: CloudFront answers only with certificates from this region (AWS: "Requirements for using SSL/TLS
#: certificates with CloudFront").
CERTIFICATE_REGION = "us-east-1"


def hosting_ids(ctx: StackContext, name: str) -> dict[str, str]:
    parts = ("Bucket", "BucketPolicy", "OriginAccessControl", "Function", "Distribution")
    return {part: ctx.logical_id(name, part) for part in parts}


def compile_hosting_bucket(ctx: StackContext, resource: Resource) -> None:
    props, name = resource.properties, resource.name
    at = ("resources", name, "properties")
    for key, what in NOT_YET.items():
        if props.get(key):
            ctx.fail((*at, key), f"{what} is not supported by the installed plugins yet")
    check_headers(ctx, resource.properties.get("fileOptions") or [], (*at, "fileOptions"))
    root = upload_root(ctx.project.root, props)
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
            options={**props, "hostingContentType": props.get("hostingContentType", "static-website")},
            after_deploy=True,
            details={"distribution": True},
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
    template.add_resource(
        ids["OriginAccessControl"],
        "AWS::CloudFront::OriginAccessControl",
        {
            "OriginAccessControlConfig": {
                "Name": ctx.physical_name(name, "cloudfront", "oac"),
                "Description": f"{ctx.stack_name} {name}: CloudFront reads the bucket",
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always",
                "SigningProtocol": "sigv4",
            }
        },
        owner=name,
    )
    code = viewer_request_code(ctx, resource)
    if code:
        template.add_resource(
            ids["Function"],
            "AWS::CloudFront::Function",
            {
                "Name": ctx.physical_name(name, "cloudfront", "urls"),
                "AutoPublish": True,
                "FunctionCode": code,
                "FunctionConfig": {
                    "Comment": f"{ctx.stack_name} {name}: clean URLs",
                    "Runtime": "cloudfront-js-2.0",
                },
            },
            owner=name,
        )
    template.add_resource(
        ids["Distribution"],
        "AWS::CloudFront::Distribution",
        _distribution(ctx, resource, ids, bool(code)),
        owner=name,
    )
    template.add_resource(
        ids["BucketPolicy"],
        "AWS::S3::BucketPolicy",
        {
            "Bucket": ref(ids["Bucket"]),
            "PolicyDocument": {"Version": "2012-10-17", "Statement": _policy(ids)},
        },
        owner=name,
    )
    add_injected_outputs(ctx, resource)
    template.add_output(
        ctx.logical_id(name, "Url"),
        hosting_params(ctx, resource)["cdnUrl"],
        description=f"{name}: the site's URL",
    )


def _distribution(
    ctx: StackContext, resource: Resource, ids: dict[str, str], function: bool
) -> dict[str, Any]:
    props, name = resource.properties, resource.name
    behavior: dict[str, Any] = {
        "TargetOriginId": "bucket",
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": ["GET", "HEAD", "OPTIONS"],
        "CachedMethods": ["GET", "HEAD"],
        "Compress": True,
        "CachePolicyId": CACHING_OPTIMIZED,
    }
    if function:
        behavior["FunctionAssociations"] = [
            {"EventType": "viewer-request", "FunctionARN": get_att(ids["Function"], "FunctionARN")}
        ]
    config: dict[str, Any] = {
        "Enabled": True,
        "Comment": f"{ctx.stack_name} {name}"[:128],
        "HttpVersion": "http2and3",
        "IPV6Enabled": True,
        "DefaultRootObject": str(props.get("indexDocument", "/index.html")).lstrip("/"),
        "Origins": [
            {
                "Id": "bucket",
                "DomainName": get_att(ids["Bucket"], "RegionalDomainName"),
                "S3OriginConfig": {"OriginAccessIdentity": ""},
                "OriginAccessControlId": get_att(ids["OriginAccessControl"], "Id"),
            }
        ],
        "DefaultCacheBehavior": behavior,
    }
    if props.get("errorDocument"):
        config["CustomErrorResponses"] = [
            {
                "ErrorCode": 404,
                "ResponseCode": 404,
                "ResponsePagePath": "/" + str(props["errorDocument"]).lstrip("/"),
                "ErrorCachingMinTTL": 10,
            }
        ]
    domains = _domains(ctx, resource)
    if domains:
        config["Aliases"] = [d["domainName"] for d in domains]
        config["ViewerCertificate"] = {
            "AcmCertificateArn": domains[0]["customCertificateArn"],
            "SslSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        }
    return {"DistributionConfig": config}


def _domains(ctx: StackContext, resource: Resource) -> list[dict[str, Any]]:
    """`customDomains`, each with the one certificate the distribution presents (given, from us-east-1)
    and its DNS record left to the user; anything else is refused at its entry."""
    base = ("resources", resource.name, "properties", "customDomains")
    domains = list(resource.properties.get("customDomains") or [])
    for index, domain in enumerate(domains):
        arn = domain.get("customCertificateArn")
        if not arn:
            ctx.fail(
                (*base, index),
                f"{domain['domainName']}: certificates made by stackwright are not supported by the "
                "installed plugins yet",
                hint=f"give the ARN of an ACM certificate for the domain, from {CERTIFICATE_REGION}, as "
                "`customCertificateArn`",
            )
        elif arn.split(":")[3] != CERTIFICATE_REGION:
            ctx.fail(
                (*base, index, "customCertificateArn"),
                f"CloudFront uses certificates from {CERTIFICATE_REGION} only; this one is from "
                f"{arn.split(':')[3]}",
                hint=f"request or import the certificate in {CERTIFICATE_REGION}",
            )
        elif arn != domains[0].get("customCertificateArn"):
            ctx.fail(
                (*base, index, "customCertificateArn"),
                "a distribution presents one certificate: every custom domain must give the same one",
                hint="use one certificate that covers every domain (several names, or a wildcard)",
            )
        if not domain.get("disableDnsRecordCreation"):
            ctx.fail(
                (*base, index),
                f"{domain['domainName']}: DNS records made by stackwright are not supported by the "
                "installed plugins yet",
                hint="set `disableDnsRecordCreation: true` and point the domain at the distribution "
                f"(param cdnCanonicalDomain, output {ctx.logical_id(resource.name, 'Url')})",
            )
    return domains


def _policy(ids: dict[str, str]) -> list[dict[str, Any]]:
    bucket, objects = get_att(ids["Bucket"], "Arn"), sub("${" + ids["Bucket"] + ".Arn}/*")
    source = sub(
        "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${" + ids["Distribution"] + "}"
    )
    return [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket, objects],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            # ListBucket too: a missing file is then a 404 (the error page), not a 403
            "Sid": "CloudFrontReads",
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": [bucket, objects],
            "Condition": {"StringEquals": {"AWS:SourceArn": source}},
        },
    ]


#: The viewer-request function: `/docs/` → `/docs/index.html`; a path without an extension → the page
#: file of the site's style (`PAGE`), or for a single-page app the index (its router takes over).
_FUNCTION = """function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.split('/').pop().indexOf('.') === -1) {
    request.uri = PAGE;
  }
  return request;
}
"""


def viewer_request_code(ctx: StackContext, resource: Resource) -> str:
    """The CloudFront function's code, or "" when none is needed (`disableUrlNormalization` on a site
    that is not a single-page app). A site whose pages are files (`about.html`) maps `/about` to
    `/about.html`; one whose pages are folders (`about/index.html`) to `/about/index.html`: the style is
    read from the upload folder (folders when it does not exist yet)."""
    props = resource.properties
    if props.get("hostingContentType") == "single-page-app":
        index = "/" + str(props.get("indexDocument", "/index.html")).lstrip("/")
        return _FUNCTION.replace("PAGE", json.dumps(index))
    if props.get("disableUrlNormalization"):
        return ""
    style = "uri + '.html'" if _pages_are_files(ctx.project.root, props) else "uri + '/index.html'"
    return _FUNCTION.replace("PAGE", style)


def _pages_are_files(project_root: Path, props: dict[str, Any]) -> bool:
    root = upload_root(project_root, props)
    if not root.is_dir():
        return False
    pages = [k for k, _ in content_files(root, []) if k.endswith(".html")]
    as_files = [k for k in pages if "/" not in k and k not in ("index.html", "404.html")]
    as_folders = [k for k in pages if k.endswith("/index.html")]
    return len(as_files) > len(as_folders)


def hosting_params(ctx: StackContext, resource: Resource) -> dict[str, Any]:
    """Stacktape's referenceable params of a hosting bucket: `name` and `arn` of the bucket (built from its
    name), `cdnCanonicalDomain` (the distribution's `*.cloudfront.net` name), `cdnDomain` (the first
    custom domain, else the canonical one) and `cdnUrl` (`https://` + cdnDomain)."""
    name = resource.name
    distribution = ctx.logical_id(name, "Distribution")
    domains = resource.properties.get("customDomains") or []
    canonical = get_att(distribution, "DomainName")
    domain: Any = domains[0]["domainName"] if domains else canonical
    url = (
        "https://" + domain if isinstance(domain, str) else sub("https://${" + distribution + ".DomainName}")
    )
    return {
        "name": bucket_name(ctx, name),
        "arn": bucket_arn(ctx, name),
        "cdnCanonicalDomain": canonical,
        "cdnDomain": domain,
        "cdnUrl": url,
    }
