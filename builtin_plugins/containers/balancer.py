"""`application-load-balancer`: a load balancer of its own that functions and container workloads join
with their `application-load-balancer` events (each a listener rule of theirs, in priority order).

Listeners: with `customDomains` (each with its certificate), HTTPS on 443 and a redirect from 80; without,
plain HTTP on 80; or the `listeners` given. A request no rule matches gets the listener's `defaultAction`
(a redirect), else a 404.
"""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, cidr_block, domain_certificates, get_att, ref, schema

from .network import CIDR, ensure_vpc

#: TLS 1.3 and 1.2 only, forward-secret ciphers: the policy AWS recommends for new HTTPS listeners.
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
#: Requests with header names that are not valid HTTP are dropped, not passed on to the targets.
BALANCER_ATTRIBUTES = [{"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}]
#: What a request that matches no rule gets when the listener has no `defaultAction`.
NOT_FOUND = {
    "Type": "fixed-response",
    "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain", "MessageBody": "Not Found"},
}

_obj, _strings = schema.obj, schema.strings
SCHEMA: dict[str, Any] = _obj(
    {
        "interface": {"type": "string", "enum": ["internet", "internal"], "default": "internet"},
        "customDomains": {
            "anyOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "array", "items": schema.SHARED_DEFINITIONS["DomainConfiguration"]},
            ]
        },
        "listeners": {
            "type": "array",
            "items": _obj(
                {
                    "protocol": {"type": "string", "enum": ["HTTP", "HTTPS"]},
                    "port": {"type": "number", "minimum": 1, "maximum": 65535},
                    "customCertificateArns": _strings(),
                    "whitelistIps": _strings(),
                    "defaultAction": schema.tagged(
                        "redirect",
                        _obj(
                            {
                                "path": {"type": "string"},
                                "query": {"type": "string"},
                                "port": {"type": "number"},
                                "host": {"type": "string"},
                                "protocol": {"type": "string", "enum": ["HTTP", "HTTPS"]},
                                "statusCode": {"type": "string", "enum": ["HTTP_301", "HTTP_302"]},
                            },
                            "statusCode",
                        ),
                    ),
                },
                "protocol",
                "port",
            ),
        },
        "cdn": {"type": "object"},
        "alarms": {"type": "array", "items": {"type": "object"}},
        "disabledGlobalAlarms": _strings(),
        "useFirewall": {"type": "string"},
    }
)
TEXTS = {
    "interface": "`internet` (public, the default) or `internal` (reachable only inside the stack's VPC).",
    "customDomains": "Domain names the load balancer serves over HTTPS, each with its ACM certificate.",
    "listeners": "Ports and protocols it accepts (default HTTPS on 443 and a redirect from 80 with "
    "custom domains, else HTTP on 80).",
    "listeners.protocol": "`HTTP` or `HTTPS` (HTTPS needs a certificate).",
    "listeners.port": "Port the listener accepts requests on (1 to 65535).",
    "listeners.customCertificateArns": "ARNs of ACM certificates for an HTTPS listener (besides the "
    "custom domains').",
    "listeners.whitelistIps": "Addresses or CIDR blocks allowed to reach the listener (default: everyone; "
    "internal: the VPC).",
    "listeners.defaultAction": "What a request no rule matches gets: a redirect (default: a 404).",
    "listeners.defaultAction.path": "Path to redirect to, starting with `/` (`#{path}` keeps the request's).",
    "listeners.defaultAction.query": "Query string to redirect to, without `?` (`#{query}` keeps it).",
    "listeners.defaultAction.port": "Port to redirect to (1 to 65535; default the request's).",
    "listeners.defaultAction.host": "Host to redirect to (`#{host}` keeps the request's).",
    "listeners.defaultAction.protocol": "`HTTP` or `HTTPS` (an HTTPS listener cannot redirect to HTTP).",
    "listeners.defaultAction.statusCode": "`HTTP_301` (permanent) or `HTTP_302` (temporary).",
    "cdn": "A CloudFront distribution in front of the load balancer.",
    "alarms": "Alarms on the load balancer's metrics.",
    "disabledGlobalAlarms": "Names of global alarms not applied to this load balancer.",
    "useFirewall": "Name of a `web-app-firewall` resource that guards the load balancer.",
}
schema.describe(SCHEMA, TEXTS)
schema.refuse(
    SCHEMA,
    {
        "cdn": ("remove it: a CDN in front of a load balancer is not supported yet", ({"enabled": False},)),
        "alarms": "remove it: alarms are not supported yet",
        "useFirewall": "remove it: a web application firewall is not supported yet",
    },
)


