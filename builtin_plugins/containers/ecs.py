"""Compile a container workload to ECS on Fargate: cluster, roles, log groups, task definition, service,
security group and autoscaling."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, StackContext, get_att, number, ref

from .images import image_for
from .network import ensure_vpc
from .numbers import known_number

EXECUTION_POLICY = "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
RETENTION_DAYS = 90
HEALTH_CHECK_FIELDS = (
    ("intervalSeconds", "Interval"),
    ("timeoutSeconds", "Timeout"),
    ("retries", "Retries"),
    ("startPeriodSeconds", "StartPeriod"),
)


def _assume(service: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }


def containers_of(resource: Resource) -> list[tuple[dict[str, Any], tuple[Any, ...]]]:
    """(container, config path) for each container: `containers` of a multi-container workload, else the
    service's own container (named `default`) and its side containers."""
    props = resource.properties
    base: tuple[Any, ...] = ("resources", resource.name, "properties")
    if resource.type == "multi-container-workload":
        return [(c, (*base, "containers", i)) for i, c in enumerate(props["containers"])]
    main = {
        "name": "default",
        "packaging": props["packaging"],
        "environment": props.get("environment") or [],
        "essential": True,
        "internalHealthCheck": props.get("internalHealthCheck"),
    }
    sides = [(c, (*base, "sideContainers", i)) for i, c in enumerate(props.get("sideContainers") or [])]
    return [(main, base), *sides]


def event_ports(container: dict[str, Any]) -> list[int]:
    """The ports a container's `events` open, in order, once each."""
    found: list[int] = []
    for event in container.get("events") or []:
        port = (event.get("properties") or {}).get("containerPort")
        if isinstance(port, int | float) and int(port) not in found:
            found.append(int(port))
    return found


def first_container(resource: Resource) -> str:
    return str(containers_of(resource)[0][0]["name"])


def add_task_roles(ctx: StackContext, resource: Resource, task_role: str, execution_role: str) -> None:
    """The role the containers run as (with `iamRoleStatements`) and the one ECS pulls images and writes
    logs with."""
    statements = [{"Effect": "Allow", **s} for s in resource.properties.get("iamRoleStatements") or []]
    policies = (
        [
            {
                "PolicyName": "iam-role-statements",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
            }
        ]
        if statements
        else []
    )
    ctx.template.add_resource(
        task_role,
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": _assume("ecs-tasks.amazonaws.com"),
            **({"Policies": policies} if policies else {}),
        },
        owner=resource.name,
    )
    ctx.template.add_resource(
        execution_role,
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": _assume("ecs-tasks.amazonaws.com"),
            "ManagedPolicyArns": [{"Fn::Sub": EXECUTION_POLICY}],
        },
        owner=resource.name,
    )


