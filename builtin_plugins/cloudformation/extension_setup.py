"""What registry extensions need besides the registry: the execution role their handlers run with, and
the secrets they read (MongoDB Atlas's profile secret), kept through IAM and Secrets Manager.

The role trusts only CloudFormation's resource handlers of the one type in this account
(`resources.cloudformation.amazonaws.com`, conditions `aws:SourceAccount` and `aws:SourceArn`, as the
CloudFormation CLI's `resource-role.yaml` writes them). Secret values are never printed.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from stackwright import ProviderExtension, ProviderSecret, StackContext, StackwrightError

#: The tag that ties a provider secret to its stack, so `delete` removes it after the stack.
STACK_TAG = "stackwright:stack"
#: `{{resolve:secretsmanager:ID}}` or `{{resolve:secretsmanager:ID:SecretString:KEY}}` (CloudFormation
#: user guide, "Get values stored in other services using dynamic references").
REFERENCE = re.compile(
    r"^\{\{resolve:secretsmanager:(?P<id>[^:}]+|arn:[^}]+?)(?::SecretString:(?P<key>[^:}]*))?\}\}$"
)
#: IAM role names: at most 64 characters (IAM API reference, CreateRole `RoleName`).
MAX_ROLE_NAME = 64


def role_name(type_name: str) -> str:
    """The execution role of a type: `stackwright-MongoDB-Atlas-Cluster` (hashed when too long)."""
    name = "stackwright-" + type_name.replace("::", "-")
    if len(name) <= MAX_ROLE_NAME:
        return name
    return name[: MAX_ROLE_NAME - 9] + "-" + hashlib.sha256(name.encode()).hexdigest()[:8]


def _filled(value: Any, account: str, region: str, partition: str) -> Any:
    text = json.dumps(value)
    for key, real in (("AWS::AccountId", account), ("AWS::Region", region), ("AWS::Partition", partition)):
        text = text.replace("${" + key + "}", real)
    return json.loads(text)


def role_documents(ctx: StackContext, extension: ProviderExtension) -> tuple[dict[str, Any], dict[str, Any]]:
    """(trust policy, permissions policy) of `extension`'s execution role."""
    account, region = ctx.project.account, ctx.project.region
    partition = (
        "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"
    )
    source = (
        f"arn:{partition}:cloudformation:*:{account}:type/resource/{extension.type_name.replace('::', '-')}/*"
    )
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "resources.cloudformation.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account},
                    "StringLike": {"aws:SourceArn": source},
                },
            }
        ],
    }
    statements = [_filled(s, account, region, partition) for s in extension.execution_role_statements]
    return trust, {"Version": "2012-10-17", "Statement": statements}


def role_digest(ctx: StackContext, extension: ProviderExtension) -> str:
    """A digest of the role's documents, recorded so an unchanged role is not looked at again."""
    if not extension.execution_role_statements:
        return ""
    text = json.dumps(role_documents(ctx, extension), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def ensure_role(ctx: StackContext, extension: ProviderExtension) -> str:
    """The ARN of `extension`'s execution role: the one it names, else the role made from its
    statements, created or brought up to date. Raises StackwrightError when IAM refuses."""
    if extension.execution_role_arn or not extension.execution_role_statements:
        return extension.execution_role_arn
    from botocore.exceptions import ClientError

    iam = ctx.clients.client("iam")
    name = role_name(extension.type_name)
    trust, permissions = role_documents(ctx, extension)
    try:
        try:
            arn = str(iam.get_role(RoleName=name)["Role"]["Arn"])
            iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust))
        except iam.exceptions.NoSuchEntityException:
            arn = str(
                iam.create_role(
                    RoleName=name,
                    AssumeRolePolicyDocument=json.dumps(trust),
                    Description=f"Runs the CloudFormation handlers of {extension.type_name} (stackwright)",
                    MaxSessionDuration=8400,  # the CloudFormation CLI's default for 120-minute handlers
                )["Role"]["Arn"]
            )
        iam.put_role_policy(RoleName=name, PolicyName="handlers", PolicyDocument=json.dumps(permissions))
    except ClientError as error:
        raise StackwrightError(
            f"could not create the execution role {name} of the CloudFormation extension "
            f"{extension.type_name}: {error}",
            hint="the credentials need iam:GetRole, iam:CreateRole, iam:UpdateAssumeRolePolicy and "
            "iam:PutRolePolicy on roles named stackwright-*",
        ) from None
    return arn


def keep_secret(ctx: StackContext, secret: ProviderSecret) -> str:
    """Create or update `secret` (its references resolved) when its value changed; returns `created`,
    `updated` or `unchanged`. Raises StackwrightError naming a referenced secret that cannot be read."""
    sm = ctx.clients.client("secretsmanager")
    value = json.dumps({key: _resolved(sm, secret, key, v) for key, v in secret.values}, sort_keys=True)
    try:
        current = sm.get_secret_value(SecretId=secret.name).get("SecretString")
    except sm.exceptions.ResourceNotFoundException:
        sm.create_secret(
            Name=secret.name,
            SecretString=value,
            Description=f"Read by CloudFormation registry extensions of stack {ctx.stack_name} (stackwright)",
            Tags=[{"Key": STACK_TAG, "Value": ctx.stack_name}],
        )
        return "created"
    except sm.exceptions.InvalidRequestException:  # scheduled for deletion: bring it back
        sm.restore_secret(SecretId=secret.name)
        current = None
    if current == value:
        return "unchanged"
    sm.put_secret_value(SecretId=secret.name, SecretString=value)
    return "updated"


def _resolved(sm: Any, secret: ProviderSecret, key: str, value: str) -> str:
    found = REFERENCE.match(value)
    if found is None:
        return value
    source, inner = found["id"], found["key"]
    try:
        text = str(sm.get_secret_value(SecretId=source)["SecretString"])
    except (sm.exceptions.ResourceNotFoundException, KeyError):
        raise StackwrightError(
            f"secret {source!r}, which {secret.name} takes its {key} from, does not exist",
            hint=f"create it first (aws secretsmanager create-secret --name {source} ...)",
        ) from None
    if not inner:
        return text
    try:
        return str(json.loads(text)[inner])
    except (ValueError, KeyError, TypeError):
        raise StackwrightError(
            f"secret {source!r} has no JSON key {inner!r}, which {secret.name} takes its {key} from"
        ) from None


def delete_stack_secrets(ctx: StackContext) -> int:
    """Delete the provider secrets tagged with the stack (after the stack is gone: its resources' delete
    handlers read them). Returns how many."""
    sm = ctx.clients.client("secretsmanager")
    found = sm.list_secrets(
        Filters=[{"Key": "tag-key", "Values": [STACK_TAG]}, {"Key": "tag-value", "Values": [ctx.stack_name]}]
    ).get("SecretList", [])
    count = 0
    for item in found:
        tags = {t.get("Key"): t.get("Value") for t in item.get("Tags", [])}
        if tags.get(STACK_TAG) == ctx.stack_name:
            sm.delete_secret(SecretId=item["ARN"], ForceDeleteWithoutRecovery=True)
            count += 1
    return count