def domains(resource: Resource) -> list[dict[str, Any]]:
    """`customDomains` as objects (Stacktape's older form lists the names alone)."""
    return [
        d if isinstance(d, dict) else {"domainName": d}
        for d in resource.properties.get("customDomains") or []
    ]


def certificates(ctx: StackContext, resource: Resource, output: str) -> list[str]:
    """The ACM certificates of `resource`'s `customDomains`, in order and once each (see
    `domain_certificates`; the DNS record points at stack output `output`)."""
    at = ("resources", resource.name, "properties", "customDomains")
    return domain_certificates(
        ctx, domains(resource), at, f"the load balancer (output {output})", region=ctx.project.region
    )


def listeners(ctx: StackContext, resource: Resource, certs: list[str]) -> list[dict[str, Any]]:
    """The listeners, given or default; the default pair's HTTP one redirects to HTTPS."""
    given = resource.properties.get("listeners")
    if not given:
        if not certs:
            return [{"protocol": "HTTP", "port": 80}]
        https = {
            "type": "redirect",
            "properties": {"protocol": "HTTPS", "port": 443, "statusCode": "HTTP_301"},
        }
        return [{"protocol": "HTTPS", "port": 443}, {"protocol": "HTTP", "port": 80, "defaultAction": https}]
    if certs and not any(listener["protocol"] == "HTTPS" for listener in given):
        ctx.fail(
            ("resources", resource.name, "properties", "customDomains"),
            "the custom domains would not be served: none of the listeners is HTTPS",
            hint="add `{protocol: HTTPS, port: 443}` to `listeners`",
        )
    seen: set[int] = set()
    for index, listener in enumerate(given):
        if listener["port"] % 1:
            ctx.fail(
                ("resources", resource.name, "properties", "listeners", index, "port"),
                f"port {listener['port']} is not a whole number",
            )
        if int(listener["port"]) in seen:
            ctx.fail(
                ("resources", resource.name, "properties", "listeners", index, "port"),
                f"two listeners on port {int(listener['port'])}",
            )
        seen.add(int(listener["port"]))
    return list(given)


def serving_port(ctx: StackContext, resource: Resource) -> int | None:
    """The port of the listener events join when they give no `listenerPort`: the only listener, or the
    HTTPS one of the default pair; None when there are several given."""
    given = resource.properties.get("listeners")
    if given:
        return int(given[0]["port"]) if len(given) == 1 else None
    return 443 if domains(resource) else 80


def compile_balancer(ctx: StackContext, resource: Resource) -> None:
    name, props, template = resource.name, resource.properties, ctx.template
    at = ("resources", name, "properties")
    network = ensure_vpc(ctx)
    certs = certificates(ctx, resource, ctx.logical_id(name, "DnsName"))
    internal = props.get("interface") == "internal"
    lb, group = ctx.logical_id(name, "LoadBalancer"), ctx.logical_id(name, "SecurityGroup")
    chosen = listeners(ctx, resource, certs)
    ingress = []
    for index, listener in enumerate(chosen):
        port = int(listener["port"])
        allowed = [
            _allowed(ctx, given, (*at, "listeners", index, "whitelistIps", ip_index))
            for ip_index, given in enumerate(listener.get("whitelistIps") or [])
        ]
        for cidr in allowed or [CIDR if internal else "0.0.0.0/0"]:
            ingress.append(
                {
                    "IpProtocol": "tcp",
                    "FromPort": port,
                    "ToPort": port,
                    "CidrIpv6" if ":" in cidr else "CidrIp": cidr,
                    "Description": f"{listener['protocol']} to {name} from {cidr}",
                }
            )
    template.add_resource(
        group,
        "AWS::EC2::SecurityGroup",
        {
            "GroupDescription": f"{ctx.stack_name} {name} load balancer",
            "VpcId": network["vpc"],
            "SecurityGroupIngress": ingress,
        },
        owner=name,
    )
    template.add_resource(
        lb,
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Name": ctx.physical_name(name, "load-balancer"),
            "Scheme": "internal" if internal else "internet-facing",
            "Type": "application",
            "Subnets": network["subnets"],
            "SecurityGroups": [ref(group)],
            "LoadBalancerAttributes": BALANCER_ATTRIBUTES,
        },
        owner=name,
    )
    for index, listener in enumerate(chosen):
        _listener(ctx, resource, listener, certs, (*at, "listeners", index))
    template.add_output(ctx.logical_id(name, "Url"), url(ctx, resource))
    if certs:
        template.add_output(ctx.logical_id(name, "DnsName"), get_att(lb, "DNSName"))


