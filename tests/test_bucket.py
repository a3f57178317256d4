"""`bucket`: the template Stacktape's properties compile to, a function's `s3` event and connectTo, and
both deployed to the local engine and read back through S3's and Lambda's APIs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers import Result, write

CONFIG = """\
serviceName: files
resources:
  uploads:
    type: bucket
    properties:
      versioning: true
      encryption: true
      cors: {enabled: true}
      lifecycleRules:
        - type: expiration
          properties: {daysAfterUpload: 30, prefix: tmp/}
        - type: non-current-version-expiration
          properties: {daysAfterVersioned: 7}
        - type: class-transition
          properties: {daysAfterUpload: 90, storageClass: GLACIER}
        - type: abort-incomplete-multipart-upload
          properties: {daysAfterInitiation: 2}
  assets:
    type: bucket
    properties:
      accessibility: {accessibilityMode: public-read}
      cors:
        enabled: true
        corsRules:
          - {allowedOrigins: ['https://app.example.com'], allowedMethods: [GET], maxAge: 600}
  processor:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      connectTo: [uploads]
      events:
        - type: s3
          properties:
            bucketArn: $ResourceParam('uploads', 'arn')
            s3EventType: 's3:ObjectCreated:*'
            filterRule: {prefix: incoming/, suffix: .csv}
