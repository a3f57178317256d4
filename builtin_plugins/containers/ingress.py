"""How traffic reaches a workload: an HTTP API through a VPC link and Cloud Map (web-service default), an
application load balancer, or Cloud Map alone (private-service)."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, access_log_format, get_att, number, ref, sub

from .balancer import BALANCER_ATTRIBUTES, TLS_POLICY, certificates
from .params import web_url

NAMESPACE = "StpServiceDiscoveryNamespace"
#: HTTP API access logs, as Stacktape's `http-api-gateway` keeps them by default: one JSON line per
#: request, kept 30 days.
ACCESS_LOG_DAYS = 30


def namespace(ctx: StackContext, network: dict[str, Any]) -> str:
    if NAMESPACE not in ctx.template.resources:
        ctx.template.add_resource(
            NAMESPACE,
            "AWS::ServiceDiscovery::PrivateDnsNamespace",
            {"Name": f"{ctx.stack_name}.internal", "Vpc": network["vpc"]},
        )
    return NAMESPACE


def discovery(
    ctx: StackContext,
    resource: Resource,
    built: dict[str, Any],
    record: str,
    container: str = "default",
    port: int | None = None,
) -> str:
    """The Cloud Map service the workload's tasks register in (`<name>.<stack>.internal`): `A` records,
    or `SRV` records of `container`'s `port` (default: the service's own) for an HTTP API's VPC link."""
    service = ctx.logical_id(resource.name, "DiscoveryService")
    ctx.template.add_resource(
        service,
        "AWS::ServiceDiscovery::Service",
        {
            "Name": resource.name.lower(),
            "NamespaceId": ref(namespace(ctx, built["network"])),
            "DnsConfig": {"DnsRecords": [{"Type": record, "TTL": 60}], "RoutingPolicy": "MULTIVALUE"},
            "HealthCheckCustomConfig": {"FailureThreshold": 1},
        },
        owner=resource.name,
    )
    registry: dict[str, Any] = {"RegistryArn": get_att(service, "Arn")}
    if record == "SRV":
        registry |= {"ContainerName": container, "ContainerPort": port or built["port"]}
    ctx.template.resources[built["ids"]["EcsService"]]["Properties"]["ServiceRegistries"] = [registry]
    return service


def http_api(ctx: StackContext, resource: Resource, built: dict[str, Any]) -> None:
    name = resource.name
    service = discovery(ctx, resource, built, "SRV")
    ids = {
        k: ctx.logical_id(name, k)
        for k in (
            "VpcLink",
            "HttpApi",
            "HttpApiIntegration",
            "HttpApiRoute",
            "HttpApiStage",
            "HttpApiLogGroup",
        )
    }
    template = ctx.template
    template.add_resource(
        ids["VpcLink"],
        "AWS::ApiGatewayV2::VpcLink",
        {
            "Name": ctx.physical_name(name, "generic", "vpc-link"),
            "SubnetIds": built["network"]["subnets"],
            "SecurityGroupIds": [ref(built["ids"]["SecurityGroup"])],
        },
        owner=name,
    )
    api: dict[str, Any] = {"Name": ctx.physical_name(name, "generic"), "ProtocolType": "HTTP"}
    cors = resource.properties.get("cors") or {}
    if cors.get("enabled"):
        api["CorsConfiguration"] = {
            "AllowOrigins": cors.get("allowedOrigins") or ["*"],
            "AllowMethods": cors.get("allowedMethods") or ["*"],
            "AllowHeaders": cors.get("allowedHeaders") or ["*"],
            **({"AllowCredentials": cors["allowCredentials"]} if "allowCredentials" in cors else {}),
            **(
                {"ExposeHeaders": cors["exposedResponseHeaders"]}
                if cors.get("exposedResponseHeaders")
                else {}
            ),
            **({"MaxAge": number(cors["maxAge"])} if "maxAge" in cors else {}),
        }
    template.add_resource(ids["HttpApi"], "AWS::ApiGatewayV2::Api", api, owner=name)
    template.add_resource(
        ids["HttpApiIntegration"],
        "AWS::ApiGatewayV2::Integration",
        {
            "ApiId": ref(ids["HttpApi"]),
            "IntegrationType": "HTTP_PROXY",
            "IntegrationMethod": "ANY",
            "ConnectionType": "VPC_LINK",
            "ConnectionId": ref(ids["VpcLink"]),
            "IntegrationUri": get_att(service, "Arn"),
            "PayloadFormatVersion": "1.0",
        },
        owner=name,
    )
    template.add_resource(
        ids["HttpApiRoute"],
        "AWS::ApiGatewayV2::Route",
        {
            "ApiId": ref(ids["HttpApi"]),
            "RouteKey": "$default",
            "Target": {"Fn::Join": ["/", ["integrations", ref(ids["HttpApiIntegration"])]]},
        },
        owner=name,
    )
    template.add_resource(
        ids["HttpApiLogGroup"],
        "AWS::Logs::LogGroup",
        {
            "LogGroupName": f"/stp/{ctx.stack_name}/http-api-gateway/{name}",
            "RetentionInDays": ACCESS_LOG_DAYS,
        },
        owner=name,
    )
    template.add_resource(
        ids["HttpApiStage"],
        "AWS::ApiGatewayV2::Stage",
        {
            "ApiId": ref(ids["HttpApi"]),
            "StageName": "$default",
            "AutoDeploy": True,
            "AccessLogSettings": {
                "DestinationArn": sub(
                    "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${"
                    + ids["HttpApiLogGroup"]
                    + "}"
                ),
                "Format": access_log_format("JSON"),
            },
        },
        owner=name,
    )
    template.add_output(ctx.logical_id(name, "Url"), get_att(ids["HttpApi"], "ApiEndpoint"))