def allow_registry_credentials(role: dict[str, Any], secrets: list[Any]) -> None:
    """Let the execution `role` read the Secrets Manager secrets that hold private registries'
    credentials (Amazon ECS Developer Guide, "Private registry authentication for tasks": the task
    execution role needs `secretsmanager:GetSecretValue` on each)."""
    statement = {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": secrets}
    role["Properties"].setdefault("Policies", []).append(
        {
            "PolicyName": "registry-credentials",
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
        }
    )


def compile_workload(ctx: StackContext, resource: Resource, port: int | None) -> dict[str, Any]:
    """Everything but the ingress; returns what the ingress needs (ids, ports, network)."""
    template, name, props = ctx.template, resource.name, resource.properties
    network = ensure_vpc(ctx)
    ids = {
        k: ctx.logical_id(name, k)
        for k in ("EcsCluster", "TaskRole", "ExecutionRole", "TaskDefinition", "EcsService", "SecurityGroup")
    }
    template.add_resource(
        ids["EcsCluster"],
        "AWS::ECS::Cluster",
        {"ClusterName": ctx.physical_name(name, "ecs-cluster")},
        owner=name,
    )
    add_task_roles(ctx, resource, ids["TaskRole"], ids["ExecutionRole"])
    definitions = []
    secrets: list[Any] = []
    for container, path in containers_of(resource):
        cname = str(container["name"])
        log_group = ctx.logical_id(name, f"{cname}LogGroup")
        retention = (
            (container.get("logging") or props.get("logging") or {}).get("retentionDays")
        ) or RETENTION_DAYS
        template.add_resource(
            log_group,
            "AWS::Logs::LogGroup",
            {
                "LogGroupName": f"/stp/{ctx.stack_name}/{resource.type}/{name}/{cname}",
                "RetentionInDays": number(retention),
            },
            owner=name,
        )
        ports = [port] if cname == "default" and port else event_ports(container)
        container_port = ports[0] if ports else None
        environment = [
            {
                "Name": e["name"],
                "Value": str(e["value"]).lower() if isinstance(e["value"], bool) else str(e["value"]),
            }
            for e in container.get("environment") or []
        ]
        if container_port:
            environment.append({"Name": "PORT", "Value": str(container_port)})
        packaging = container["packaging"].get("properties") or {}
        definition: dict[str, Any] = {
            "Name": cname,
            "Image": image_for(ctx, resource, container, path, container_port or 3000),
            "Essential": bool(container.get("essential", container.get("containerType") != "run-on-init")),
            "Environment": environment,
            "LogConfiguration": {
                "LogDriver": "awslogs",
                "Options": {
                    "awslogs-group": ref(log_group),
                    "awslogs-region": {"Ref": "AWS::Region"},
                    "awslogs-stream-prefix": cname,
                },
            },
        }
        if ports:
            definition["PortMappings"] = [{"ContainerPort": p, "Protocol": "tcp"} for p in ports]
        for key, field in (("command", "Command"), ("entryPoint", "EntryPoint")):
            if packaging.get(key):
                definition[field] = list(packaging[key])
        secret = packaging.get("repositoryCredentialsSecretArn")
        if secret:
            definition["RepositoryCredentials"] = {"CredentialsParameter": secret}
            secrets.append(secret)
        check = container.get("internalHealthCheck")
        if check:
            definition["HealthCheck"] = {
                "Command": check["healthCheckCommand"],
                **{field: number(check[key]) for key, field in HEALTH_CHECK_FIELDS if key in check},
            }
        stop = container.get("stopTimeout", props.get("stopTimeout"))
        if stop is not None:
            definition["StopTimeout"] = number(stop)
        definitions.append(definition)
    if secrets:
        allow_registry_credentials(template.resources[ids["ExecutionRole"]], secrets)
    sizes = props.get("resources") or {}
    template.add_resource(
        ids["TaskDefinition"],
        "AWS::ECS::TaskDefinition",
        {
            "Family": ctx.physical_name(name, "ecs-task-family"),
            "Cpu": str(int(known_number(ctx, resource, ("resources", "cpu"), 0.25) * 1024)),
            "Memory": str(int(known_number(ctx, resource, ("resources", "memory"), 512))),
            "NetworkMode": "awsvpc",
            "RequiresCompatibilities": ["FARGATE"],
            "RuntimePlatform": {
                "CpuArchitecture": "ARM64" if sizes.get("architecture") == "arm64" else "X86_64",
                "OperatingSystemFamily": "LINUX",
            },
            "ExecutionRoleArn": get_att(ids["ExecutionRole"], "Arn"),
            "TaskRoleArn": get_att(ids["TaskRole"], "Arn"),
            "ContainerDefinitions": definitions,
        },
        owner=name,
    )
    ingress = (
        [
            {
                "IpProtocol": "tcp",
                "FromPort": port,
                "ToPort": port,
                "CidrIp": "10.0.0.0/16",
                "Description": f"port {port} of {name}, from the stack's VPC",
            }
        ]
        if port
        else []
    )
    template.add_resource(
        ids["SecurityGroup"],
        "AWS::EC2::SecurityGroup",
        {
            "GroupDescription": f"{ctx.stack_name} {name}",
            "VpcId": network["vpc"],
            **({"SecurityGroupIngress": ingress} if ingress else {}),
        },
        owner=name,
    )
    scaling = props.get("scaling") or {}
    template.add_resource(
        ids["EcsService"],
        "AWS::ECS::Service",
        {
            "ServiceName": ctx.physical_name(name, "ecs-service"),
            "Cluster": ref(ids["EcsCluster"]),
            "TaskDefinition": ref(ids["TaskDefinition"]),
            "LaunchType": "FARGATE",
            "DesiredCount": number(scaling.get("minInstances", 1)),
            "DeploymentConfiguration": {
                "MinimumHealthyPercent": 100,
                "MaximumPercent": 200,
                "DeploymentCircuitBreaker": {"Enable": True, "Rollback": True},
            },
            "NetworkConfiguration": {
                "AwsvpcConfiguration": {
                    "AssignPublicIp": "ENABLED",
                    "Subnets": network["subnets"],
                    "SecurityGroups": [ref(ids["SecurityGroup"])],
                }
            },
        },
        owner=name,
    )
    low = known_number(ctx, resource, ("scaling", "minInstances"), 1)
    if known_number(ctx, resource, ("scaling", "maxInstances"), low) > low:
        add_scaling(ctx, resource, ids, scaling)
    return {"ids": ids, "network": network, "port": port}


def add_scaling(ctx: StackContext, resource: Resource, ids: dict[str, str], scaling: dict[str, Any]) -> None:
    target = ctx.logical_id(resource.name, "ScalableTarget")
    ctx.template.add_resource(
        target,
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {
            "MinCapacity": number(scaling.get("minInstances", 1)),
            "MaxCapacity": number(scaling["maxInstances"]),
            "ResourceId": {
                "Fn::Join": ["/", ["service", ref(ids["EcsCluster"]), get_att(ids["EcsService"], "Name")]]
            },
            "ScalableDimension": "ecs:service:DesiredCount",
            "ServiceNamespace": "ecs",
        },
        owner=resource.name,
    )
    policy = scaling.get("scalingPolicy") or {"keepAvgCpuUtilizationUnder": 80}
    for key, metric in (
        ("keepAvgCpuUtilizationUnder", "ECSServiceAverageCPUUtilization"),
        ("keepAvgMemoryUtilizationUnder", "ECSServiceAverageMemoryUtilization"),
    ):
        if key in policy:
            ctx.template.add_resource(
                ctx.logical_id(resource.name, metric.removeprefix("ECSServiceAverage") + "Policy"),
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                {
                    "PolicyName": f"{resource.name}-{metric}",
                    "PolicyType": "TargetTrackingScaling",
                    "ScalingTargetId": ref(target),
                    "TargetTrackingScalingPolicyConfiguration": {
                        "TargetValue": float(policy[key]),
                        "PredefinedMetricSpecification": {"PredefinedMetricType": metric},
                    },
                },
                owner=resource.name,
            )
