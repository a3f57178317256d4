"""Why an ECS service's new tasks stop: per essential container, the exit code, the stop reason and the
last lines it logged, read while the deploy still runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from stackwright import InProgress, StackContext

LOG_LINES = 10
#: A service is failing once this many of its new tasks stopped (ECS retries; one crash can be a fluke).
STOPPED_TASKS = 2


def diagnose_service(ctx: StackContext, resource: InProgress) -> str | None:
    arn = resource.physical_id
    if not arn.startswith("arn:") or "/" not in arn:
        return None
    parts = arn.split(":", 5)[-1].split("/")  # service/cluster/name
    if len(parts) < 3:
        return None
    cluster, service = parts[-2], parts[-1]
    ecs = ctx.clients.client("ecs")
    task_arns = ecs.list_tasks(cluster=cluster, serviceName=service, desiredStatus="STOPPED").get(
        "taskArns", []
    )
    if not task_arns:
        return None
    tasks = ecs.describe_tasks(cluster=cluster, tasks=task_arns[:100]).get("tasks", [])
    recent = [t for t in tasks if _after(t.get("createdAt"), resource.since)]
    if len(recent) < STOPPED_TASKS:
        return None
    task = max(recent, key=lambda t: t.get("stoppedAt") or t.get("createdAt"))
    reason = task.get("stoppedReason", "no reason given")
    lines = [f"ECS service {service}: {len(recent)} new tasks stopped; the last one: {reason}"]
    definition = ecs.describe_task_definition(taskDefinition=task["taskDefinitionArn"])["taskDefinition"]
    settings = {c["name"]: c for c in definition.get("containerDefinitions", [])}
    task_id = task["taskArn"].rsplit("/", 1)[-1]
    for container in task.get("containers", []):
        config = settings.get(container["name"], {})
        if not config.get("essential", True):
            continue
        detail = f"container {container['name']}: "
        detail += f"exit code {container['exitCode']}" if "exitCode" in container else "did not run"
        if container.get("reason"):
            detail += f" ({container['reason']})"
        lines.append(detail)
        lines += [f"  | {line}" for line in _logs(ctx, config, container["name"], task_id)]
    return "\n".join(lines)


def _after(moment: Any, since: datetime) -> bool:
    return isinstance(moment, datetime) and moment >= since


def _logs(ctx: StackContext, config: dict[str, Any], name: str, task_id: str) -> list[str]:
    options = (config.get("logConfiguration") or {}).get("options") or {}
    group, prefix = options.get("awslogs-group"), options.get("awslogs-stream-prefix")
    if not group or not prefix:
        return []
    logs = ctx.clients.client("logs")
    try:
        events = logs.get_log_events(
            logGroupName=group,
            logStreamName=f"{prefix}/{name}/{task_id}",
            limit=LOG_LINES,
            startFromHead=False,
        )["events"]
    except logs.exceptions.ResourceNotFoundException:
        return []
    return [str(e["message"]).rstrip() for e in events if str(e.get("message", "")).strip()]
