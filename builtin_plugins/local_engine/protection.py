"""The engine's CloudFormation taught termination protection: `UpdateTerminationProtection`, and a
`DeleteStack` of a protected stack refused as CloudFormation refuses it."""

from __future__ import annotations

from typing import Any


def teach_termination_protection() -> None:
    from moto.cloudformation.exceptions import ValidationError
    from moto.cloudformation.responses import CloudFormationResponse
    from moto.core.responses import ActionResult

    if hasattr(CloudFormationResponse, "update_termination_protection"):
        return

    def update_termination_protection(self: Any) -> Any:
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        stack.enable_termination_protection = self._get_bool_param("EnableTerminationProtection", False)
        return ActionResult({"StackId": stack.stack_id})

    original = CloudFormationResponse.delete_stack

    def delete_stack(self: Any) -> Any:
        name = self._get_param("StackName")
        stacks = [s for s in self.cloudformation_backend.stacks.values() if name in (s.name, s.stack_id)]
        if any(
            getattr(s, "enable_termination_protection", False) and s.status != "DELETE_COMPLETE"
            for s in stacks
        ):
            raise ValidationError(
                name,
                message=f"Stack [{name}] cannot be deleted while TerminationProtection is enabled",
            )
        return original(self)

    CloudFormationResponse.update_termination_protection = update_termination_protection  # type: ignore[attr-defined]
    CloudFormationResponse.delete_stack = delete_stack  # type: ignore[method-assign]
