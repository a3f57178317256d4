"""Load balancers, their target groups and ECS services as the engine's CloudFormation should keep them.

The engine's CloudFormation creates a target group without registering the targets its template lists
(a function behind a load balancer), an ECS service without its `LoadBalancers`, and deletes none of
target groups, listeners, listener rules and services (a second deploy of a deleted stack then fails on
the names they still hold). It refuses a listener whose certificate its own ACM does not hold: the
user's certificates live in their AWS account, so the engine takes an ACM certificate ARN on trust.
These wrappers make it keep and delete all of them as AWS does, so `describe_target_health` and
`describe_services` read back what AWS would hold.
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
    """Teach the engine's models (once)."""
    if _TAUGHT:
        return
    import moto.cloudformation.parsing as parsing
    import moto.elbv2.models as elbv2_models
    from moto.ecs.models import Service, ecs_backends
    from moto.elb.exceptions import CertificateNotFoundException
    from moto.elbv2.models import (
        ELBv2Backend,
        FakeListener,
        FakeListenerRule,
        FakeTargetGroup,
        elbv2_backends,
    )

    create_group = FakeTargetGroup.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]
    create_service = Service.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]
    update_service = Service.update_from_cloudformation_json.__func__  # type: ignore[attr-defined]
    certificate_exists = ELBv2Backend._certificate_exists

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
        cls: type,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        service = update_service(
            cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
        )
        service.load_balancers = _service_balancers(cloudformation_json["Properties"])
        return service

    # The engine deletes a stack update's removed resources before it updates the others (CloudFormation
    # deletes them last): a target group a rule still forwards to, or a listener its load balancer took
    # along, must go all the same.
    def delete_group(self: Any, account_id: str, region_name: str) -> None:
        elbv2_backends[account_id][region_name].target_groups.pop(self.arn, None)

    def delete_listener(self: Any, account_id: str, region_name: str) -> None:
        for balancer in elbv2_backends[account_id][region_name].load_balancers.values():
            balancer.listeners.pop(self.arn, None)

    def delete_rule(self: Any, account_id: str, region_name: str) -> None:
        elbv2_backends[account_id][region_name].delete_rule(self.arn)

    def delete_service(self: Any, account_id: str, region_name: str) -> None:
        ecs_backends[account_id][region_name].delete_service(self.cluster_name, self.name, force=True)

    def trusted_certificate(self: Any, certificate_arn: str) -> bool:
        return certificate_arn.split(":")[2:3] == ["acm"] or certificate_exists(self, certificate_arn)

    register_certificate = elbv2_models.register_certificate  # type: ignore[attr-defined]

    def register_trusted(account_id: str, region: str, arn_certificate: str, arn_user: str) -> None:
        try:
            register_certificate(account_id, region, arn_certificate, arn_user)
        except CertificateNotFoundException:
            if arn_certificate.split(":")[2:3] != ["acm"]:
                raise

    FakeTargetGroup.create_from_cloudformation_json = classmethod(group_with_targets)  # type: ignore[method-assign,assignment,arg-type]
    Service.create_from_cloudformation_json = classmethod(service_with_balancers)  # type: ignore[method-assign,assignment,arg-type]
    Service.update_from_cloudformation_json = classmethod(update_with_balancers)  # type: ignore[method-assign,assignment]
    FakeTargetGroup.delete = delete_group  # type: ignore[attr-defined]
    FakeListener.delete = delete_listener  # type: ignore[attr-defined]
    FakeListenerRule.delete = delete_rule  # type: ignore[attr-defined]
    Service.delete = delete_service  # type: ignore[attr-defined]
    ELBv2Backend._certificate_exists = trusted_certificate  # type: ignore[method-assign]
    elbv2_models.register_certificate = register_trusted  # type: ignore[attr-defined]
    # removed resources are deleted in passes, each one past what still depends on it: a rule, its
    # listener, the load balancer, its subnets and the VPC take more than the engine's 5
    parsing.MAX_UPDATE_ATTEMPTS = 25
    _TAUGHT.append(True)
