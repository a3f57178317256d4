"""A CloudFront distribution in front of a bucket, shared by `hosting-bucket` and a `bucket`'s `cdn`: an
origin access control (only the distribution reads the bucket), the distribution (HTTPS, compressed),
and a CloudFront function that maps `/` and folder URLs (`/docs/`) to their index pages or, for a
single-page app, every route to its index. A page's clean URL (`/about` for `about.html` or
`about/index.html`) is an object of its own, stored by the sync."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from stackwright import StackContext, domain_certificates, get_att, sub

#: CloudFront's managed cache policy CachingOptimized (AWS: "Use managed cache policies"): caches by path
#: only, gzip and brotli, TTLs 1 s to 1 year, so each file's Cache-Control `s-maxage` decides.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
#: CloudFront answers only with certificates from this region (AWS: "Requirements for using SSL/TLS
#: certificates with CloudFront").
CERTIFICATE_REGION = "us-east-1"


@dataclass
class Site:
    """What a distribution serves from a bucket. `at`: the config path of these settings (errors point
    there); `cache_policy`: the
    id of the distribution's cache policy (a CloudFormation value)."""

    at: tuple[str | int, ...]
    index_document: str = "/index.html"
    error_document: str | None = None
    spa: bool = False
    normalize_urls: bool = True
    custom_domains: list[dict[str, Any]] = field(default_factory=list)
    price_class: str | None = None
    origin_path: str = ""
    cache_policy: Any = CACHING_OPTIMIZED

    @property
    def index(self) -> str:
        return "/" + self.index_document.lstrip("/")


def cdn_ids(ctx: StackContext, name: str) -> dict[str, str]:
    return {part: ctx.logical_id(name, part) for part in ("OriginAccessControl", "Function", "Distribution")}


