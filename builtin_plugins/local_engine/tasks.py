"""ECS task definitions updated as CloudFormation does it, for the engine's CloudFormation.

The engine registers the new revision of a changed task definition from the template's keys as they are
(`Name`, `Image`, ...), where ECS's are camel case: the revision it registers has no containers it can
name. And the services that ran the old revision keep naming it: CloudFormation would update them, as
their `TaskDefinition` reference changed. This registers the revision from camel-cased definitions, and
moves the services of the old revision to it.
"""

from __future__ import annotations

from typing import Any

#: Set once the model is taught.
_TAUGHT: list[bool] = []


def teach_task_definitions() -> None:
    """Replace the engine's update of `AWS::ECS::TaskDefinition` (once)."""
    if _TAUGHT:
        return
    from moto.core.utils import pascal_to_camelcase, remap_nested_keys
    from moto.ecs.models import TaskDefinition, ecs_backends

    def update(
        cls: type,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        properties = cloudformation_json["Properties"]
        family = properties.get("Family", original_resource.family)
        containers = remap_nested_keys(properties.get("ContainerDefinitions", []), pascal_to_camelcase)
        volumes = remap_nested_keys(properties.get("Volumes", []), pascal_to_camelcase)
        memory = properties.get("Memory")
        # called for a changed task definition only: a new revision, as CloudFormation's replacement
        backend = ecs_backends[account_id][region_name]
        revision = backend.register_task_definition(
            family=family, container_definitions=containers, volumes=volumes, memory=memory
        )
        for service in backend.services.values():
            if service.task_definition == original_resource.arn:
                service.task_definition = revision.arn
        backend.deregister_task_definition(original_resource.arn)
        return revision

    TaskDefinition.update_from_cloudformation_json = classmethod(update)  # type: ignore[method-assign,assignment]
    _TAUGHT.append(True)
