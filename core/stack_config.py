"""The stack's own settings: `stackConfig.outputs` added to the template, and what a deploy passes
CloudFormation besides the template (`stackConfig.tags`, `deploymentConfig`'s termination protection,
rollback switch and alarms, role, event topics)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from stackwright.errors import ConfigProblem

if TYPE_CHECKING:
    from stackwright.context import StackContext
    from stackwright.models import Config, Project

#: Tags stackwright puts on every stack it deploys (users' `stackConfig.tags` may not take these keys).
STACK_TAGS = ("stackwright:project", "stackwright:stage")


@dataclass(frozen=True)
class StackSettings:
    """What a deploy passes CloudFormation besides the template.

    tags: stack tags (key → value), stackwright's own first; CloudFormation puts them on every resource
    that takes tags. termination_protection: `EnableTerminationProtection`. disable_rollback: keep what a
    failed deploy created. role_arn: the role CloudFormation deploys with (None: the caller's
    credentials). notification_arns: SNS topics of the stack's events (at most 5). rollback_alarms:
    CloudWatch alarm ARNs (at most 5) watched for `monitoring_minutes` (0-180) after a deploy."""

    tags: dict[str, str] = field(default_factory=dict)
    termination_protection: bool = False
    disable_rollback: bool = False
    role_arn: str | None = None
    notification_arns: tuple[str, ...] = ()
    rollback_alarms: tuple[str, ...] = ()
    monitoring_minutes: int = 0

    def change_set_arguments(self) -> dict[str, Any]:
        """The keyword arguments of CreateChangeSet these settings give (`Tags`, `RoleARN`,
        `NotificationARNs`, `RollbackConfiguration`)."""
        arguments: dict[str, Any] = {"Tags": [{"Key": k, "Value": v} for k, v in self.tags.items()]}
        if self.role_arn:
            arguments["RoleARN"] = self.role_arn
        if self.notification_arns:
            arguments["NotificationARNs"] = list(self.notification_arns)
        if self.rollback_alarms or self.monitoring_minutes:
            arguments["RollbackConfiguration"] = {
                "RollbackTriggers": [
                    {"Arn": a, "Type": "AWS::CloudWatch::Alarm"} for a in self.rollback_alarms
                ],
                "MonitoringTimeInMinutes": self.monitoring_minutes,
            }
        return arguments


def stack_settings(project: Project, data: Any) -> StackSettings:
    """The settings of the (valid) config `data` for `project`."""
    data = data if isinstance(data, dict) else {}
    deployment = data.get("deploymentConfig") or {}
    stack = data.get("stackConfig") or {}
    tags = {STACK_TAGS[0]: project.name, STACK_TAGS[1]: project.stage}
    tags.update({str(t["name"]): str(t["value"]) for t in stack.get("tags") or []})
    return StackSettings(
        tags=tags,
        termination_protection=bool(deployment.get("terminationProtection")),
        disable_rollback=bool(deployment.get("disableAutoRollback")),
        role_arn=deployment.get("cloudformationRoleArn") or None,
        notification_arns=tuple(deployment.get("publishEventsToArn") or ()),
        rollback_alarms=tuple(deployment.get("triggerRollbackOnAlarms") or ()),
        monitoring_minutes=int(deployment.get("monitoringTimeAfterDeploymentInMinutes") or 0),
    )


def check_stack_config(config: Config) -> list[ConfigProblem]:
    """Mistakes the schema cannot see: a tag or output named twice, a tag named like stackwright's own,
    an output that exports nothing it can name."""
    data = config.data if isinstance(config.data, dict) else {}
    stack = data.get("stackConfig") or {}
    problems: list[ConfigProblem] = []

    def problem(path: tuple[str | int, ...], message: str, hint: str | None = None) -> None:
        problems.append(
            ConfigProblem(".".join(map(str, path)), message, config.position_of(*path), hint=hint)
        )

    seen: set[str] = set()
    for index, tag in enumerate(stack.get("tags") or []):
        name = str(tag.get("name")) if isinstance(tag, dict) else ""
        at = ("stackConfig", "tags", index, "name")
        if name in STACK_TAGS:
            problem(at, f"tag {name!r} is stackwright's own", "name your tag otherwise")
        elif name in seen:
            problem(at, f"tag {name!r} is given twice")
        seen.add(name)
    seen = set()
    for index, output in enumerate(stack.get("outputs") or []):
        name = str(output.get("name")) if isinstance(output, dict) else ""
        if name in seen:
            problem(("stackConfig", "outputs", index, "name"), f"output {name!r} is given twice")
        seen.add(name)
    return problems


def add_stack_outputs(ctx: StackContext) -> None:
    """`stackConfig.outputs` as template Outputs (exported as `<stack name>-<name>` when `export`).
    Raises ConfigError when a name is already an output of a resource."""
    from stackwright.errors import ConfigError

    stack = (ctx.config.data.get("stackConfig") or {}) if isinstance(ctx.config.data, dict) else {}
    problems: list[ConfigProblem] = []
    for index, output in enumerate(stack.get("outputs") or []):
        name = str(output["name"])
        at = ("stackConfig", "outputs", index, "name")
        if name in ctx.template.outputs:
            problems.append(
                ConfigProblem(
                    ".".join(map(str, at)),
                    f"output {name!r} is already an output of the stack (one of its resources gives it)",
                    ctx.config.position_of(*at),
                    hint="name yours otherwise",
                )
            )
            continue
        value = output["value"]
        text = str(value).lower() if isinstance(value, bool) else str(value)  # YAML's true, not Python's
        body: dict[str, Any] = {"Value": value if isinstance(value, dict | list) else text}
        if output.get("description"):
            body["Description"] = str(output["description"])
        if output.get("export"):
            body["Export"] = {"Name": f"{ctx.stack_name}-{name}"}
        ctx.template.outputs[name] = body
    if problems:
        raise ConfigError(problems, ctx.source)
