"""AWS Batch's resources deleted with their stack by the engine's CloudFormation, which otherwise leaves
a deleted stack's compute environment, queue and job definition (still `ACTIVE`) behind."""

from __future__ import annotations

from typing import Any

#: Set once the models are taught.
_TAUGHT: list[bool] = []


def teach_batch() -> None:
    """Give the engine's Batch models the deletes CloudFormation calls (once)."""
    if _TAUGHT:
        return
    from moto.batch.models import ComputeEnvironment, JobDefinition, JobQueue, batch_backends

    def delete_environment(self: Any, account_id: str, region_name: str) -> None:
        batch_backends[account_id][region_name].delete_compute_environment(self.arn)

    def delete_queue(self: Any, account_id: str, region_name: str) -> None:
        batch_backends[account_id][region_name].delete_job_queue(self.arn)

    def deregister_definition(self: Any, account_id: str, region_name: str) -> None:
        batch_backends[account_id][region_name].deregister_job_definition(self.arn)

    ComputeEnvironment.delete = delete_environment  # type: ignore[attr-defined]
    JobQueue.delete = delete_queue  # type: ignore[attr-defined]
    JobDefinition.delete = deregister_definition  # type: ignore[attr-defined]
    _TAUGHT.append(True)