"""
FILES = {"stackwright.yml": CONFIG, "src/app.py": "def handler(event, context):\n    return 1\n"}
NAME = {"Fn::Sub": "files-dev-uploads-${AWS::AccountId}-${AWS::Region}"}
ARN = {"Fn::Sub": "arn:${AWS::Partition}:s3:::files-dev-uploads-${AWS::AccountId}-${AWS::Region}"}


def synth(cli: Callable[..., Result], root: Path) -> dict[str, Any]:
    result = cli("synth", cwd=root)
    assert result.code == 0, result.err
    return dict(json.loads(result.out)["Resources"])


def test_a_bucket_with_no_properties_is_private_and_tls_only(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    config = "serviceName: files\nresources:\n  plain:\n    type: bucket\n"
    resources = synth(cli, write(tmp_path, {"stackwright.yml": config}))
    assert resources["PlainBucket"] == {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "BucketName": {"Fn::Sub": "files-dev-plain-${AWS::AccountId}-${AWS::Region}"},
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        },
    }
    (statement,) = resources["PlainBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}
    }


def test_bucket_properties_compile_as_stacktape_documents(cli: Callable[..., Result], tmp_path: Path) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    uploads = resources["UploadsBucket"]["Properties"]
    assert uploads["BucketName"] == NAME
    assert uploads["VersioningConfiguration"] == {"Status": "Enabled"}
    assert uploads["BucketEncryption"] == {
        "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
    }
    (cors,) = uploads["CorsConfiguration"]["CorsRules"]
    assert cors["AllowedOrigins"] == ["*"] and cors["AllowedMethods"] == [
        "GET",
        "PUT",
        "HEAD",
        "POST",
        "DELETE",
    ]
    rules = {r["Id"]: r for r in uploads["LifecycleConfiguration"]["Rules"]}
    assert rules["expiration-0"]["ExpirationInDays"] == 30 and rules["expiration-0"]["Prefix"] == "tmp/"
    assert rules["non-current-version-expiration-1"]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 7}
    assert rules["class-transition-2"]["Transitions"] == [{"StorageClass": "GLACIER", "TransitionInDays": 90}]
    assert rules["abort-incomplete-multipart-upload-3"]["AbortIncompleteMultipartUpload"] == {
        "DaysAfterInitiation": 2
    }
    assets = resources["AssetsBucket"]["Properties"]
    assert assets["CorsConfiguration"]["CorsRules"] == [
        {"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"], "MaxAge": 600}
    ]
    access = assets["PublicAccessBlockConfiguration"]
    assert (
        access["BlockPublicAcls"] and not access["BlockPublicPolicy"] and not access["RestrictPublicBuckets"]
    )
    statements = {
        s["Sid"]: s for s in resources["AssetsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    }
    assert statements["PublicAccess"]["Action"] == ["s3:GetObject", "s3:GetObjectVersion"]
    assert statements["PublicList"]["Action"] == ["s3:ListBucket"]


def test_an_s3_event_waits_for_its_permission_and_nothing_waits_for_the_bucket(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    bucket = resources["UploadsBucket"]
    assert bucket["DependsOn"] == ["ProcessorEvent0Permission"]
    assert bucket["Properties"]["NotificationConfiguration"] == {
        "LambdaConfigurations": [
            {
                "Event": "s3:ObjectCreated:*",
                "Function": {"Fn::GetAtt": ["ProcessorFunction", "Arn"]},
                "Filter": {
                    "S3Key": {
                        "Rules": [
                            {"Name": "prefix", "Value": "incoming/"},
                            {"Name": "suffix", "Value": ".csv"},
                        ]
                    }
                },
            }
        ]
    }
    permission = resources["ProcessorEvent0Permission"]["Properties"]
    assert (permission["Principal"], permission["SourceArn"], permission["SourceAccount"]) == (
        "s3.amazonaws.com",
        ARN,
        {"Ref": "AWS::AccountId"},
    )
    variables = resources["ProcessorFunction"]["Properties"]["Environment"]["Variables"]
    assert variables == {"STP_UPLOADS_NAME": NAME, "STP_UPLOADS_ARN": ARN}
    policies = {p["PolicyName"]: p for p in resources["ProcessorRole"]["Properties"]["Policies"]}
    bucket_statement, objects_statement = policies["custom-allow-access-to-policy-statements"][
        "PolicyDocument"
    ]["Statement"]
    assert bucket_statement["Resource"] == [ARN] and "s3:ListBucket" in bucket_statement["Action"]
    assert objects_statement["Resource"] == [{"Fn::Join": ["", [ARN, "/*"]]}]
    assert {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"} <= set(objects_statement["Action"])
    for statement in (bucket_statement, objects_statement):
        assert all("*" not in action for action in statement["Action"])


def test_bucket_mistakes_are_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    def refused(config: str) -> str:
        root = write(tmp_path / str(abs(hash(config))), {**FILES, "stackwright.yml": config})
        result = cli("synth", cwd=root)
        assert result.code == 2 and "Traceback" not in result.err, result.err
        return result.err

    outside = CONFIG.replace("$ResourceParam('uploads', 'arn')", "arn:aws:s3:::someone-elses")
    assert "s3 events of buckets outside this config are not supported" in refused(outside)
    assert "$ResourceParam('<bucket>', 'arn') of a bucket resource (uploads, assets)" in refused(outside)
    for key in ("cachingOptions", "forwardingOptions", "edgeFunctions", "useFirewall"):
        value = {"edgeFunctions": "{onRequest: auth}", "useFirewall": "waf"}.get(key, "{a: 1}")
        cdn = CONFIG.replace(
            "      versioning: true\n",
            f"      versioning: true\n      cdn: {{enabled: true, {key}: {value}}}\n",
        )
        err = refused(cdn)
        assert f"`{key}` of a bucket is not supported by the installed plugins yet" in err, err
        assert "stackwright.yml:7" in err
    upload = CONFIG.replace(
        "      versioning: true\n", "      versioning: true\n      directoryUpload: {directoryPath: dist}\n"
    )
    err = refused(upload)
    assert "stackwright.yml:7:40" in err and "directoryUpload.directoryPath: 'dist' is not a folder" in err
    twice = CONFIG.replace(
        "            filterRule: {prefix: incoming/, suffix: .csv}\n",
        "            filterRule: {prefix: incoming/, suffix: .csv}\n"
        "        - type: s3\n          properties:\n            bucketArn: $ResourceParam('uploads', 'arn')\n"
        "            s3EventType: 's3:ObjectCreated:Put'\n            filterRule: {prefix: incoming/}\n",
    )
    assert (
        "an s3 event of function 'processor' already takes s3:ObjectCreated:* of bucket 'uploads'"
        in refused(twice)
    )


def test_a_bucket_and_its_s3_event_deploy(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    result = cli("--local", "deploy", cwd=write(tmp_path, FILES))
    assert result.code == 0, result.err
    s3 = aws("s3")
    uploads = "files-dev-uploads-123456789012-us-east-1"
    assert s3.get_bucket_versioning(Bucket=uploads)["Status"] == "Enabled"
    assert s3.get_bucket_cors(Bucket=uploads)["CORSRules"][0]["AllowedOrigins"] == ["*"]
    assert all(s3.get_public_access_block(Bucket=uploads)["PublicAccessBlockConfiguration"].values())
    (notification,) = s3.get_bucket_notification_configuration(Bucket=uploads)["LambdaFunctionConfigurations"]
    function = aws("lambda").get_function(FunctionName="files-dev-processor")["Configuration"]
    assert notification["LambdaFunctionArn"] == function["FunctionArn"]
    assert notification["Events"] == ["s3:ObjectCreated:*"]
    assert function["Environment"]["Variables"]["STP_UPLOADS_NAME"] == uploads
    (permission,) = json.loads(aws("lambda").get_policy(FunctionName="files-dev-processor")["Policy"])[
        "Statement"
    ]
    assert permission["Principal"] == {"Service": "s3.amazonaws.com"}
    assert permission["Condition"]["ArnLike"]["AWS:SourceArn"] == f"arn:aws:s3:::{uploads}"
    assets = "files-dev-assets-123456789012-us-east-1"
    assert s3.get_bucket_cors(Bucket=assets)["CORSRules"][0]["MaxAgeSeconds"] == 600
    public = json.loads(s3.get_bucket_policy(Bucket=assets)["Policy"])["Statement"]
    assert {s["Sid"] for s in public} == {"PublicAccess", "PublicList"}  # the TLS statement is AWS-only
    s3.put_object(Bucket=uploads, Key="incoming/a.csv", Body=b"1,2\n")
    assert s3.get_object(Bucket=uploads, Key="incoming/a.csv")["Body"].read() == b"1,2\n"


def test_a_project_whose_name_begins_with_s3_deploys_locally(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """The engine read `https://s3...s3.amazonaws.com/key` as a path-style URL and found no bucket; the
    template is given to it path-style."""
    files = {**FILES, "stackwright.yml": CONFIG.replace("serviceName: files", "serviceName: s3-thumbnails")}
    result = cli("--local", "deploy", cwd=write(tmp_path, files))
    assert result.code == 0, result.err
    assert aws("lambda").get_function(FunctionName="s3-thumbnails-dev-processor")


def test_removing_an_event_updates_the_permissions_of_the_others(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """Event permissions are numbered by position: removing the s3 event makes the schedule's permission
    the first. The engine's CloudFormation could not update a permission and dropped it from the stack."""
    schedule = "        - type: schedule\n          properties: {scheduleRate: rate(1 hour)}\n"
    root = write(tmp_path, {**FILES, "stackwright.yml": CONFIG + schedule})
    assert cli("--local", "deploy", cwd=root).code == 0
    without_s3 = CONFIG[: CONFIG.index("        - type: s3")] + schedule
    (root / "stackwright.yml").write_text(without_s3)
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    listed = aws("cloudformation").list_stack_resources(StackName="files-dev")["StackResourceSummaries"]
    assert "ProcessorEvent0Permission" in {r.get("LogicalResourceId") for r in listed}
    statements = json.loads(aws("lambda").get_policy(FunctionName="files-dev-processor")["Policy"])[
        "Statement"
    ]
    assert [s["Principal"] for s in statements] == [{"Service": "events.amazonaws.com"}]


