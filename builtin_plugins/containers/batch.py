"""Compile a `batch-job` to AWS Batch on Fargate or EC2 (see `batch_compute`), with the Step Functions
state machine that runs it (retries included) and waits for it to finish, and the events that start
it."""

from __future__ import annotations

import json
from typing import Any

from stackwright import Resource, StackContext, get_att, number, ref

from .batch_compute import ec2_compute, job_sizes
from .batch_events import compile_batch_events
from .ecs import _assume, add_task_roles
from .images import image_for
from .network import ensure_vpc

#: The variable the job finds the event (or execution input) that started it in, as JSON (Stacktape's).
TRIGGER_VARIABLE = "STP_TRIGGER_EVENT_DATA"
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
    sizes = job_sizes(ctx, resource)
    gpus = sizes.gpus
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
    if not sizes.fargate:  # GPUs, or a size Fargate does not have: EC2 instances started for the job
        compute |= ec2_compute(ctx, resource, spot, gpus)
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
            {"Type": "VCPU", "Value": f"{sizes.cpu:g}"},
            {"Type": "MEMORY", "Value": str(sizes.memory)},
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
    if sizes.fargate:
        definition["NetworkConfiguration"] = {"AssignPublicIp": "ENABLED"}
    if packaging.get("command"):
        definition["Command"] = list(packaging["command"])
    template.add_resource(
        ids["JobDefinition"],
        "AWS::Batch::JobDefinition",
        {
            "Type": "container",
            "PlatformCapabilities": ["FARGATE" if sizes.fargate else "EC2"],
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
        "Parameters": {
            "JobName": name,
            "JobQueue": "${JobQueue}",
            "JobDefinition": "${JobDefinition}",
            # what started the run (an event, or the execution's input) reaches the job as JSON
            "ContainerOverrides": {
                "Environment": [{"Name": TRIGGER_VARIABLE, "Value.$": "States.JsonToString($)"}]
            },
        },
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
