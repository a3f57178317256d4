"""`audit-log-bucket`: a versioned, object-locked bucket for audit logs."""

from __future__ import annotations

from typing import Any

from stackwright import Resource, ResourceType, StackContext, get_att, ref, sub


class AuditLogBucket(ResourceType):
    name = "audit-log-bucket"
    summary = "A versioned, object-locked bucket for audit logs."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["retentionDays"],
        "properties": {
            "retentionDays": {
                "type": "integer",
                "minimum": 1,
                "maximum": 3650,
                "description": "Days each object version stays locked (governance mode), 1 to 3650.",
            },
            "readers": {
                "description": "ARNs of IAM roles and users the bucket policy lets read the logs.",
                "type": "array",
                "items": {"type": "string", "pattern": r"^arn:aws[a-z-]*:iam::\d{12}:(role|user)/.+$"},
            },
        },
    }

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        bucket_id = ctx.logical_id(resource.name, "Bucket")
        days = int(resource.properties["retentionDays"])
        # Retained when the stack is deleted, so no fixed name (it would collide with the kept bucket when
        # the stack is created again); the output and `params` give the generated one.
        ctx.template.add_resource(
            bucket_id,
            "AWS::S3::Bucket",
            {
                "VersioningConfiguration": {"Status": "Enabled"},
                "ObjectLockEnabled": True,
                "ObjectLockConfiguration": {
                    "ObjectLockEnabled": "Enabled",
                    "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": days}},
                },
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
            },
            owner=resource.name,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
        )
        readers = resource.properties.get("readers") or []
        if readers:
            ctx.template.add_resource(
                ctx.logical_id(resource.name, "BucketPolicy"),
                "AWS::S3::BucketPolicy",
                {
                    "Bucket": ref(bucket_id),
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"AWS": readers},
                                "Action": ["s3:GetObject", "s3:ListBucket"],
                                "Resource": [get_att(bucket_id, "Arn"), sub("${" + bucket_id + ".Arn}/*")],
                            }
                        ],
                    },
                },
                owner=resource.name,
            )
        ctx.template.add_output(ctx.logical_id(resource.name, "BucketName"), ref(bucket_id))

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        bucket_id = ctx.logical_id(resource.name, "Bucket")
        return {"name": ref(bucket_id), "arn": get_att(bucket_id, "Arn")}
