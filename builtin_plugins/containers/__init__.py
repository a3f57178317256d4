"""Container resource types: web, worker and private services and multi-container workloads on ECS
Fargate, the application load balancers they share with functions, batch jobs on AWS Batch with the
state machine that runs them; images built, cached by digest, and pushed."""

from __future__ import annotations

from typing import Any

from stackwright import (
    Artifact,
    Change,
    Connection,
    ConsolePanel,
    HotswapResult,
    InProgress,
    Packager,
    Resource,
    ResourceType,
    StackContext,
    StackwrightError,
    Template,
    docker_client,
    hookimpl,
    schema_only_types,
)

from .balancer import SCHEMA as BALANCER_SCHEMA
from .balancer import balancer_params, compile_balancer
from .batch import compile_batch_job
from .connect import admit, batch_connection, connect_workload, service_connection
from .ecs import compile_workload
from .events import compile_container_events
from .image_build import ImagePackager
from .ingress import discovery, http_api, load_balancer
from .numbers import known_number
from .params import WEB_PORT, batch_params, private_address, web_url, workload_params
from .schema import DEFINITIONS, REQUIRES_PROPERTIES, SCHEMAS

DEPLOYABLE = ("web-service", "worker-service", "private-service", "multi-container-workload", "batch-job")


class Workload(ResourceType):
    """What every ECS workload shares: params, connectTo both ways, image hot-swap, task diagnosis."""

    definitions = DEFINITIONS
    code_locations = {"AWS::ECS::TaskDefinition": ("ContainerDefinitions", "*", "Image")}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.schema = SCHEMAS[cls.name]
        cls.properties_required = REQUIRES_PROPERTIES.get(cls.name, True)

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_workload(ctx, resource, None)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return workload_params(ctx, resource)

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        return service_connection(ctx, resource, self.params(ctx, resource))

    def connect(self, ctx: StackContext, resource: Resource, connection: Connection) -> None:
        connect_workload(ctx, resource, connection)

    def hotswap(self, ctx: StackContext, change: Change) -> HotswapResult | None:
        from .hotswap import hotswap_task_definition

        return hotswap_task_definition(ctx, change)

    def diagnose(self, ctx: StackContext, resource: Resource, progress: InProgress) -> str | None:
        if progress.resource_type != "AWS::ECS::Service":
            return None
        from .diagnose import diagnose_service

        return diagnose_service(ctx, progress)


class WebService(Workload):
    name = "web-service"
    summary = "A public container service behind an HTTP API Gateway or an application load balancer."

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return {**workload_params(ctx, resource), "url": web_url(ctx, resource)}

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        built = compile_workload(ctx, resource, WEB_PORT)
        balancing = resource.properties.get("loadBalancing") or {"type": "http-api-gateway"}
        if balancing["type"] == "application-load-balancer":
            load_balancer(ctx, resource, built, balancing.get("properties") or {})
        else:  # http-api-gateway: the schema refuses a network load balancer
            if resource.properties.get("customDomains"):
                ctx.fail(
                    ("resources", resource.name, "properties", "customDomains"),
                    "`customDomains` of a web-service behind an HTTP API Gateway are not supported by the "
                    "installed plugins yet",
                    hint="use `loadBalancing: {type: application-load-balancer}` for a domain with HTTPS",
                )
            http_api(ctx, resource, built)


class PrivateService(Workload):
    name = "private-service"
    summary = "A container service reachable only inside the stack's VPC, by a Cloud Map name."

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return {**workload_params(ctx, resource), "address": private_address(ctx, resource)}

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        connection = super().connections(ctx, resource, source)
        return admit(ctx, resource, connection, int(known_number(ctx, resource, ("port",), WEB_PORT)))

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        built = compile_workload(ctx, resource, int(known_number(ctx, resource, ("port",), WEB_PORT)))
        discovery(ctx, resource, built, "A")


class WorkerService(Workload):
    name = "worker-service"
    summary = "A container service with no ingress (queue consumers, background workers)."


class MultiContainerWorkload(Workload):
    name = "multi-container-workload"
    summary = "Several containers in one ECS service, with their own ingress."

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_container_events(ctx, resource, compile_workload(ctx, resource, None))


class ApplicationLoadBalancer(ResourceType):
    name = "application-load-balancer"
    schema = BALANCER_SCHEMA
    properties_required = False
    summary = "An HTTP/HTTPS load balancer; functions and containers join it with listener rules."

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_balancer(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return balancer_params(ctx, resource)


class BatchJob(ResourceType):
    name = "batch-job"
    schema = SCHEMAS[name]
    definitions = DEFINITIONS
    properties_required = REQUIRES_PROPERTIES.get(name, True)
    summary = "A container job on AWS Batch (Fargate), started through a Step Functions state machine."

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_batch_job(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return batch_params(ctx, resource)

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        return batch_connection(ctx, resource)

    def connect(self, ctx: StackContext, resource: Resource, connection: Connection) -> None:
        connect_workload(ctx, resource, connection)


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    later = {name: schema for name, schema in SCHEMAS.items() if name not in DEPLOYABLE}
    return [
        WebService,
        PrivateService,
        WorkerService,
        MultiContainerWorkload,
        BatchJob,
        ApplicationLoadBalancer,
        *schema_only_types(later, DEFINITIONS, REQUIRES_PROPERTIES),
    ]


@hookimpl(trylast=True)
def stackwright_get_packager(ctx: StackContext, artifact: Artifact) -> Packager | None:
    if artifact.kind == "image" and artifact.packaging_type in (
        "custom-dockerfile",
        "stacktape-image-buildpack",
    ):
        return ImagePackager()
    return None


@hookimpl
def stackwright_finalize_template(ctx: StackContext, template: Template) -> None:
    from .batch_events import enable_bucket_events

    enable_bucket_events(ctx)


@hookimpl
def stackwright_console_panels() -> list[type[ConsolePanel]]:
    from .failures import ContainerFailures

    return [ContainerFailures]


@hookimpl
def stackwright_preflight(ctx: StackContext) -> list[str]:
    """A Docker daemon when images must be built: images built from a Dockerfile or the image buildpack
    that the stack's image store does not hold yet (all of them on a first deploy)."""
    built = [
        a
        for a in ctx.artifacts.values()
        if a.kind == "image" and a.packaging_type in ("custom-dockerfile", "stacktape-image-buildpack")
    ]
    if built and ctx.state is not None and ctx.state.exists:
        built = [a for a in built if not _stored(ctx, a)]
    if not built:
        return []
    try:
        docker_client()
    except StackwrightError as error:
        names = ", ".join(sorted(a.name for a in built))
        noun = "image" if len(built) == 1 else "images"
        return [f"building the {noun} {names} needs a Docker daemon: {error.message}; {error.hint}"]
    return []


def _stored(ctx: StackContext, artifact: Artifact) -> bool:
    try:
        store = ctx.plugins.find_artifact_store(ctx, artifact)
        return store is not None and store.find(artifact) is not None
    except Exception:  # cannot tell: the build decides, and says what is wrong
        return False
