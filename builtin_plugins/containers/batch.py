"""Compile a `batch-job` to AWS Batch on Fargate (Fargate Spot with `useSpotInstances`; EC2 GPU instances
with `resources.gpu`), with the Step Functions state machine that runs it (retries included) and waits
for it to finish, and the events that start it."""

from __future__ import annotations

import json
from typing import Any

from stackwright import Resource, StackContext, get_att, number, ref

from .batch_events import compile_batch_events
from .ecs import _assume, add_task_roles
from .images import image_for
from .network import ensure_vpc
from .numbers import known_number

FARGATE_VCPU = (0.25, 0.5, 1, 2, 4, 8, 16)
#: Instance families with NVIDIA GPUs a GPU job may run on (AWS Batch picks the size that fits).
GPU_FAMILIES = ["g4dn", "g5", "g6"]
#: What the ECS agent on a Batch EC2 instance needs (register, pull images, send logs).
INSTANCE_POLICY = "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
BATCH_SERVICE_POLICY = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSBatchServiceRole"
#: The rule Step Functions manages to learn when a `.sync` Batch job ends.
BATCH_EVENTS_RULE = (
    "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/"
    + "StepFunctionsGetEventsForBatchJobsRule"
)
#: Every Batch job of the account in the region: a job's id is known only once it is submitted.
BATCH_JOBS = "arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job/*"


def compile_batch_job(ctx: StackContext, resource: Resource) -> None:
    name, props, template = resource.name, resource.properties, ctx.template
    base = ("resources", name, "properties")
    gpus = int(known_number(ctx, resource, ("resources", "gpu"), 0))
    vcpu = float(known_number(ctx, resource, ("resources", "cpu"), 1))
    if not gpus and vcpu not in FARGATE_VCPU:
        ctx.fail(
            (*base, "resources", "cpu"), f"Fargate batch jobs take cpu {', '.join(map(str, FARGATE_VCPU))}"
        )
    network = ensure_vpc(ctx)
    ids = {
        k: ctx.logical_id(name, k)
        for k in (
            "ComputeEnvironment",
            "JobQueue",
            "JobDefinition",
            "JobRole",
            "ExecutionRole",
            "SecurityGroup",
            "LogGroup",
            "StateMachine",
            "StateMachineRole",
        )
    }
    template.add_resource(
        ids["SecurityGroup"],
        "AWS::EC2::SecurityGroup",
        {"GroupDescription": f"{ctx.stack_name} {name}", "VpcId": network["vpc"]},
        owner=name,
    )
    service_role = ctx.logical_id(name, "BatchServiceRole")
    template.add_resource(
        service_role,
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": _assume("batch.amazonaws.com"),
            "ManagedPolicyArns": [{"Fn::Sub": BATCH_SERVICE_POLICY}],
        },
        owner=name,
    )
    spot = bool(props.get("useSpotInstances"))
    compute: dict[str, Any] = {
        "Type": "FARGATE_SPOT" if spot else "FARGATE",
        "MaxvCpus": 256,
        "Subnets": network["subnets"],
        "SecurityGroupIds": [ref(ids["SecurityGroup"])],
    }
    if gpus:  # Fargate has no GPUs: EC2 instances of the GPU families, started for the job
        compute |= gpu_compute(ctx, resource, spot)
    template.add_resource(
        ids["ComputeEnvironment"],
        "AWS::Batch::ComputeEnvironment",
        {
            "Type": "MANAGED",
            "State": "ENABLED",
            "ServiceRole": get_att(service_role, "Arn"),
            "ComputeResources": compute,
        },
        owner=name,
    )
    template.add_resource(
        ids["JobQueue"],
        "AWS::Batch::JobQueue",
        {
            "Priority": 1,
            "State": "ENABLED",
            "ComputeEnvironmentOrder": [{"Order": 1, "ComputeEnvironment": ref(ids["ComputeEnvironment"])}],
        },
        owner=name,
    )
    add_task_roles(ctx, resource, ids["JobRole"], ids["ExecutionRole"])
    retention = (props.get("logging") or {}).get("retentionDays", 90)
    template.add_resource(
        ids["LogGroup"],
        "AWS::Logs::LogGroup",
        {"LogGroupName": f"/stp/{ctx.stack_name}/batch-job/{name}", "RetentionInDays": number(retention)},
        owner=name,
    )
    container = {"name": "default", **props["container"]}
    environment = [{"Name": e["name"], "Value": str(e["value"])} for e in container.get("environment") or []]
    packaging = container["packaging"].get("properties") or {}
    definition: dict[str, Any] = {
        "Image": image_for(ctx, resource, container, (*base, "container"), 3000),
        "ResourceRequirements": [
            {"Type": "VCPU", "Value": str(known_number(ctx, resource, ("resources", "cpu"), 1))},
            {"Type": "MEMORY", "Value": str(int(known_number(ctx, resource, ("resources", "memory"), 2048)))},
        ],
        "ExecutionRoleArn": get_att(ids["ExecutionRole"], "Arn"),
        "JobRoleArn": get_att(ids["JobRole"], "Arn"),
        "Environment": environment,
        "LogConfiguration": {
            "LogDriver": "awslogs",
            "Options": {"awslogs-group": ref(ids["LogGroup"]), "awslogs-stream-prefix": "job"},
        },
    }
    if gpus:
        definition["ResourceRequirements"].append({"Type": "GPU", "Value": str(gpus)})
    else:
        definition["NetworkConfiguration"] = {"AssignPublicIp": "ENABLED"}
    if packaging.get("command"):
        definition["Command"] = list(packaging["command"])
    template.add_resource(
        ids["JobDefinition"],
        "AWS::Batch::JobDefinition",
        {
            "Type": "container",
            "PlatformCapabilities": ["EC2" if gpus else "FARGATE"],
            "ContainerProperties": definition,
            "Timeout": {"AttemptDurationSeconds": number(props.get("timeout", 3600))},
            # one attempt per submission: the state machine retries (`retryConfig`)
            "RetryStrategy": {"Attempts": 1},
        },
        owner=name,
    )
    retry = props.get("retryConfig") or {}
    task: dict[str, Any] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::batch:submitJob.sync",
        "End": True,
        "Parameters": {"JobName": name, "JobQueue": "${JobQueue}", "JobDefinition": "${JobDefinition}"},
    }
    if retry.get("attempts"):
        task["Retry"] = [
            {
                "ErrorEquals": ["States.ALL"],
                "MaxAttempts": number(retry["attempts"]),
                "IntervalSeconds": number(retry.get("retryIntervalSeconds", 5)),
                "BackoffRate": float(retry.get("retryIntervalMultiplier", 1)),
            }
        ]
    machine = {"Comment": f"runs the batch job {name}", "StartAt": "RunJob", "States": {"RunJob": task}}
    template.add_resource(
        ids["StateMachineRole"],
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": _assume("states.amazonaws.com"),
            "Policies": [
                {
                    "PolicyName": "run-batch-job",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": run_job_statements(ids["JobQueue"], ids["JobDefinition"]),
                    },
                }
            ],
        },
        owner=name,
    )
    template.add_resource(
        ids["StateMachine"],
        "AWS::StepFunctions::StateMachine",
        {
            "StateMachineName": ctx.physical_name(name, "state-machine"),
            "RoleArn": get_att(ids["StateMachineRole"], "Arn"),
            "DefinitionString": {
                "Fn::Sub": [
                    json.dumps(machine),
                    {"JobQueue": ref(ids["JobQueue"]), "JobDefinition": ref(ids["JobDefinition"])},
                ]
            },
        },
        owner=name,
    )
    template.add_output(ctx.logical_id(name, "StateMachineArn"), ref(ids["StateMachine"]))
    compile_batch_events(ctx, resource, ids["StateMachine"])


