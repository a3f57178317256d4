"""The settings the engine's CloudFormation drops that the local target puts in place itself, through
the services' APIs, and how (`APPLY`); `honour.py` decides when."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

from stackwright import StackContext


class Unknown(Exception):
    """A value that cannot be worked out locally."""


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def tag_map(value: Any) -> dict[str, str]:
    return {str(t["Key"]): str(t["Value"]) for t in value}


LIFECYCLE_RULE = {  # CloudFormation's name → (the API's place for it)
    "Id": ("ID",),
    "Status": ("Status",),
    "Prefix": ("Filter", "Prefix"),
    "ExpirationInDays": ("Expiration", "Days"),
    "ExpiredObjectDeleteMarker": ("Expiration", "ExpiredObjectDeleteMarker"),
    "NoncurrentVersionExpirationInDays": ("NoncurrentVersionExpiration", "NoncurrentDays"),
    "NoncurrentVersionExpiration": ("NoncurrentVersionExpiration",),
    "AbortIncompleteMultipartUpload": ("AbortIncompleteMultipartUpload",),
}


#: CloudFormation's transition lists → the API's, with the day field each uses.
TRANSITIONS = {"Transitions": "Days", "NoncurrentVersionTransitions": "NoncurrentDays"}


def lifecycle_rules(value: Any) -> dict[str, Any]:
    rules = []
    for rule in value["Rules"]:
        out: dict[str, Any] = {"Filter": {"Prefix": ""}}
        for key, item in rule.items():
            if key in TRANSITIONS:
                out[key] = [
                    {TRANSITIONS[key]: t["TransitionInDays"], "StorageClass": t["StorageClass"]} for t in item
                ]
                continue
            if key not in LIFECYCLE_RULE:
                raise Unknown(f"lifecycle rule {key}")
            *parents, last = LIFECYCLE_RULE[key]
            node = out
            for parent in parents:
                node = node.setdefault(parent, {})
            node[last] = item
        rules.append(out)
    return {"Rules": rules}


#: CloudFormation's names of CORS rule fields that S3's API names otherwise.
CORS_FIELDS = {"MaxAge": "MaxAgeSeconds", "ExposedHeaders": "ExposeHeaders", "Id": "ID"}


def cors_rules(value: Any) -> list[dict[str, Any]]:
    """A bucket's `CorsConfiguration` rules as S3's API takes them."""
    return [{CORS_FIELDS.get(k, k): v for k, v in rule.items()} for rule in value["CorsRules"]]


def notifications(value: Any) -> dict[str, Any]:
    """A bucket's `NotificationConfiguration` as S3's API takes it (Lambda targets). Raises Unknown for
    queue and topic targets; the EventBridge switch is left out (`PARTLY_KEPT` names it)."""
    out: dict[str, Any] = {}
    for key in value:  # the engine keeps no EventBridge setting, nor queue and topic targets
        if key not in ("LambdaConfigurations", "EventBridgeConfiguration"):
            raise Unknown(f"notification {key}")
    functions = []
    for item in value.get("LambdaConfigurations") or []:
        entry: dict[str, Any] = {"LambdaFunctionArn": str(item["Function"]), "Events": [str(item["Event"])]}
        rules = ((item.get("Filter") or {}).get("S3Key") or {}).get("Rules")
        if rules:
            entry["Filter"] = {
                "Key": {"FilterRules": [{"Name": r["Name"], "Value": r["Value"]} for r in rules]}
            }
        functions.append(entry)
    if functions:
        out["LambdaFunctionConfigurations"] = functions
    return out


#: Parts of applied settings the engine cannot keep, named (not applied) when given: (type, property) →
#: the part's key.
PARTLY_KEPT = {("AWS::S3::Bucket", "NotificationConfiguration"): "EventBridgeConfiguration"}


def over_http(policy: dict[str, Any]) -> dict[str, Any]:
    """`policy` without its statements that deny requests not made over TLS: the engine serves plain HTTP,
    where every request would be refused, while on AWS the same clients use TLS and pass."""

    def insecure_only(statement: dict[str, Any]) -> bool:
        condition = (statement.get("Condition") or {}).get("Bool") or {}
        return (
            statement.get("Effect") == "Deny" and str(condition.get("aws:SecureTransport")).lower() == "false"
        )

    return {**policy, "Statement": [s for s in policy.get("Statement") or [] if not insecure_only(s)]}


#: Types whose settings are applied to other resources, named by a property (a bucket policy's bucket, a
#: queue policy's queue URLs).
APPLIED_TO = {"AWS::S3::BucketPolicy": "Bucket", "AWS::SQS::QueuePolicy": "Queues"}


class Applier:
    """Puts one setting in place (value None: takes it away) on the resource with `physical_id`."""

    def __init__(self, ctx: StackContext) -> None:
        self.clients = ctx.clients
        self.region = ctx.project.region
        self.account = ctx.project.account

    def __call__(self, kind: str, prop: str, physical_id: str, value: Any) -> None:
        APPLY[(kind, prop)](self, physical_id, value)

    def bucket_versioning(self, bucket: str, value: Any) -> None:
        status = value["Status"] if value else "Suspended"
        self.clients.client("s3").put_bucket_versioning(
            Bucket=bucket, VersioningConfiguration={"Status": status}
        )

    def bucket_public_access(self, bucket: str, value: Any) -> None:
        s3 = self.clients.client("s3")
        if value is None:
            s3.delete_public_access_block(Bucket=bucket)
        else:
            config = {k: _flag(v) for k, v in value.items()}
            s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=config)

    def bucket_lifecycle(self, bucket: str, value: Any) -> None:
        s3 = self.clients.client("s3")
        if value is None:
            s3.delete_bucket_lifecycle(Bucket=bucket)
        else:
            s3.put_bucket_lifecycle_configuration(
                Bucket=bucket, LifecycleConfiguration=lifecycle_rules(value)
            )

    def bucket_cors(self, bucket: str, value: Any) -> None:
        s3 = self.clients.client("s3")
        if value is None:
            s3.delete_bucket_cors(Bucket=bucket)
        else:
            s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": cors_rules(value)})

    def bucket_notifications(self, bucket: str, value: Any) -> None:
        self.clients.client("s3").put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration=notifications(value or {})
        )

    def bucket_ownership(self, bucket: str, value: Any) -> None:
        s3 = self.clients.client("s3")
        if value is None:
            s3.delete_bucket_ownership_controls(Bucket=bucket)
        else:
            s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": value["Rules"]})

    def bucket_policy(self, bucket: str, value: Any) -> None:
        s3 = self.clients.client("s3")
        policy = over_http(value) if value is not None else None
        if policy and policy["Statement"]:
            s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
        else:
            s3.delete_bucket_policy(Bucket=bucket)

    def queue_policy(self, queue_url: str, value: Any) -> None:
        policy = json.dumps(value) if value is not None else ""
        self.clients.client("sqs").set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": policy})

    def stream_encryption(self, stream: str, value: Any) -> None:
        kinesis = self.clients.client("kinesis")
        if value is None:
            found = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]
            if found.get("EncryptionType") == "KMS":
                kinesis.stop_stream_encryption(StreamName=stream, EncryptionType="KMS", KeyId=found["KeyId"])
        else:
            kinesis.start_stream_encryption(
                StreamName=stream, EncryptionType=str(value["EncryptionType"]), KeyId=str(value["KeyId"])
            )

    def table_recovery(self, table: str, value: Any) -> None:
        enabled = bool(value) and _flag(value.get("PointInTimeRecoveryEnabled"))
        self.clients.client("dynamodb").update_continuous_backups(
            TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": enabled}
        )

    def repository_lifecycle(self, repository: str, value: Any) -> None:
        ecr = self.clients.client("ecr")
        if value is None:
            with contextlib.suppress(ecr.exceptions.LifecyclePolicyNotFoundException):
                ecr.delete_lifecycle_policy(repositoryName=repository)
        else:
            ecr.put_lifecycle_policy(
                repositoryName=repository, lifecyclePolicyText=str(value["LifecyclePolicyText"])
            )

    def function_tags(self, function: str, value: Any) -> None:
        aws_lambda = self.clients.client("lambda")
        arn = f"arn:aws:lambda:{self.region}:{self.account}:function:{function}"
        wanted = tag_map(value or [])
        extra = [k for k in aws_lambda.list_tags(Resource=arn).get("Tags", {}) if k not in wanted]
        if extra:
            aws_lambda.untag_resource(Resource=arn, TagKeys=extra)
        if wanted:
            aws_lambda.tag_resource(Resource=arn, Tags=wanted)

    def vpc_dns_hostnames(self, vpc: str, value: Any) -> None:
        self.clients.client("ec2").modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": _flag(value)})

    def vpc_dns_support(self, vpc: str, value: Any) -> None:
        enabled = True if value is None else _flag(value)
        self.clients.client("ec2").modify_vpc_attribute(VpcId=vpc, EnableDnsSupport={"Value": enabled})

    def subnet_public_ip(self, subnet: str, value: Any) -> None:
        self.clients.client("ec2").modify_subnet_attribute(
            SubnetId=subnet, MapPublicIpOnLaunch={"Value": _flag(value)}
        )

    def ec2_tags(self, resource: str, value: Any) -> None:
        ec2 = self.clients.client("ec2")
        wanted = tag_map(value or [])
        found = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [resource]}])["Tags"]
        extra = [{"Key": t["Key"]} for t in found if t["Key"] not in wanted]
        if extra:
            ec2.delete_tags(Resources=[resource], Tags=extra)
        if wanted:
            ec2.create_tags(Resources=[resource], Tags=[{"Key": k, "Value": v} for k, v in wanted.items()])


#: The applier of each honoured setting.
APPLY: dict[tuple[str, str], Callable[[Applier, str, Any], None]] = {
    ("AWS::S3::Bucket", "VersioningConfiguration"): Applier.bucket_versioning,
    ("AWS::S3::Bucket", "PublicAccessBlockConfiguration"): Applier.bucket_public_access,
    ("AWS::S3::Bucket", "LifecycleConfiguration"): Applier.bucket_lifecycle,
    ("AWS::S3::Bucket", "CorsConfiguration"): Applier.bucket_cors,
    ("AWS::S3::Bucket", "NotificationConfiguration"): Applier.bucket_notifications,
    ("AWS::S3::Bucket", "OwnershipControls"): Applier.bucket_ownership,
    ("AWS::S3::BucketPolicy", "PolicyDocument"): Applier.bucket_policy,
    ("AWS::SQS::QueuePolicy", "PolicyDocument"): Applier.queue_policy,
    ("AWS::DynamoDB::Table", "PointInTimeRecoverySpecification"): Applier.table_recovery,
    ("AWS::Kinesis::Stream", "StreamEncryption"): Applier.stream_encryption,
    ("AWS::ECR::Repository", "LifecyclePolicy"): Applier.repository_lifecycle,
    ("AWS::Lambda::Function", "Tags"): Applier.function_tags,
    ("AWS::EC2::VPC", "EnableDnsHostnames"): Applier.vpc_dns_hostnames,
    ("AWS::EC2::VPC", "EnableDnsSupport"): Applier.vpc_dns_support,
    ("AWS::EC2::Subnet", "MapPublicIpOnLaunch"): Applier.subnet_public_ip,
    ("AWS::EC2::InternetGateway", "Tags"): Applier.ec2_tags,
    ("AWS::EC2::RouteTable", "Tags"): Applier.ec2_tags,
}
#: Settings the engine drops and the local target applies after each deploy (type → properties).
HONOURED: dict[str, tuple[str, ...]] = {}
for _kind, _prop in APPLY:
    HONOURED[_kind] = (*HONOURED.get(_kind, ()), _prop)