def test_event_bridge_notifications_are_named_and_function_ones_still_applied(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    config = CONFIG.replace(
        "      versioning: true\n", "      versioning: true\n      enableEventBusNotifications: true\n"
    )
    result = cli("--local", "deploy", cwd=write(tmp_path, {**FILES, "stackwright.yml": config}))
    assert result.code == 0, result.err
    assert "NotificationConfiguration.EventBridgeConfiguration (UploadsBucket)" in result.err
    found = aws("s3").get_bucket_notification_configuration(Bucket="files-dev-uploads-123456789012-us-east-1")
    assert [c["Events"] for c in found["LambdaFunctionConfigurations"]] == [["s3:ObjectCreated:*"]]


def test_a_directory_upload_mirrors_a_folder_and_a_change_of_it_is_hot_swapped(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    config = (
        "serviceName: files\nresources:\n  docs:\n    type: bucket\n    properties:\n"
        "      directoryUpload:\n        directoryPath: public\n        excludeFilesPatterns: ['*.tmp']\n"
        "        fileOptions:\n          - includePattern: '*.csv'\n"
        "            headers: [{key: Cache-Control, value: no-store}, "
        "{key: Expires, value: 'Wed, 21 Oct 2026 07:28:00 GMT'}]\n"
        "            tags: [{key: kind, value: data}]\n"
    )
    root = write(
        tmp_path,
        {"stackwright.yml": config, "public/a.csv": "1,2\n", "public/b/c.txt": "c", "public/x.tmp": "x"},
    )
    (tag,) = synth(cli, root)["DocsBucket"]["Properties"]["Tags"]
    assert tag["Key"] == "stackwright:content-digest"
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    assert "synced docs: uploaded 2 files" in result.err
    s3, bucket = aws("s3"), "files-dev-docs-123456789012-us-east-1"
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == ["a.csv", "b/c.txt"]
    head = s3.head_object(Bucket=bucket, Key="a.csv")
    assert head["CacheControl"] == "no-store" and head["ContentType"] == "text/csv; charset=utf-8"
    assert head["Expires"].isoformat() == "2026-10-21T07:28:00+00:00"
    assert "CacheControl" not in s3.head_object(Bucket=bucket, Key="b/c.txt")  # no headersPreset
    assert s3.get_object_tagging(Bucket=bucket, Key="a.csv")["TagSet"] == [{"Key": "kind", "Value": "data"}]
    s3.put_object(Bucket=bucket, Key="stray.txt", Body=b"not in the folder")
    (root / "public/b/c.txt").write_text("c, changed")
    result = cli("--local", "deploy", "--hotswap", cwd=root)
    assert result.code == 0 and "hot-swapped DocsBucket" in result.err, result.err
    assert "uploaded 1 file" in result.err and "deleted 1" in result.err
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]) == ["a.csv", "b/c.txt"]
    assert s3.get_object(Bucket=bucket, Key="b/c.txt")["Body"].read() == b"c, changed"


