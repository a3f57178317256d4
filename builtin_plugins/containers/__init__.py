"""Container resource types: web, worker and private services and multi-container workloads on ECS
Fargate, batch jobs on AWS Batch with the state machine that runs them; images built, cached by digest,
and pushed."""

from __future__ import annotations

from typing import Any

from stackwright import (
    Artifact,
    Change,
    HotswapResult,
    Packager,
    Resource,
    ResourceType,
    StackContext,
    hookimpl,
)
from stackwright.models import resource_types_from
from stackwright.phases import InProgress
from stackwright.template import get_att, ref

from .batch import compile_batch_job
from .diagnose import diagnose_service
from .ecs import compile_workload, first_container
from .image_build import ImagePackager
from .ingress import discovery, http_api, load_balancer
from .schema import DEFINITIONS, REQUIRES_PROPERTIES, SCHEMAS

DEPLOYABLE = ("web-service", "worker-service", "private-service", "multi-container-workload", "batch-job")
WEB_PORT = 3000


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[ResourceType]:
    full = {name: SCHEMAS[name] for name in DEPLOYABLE}
    later = {name: schema for name, schema in SCHEMAS.items() if name not in DEPLOYABLE}
    return [
        *resource_types_from(full, DEFINITIONS, REQUIRES_PROPERTIES),
        *resource_types_from(later, DEFINITIONS, REQUIRES_PROPERTIES, schema_only=True),
    ]


@hookimpl(trylast=True)
def stackwright_compile_resource(ctx: StackContext, resource: Resource) -> bool | None:
    if resource.type not in DEPLOYABLE:
        return None
    props = resource.properties
    if resource.type == "batch-job":
        compile_batch_job(ctx, resource)
    elif resource.type == "web-service":
        built = compile_workload(ctx, resource, WEB_PORT)
        balancing = props.get("loadBalancing") or {"type": "http-api-gateway"}
        if balancing["type"] == "application-load-balancer":
            load_balancer(ctx, resource, built, balancing.get("properties") or {})
        elif balancing["type"] == "http-api-gateway":
            http_api(ctx, resource, built)
        else:
            ctx.fail(
                ("resources", resource.name, "properties", "loadBalancing", "type"),
                f"loadBalancing `{balancing['type']}` is not supported by the installed plugins yet",
            )
    elif resource.type == "private-service":
        built = compile_workload(ctx, resource, int(props.get("port", WEB_PORT)))
        if (props.get("loadBalancing") or {}).get("type") in ("application-load-balancer", "service-connect"):
            ctx.fail(
                ("resources", resource.name, "properties", "loadBalancing"),
                "a private-service behind a load balancer is not supported by the installed plugins yet",
            )
        discovery(ctx, resource, built, "A")
    else:
        compile_workload(ctx, resource, None)
    return True


@hookimpl(trylast=True)
def stackwright_resource_params(ctx: StackContext, resource: Resource) -> dict[str, Any] | None:
    if resource.type not in DEPLOYABLE:
        return None
    if resource.type == "batch-job":
        return {
            "stateMachineArn": ref(ctx.logical_id(resource.name, "StateMachine")),
            "jobQueueArn": ref(ctx.logical_id(resource.name, "JobQueue")),
            "jobDefinitionArn": ref(ctx.logical_id(resource.name, "JobDefinition")),
        }
    params: dict[str, Any] = {
        "serviceArn": ref(ctx.logical_id(resource.name, "EcsService")),
        "serviceName": get_att(ctx.logical_id(resource.name, "EcsService"), "Name"),
        "logGroupArn": get_att(ctx.logical_id(resource.name, f"{first_container(resource)}LogGroup"), "Arn"),
    }
    if resource.type == "web-service":
        params["url"] = get_att(ctx.logical_id(resource.name, "HttpApi"), "ApiEndpoint")
    if resource.type == "private-service":
        params["address"] = (
            f"{resource.name.lower()}.{ctx.stack_name}.internal:{resource.properties.get('port', WEB_PORT)}"
        )
    return params


@hookimpl(trylast=True)
def stackwright_diagnose(ctx: StackContext, resource: InProgress) -> str | None:
    if resource.resource_type != "AWS::ECS::Service":
        return None
    return diagnose_service(ctx, resource)


@hookimpl(trylast=True)
def stackwright_hotswap(ctx: StackContext, change: Change) -> HotswapResult | None:
    if change.resource_type != "AWS::ECS::TaskDefinition":
        return None
    from .hotswap import hotswap_task_definition

    return hotswap_task_definition(ctx, change)


@hookimpl(trylast=True)
def stackwright_get_packager(ctx: StackContext, artifact: Artifact) -> Packager | None:
    if artifact.kind == "image" and artifact.packaging_type in (
        "custom-dockerfile",
        "stacktape-image-buildpack",
    ):
        return ImagePackager()
    return None
