"""`connectTo` for container workloads: what a connection to a service grants, and how a workload takes
any connection (variables in every container, statements in its task role, security-group rules)."""

from __future__ import annotations

from typing import Any

from stackwright import CONNECT_TO_POLICY, Connection, Ingress, Resource, StackContext, get_att, ref, sub

#: Params of a service that become `STP_<NAME>_<PARAM>` variables (Stacktape: URL of a web-service,
#: ADDRESS of a private-service).
CONNECTED_PARAMS = {"url": "URL", "address": "ADDRESS"}
#: What a connectTo grants on a workload's ECS service: read it and roll it (e.g. to scale or redeploy).
SERVICE_ACTIONS = ["ecs:DescribeServices", "ecs:UpdateService"]


def service_connection(ctx: StackContext, resource: Resource, params: dict[str, Any]) -> Connection:
    # the service's ARN from its names as compiled (overrides included), not Ref: two workloads may
    # connect to each other
    arn = sub(
        "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/"
        + _name(ctx, resource, "EcsCluster", "ClusterName", "ecs-cluster")
        + "/"
        + _name(ctx, resource, "EcsService", "ServiceName", "ecs-service")
    )
    return Connection(
        target=resource,
        statements=[{"Effect": "Allow", "Action": SERVICE_ACTIONS, "Resource": [arn]}],
        environment={var: params[key] for key, var in CONNECTED_PARAMS.items() if key in params},
    )


def admit(ctx: StackContext, resource: Resource, connection: Connection, port: int) -> Connection:
    """Add the rule that admits the connecting workload to `resource`'s security group on `port`."""
    group = get_att(ctx.logical_id(resource.name, "SecurityGroup"), "GroupId")
    connection.ingress.append(Ingress(group, port))
    return connection


def batch_connection(ctx: StackContext, resource: Resource) -> Connection:
    """What a connectTo to a batch job grants: start its state machine (which runs the job), list, read
    and stop its executions; variables JOB_DEFINITION_ARN and STATE_MACHINE_ARN (Stacktape's)."""
    name = _name(ctx, resource, "StateMachine", "StateMachineName", "state-machine")
    states = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:"
    machine = sub(states + "stateMachine:" + name)
    return Connection(
        target=resource,
        statements=[
            {
                "Effect": "Allow",
                "Action": ["states:StartExecution", "states:ListExecutions"],
                "Resource": [machine],
            },
            {
                "Effect": "Allow",
                "Action": ["states:DescribeExecution", "states:StopExecution"],
                "Resource": [sub(states + "execution:" + name + ":*")],
            },
        ],
        environment={
            "JOB_DEFINITION_ARN": ref(ctx.logical_id(resource.name, "JobDefinition")),
            "STATE_MACHINE_ARN": machine,
        },
    )


def connect_workload(ctx: StackContext, resource: Resource, connection: Connection) -> None:
    """Give a workload (or a batch job: its job definition and job role) what `connection` grants."""
    template = ctx.template
    variables = connection.variables()
    if resource.type == "batch-job":
        job = template.resources[ctx.logical_id(resource.name, "JobDefinition")]["Properties"]
        containers, role = [job["ContainerProperties"]], ctx.logical_id(resource.name, "JobRole")
    else:
        task_definition = template.resources[ctx.logical_id(resource.name, "TaskDefinition")]["Properties"]
        containers, role = task_definition["ContainerDefinitions"], ctx.logical_id(resource.name, "TaskRole")
    for container in containers:
        environment = container.setdefault("Environment", [])
        given = {e["Name"] for e in environment}
        environment += [{"Name": k, "Value": v} for k, v in variables.items() if k not in given]
    if connection.statements:
        template.add_role_statements(role, connection.statements, CONNECT_TO_POLICY)
    own_group = get_att(ctx.logical_id(resource.name, "SecurityGroup"), "GroupId")
    target_id = ctx.logical_id(connection.target.name)
    for index, rule in enumerate(connection.ingress):
        template.add_resource(
            ctx.logical_id(resource.name, f"To{target_id}Ingress{index or ''}"),
            "AWS::EC2::SecurityGroupIngress",
            {
                "GroupId": rule.security_group,
                "SourceSecurityGroupId": own_group,
                "IpProtocol": rule.protocol,
                "FromPort": rule.port,
                "ToPort": rule.port,
                "Description": f"connectTo from {resource.name}",
            },
            owner=resource.name,
        )


def _name(ctx: StackContext, resource: Resource, part: str, field: str, service: str) -> str:
    body = ctx.template.resources.get(ctx.logical_id(resource.name, part)) or {}
    name = (body.get("Properties") or {}).get(field)
    return name if isinstance(name, str) else ctx.physical_name(resource.name, service)
