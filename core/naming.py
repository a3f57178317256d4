"""The default naming convention (Stacktape's), and the request object the naming hook receives.

Every name stackwright produces goes through the `stackwright_name` hook; the built-in `naming`
plugin answers last with the functions below, so a plugin can replace all names or only some.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

NameKind = Literal["stack", "logical_id", "physical"]

#: Maximum physical-name lengths per AWS service, and whether the service wants lower case.
LIMITS: dict[str, tuple[int, bool]] = {
    "lambda": (64, False),
    "iam-role": (64, False),
    "iam-policy": (128, False),
    "log-group": (512, False),
    "s3": (63, True),
    # a bucket of the config: its name ends in `-<account>-<region>` (28 characters at most), added by the
    # template so that the name is known before the deploy and unique across accounts and regions
    "s3-bucket": (35, True),
    "ecr": (256, True),
    "sqs": (80, False),
    "sns": (256, False),
    "dynamodb": (255, False),
    "event-rule": (64, False),
    "event-bus": (256, False),
    "state-machine": (80, False),
    "ecs-cluster": (255, False),
    "ecs-service": (255, False),
    "ecs-task-family": (255, False),
    "load-balancer": (32, False),
    "target-group": (32, False),
    "security-group": (255, False),
    "secret": (512, False),
    "kinesis": (128, False),
    "batch": (128, False),
    "cognito": (128, False),
    "cloudfront": (64, False),
    "generic": (255, False),
}
#: Services whose names take letters, digits and hyphens only, not at either end (Elastic Load
#: Balancing: load balancer and target group names).
HYPHENATED = frozenset({"load-balancer", "target-group"})
HASH_BYTES = 3


#: How the template of a first deploy's bootstrap (the stack with only its deployment bucket and image
#: repository) begins its `Description`, followed by the stack name.
BOOTSTRAP_DESCRIPTION = "stackwright bootstrap of"
#: The resource name used to ask for the deployment bucket's and image repository's names.
DEPLOYMENT_BUCKET = "deployment-bucket"
IMAGE_REPOSITORY = "image-repository"


@dataclass(frozen=True)
class NameRequest:
    """What a name is for.

    kind: `stack` (the CloudFormation stack), `logical_id` (a template key) or `physical` (a name in AWS).
    resource: the config resource name (`api`), empty for stack-level things.
    suffix: what the name is for inside the resource (`Function`, `Role`, `LogGroup`).
    service: which AWS naming rules apply to a physical name (a key of `LIMITS`).
    """

    kind: NameKind
    project: str
    stage: str
    resource: str = ""
    suffix: str = ""
    service: str = "generic"
    stack_name: str = ""
    region: str = ""
    account: str = ""


def pascal_case(text: str) -> str:
    """`my-api_fn` → `MyApiFn`; keeps inner capitals (`myApi` → `MyApi`) and drops other characters."""
    parts = re.split(r"[^A-Za-z0-9]+", text)
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


def short_hash(text: str, size: int = HASH_BYTES) -> str:
    return hashlib.shake_256(text.encode()).hexdigest(size)


def fit(name: str, limit: int) -> str:
    """Shorten `name` to exactly `limit` characters: its head, `-`, and a hash of the full name
    (Stacktape's rule, so names stay stable and unique)."""
    if len(name) <= limit:
        return name
    digest = short_hash(name)
    return f"{name[: limit - len(digest) - 1]}-{digest}"


def stack_name(project: str, stage: str) -> str:
    return f"{project}-{stage}"


def logical_id(resource: str, suffix: str) -> str:
    """PascalCase; when over CloudFormation's 255 characters, cut with the hash appended directly (a
    logical id may hold letters and digits only)."""
    name = pascal_case(resource) + pascal_case(suffix)
    return name if len(name) <= 255 else fit(name, 255).replace("-", "")[:249] + short_hash(name)


def physical_name(
    stack: str, resource: str, suffix: str = "", service: str = "generic", region: str = ""
) -> str:
    """`{stack}-{resource}[-{suffix}]`; IAM roles end in the region (roles are global, stacks are not)."""
    limit, lower = LIMITS.get(service, LIMITS["generic"])
    if service == "iam-role" and region:  # the region must survive shortening: roles are global
        head = "-".join(p for p in (stack, resource, suffix) if p)
        return f"{fit(re.sub(r'[^A-Za-z0-9._+=,@-]+', '-', head), limit - len(region) - 1)}-{region}"
    parts = [stack, resource, suffix]
    name = "-".join(p for p in parts if p)
    if lower:
        name = re.sub(r"[^a-z0-9.-]+", "-", name.lower()).strip("-.")
    elif service in HYPHENATED:
        name = re.sub(r"[^A-Za-z0-9-]+", "-", name).strip("-")
        if service == "load-balancer" and name.lower().startswith("internal-"):
            name = "lb-" + name  # AWS keeps `internal-` for the DNS names of internal load balancers
    else:
        name = re.sub(r"[^A-Za-z0-9._+=,@-]+", "-", name)
    return fit(name, limit)


def default_name(request: NameRequest) -> str:
    """Stacktape's convention: stack `{project}-{stage}`, physical `{stack}-{resource}[-{suffix}]`."""
    if request.kind == "stack":
        return stack_name(request.project, request.stage)
    if request.kind == "logical_id":
        return logical_id(request.resource, request.suffix)
    stack = request.stack_name or stack_name(request.project, request.stage)
    if request.service == "s3" and request.resource == DEPLOYMENT_BUCKET:
        unique = short_hash(f"{request.region}{stack}{request.account}", 4)
        return fit(f"{stack}-deploy-{unique}".lower(), LIMITS["s3"][0])
    return physical_name(stack, request.resource, request.suffix, request.service, request.region)