def _listener(
    ctx: StackContext, resource: Resource, listener: dict[str, Any], certs: list[str], at: tuple[Any, ...]
) -> None:
    port, protocol = int(listener["port"]), listener["protocol"]
    lid = ctx.logical_id(resource.name, f"Listener{port}")
    body: dict[str, Any] = {
        "LoadBalancerArn": ref(ctx.logical_id(resource.name, "LoadBalancer")),
        "Port": port,
        "Protocol": protocol,
        "DefaultActions": [NOT_FOUND],
    }
    action = listener.get("defaultAction")
    if action:
        redirect = action["properties"]
        _check_redirect(ctx, redirect, port, protocol, (*at, "defaultAction", "properties"))
        config = {
            field: str(redirect[key])
            for key, field in (("protocol", "Protocol"), ("port", "Port"), ("host", "Host"))
            if key in redirect
        }
        config |= {
            field: redirect[key] for key, field in (("path", "Path"), ("query", "Query")) if key in redirect
        }
        body["DefaultActions"] = [
            {"Type": "redirect", "RedirectConfig": {**config, "StatusCode": redirect["statusCode"]}}
        ]
    for index, arn in enumerate(listener.get("customCertificateArns") or []):
        _check_certificate(ctx, arn, (*at, "customCertificateArns", index))
    if protocol == "HTTPS":
        own = [c for c in listener.get("customCertificateArns") or [] if c not in certs]
        all_certs = [*certs, *own]
        if not all_certs:
            ctx.fail(
                at,
                f"the HTTPS listener on port {port} has no certificate",
                hint="give `customCertificateArns`, or `customDomains` with their `customCertificateArn`",
            )
        body |= {"SslPolicy": TLS_POLICY, "Certificates": [{"CertificateArn": all_certs[0]}]}
        if all_certs[1:]:  # served by SNI, for the other domains
            ctx.template.add_resource(
                ctx.logical_id(resource.name, f"Listener{port}Certificates"),
                "AWS::ElasticLoadBalancingV2::ListenerCertificate",
                {"ListenerArn": ref(lid), "Certificates": [{"CertificateArn": c} for c in all_certs[1:]]},
                owner=resource.name,
            )
    elif listener.get("customCertificateArns"):
        ctx.fail((*at, "customCertificateArns"), f"certificates for the HTTP listener on port {port}")
    ctx.template.add_resource(lid, "AWS::ElasticLoadBalancingV2::Listener", body, owner=resource.name)


def _allowed(ctx: StackContext, given: Any, at: tuple[Any, ...]) -> str:
    """A `whitelistIps` entry as a CIDR block: an address alone (`203.0.113.7`) is the block of itself."""
    if "/" not in str(given):
        import ipaddress

        try:
            return str(ipaddress.ip_network(str(given)))
        except ValueError:
            pass
    return cidr_block(ctx, given, at)