def load_balancer(
    ctx: StackContext, resource: Resource, built: dict[str, Any], settings: dict[str, Any]
) -> None:
    """An internet-facing load balancer. With `customDomains` (each with its certificate): HTTPS on 443
    and a redirect from 80; without, plain HTTP on 80: no certificate, no HTTPS."""
    name, template = resource.name, ctx.template
    certs = certificates(ctx, resource, ctx.logical_id(name, "LoadBalancerDnsName"))
    ids = {
        k: ctx.logical_id(name, k)
        for k in (
            "LoadBalancer",
            "LoadBalancerSecurityGroup",
            "TargetGroup",
            "Listener",
            "HttpsListener",
            "ListenerCertificate",
        )
    }
    template.add_resource(
        ids["LoadBalancerSecurityGroup"],
        "AWS::EC2::SecurityGroup",
        {
            "GroupDescription": f"{ctx.stack_name} {name} load balancer",
            "VpcId": built["network"]["vpc"],
            "SecurityGroupIngress": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": port,
                    "ToPort": port,
                    "CidrIp": "0.0.0.0/0",
                    "Description": f"{protocol} from anywhere to the public load balancer of {name}",
                }
                for port, protocol in ((80, "HTTP"), (443, "HTTPS"))[: 2 if certs else 1]
            ],
        },
        owner=name,
    )
    template.add_resource(
        ids["LoadBalancer"],
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Name": ctx.physical_name(name, "load-balancer"),
            "Scheme": "internet-facing",
            "Type": "application",
            "Subnets": built["network"]["subnets"],
            "SecurityGroups": [ref(ids["LoadBalancerSecurityGroup"])],
            "LoadBalancerAttributes": BALANCER_ATTRIBUTES,
        },
        owner=name,
    )
    template.add_resource(
        ids["TargetGroup"],
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {
            "Name": ctx.physical_name(name, "target-group"),
            "TargetType": "ip",
            "Protocol": "HTTP",
            "Port": built["port"],
            "VpcId": built["network"]["vpc"],
            "HealthCheckPath": settings.get("healthcheckPath", "/"),
            **{
                field: number(settings[key])
                for key, field in (
                    ("healthcheckInterval", "HealthCheckIntervalSeconds"),
                    ("healthcheckTimeout", "HealthCheckTimeoutSeconds"),
                )
                if key in settings
            },
        },
        owner=name,
    )
    forward = [{"Type": "forward", "TargetGroupArn": ref(ids["TargetGroup"])}]
    redirect = {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}
    template.add_resource(
        ids["Listener"],
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "LoadBalancerArn": ref(ids["LoadBalancer"]),
            "Port": 80,
            "Protocol": "HTTP",
            "DefaultActions": [{"Type": "redirect", "RedirectConfig": redirect}] if certs else forward,
        },
        owner=name,
    )
    serving = ids["Listener"]
    if certs:
        serving = ids["HttpsListener"]
        template.add_resource(
            serving,
            "AWS::ElasticLoadBalancingV2::Listener",
            {
                "LoadBalancerArn": ref(ids["LoadBalancer"]),
                "Port": 443,
                "Protocol": "HTTPS",
                "SslPolicy": TLS_POLICY,
                "Certificates": [{"CertificateArn": certs[0]}],
                "DefaultActions": forward,
            },
            owner=name,
        )
        if certs[1:]:  # served by SNI, for the other domains
            template.add_resource(
                ids["ListenerCertificate"],
                "AWS::ElasticLoadBalancingV2::ListenerCertificate",
                {"ListenerArn": ref(serving), "Certificates": [{"CertificateArn": c} for c in certs[1:]]},
                owner=name,
            )
        template.add_output(
            ctx.logical_id(name, "LoadBalancerDnsName"), get_att(ids["LoadBalancer"], "DNSName")
        )
    service = template.resources[built["ids"]["EcsService"]]
    service["Properties"]["LoadBalancers"] = [
        {
            "ContainerName": "default",
            "ContainerPort": built["port"],
            "TargetGroupArn": ref(ids["TargetGroup"]),
        }
    ]
    service["DependsOn"] = [serving]
    template.add_output(ctx.logical_id(name, "Url"), web_url(ctx, resource))
