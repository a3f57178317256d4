"""The `events` of a multi-container workload's containers: how requests reach a container's port.

- `application-load-balancer`: a listener rule of a load balancer of the config, forwarding to a target
  group of the container's port (one per container, port and load balancer; ECS registers the tasks).
  The port admits the load balancer's security group; the container's `loadBalancerHealthCheck` is the
  target group's health check.
- `http-api-gateway`: a route of an HTTP API of the config, through a VPC link to the workload's Cloud Map
  `SRV` records (ECS registers one service registry per service, so one container port takes them all).
- `workload-internal`: the port, open to the stack's VPC, with `A` records in Cloud Map.
"""

from __future__ import annotations

from typing import Any

from stackwright import (
    Resource,
    StackContext,
    get_att,
    http_api_route,
    listener_rule,
    named_resource,
    number,
    ref,
)

from .ecs import containers_of
from .ingress import discovery
from .network import CIDR

#: Target groups ECS attaches to one service (Amazon ECS Developer Guide, "Use load balancing to
#: distribute Amazon ECS service traffic": up to five per service).
MAX_TARGET_GROUPS = 5


def compile_container_events(ctx: StackContext, resource: Resource, built: dict[str, Any]) -> None:
    """Compile every container's events; `built` is what `compile_workload` returned. Raises ConfigError
    for an event type not supported yet, a load balancer or API not in the config, HTTP API events on two
    ports, or more target groups than ECS attaches."""
    template, ids = ctx.template, built["ids"]
    service = template.resources[ids["EcsService"]]
    attached: list[dict[str, Any]] = []
    rules: list[str] = []
    routed: list[tuple[str, int, dict[str, Any], tuple[Any, ...]]] = []
    internal: list[tuple[str, int]] = []
    _refuse_shared_ports(ctx, resource)
    for container, cpath in containers_of(resource):
        cname = str(container["name"])
        balanced = False
        for index, event in enumerate(container.get("events") or []):
            path = (*cpath, "events", index)
            kind, props = event["type"], event.get("properties") or {}
            port = int(props["containerPort"])
            if kind == "application-load-balancer":
                balanced = True
                balancer = named_resource(
                    ctx, props, "loadBalancerName", "application-load-balancer", path, "an"
                )
                group = _target_group(ctx, resource, container, cpath, port, balancer.name, built)
                rules.append(listener_rule(ctx, resource.name, props, ref(group), path))
                entry = {"ContainerName": cname, "ContainerPort": port, "TargetGroupArn": ref(group)}
                if entry not in attached:
                    if len(attached) == MAX_TARGET_GROUPS:
                        ctx.fail(
                            path,
                            f"ECS attaches at most {MAX_TARGET_GROUPS} target groups to a service; this "
                            f"is the {MAX_TARGET_GROUPS + 1}th (one per container, port and load balancer)",
                        )
                    attached.append(entry)
                    group_id = ctx.params_of(balancer)["securityGroupId"]
                    checked = (container.get("loadBalancerHealthCheck") or {}).get("healthCheckPort")
                    for opened in dict.fromkeys([port, *([int(checked)] if checked else [])]):
                        _admit(ctx, ids, opened, group_id, f"from {balancer.name}")
            elif kind == "http-api-gateway":
                routed.append((cname, port, props, path))
            else:
                internal.append((cname, port))
                _admit(ctx, ids, port, None, "from the stack's VPC")
        if container.get("loadBalancerHealthCheck") and not balanced:
            ctx.fail(
                (*cpath, "loadBalancerHealthCheck"),
                "no load balancer checks this container: it has no `application-load-balancer` event",
            )
    if attached:
        service["Properties"]["LoadBalancers"] = attached
        # ECS refuses a target group no load balancer forwards to yet
        service["DependsOn"] = [*service.get("DependsOn", []), *rules]
    if routed:
        _http_api(ctx, resource, built, routed)
    elif internal:
        discovery(ctx, resource, built, "A")


def _refuse_shared_ports(ctx: StackContext, resource: Resource) -> None:
    """The containers of a task share its network: two may not listen on one port."""
    taken: dict[int, str] = {}
    for container, cpath in containers_of(resource):
        for index, event in enumerate(container.get("events") or []):
            port = int((event.get("properties") or {}).get("containerPort", 0))
            owner = taken.setdefault(port, str(container["name"]))
            if owner != container["name"]:
                ctx.fail(
                    (*cpath, "events", index, "properties", "containerPort"),
                    f"port {port} is already container `{owner}`'s: the containers of a task share one "
                    "network",
                )


