"""The `application-load-balancer` function event: a rule of a load balancer's listener that forwards the
requests it matches to the function, through a target group of type `lambda` (one per function and load
balancer, shared by that function's rules there) that the load balancer may invoke the function through."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, get_att, listener_rule, ref, sub


def load_balancer_event(
    ctx: StackContext,
    resource: Resource,
    index: int,
    props: dict[str, Any],
    function_id: str,
    path: tuple[str | int, ...],
) -> None:
    balancer = props.get("loadBalancerName")
    group = ctx.logical_id(resource.name, f"{balancer}-target-group")
    listener_rule(ctx, resource.name, props, ref(group), path)
    if group in ctx.template.resources:
        return
    name = ctx.physical_name(resource.name, "target-group", str(balancer))
    permission = ctx.logical_id(resource.name, f"{balancer}-load-balancer-permission")
    ctx.template.add_resource(
        permission,
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": get_att(function_id, "Arn"),
            "Principal": "elasticloadbalancing.amazonaws.com",
            # the target group's ARN ends in an id AWS assigns; its name is known before it exists
            "SourceArn": sub(
                "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:targetgroup/"
                + name
                + "/*"
            ),
        },
        owner=resource.name,
    )
    ctx.template.add_resource(
        group,
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {"Name": name, "TargetType": "lambda", "Targets": [{"Id": get_att(function_id, "Arn")}]},
        owner=resource.name,
        DependsOn=[permission],  # the load balancer checks it may invoke the function when it registers it
    )
