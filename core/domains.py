"""Custom domains served with the user's own certificates: what an API, a load balancer and a CDN share.

stackwright issues no certificates and makes no DNS records yet: each domain gives the ARN of its ACM
certificate (`customCertificateArn`) and says `disableDnsRecordCreation: true`, since the record that
points it here is the user's to make.
"""

from __future__ import annotations

from typing import Any

from stackwright.context import StackContext


def domain_certificates(
    ctx: StackContext,
    domains: list[dict[str, Any]],
    at: tuple[str | int, ...],
    point_at: str,
    region: str | None = None,
) -> list[str]:
    """The certificates of `domains` (`customDomains` entries, at config path `at`), in order and once
    each. `point_at` says where the user's DNS record should point (an output or a param); `region`,
    when given, is the one region certificates must come from (CloudFront's us-east-1). Raises
    ConfigError for a domain without a certificate, without `disableDnsRecordCreation: true`, or with a
    certificate from another region."""
    found: list[str] = []
    for index, domain in enumerate(domains):
        name, arn = domain["domainName"], domain.get("customCertificateArn")
        if not arn:
            ctx.fail(
                (*at, index),
                f"{name}: certificates made by stackwright are not supported by the installed plugins yet",
                hint="give the ARN of an ACM certificate for the domain"
                + (f", from {region}," if region else "")
                + " as `customCertificateArn`",
            )
        if not domain.get("disableDnsRecordCreation"):
            ctx.fail(
                (*at, index),
                f"{name}: DNS records made by stackwright are not supported by the installed plugins yet",
                hint=f"set `disableDnsRecordCreation: true` and point the domain at {point_at}",
            )
        if region and isinstance(arn, str) and arn.count(":") >= 3 and arn.split(":")[3] != region:
            ctx.fail(
                (*at, index, "customCertificateArn"),
                f"this certificate is from {arn.split(':')[3]}; it must come from {region}",
                hint=f"request or import the certificate in {region}",
            )
        if arn not in found:
            found.append(arn)
    return found
