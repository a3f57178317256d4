"""Target groups' `Targets` for the engine's CloudFormation.

The engine's CloudFormation creates a target group without registering the targets its template lists
(a function behind a load balancer, an instance); this registers them, so `describe_target_health`
reads back what AWS would hold.
"""

from __future__ import annotations

from typing import Any

#: Set once the target group model is taught.
_TAUGHT: list[bool] = []


def teach_target_groups() -> None:
    """Register a template's `Targets` when the engine creates a target group (once)."""
    if _TAUGHT:
        return
    from moto.elbv2.models import FakeTargetGroup

    create = FakeTargetGroup.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def create_with_targets(
        cls: type,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        group = create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        targets = cloudformation_json["Properties"].get("Targets") or []
        group.register([{"Id": t["Id"], **({"Port": t["Port"]} if "Port" in t else {})} for t in targets])
        return group

    FakeTargetGroup.create_from_cloudformation_json = classmethod(create_with_targets)  # type: ignore[assignment]
    _TAUGHT.append(True)
