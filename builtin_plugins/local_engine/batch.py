"""AWS Batch's resources deleted with their stack by the engine's CloudFormation, which otherwise leaves
a deleted stack's compute environment, queue and job definition (still `ACTIVE`) behind; and a job
definition's `Timeout` and `PlatformCapabilities`, which it drops, kept. The engine cannot update them:
an update keeps the resource as it is (the local target names such changes before the deploy), still
tracked, so the stack's deletion deletes it."""

from __future__ import annotations

from typing import Any

#: Set once the models are taught.
_TAUGHT: list[bool] = []


def teach_batch() -> None:
    """Give the engine's Batch models the deletes CloudFormation calls (once)."""
    if _TAUGHT:
        return
    from moto.batch.models import ComputeEnvironment, JobDefinition, JobQueue, batch_backends

    create_definition = JobDefinition.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def definition_with_settings(
        cls: type,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        definition = create_definition(
            cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        properties = cloudformation_json["Properties"]
        if "Timeout" in properties:
            definition.timeout = {"attemptDurationSeconds": properties["Timeout"]["AttemptDurationSeconds"]}
        if "PlatformCapabilities" in properties:
            definition.platform_capabilities = list(properties["PlatformCapabilities"])
        return definition

    def delete_environment(self: Any, account_id: str, region_name: str) -> None:
        batch_backends[account_id][region_name].delete_compute_environment(self.arn)

    def delete_queue(self: Any, account_id: str, region_name: str) -> None:
        batch_backends[account_id][region_name].delete_job_queue(self.arn)

    def deregister_definition(self: Any, account_id: str, region_name: str) -> None:
        batch_backends[account_id][region_name].deregister_job_definition(self.arn)

    JobDefinition.create_from_cloudformation_json = classmethod(definition_with_settings)  # type: ignore[method-assign,assignment,arg-type]

    def kept(
        cls: type,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        return original_resource

    for model in (ComputeEnvironment, JobQueue, JobDefinition):
        model.update_from_cloudformation_json = classmethod(kept)  # type: ignore[method-assign,assignment]
    ComputeEnvironment.delete = delete_environment  # type: ignore[attr-defined]
    JobQueue.delete = delete_queue  # type: ignore[attr-defined]
    JobDefinition.delete = deregister_definition  # type: ignore[attr-defined]
    _TAUGHT.append(True)
