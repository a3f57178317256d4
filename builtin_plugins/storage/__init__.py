"""Storage resource types: `bucket` (an S3 bucket, private unless its `accessibility` opens it)."""

from __future__ import annotations

from typing import Any

from stackwright import Connection, Resource, ResourceType, StackContext, hookimpl

from .bucket import bucket_params, compile_bucket
from .schema import DEFINITIONS, REQUIRES_PROPERTIES, SCHEMAS

#: What a connectTo grants on the bucket itself (Stacktape's list).
BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucket*"]
#: What a connectTo grants on the bucket's objects (`<arn>/*`, Stacktape's list): read, write, delete,
#: tag and multipart-upload objects, nothing on any other bucket.
OBJECT_ACTIONS = ["s3:*Object*", "s3:Abort*", "s3:*MultipartUpload*"]


class Bucket(ResourceType):
    name = "bucket"
    schema = SCHEMAS[name]
    definitions = DEFINITIONS
    properties_required = REQUIRES_PROPERTIES[name]
    summary = "An S3 bucket: private, TLS only, with optional CORS, versioning and lifecycle rules."

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        compile_bucket(ctx, resource)

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return bucket_params(ctx, resource)

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        params = self.params(ctx, resource)
        objects = {"Fn::Join": ["", [params["arn"], "/*"]]}
        return Connection(
            target=resource,
            statements=[
                {"Effect": "Allow", "Action": BUCKET_ACTIONS, "Resource": [params["arn"]]},
                {"Effect": "Allow", "Action": OBJECT_ACTIONS, "Resource": [objects]},
            ],
            environment={key.upper(): value for key, value in params.items()},
        )


@hookimpl(trylast=True)
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return [Bucket]
