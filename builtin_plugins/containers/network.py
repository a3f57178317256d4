"""The stack's VPC, made once when a workload needs one: two public subnets in two zones, a gateway."""

from __future__ import annotations

from typing import Any

from stackwright import StackContext, get_att, ref

VPC = "StpVpc"
SUBNETS = ("StpPublicSubnet1", "StpPublicSubnet2")
CIDR = "10.0.0.0/16"


def ensure_vpc(ctx: StackContext) -> dict[str, Any]:
    template = ctx.template
    if VPC not in template.resources:
        tags = [{"Key": "Name", "Value": ctx.stack_name}]
        template.add_resource(
            VPC,
            "AWS::EC2::VPC",
            {"CidrBlock": CIDR, "EnableDnsHostnames": True, "EnableDnsSupport": True, "Tags": tags},
        )
        template.add_resource("StpInternetGateway", "AWS::EC2::InternetGateway", {"Tags": tags})
        template.add_resource(
            "StpGatewayAttachment",
            "AWS::EC2::VPCGatewayAttachment",
            {"VpcId": ref(VPC), "InternetGatewayId": ref("StpInternetGateway")},
        )
        template.add_resource(
            "StpPublicRouteTable", "AWS::EC2::RouteTable", {"VpcId": ref(VPC), "Tags": tags}
        )
        template.add_resource(
            "StpPublicRoute",
            "AWS::EC2::Route",
            {
                "RouteTableId": ref("StpPublicRouteTable"),
                "DestinationCidrBlock": "0.0.0.0/0",
                "GatewayId": ref("StpInternetGateway"),
            },
            DependsOn="StpGatewayAttachment",
        )
        for index, subnet in enumerate(SUBNETS):
            template.add_resource(
                subnet,
                "AWS::EC2::Subnet",
                {
                    "VpcId": ref(VPC),
                    "CidrBlock": f"10.0.{index}.0/24",
                    "AvailabilityZone": {"Fn::Select": [index, {"Fn::GetAZs": ""}]},
                    "MapPublicIpOnLaunch": True,
                    "Tags": tags,
                },
            )
            template.add_resource(
                f"{subnet}RouteTableAssociation",
                "AWS::EC2::SubnetRouteTableAssociation",
                {"SubnetId": ref(subnet), "RouteTableId": ref("StpPublicRouteTable")},
            )
    return {"vpc": ref(VPC), "subnets": [ref(s) for s in SUBNETS], "cidr": get_att(VPC, "CidrBlock")}
