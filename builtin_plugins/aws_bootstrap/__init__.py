"""The resources every stack needs before anything else: the deployment bucket and image repository."""

from __future__ import annotations

import json

from stackwright import (
    DEPLOYMENT_BUCKET,
    DEPLOYMENT_BUCKET_ID,
    IMAGE_REPOSITORY,
    IMAGE_REPOSITORY_ID,
    StackContext,
    Template,
    get_att,
    hookimpl,
    ref,
    sub,
)

BUCKET = DEPLOYMENT_BUCKET_ID
BUCKET_POLICY = "StpDeploymentBucketPolicy"
REPOSITORY = IMAGE_REPOSITORY_ID
UNTAGGED_IMAGE_DAYS = 1
NONCURRENT_VERSION_DAYS = 30


@hookimpl
def stackwright_bootstrap_resources(ctx: StackContext, template: Template) -> None:
    template.add_resource(
        BUCKET,
        "AWS::S3::Bucket",
        {
            "BucketName": ctx.physical_name(DEPLOYMENT_BUCKET, "s3"),
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            },
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "VersioningConfiguration": {"Status": "Enabled"},
            "LifecycleConfiguration": {
                "Rules": [
                    {
                        "Id": "expire-old-versions",
                        "Status": "Enabled",
                        "NoncurrentVersionExpiration": {"NoncurrentDays": NONCURRENT_VERSION_DAYS},
                        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
                    }
                ]
            },
        },
    )
    template.add_resource(
        BUCKET_POLICY,
        "AWS::S3::BucketPolicy",
        {
            "Bucket": ref(BUCKET),
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "DenyInsecureTransport",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [get_att(BUCKET, "Arn"), sub("${" + BUCKET + ".Arn}/*")],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ],
            },
        },
    )
    lifecycle = {
        "rules": [
            {
                "rulePriority": 1,
                "description": "expire untagged images",
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": UNTAGGED_IMAGE_DAYS,
                },
                "action": {"type": "expire"},
            }
        ]
    }
    template.add_resource(
        REPOSITORY,
        "AWS::ECR::Repository",
        {
            "RepositoryName": ctx.physical_name(IMAGE_REPOSITORY, "ecr"),
            "ImageScanningConfiguration": {"ScanOnPush": True},
            # A tag names its inputs' digest ({job}--{digest}--{version}) and is pushed only when no tag
            # of that job and digest is there (a failed deploy deletes what it pushed first): tags are
            # never moved, so the repository can refuse to move them.
            "ImageTagMutability": "IMMUTABLE",
            "LifecyclePolicy": {"LifecyclePolicyText": json.dumps(lifecycle, sort_keys=True)},
        },
    )
    template.add_output("StpDeploymentBucketName", ref(BUCKET), description="where artifacts are stored")
    template.add_output("StpContainerRepositoryName", ref(REPOSITORY), description="where images are stored")


@hookimpl
def stackwright_preflight(ctx: StackContext) -> list[str]:
    """Before a first deploy creates the stack: its deployment bucket and image repository names must be
    free (S3 bucket names are global; another account's bucket answers HeadBucket with 403)."""
    from stackwright import CloudFormationTarget

    if ctx.state is None or ctx.state.exists or not isinstance(ctx.target, CloudFormationTarget):
        return []
    from botocore.exceptions import ClientError

    problems = []
    bucket = ctx.physical_name(DEPLOYMENT_BUCKET, "s3")
    try:
        ctx.clients.client("s3").head_bucket(Bucket=bucket)
        problems.append(
            f"the deployment bucket name {bucket} is taken by a bucket of this account that no stack "
            f"{ctx.stack_name} owns (left by an earlier stack of that name?): empty and delete it first"
        )
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code in ("403", "AccessDenied", "Forbidden"):
            problems.append(
                f"the deployment bucket name {bucket} is owned by another AWS account (bucket names are "
                "global): choose another project or stage name, or override the naming convention"
            )
    repository = ctx.physical_name(IMAGE_REPOSITORY, "ecr")
    ecr = ctx.clients.client("ecr")
    try:
        ecr.describe_repositories(repositoryNames=[repository])
        problems.append(
            f"the image repository {repository} already exists in this account without a stack "
            f"{ctx.stack_name} owning it: delete it first (`aws ecr delete-repository --force`)"
        )
    except ecr.exceptions.RepositoryNotFoundException:
        pass
    if problems and _created_meanwhile(ctx):  # another first deploy of this stack made them
        return []
    return problems


def _created_meanwhile(ctx: StackContext) -> bool:
    from botocore.exceptions import ClientError

    try:
        ctx.clients.client("cloudformation").describe_stacks(StackName=ctx.stack_name)
    except ClientError:
        return False
    return True
