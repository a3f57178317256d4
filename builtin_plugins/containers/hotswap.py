"""Hot-swap a workload's image: register a task definition revision with the new image, roll the service
onto it keeping every old task until new ones are healthy, and report the container root cause if the
rollout fails (the circuit breaker then rolls it back)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from stackwright import (
    IMAGE_REPOSITORY_ID,
    Artifact,
    Change,
    HotswapResult,
    InProgress,
    StackContext,
    StackwrightError,
)

from .diagnose import diagnose_service

REGISTER_FIELDS = (
    "family",
    "taskRoleArn",
    "executionRoleArn",
    "networkMode",
    "containerDefinitions",
    "volumes",
    "placementConstraints",
    "requiresCompatibilities",
    "cpu",
    "memory",
    "runtimePlatform",
    "ephemeralStorage",
    "pidMode",
    "ipcMode",
    "proxyConfiguration",
)
ROLLOUT_TIMEOUT = 30 * 60


def _service_of(ctx: StackContext, change: Change) -> tuple[str, str] | None:
    """(logical id, physical id) of the ECS service that runs this task definition."""
    for logical_id, body in ctx.template.resources.items():
        if body["Type"] == "AWS::ECS::Service" and body.get("Properties", {}).get("TaskDefinition") == {
            "Ref": change.logical_id
        }:
            physical = ctx.state.resources.get(logical_id, "") if ctx.state else ""
            return (logical_id, physical) if physical else None
    return None


def image_uri(ctx: StackContext, artifact: Artifact) -> str:
    repository = ctx.state.resources.get(IMAGE_REPOSITORY_ID, "") if ctx.state else ""
    suffix = "amazonaws.com.cn" if ctx.project.region.startswith("cn-") else "amazonaws.com"
    return f"{ctx.project.account}.dkr.ecr.{ctx.project.region}.{suffix}/{repository}:{artifact.image_tag}"


def hotswap_task_definition(ctx: StackContext, change: Change) -> HotswapResult | None:
    service = _service_of(ctx, change)
    if service is None or not change.physical_id:
        return None
    service_id, service_arn = service
    if change.plan_only:
        return HotswapResult(change.resource, service_arn, "new task definition revision", change.logical_id)
    from botocore.exceptions import ClientError

    ecs = ctx.clients.client("ecs")
    cluster = service_arn.split(":", 5)[-1].split("/")[-2]
    images = {  # container name → its new image, for every container whose image changed
        str(c["Name"]): image_uri(ctx, artifact)
        for c in change.definition["Properties"]["ContainerDefinitions"]
        for artifact in (change.artifacts or [change.artifact])
        if artifact.digest in str(c.get("Image"))
    }
    names = set(images)
    try:
        current = ecs.describe_task_definition(taskDefinition=change.physical_id)["taskDefinition"]
        fresh: dict[str, Any] = {k: current[k] for k in REGISTER_FIELDS if current.get(k)}
        containers = fresh.get("containerDefinitions") or []
        if not any(c.get("name") in names for c in containers):
            raise StackwrightError(
                f"the running task definition {change.physical_id} has no container {sorted(names)}"
            )
        for container in containers:
            if container.get("name") in names:
                container["image"] = images[container["name"]]
        revision = ecs.register_task_definition(**fresh)["taskDefinition"]["taskDefinitionArn"]
        started = datetime.now(UTC)
        ecs.update_service(
            cluster=cluster,
            service=service_arn,
            taskDefinition=revision,
            forceNewDeployment=True,
            deploymentConfiguration={
                "minimumHealthyPercent": 100,
                "maximumPercent": 200,
                "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            },
        )
    except ClientError as error:
        raise StackwrightError(f"updating service {service_arn} failed: {error}") from None
    _watch(
        ctx,
        ecs,
        cluster,
        service_arn,
        revision,
        InProgress(service_id, "AWS::ECS::Service", service_arn, started),
    )
    return HotswapResult(
        change.resource,
        service_arn,
        f"running {revision.rsplit('/', 1)[-1]}",
        change.logical_id,
        change.artifact.digest,
    )


def _watch(
    ctx: StackContext, ecs: Any, cluster: str, service: str, revision: str, progress: InProgress
) -> None:
    pause = float(ctx.settings.get("poll_interval", 0.2 if ctx.project.target == "local" else 5))
    deadline = time.monotonic() + ROLLOUT_TIMEOUT
    while time.monotonic() < deadline:
        described = ecs.describe_services(cluster=cluster, services=[service])["services"][0]
        primary = next(
            (d for d in described.get("deployments", []) if d.get("taskDefinition") == revision), None
        )
        state = (primary or {}).get("rolloutState", "COMPLETED")
        if state == "COMPLETED":
            return
        if state == "FAILED":
            cause = diagnose_service(ctx, progress) or (primary or {}).get(
                "rolloutStateReason", "no reason given"
            )
            raise StackwrightError(
                f"the new tasks of {service} failed; the circuit breaker rolled it back",
                details=[f"root cause: {cause}"],
            )
        time.sleep(pause)
    raise StackwrightError(f"{service} did not finish rolling out within {ROLLOUT_TIMEOUT // 60} minutes")
