"""Load balancer targets for the engine's CloudFormation.

The engine's CloudFormation creates a target group without registering the targets its template lists
(a function behind a load balancer), and an ECS service without its `LoadBalancers`. These wrappers keep
both, so `describe_target_health` and `describe_services` read back what AWS would hold.
"""

from __future__ import annotations

from typing import Any

#: Set once the models are taught.
_TAUGHT: list[bool] = []


def _service_balancers(properties: dict[str, Any]) -> list[dict[str, Any]]:
    """A template's `LoadBalancers` of an ECS service in the ECS API's shape."""
    fields = (
        ("TargetGroupArn", "targetGroupArn"),
        ("ContainerName", "containerName"),
        ("ContainerPort", "containerPort"),
    )
    return [
        {api: entry[cfn] for cfn, api in fields if cfn in entry}
        for entry in properties.get("LoadBalancers") or []
    ]


def teach_load_balancing() -> None:
    """Register a template's `Targets` with a target group, and keep an ECS service's `LoadBalancers`
    (once)."""
    if _TAUGHT:
        return
    from moto.ecs.models import Service
    from moto.elbv2.models import FakeTargetGroup

    create_group = FakeTargetGroup.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]
    create_service = Service.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]
    update_service = Service.update_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def group_with_targets(
        cls: type,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        group = create_group(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        targets = cloudformation_json["Properties"].get("Targets") or []
        group.register([{"Id": t["Id"], **({"Port": t["Port"]} if "Port" in t else {})} for t in targets])
        return group

    def service_with_balancers(
        cls: type,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        service = create_service(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        service.load_balancers = _service_balancers(cloudformation_json["Properties"])
        return service

    def update_with_balancers(
        cls: type, original: Any, new_name: str, cloudformation_json: Any, account_id: str, region_name: str
    ) -> Any:
        service = update_service(cls, original, new_name, cloudformation_json, account_id, region_name)
        service.load_balancers = _service_balancers(cloudformation_json["Properties"])
        return service

    FakeTargetGroup.create_from_cloudformation_json = classmethod(group_with_targets)  # type: ignore[method-assign,assignment,arg-type]
    Service.create_from_cloudformation_json = classmethod(service_with_balancers)  # type: ignore[method-assign,assignment,arg-type]
    Service.update_from_cloudformation_json = classmethod(update_with_balancers)  # type: ignore[method-assign,assignment]
    _TAUGHT.append(True)
