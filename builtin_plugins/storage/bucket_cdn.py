"""A `bucket`'s `cdn`: the CloudFront distribution of `cdn.py` in front of it, with Stacktape's bucket
defaults (`/404.html` as the error page, clean URLs, objects without Cache-Control kept six months)."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, ref

from .cdn import Site, add_distribution

#: How long CloudFront keeps an object whose response has no Cache-Control: six months (Stacktape's
#: bucket default), at most a year; each deploy's sync invalidates what it changed.
DEFAULT_TTL = 15_552_000
MAX_TTL = 31_536_000


def bucket_site(ctx: StackContext, resource: Resource) -> Site | None:
    """What the bucket's distribution serves, or None without `cdn.enabled`."""
    cdn = resource.properties.get("cdn") or {}
    if not cdn.get("enabled"):
        return None
    at = ("resources", resource.name, "properties", "cdn")
    return Site(
        at=at,
        index_document=str(cdn.get("indexDocument", "/index.html")),
        error_document=str(cdn.get("errorDocument", "/404.html")),
        spa=bool(cdn.get("rewriteRoutesForSinglePageApp")),
        normalize_urls=not cdn.get("disableUrlNormalization"),
        custom_domains=list(cdn.get("customDomains") or []),
        price_class=cdn.get("cloudfrontPriceClass"),
        origin_path=str(cdn.get("defaultRoutePrefix") or ""),
        cache_policy=ref(ctx.logical_id(resource.name, "CachePolicy")),
    )


def add_bucket_cdn(ctx: StackContext, name: str, bucket_id: str, site: Site) -> None:
    """The cache policy (path-only cache key, compressed, `DEFAULT_TTL`) and the distribution."""
    config: dict[str, Any] = {
        "Name": ctx.physical_name(name, "cloudfront", "cache"),
        "Comment": f"{ctx.stack_name} {name}: objects cached six months unless they say otherwise",
        "DefaultTTL": DEFAULT_TTL,
        "MaxTTL": MAX_TTL,
        "MinTTL": 0,
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": True,
            "EnableAcceptEncodingBrotli": True,
            "HeadersConfig": {"HeaderBehavior": "none"},
            "CookiesConfig": {"CookieBehavior": "none"},
            "QueryStringsConfig": {"QueryStringBehavior": "none"},
        },
    }
    ctx.template.add_resource(
        ctx.logical_id(name, "CachePolicy"),
        "AWS::CloudFront::CachePolicy",
        {"CachePolicyConfig": config},
        owner=name,
    )
    add_distribution(ctx, name, bucket_id, site)