def gpu_compute(ctx: StackContext, resource: Resource, spot: bool) -> dict[str, Any]:
    """The `ComputeResources` of EC2 GPU instances (on demand, or spot at the lowest interruption risk
    for the price), from Amazon ECS's GPU-optimized image, with the instance role ECS agents need."""
    role, profile = (
        ctx.logical_id(resource.name, "InstanceRole"),
        ctx.logical_id(resource.name, "InstanceProfile"),
    )
    ctx.template.add_resource(
        role,
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": _assume("ec2.amazonaws.com"),
            "ManagedPolicyArns": [{"Fn::Sub": INSTANCE_POLICY}],
        },
        owner=resource.name,
    )
    ctx.template.add_resource(
        profile, "AWS::IAM::InstanceProfile", {"Roles": [ref(role)]}, owner=resource.name
    )
    return {
        "Type": "SPOT" if spot else "EC2",
        "AllocationStrategy": "SPOT_PRICE_CAPACITY_OPTIMIZED" if spot else "BEST_FIT_PROGRESSIVE",
        "MinvCpus": 0,
        "InstanceTypes": GPU_FAMILIES,
        "InstanceRole": get_att(profile, "Arn"),
        "Ec2Configuration": [{"ImageType": "ECS_AL2_NVIDIA"}],
    }


def run_job_statements(queue: str, definition: str) -> list[dict[str, Any]]:
    """What the state machine needs to run the job and wait for it (`.sync`), each action on the
    narrowest resource the AWS Service Authorization Reference for AWS Batch lets a policy name."""
    jobs = {"Fn::Sub": BATCH_JOBS}
    return [
        {"Effect": "Allow", "Action": "batch:SubmitJob", "Resource": [ref(queue), ref(definition), jobs]},
        {"Effect": "Allow", "Action": "batch:TerminateJob", "Resource": jobs},
        # batch:DescribeJobs has no resource type in the Service Authorization Reference: a policy can
        # only grant it on "*" (it reads, and only jobs of this account).
        {"Effect": "Allow", "Action": "batch:DescribeJobs", "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
            "Resource": {"Fn::Sub": BATCH_EVENTS_RULE},
        },
    ]
