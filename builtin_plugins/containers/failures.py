"""The console panel of the container workloads: each ECS service's last stopped task — when it
stopped, why, each essential container's exit code and the last lines it logged."""

from __future__ import annotations

from stackwright import ConsolePage, ConsolePanel, PanelContent, StackwrightError, panel_time

from .diagnose import _logs


class ContainerFailures(ConsolePanel):
    name = "container-failures"
    title = "Last container failure"
    order = 350
    refresh = 10.0

    def applies(self, page: ConsolePage) -> bool:
        return bool(page.resources_of_type("AWS::ECS::Service"))

    def render(self, page: ConsolePage) -> PanelContent:
        from botocore.exceptions import BotoCoreError, ClientError

        ecs = page.ctx.clients.client("ecs")
        rows: list[list[str]] = []
        logged: list[str] = []
        for service in page.resources_of_type("AWS::ECS::Service"):
            parts = service.physical_id.split(":", 5)[-1].split("/")  # service/CLUSTER/NAME
            if not service.physical_id.startswith("arn:") or len(parts) < 3:
                continue
            cluster, name = parts[-2], parts[-1]
            try:
                arns = ecs.list_tasks(cluster=cluster, serviceName=name, desiredStatus="STOPPED").get(
                    "taskArns", []
                )
                tasks = ecs.describe_tasks(cluster=cluster, tasks=arns[:100]).get("tasks", []) if arns else []
            except (BotoCoreError, ClientError) as error:
                raise StackwrightError(f"cannot read the tasks of service {name}: {error}") from None
            if not tasks:
                rows.append([service.logical_id, "", "no task has stopped", "", ""])
                continue
            task = max(tasks, key=lambda t: t.get("stoppedAt") or t.get("createdAt"))
            definition = ecs.describe_task_definition(taskDefinition=task["taskDefinitionArn"])[
                "taskDefinition"
            ]
            settings = {c["name"]: c for c in definition.get("containerDefinitions", [])}
            task_id = str(task["taskArn"]).rsplit("/", 1)[-1]
            reason = str(task.get("stoppedReason", "no reason given"))
            for index, container in enumerate(task.get("containers", [])):
                config = settings.get(container["name"], {})
                exit_code = str(container["exitCode"]) if "exitCode" in container else "did not run"
                head = (
                    [service.logical_id, panel_time(task.get("stoppedAt")), reason]
                    if index == 0
                    else ["", "", ""]
                )
                rows.append(
                    [
                        *head,
                        container["name"],
                        exit_code + (f" ({container['reason']})" if container.get("reason") else ""),
                    ]
                )
                if config.get("essential", True):
                    lines = _logs(page.ctx, config, container["name"], task_id)
                    logged += [f"{service.logical_id} / {container['name']} | {line}" for line in lines]
        text = (
            "The most recent stopped task of each ECS service, and the last lines its essential "
            "containers logged."
        )
        columns = ["service", "stopped at (UTC)", "stop reason", "container", "exit code"]
        return PanelContent(text=text, columns=columns, rows=rows, code="\n".join(logged))