def add_distribution(ctx: StackContext, name: str, bucket_id: str, site: Site) -> None:
    """The origin access control, the clean-URL function (when one is needed) and the distribution of
    config resource `name`, whose bucket is template resource `bucket_id`; and its `Url` output."""
    ids, template = cdn_ids(ctx, name), ctx.template
    domains = check_domains(ctx, name, site)
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
    code = viewer_request_code(site)
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
    behavior: dict[str, Any] = {
        "TargetOriginId": "bucket",
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": ["GET", "HEAD", "OPTIONS"],
        "CachedMethods": ["GET", "HEAD"],
        "Compress": True,
        "CachePolicyId": site.cache_policy,
    }
    if code:
        behavior["FunctionAssociations"] = [
            {"EventType": "viewer-request", "FunctionARN": get_att(ids["Function"], "FunctionARN")}
        ]
    origin: dict[str, Any] = {
        "Id": "bucket",
        "DomainName": get_att(bucket_id, "RegionalDomainName"),
        "S3OriginConfig": {"OriginAccessIdentity": ""},
        "OriginAccessControlId": get_att(ids["OriginAccessControl"], "Id"),
    }
    if site.origin_path:
        origin["OriginPath"] = "/" + site.origin_path.strip("/")
    config: dict[str, Any] = {
        "Enabled": True,
        "Comment": f"{ctx.stack_name} {name}"[:128],
        "HttpVersion": "http2and3",
        "IPV6Enabled": True,
        "DefaultRootObject": site.index_document.lstrip("/"),
        "Origins": [origin],
        "DefaultCacheBehavior": behavior,
    }
    if site.price_class:
        config["PriceClass"] = site.price_class
    if site.error_document:
        config["CustomErrorResponses"] = [
            {
                "ErrorCode": 404,
                "ResponseCode": 404,
                "ResponsePagePath": "/" + site.error_document.lstrip("/"),
                "ErrorCachingMinTTL": 10,
            }
        ]
    if domains:
        config["Aliases"] = [d["domainName"] for d in domains]
        config["ViewerCertificate"] = {
            "AcmCertificateArn": domains[0]["customCertificateArn"],
            "SslSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        }
    template.add_resource(
        ids["Distribution"], "AWS::CloudFront::Distribution", {"DistributionConfig": config}, owner=name
    )
    template.add_output(ctx.logical_id(name, "Url"), cdn_params(ctx, name, domains)["cdnUrl"])


def check_domains(ctx: StackContext, name: str, site: Site) -> list[dict[str, Any]]:
    """`customDomains`, each with the one certificate the distribution presents (given, from us-east-1)
    and its DNS record left to the user; anything else is refused at its entry."""
    base = (*site.at, "customDomains")
    domains = site.custom_domains
    point_at = f"the distribution (param cdnCanonicalDomain, output {ctx.logical_id(name, 'Url')})"
    certificates = domain_certificates(ctx, domains, base, point_at, region=CERTIFICATE_REGION)
    if len(certificates) > 1:
        index = next(i for i, d in enumerate(domains) if d["customCertificateArn"] == certificates[1])
        ctx.fail(
            (*base, index, "customCertificateArn"),
            "a distribution presents one certificate: every custom domain must give the same one",
            hint="use one certificate that covers every domain (several names, or a wildcard)",
        )
    return domains


def cloudfront_reads(ctx: StackContext, name: str, bucket_id: str) -> dict[str, Any]:
    """The bucket policy statement that lets the distribution of `name`, and only it, read the bucket
    (ListBucket too: a missing file is then a 404, the error page, not a 403)."""
    distribution = cdn_ids(ctx, name)["Distribution"]
    return {
        "Sid": "CloudFrontReads",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [get_att(bucket_id, "Arn"), sub("${" + bucket_id + ".Arn}/*")],
        "Condition": {
            "StringEquals": {
                "AWS:SourceArn": sub(
                    "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${" + distribution + "}"
                )
            }
        },
    }


#: The viewer-request function of a site: `/` → the index document, `/docs/` → `/docs/index.html`. A
#: page's clean URL (`/about`) needs nothing: the sync stores each page under it too (`content`).
_SITE_FUNCTION = """function handler(event) {
  var request = event.request;
  if (request.uri === '/') {
    request.uri = INDEX;
  } else if (request.uri.endsWith('/')) {
    request.uri = request.uri + 'index.html';
  }
  return request;
}
"""
#: The viewer-request function of a single-page app: every path whose last part has no extension, with
#: or without a trailing `/`, → the index (the app's router takes over); files are served as they are.
_SPA_FUNCTION = """function handler(event) {
  var request = event.request;
  if (request.uri.endsWith('/') || request.uri.split('/').pop().indexOf('.') === -1) {
    request.uri = INDEX;
  }
  return request;
}
"""


def viewer_request_code(site: Site) -> str:
    """The CloudFront function's code, or "" when none is needed (`normalize_urls` off on a site that is
    not a single-page app: a single-page app's routing is not URL normalization)."""
    index = json.dumps(site.index)
    if site.spa:
        return _SPA_FUNCTION.replace("INDEX", index)
    if not site.normalize_urls:
        return ""
    return _SITE_FUNCTION.replace("INDEX", index)


def clean_urls(site: Site | None) -> bool:
    """Whether the sync stores each page under its URL without `.html` too (`content.clean_url_copies`)."""
    return site is not None and site.normalize_urls and not site.spa


def cdn_params(ctx: StackContext, name: str, domains: list[dict[str, Any]]) -> dict[str, Any]:
    """Stacktape's CDN params: `cdnCanonicalDomain` (the distribution's `*.cloudfront.net` name),
    `cdnDomain` (the first custom domain, else the canonical one) and `cdnUrl` (`https://` + cdnDomain)."""
    distribution = cdn_ids(ctx, name)["Distribution"]
    canonical = get_att(distribution, "DomainName")
    if domains:
        domain = str(domains[0]["domainName"])
        return {"cdnCanonicalDomain": canonical, "cdnDomain": domain, "cdnUrl": "https://" + domain}
    url = sub("https://${" + distribution + ".DomainName}")
    return {"cdnCanonicalDomain": canonical, "cdnDomain": canonical, "cdnUrl": url}


def invalidation_site(site: Site) -> dict[str, Any]:
    """What a sync needs to tell which URLs served a changed file (`sync.invalidation_paths`)."""
    return {"indexDocument": site.index_document, "spa": site.spa, "normalize": site.normalize_urls}