def _admit(ctx: StackContext, ids: dict[str, str], port: int, group: Any, source: str) -> None:
    """Let `group` (a security group id; None: the stack's VPC) reach `port` of the workload's tasks."""
    rule: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
    rule |= {"SourceSecurityGroupId": group} if group is not None else {"CidrIp": CIDR}
    props = ctx.template.resources[ids["SecurityGroup"]]["Properties"]
    rules = props.setdefault("SecurityGroupIngress", [])
    if not any({k: r.get(k) for k in rule} == rule for r in rules):
        rules.append({**rule, "Description": f"port {port} {source}"})


def _target_group(
    ctx: StackContext,
    resource: Resource,
    container: dict[str, Any],
    cpath: tuple[Any, ...],
    port: int,
    balancer: str,
    built: dict[str, Any],
) -> str:
    cname = str(container["name"])
    lid = ctx.logical_id(resource.name, f"{cname}-{port}-{balancer}-target-group")
    if lid in ctx.template.resources:
        return lid
    check = container.get("loadBalancerHealthCheck") or {}
    interval, timeout = check.get("healthcheckInterval", 30), check.get("healthcheckTimeout", 5)
    if isinstance(interval, int | float) and isinstance(timeout, int | float) and timeout >= interval:
        ctx.fail(
            (*cpath, "loadBalancerHealthCheck", "healthcheckTimeout"),
            f"a health check may not take {timeout} s when one starts every {interval} s",
            hint="make `healthcheckTimeout` shorter than `healthcheckInterval` (default 30)",
        )
    body: dict[str, Any] = {
        "Name": ctx.physical_name(resource.name, "target-group", f"{cname}-{port}-{balancer}"),
        "TargetType": "ip",
        "Protocol": "HTTP",
        "Port": port,
        "VpcId": built["network"]["vpc"],
        "HealthCheckPath": check.get("healthcheckPath", "/"),
    }
    for key, field in (
        ("healthcheckInterval", "HealthCheckIntervalSeconds"),
        ("healthcheckTimeout", "HealthCheckTimeoutSeconds"),
    ):
        if key in check:
            body[field] = number(check[key])
    if "healthCheckPort" in check:
        body["HealthCheckPort"] = str(check["healthCheckPort"])
    ctx.template.add_resource(lid, "AWS::ElasticLoadBalancingV2::TargetGroup", body, owner=resource.name)
    return lid


def _http_api(
    ctx: StackContext,
    resource: Resource,
    built: dict[str, Any],
    routed: list[tuple[str, int, dict[str, Any], tuple[Any, ...]]],
) -> None:
    """The VPC link, the Cloud Map SRV records of the one container port the routes go to, an HTTP proxy
    integration per API and a route per event."""
    cname, port, _, _ = routed[0]
    for other, other_port, _, path in routed[1:]:
        if (other, other_port) != (cname, port):
            ctx.fail(
                (*path, "properties", "containerPort"),
                f"the HTTP API routes of this workload go to port {port} of container `{cname}`; ECS "
                "registers one port of a service for them",
                hint=f"route this one to `{cname}` port {port} too, or give its container a workload of "
                "its own",
            )
    service = discovery(ctx, resource, built, "SRV", cname, port)
    link = ctx.logical_id(resource.name, "VpcLink")
    ctx.template.add_resource(
        link,
        "AWS::ApiGatewayV2::VpcLink",
        {
            "Name": ctx.physical_name(resource.name, "generic", "vpc-link"),
            "SubnetIds": built["network"]["subnets"],
            "SecurityGroupIds": [ref(built["ids"]["SecurityGroup"])],
        },
        owner=resource.name,
    )
    _admit(ctx, built["ids"], port, None, "from the stack's VPC (its HTTP API's VPC link)")
    for route_of, _, props, path in routed:
        api = named_resource(ctx, props, "httpApiGatewayName", "http-api-gateway", path, "an")
        integration = ctx.logical_id(resource.name, f"{api.name}-integration")
        if integration not in ctx.template.resources:
            ctx.template.add_resource(
                integration,
                "AWS::ApiGatewayV2::Integration",
                {
                    "ApiId": ctx.params_of(api)["id"],
                    "IntegrationType": "HTTP_PROXY",
                    "IntegrationMethod": "ANY",
                    "ConnectionType": "VPC_LINK",
                    "ConnectionId": ref(link),
                    "IntegrationUri": get_att(service, "Arn"),
                    "PayloadFormatVersion": "1.0",
                },
                owner=resource.name,
            )
        route = ctx.logical_id(resource.name, f"{route_of}Event{path[-1]}Route")
        http_api_route(ctx, resource.name, route, props, integration, path)