def test_a_bucket_cdn_is_a_distribution_with_stacktapes_bucket_defaults(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    config = (
        "serviceName: files\nresources:\n  media:\n    type: bucket\n    properties:\n"
        "      cdn:\n        enabled: true\n        cloudfrontPriceClass: PriceClass_100\n"
        "        defaultRoutePrefix: /public\n        disableUrlNormalization: true\n"
        f"        customDomains: [{{domainName: cdn.example.com, customCertificateArn: '{arn}', "
        "disableDnsRecordCreation: true}]\n"
    )
    resources = synth(cli, write(tmp_path, {"stackwright.yml": config}))
    policy = resources["MediaCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert (policy["DefaultTTL"], policy["MaxTTL"], policy["MinTTL"]) == (15552000, 31536000, 0)
    config_ = resources["MediaDistribution"]["Properties"]["DistributionConfig"]
    assert config_["PriceClass"] == "PriceClass_100"
    assert config_["Origins"][0]["OriginPath"] == "/public"
    assert config_["DefaultCacheBehavior"]["CachePolicyId"] == {"Ref": "MediaCachePolicy"}
    assert "FunctionAssociations" not in config_["DefaultCacheBehavior"] and "MediaFunction" not in resources
    assert config_["CustomErrorResponses"][0]["ResponsePagePath"] == "/404.html"
    assert config_["Aliases"] == ["cdn.example.com"]
    statements = resources["MediaBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert [s["Sid"] for s in statements] == ["DenyInsecureTransport", "CloudFrontReads"]
    assert "Tags" not in resources["MediaBucket"]["Properties"]  # nothing to sync


def test_a_bucket_cdn_in_front_of_a_directory_upload_invalidates_what_changed(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    config = (
        "serviceName: files\nresources:\n  site:\n    type: bucket\n    properties:\n"
        "      directoryUpload: {directoryPath: public, headersPreset: static-website}\n"
        "      cdn: {enabled: true}\n"
        "  reader:\n    type: function\n    properties:\n"
        "      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}\n"
        "      environment: [{name: SITE, value: \"$ResourceParam('site', 'cdnUrl')\"}]\n"
    )
    files = {
        "stackwright.yml": config,
        "src/app.py": "def handler(event, context):\n    return 1\n",
        "public/index.html": "home",
        "public/docs/index.html": "docs",
    }
    root = write(tmp_path, files)
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    cloudfront = aws("cloudfront")
    (distribution,) = cloudfront.list_distributions()["DistributionList"]["Items"]
    function = aws("lambda").get_function(FunctionName="files-dev-reader")["Configuration"]
    assert function["Environment"]["Variables"]["SITE"] == f"https://{distribution['DomainName']}"
    bucket = "files-dev-site-123456789012-us-east-1"
    head = aws("s3").head_object(Bucket=bucket, Key="docs/index.html")
    assert head["CacheControl"] == "public, max-age=0, s-maxage=31536000, must-revalidate"
    (root / "public/docs/index.html").write_text("docs, again")
    result = cli("--local", "deploy", "--hotswap", cwd=root)
    assert result.code == 0 and "hot-swapped SiteBucket" in result.err, result.err
    listed = cloudfront.list_invalidations(DistributionId=distribution["Id"])["InvalidationList"]["Items"]
    batch = cloudfront.get_invalidation(DistributionId=distribution["Id"], Id=listed[0]["Id"])
    assert sorted(batch["Invalidation"]["InvalidationBatch"]["Paths"]["Items"]) == [
        "/docs",
        "/docs/",
        "/docs/index.html",
    ]
