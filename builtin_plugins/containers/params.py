"""What container resources expose to `$ResourceParam` and to `connectTo`."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, get_att, ref

from .ecs import first_container

WEB_PORT = 3000


def workload_params(ctx: StackContext, resource: Resource) -> dict[str, Any]:
    service = ctx.logical_id(resource.name, "EcsService")
    params: dict[str, Any] = {
        "serviceArn": ref(service),
        "serviceName": get_att(service, "Name"),
        "logGroupArn": get_att(ctx.logical_id(resource.name, f"{first_container(resource)}LogGroup"), "Arn"),
        # the role its containers run with: what connectTo targets bind their access to (a database user)
        "roleArn": get_att(ctx.logical_id(resource.name, "TaskRole"), "Arn"),
    }
    return params


def web_url(ctx: StackContext, resource: Resource) -> Any:
    """A web-service's address: its first custom domain's (HTTPS), its load balancer's, or its HTTP
    API's."""
    balancing = (resource.properties.get("loadBalancing") or {}).get("type", "http-api-gateway")
    domains = resource.properties.get("customDomains") or []
    if balancing == "application-load-balancer" and domains:
        return f"https://{domains[0]['domainName']}"
    if balancing == "application-load-balancer":
        dns = get_att(ctx.logical_id(resource.name, "LoadBalancer"), "DNSName")
        return {"Fn::Join": ["", ["http://", dns]]}
    return get_att(ctx.logical_id(resource.name, "HttpApi"), "ApiEndpoint")


def private_address(ctx: StackContext, resource: Resource) -> str:
    """A private-service's Cloud Map name and port, reachable inside the stack's VPC."""
    return f"{resource.name.lower()}.{ctx.stack_name}.internal:{resource.properties.get('port', WEB_PORT)}"


def batch_params(ctx: StackContext, resource: Resource) -> dict[str, Any]:
    return {
        "stateMachineArn": ref(ctx.logical_id(resource.name, "StateMachine")),
        "jobQueueArn": ref(ctx.logical_id(resource.name, "JobQueue")),
        "jobDefinitionArn": ref(ctx.logical_id(resource.name, "JobDefinition")),
    }
