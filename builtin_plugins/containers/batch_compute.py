"""What a `batch-job` runs on, and the numbers AWS Batch and Step Functions accept.

A job runs on Fargate when its `cpu` and `memory` are a Fargate size; otherwise (and always with GPUs)
on EC2 instances AWS Batch starts for it: `optimal` instance types, or the GPU families from ECS's
GPU-optimized image. `useSpotInstances` makes it Fargate Spot or EC2 Spot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stackwright import Resource, StackContext, get_att, ref

from .ecs import _assume
from .numbers import known_number

#: Fargate's sizes: vCPU → the memory (MiB) it takes, from, to, in steps of (AWS Batch User Guide,
#: "Fargate resource requirements" / `ResourceRequirement`).
FARGATE_SIZES: dict[float, tuple[int, int, int]] = {
    0.25: (512, 2048, 512),
    0.5: (1024, 4096, 1024),
    1: (2048, 8192, 1024),
    2: (4096, 16384, 1024),
    4: (8192, 30720, 1024),
    8: (16384, 61440, 4096),
    16: (32768, 122880, 8192),
}
#: Instance families with NVIDIA GPUs a GPU job may run on (AWS Batch picks the size that fits).
GPU_FAMILIES = ["g4dn", "g5", "g6"]
#: What the ECS agent on a Batch EC2 instance needs (register, pull images, send logs).
INSTANCE_POLICY = "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
#: AWS Batch's shortest attempt duration (`JobTimeout.attemptDurationSeconds`), seconds.
MIN_TIMEOUT = 60


@dataclass(frozen=True)
class Sizes:
    cpu: float
    memory: int
    gpus: int
    fargate: bool


def fargate_fits(cpu: float, memory: float) -> bool:
    if cpu not in FARGATE_SIZES:
        return False
    low, high, step = FARGATE_SIZES[cpu]
    if cpu == 0.25:
        return memory in (512, 1024, 2048)
    return low <= memory <= high and (memory - low) % step == 0


def job_sizes(ctx: StackContext, resource: Resource) -> Sizes:
    """The job's sizes, and whether they fit Fargate. Raises ConfigError for a fraction of a GPU or of a
    MiB, for memory or GPUs below one, for a fractional vCPU on EC2, and for a timeout or retry settings
    AWS refuses."""
    base = ("resources", resource.name, "properties")
    cpu = float(known_number(ctx, resource, ("resources", "cpu"), 1))
    memory = known_number(ctx, resource, ("resources", "memory"), 2048)
    gpus = known_number(ctx, resource, ("resources", "gpu"), 0)
    for key, value, least in (("cpu", cpu, 0.25), ("memory", memory, 1), ("gpu", gpus, 0)):
        if value < least or (key != "cpu" and value % 1):
            ctx.fail((*base, "resources", key), f"{key} {value} is not a whole number of at least {least}")
    fargate = not gpus and fargate_fits(cpu, memory)
    if not fargate and cpu % 1:
        ctx.fail(
            (*base, "resources", "cpu"),
            f"cpu {cpu} with memory {int(memory)} MiB is no Fargate size, and EC2 instances take whole vCPUs",
            hint="Fargate sizes: "
            + "; ".join(f"cpu {c:g}: {lo}-{hi} MiB" for c, (lo, hi, _) in FARGATE_SIZES.items()),
        )
    timeout = props_number(resource, "timeout", 3600)
    if timeout % 1 or timeout < MIN_TIMEOUT:
        ctx.fail((*base, "timeout"), f"timeout {timeout} is not a whole number of seconds of at least 60")
    retry = resource.properties.get("retryConfig") or {}
    for key, low, high in (("attempts", 0, 99999999), ("retryIntervalSeconds", 1, 99999999)):
        given = retry.get(key)
        if isinstance(given, int | float) and (given % 1 or not low <= given <= high):
            ctx.fail((*base, "retryConfig", key), f"{key} {given} is not a whole number of at least {low}")
    multiplier = retry.get("retryIntervalMultiplier")
    if isinstance(multiplier, int | float) and multiplier < 1:
        ctx.fail(
            (*base, "retryConfig", "retryIntervalMultiplier"),
            f"retryIntervalMultiplier {multiplier} would shorten the waits: Step Functions takes 1 or more",
        )
    return Sizes(cpu, int(memory), int(gpus), fargate)


def props_number(resource: Resource, key: str, default: float) -> float:
    value = resource.properties.get(key, default)
    return value if isinstance(value, int | float) else default


def ec2_compute(ctx: StackContext, resource: Resource, spot: bool, gpus: int) -> dict[str, Any]:
    """The `ComputeResources` of EC2 instances started for the job (on demand, or spot at the lowest
    interruption risk for the price), with the instance role ECS agents need."""
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
    compute: dict[str, Any] = {
        "Type": "SPOT" if spot else "EC2",
        "AllocationStrategy": "SPOT_PRICE_CAPACITY_OPTIMIZED" if spot else "BEST_FIT_PROGRESSIVE",
        "MinvCpus": 0,
        "InstanceTypes": GPU_FAMILIES if gpus else ["optimal"],
        "InstanceRole": get_att(profile, "Arn"),
    }
    if gpus:
        compute["Ec2Configuration"] = [{"ImageType": "ECS_AL2_NVIDIA"}]
    return compute