def _check_redirect(
    ctx: StackContext, redirect: dict[str, Any], port: int, protocol: str, at: tuple[Any, ...]
) -> None:
    """What Elastic Load Balancing refuses in a `RedirectConfig` (ELB API Reference): HTTPS to HTTP, a
    port outside 1 to 65535, a path not starting with `/`, and a redirect that changes nothing (a loop)."""
    if protocol == "HTTPS" and redirect.get("protocol") == "HTTP":
        ctx.fail((*at, "protocol"), "an HTTPS listener cannot redirect to HTTP")
    target_port = redirect.get("port")
    if target_port is not None and (target_port % 1 or not 1 <= target_port <= 65535):
        ctx.fail((*at, "port"), f"port {target_port} is not a whole number from 1 to 65535")
    if "path" in redirect and not str(redirect["path"]).startswith("/"):
        ctx.fail((*at, "path"), f"the redirect path {redirect['path']!r} does not start with `/`")
    same = redirect.get("protocol", protocol) == protocol and int(redirect.get("port", port)) == port
    if same and not any(redirect.get(key) for key in ("host", "path", "query")):
        ctx.fail(
            at,
            "this redirect sends every request back where it came from (a loop)",
            hint="change at least one of protocol, port, host, path or query",
        )


def _check_certificate(ctx: StackContext, arn: Any, at: tuple[Any, ...]) -> None:
    """An ACM certificate of the stack's region (or an IAM server certificate) for a listener."""
    if not isinstance(arn, str):
        return  # a directive's value: known at deploy time
    parts = arn.split(":")
    if len(parts) < 6 or parts[0] != "arn" or parts[2] not in ("acm", "iam"):
        ctx.fail(
            at, f"{arn!r} is not the ARN of a certificate", hint="arn:aws:acm:REGION:ACCOUNT:certificate/ID"
        )
    if parts[2] == "acm" and parts[3] != ctx.project.region:
        ctx.fail(
            at,
            f"this certificate is from {parts[3]}; a load balancer in {ctx.project.region} needs one of its "
            "region",
            hint=f"request or import the certificate in {ctx.project.region}",
        )


def url(ctx: StackContext, resource: Resource) -> Any:
    """Where the load balancer answers: its first custom domain over HTTPS, else its DNS name with the
    serving listener's protocol (and port when it is not the protocol's own)."""
    found = domains(resource)
    if found:
        https = [
            int(x["port"]) for x in resource.properties.get("listeners") or [] if x["protocol"] == "HTTPS"
        ]
        return f"https://{found[0]['domainName']}" + (f":{https[0]}" if https and https[0] != 443 else "")
    given = resource.properties.get("listeners") or [{"protocol": "HTTP", "port": 80}]
    first = given[0]
    scheme, port = str(first["protocol"]).lower(), int(first["port"])
    suffix = "" if (scheme, port) in (("http", 80), ("https", 443)) else f":{port}"
    dns = get_att(ctx.logical_id(resource.name, "LoadBalancer"), "DNSName")
    return {"Fn::Join": ["", [f"{scheme}://", dns, *([suffix] if suffix else [])]]}


def balancer_params(ctx: StackContext, resource: Resource) -> dict[str, Any]:
    """`arn`, `name`, `fullName` (for metrics), `domain` (its DNS name), `canonicalHostedZoneId`, `url`,
    `securityGroupId`; `listener<port>Arn` for each listener and `listenerArn` for the one events join
    by default (see `serving_port`)."""
    lb = ctx.logical_id(resource.name, "LoadBalancer")
    params: dict[str, Any] = {
        "arn": ref(lb),
        "name": get_att(lb, "LoadBalancerName"),
        "fullName": get_att(lb, "LoadBalancerFullName"),
        "domain": get_att(lb, "DNSName"),
        "canonicalHostedZoneId": get_att(lb, "CanonicalHostedZoneID"),
        "url": url(ctx, resource),
        "securityGroupId": get_att(ctx.logical_id(resource.name, "SecurityGroup"), "GroupId"),
    }
    given = resource.properties.get("listeners") or (
        [{"port": 443}, {"port": 80}] if domains(resource) else [{"port": 80}]
    )
    for listener in given:
        port = int(listener["port"])
        params[f"listener{port}Arn"] = ref(ctx.logical_id(resource.name, f"Listener{port}"))
    default = serving_port(ctx, resource)
    if default is not None:
        params["listenerArn"] = ref(ctx.logical_id(resource.name, f"Listener{default}"))
    return params
