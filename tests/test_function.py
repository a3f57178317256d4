"""The `function` type compiles to Stacktape's resources, and every template passes cfn-lint."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers import FUNCTION_CONFIG, Result, function_config


def synth(cli: Callable[..., Result], root: Path, *args: str) -> dict[str, Any]:
    result = cli(*args, "synth", cwd=root)
    assert result.code == 0, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_minimal_function_gets_function_role_and_log_group(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": FUNCTION_CONFIG})
    resources = synth(cli, root)["Resources"]
    fn = resources["ApiFunction"]["Properties"]
    assert fn["FunctionName"] == "demo-dev-api"
    assert fn["Runtime"] == "python3.13"
    assert fn["Handler"] == "app.handler"
    assert fn["MemorySize"] == 1024 and fn["Timeout"] == 20
    assert fn["Role"] == {"Fn::GetAtt": ["ApiRole", "Arn"]}
    assert fn["Code"]["S3Bucket"] == {"Ref": "StpDeploymentBucket"}
    assert re.fullmatch(r"lambda-zip/[0-9a-f]{64}\.zip", fn["Code"]["S3Key"])
    assert resources["ApiRole"]["Properties"]["RoleName"] == "demo-dev-api-us-east-1"
    log = resources["ApiLogGroup"]["Properties"]
    assert log == {"LogGroupName": "/aws/lambda/demo-dev-api", "RetentionInDays": 90}
    assert {"StpDeploymentBucket", "StpDeploymentBucketPolicy", "StpContainerRepository"} <= set(resources)


def test_properties_map_to_lambda(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {
            "stackwright.yml": """
            resources:
              worker:
                type: function
                properties:
                  packaging:
                    type: stacktape-lambda-buildpack
                    properties:
                      entryfilePath: src/app.py
                      handlerFunction: main
                  runtime: python3.12
                  memory: 256
                  timeout: 60
                  architecture: arm64
                  storage: 1024
                  environment:
                    - name: MODE
                      value: fast
                    - name: RETRIES
                      value: 3
                    - name: DEBUG
                      value: false
                  tags:
                    - name: team
                      value: billing
                  logging:
                    retentionDays: 14
                  iamRoleStatements:
                    - Action: ["s3:GetObject"]
                      Resource: ["arn:aws:s3:::reports/*"]
        """,
            "src/app.py": "async def main(event, context):\n    return event\n",
        }
    )
    resources = synth(cli, root, "--project", "shop", "--stage", "prod", "--region", "eu-west-1")["Resources"]
    fn = resources["WorkerFunction"]["Properties"]
    assert fn["FunctionName"] == "shop-prod-worker"
    assert fn["Handler"] == "app.main" and fn["Runtime"] == "python3.12"
    assert (fn["MemorySize"], fn["Timeout"], fn["Architectures"]) == (256, 60, ["arm64"])
    assert fn["EphemeralStorage"] == {"Size": 1024}
    assert fn["Environment"]["Variables"] == {"MODE": "fast", "RETRIES": "3", "DEBUG": "false"}
    assert fn["Tags"] == [{"Key": "team", "Value": "billing"}]
    assert resources["WorkerLogGroup"]["Properties"]["RetentionInDays"] == 14
    role = resources["WorkerRole"]["Properties"]
    assert role["RoleName"] == "shop-prod-worker-eu-west-1"
    statement = role["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert statement == {
        "Effect": "Allow",
        "Action": ["s3:GetObject"],
        "Resource": ["arn:aws:s3:::reports/*"],
    }


def test_typescript_entry_gets_node_runtime_and_index_handler(
    cli: Callable[..., Result], project: Any
) -> None:
    root = project(
        {
            "stackwright.yml": function_config(entry="src/index.ts"),
            "src/index.ts": "export default async () => ({ ok: true });\n",
        }
    )
    fn = synth(cli, root)["Resources"]["ApiFunction"]["Properties"]
    assert fn["Runtime"] == "nodejs24.x" and fn["Handler"] == "index.default"


def test_schedule_and_sqs_events(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {
            "stackwright.yml": function_config("""
            events:
              - type: schedule
                properties:
                  scheduleRate: cron(0 12 * * ? *)
                  input: {report: daily}
              - type: sqs
                properties:
                  sqsQueueArn: arn:aws:sqs:us-east-1:123456789012:jobs
                  batchSize: 5
                  maxBatchWindowSeconds: 30
        """),
        }
    )
    resources = synth(cli, root)["Resources"]
    rule = resources["ApiEvent0Rule"]["Properties"]
    assert rule["ScheduleExpression"] == "cron(0 12 * * ? *)"
    assert rule["Targets"][0]["Arn"] == {"Fn::GetAtt": ["ApiFunction", "Arn"]}
    assert json.loads(rule["Targets"][0]["Input"]) == {"report": "daily"}
    permission = resources["ApiEvent0Permission"]["Properties"]
    assert permission["Principal"] == "events.amazonaws.com"
    assert permission["SourceArn"] == {"Fn::GetAtt": ["ApiEvent0Rule", "Arn"]}
    mapping = resources["ApiEvent1EventSourceMapping"]["Properties"]
    assert mapping["EventSourceArn"] == "arn:aws:sqs:us-east-1:123456789012:jobs"
    assert (mapping["BatchSize"], mapping["MaximumBatchingWindowInSeconds"]) == (5, 30)
    policies = resources["ApiRole"]["Properties"]["Policies"]
    assert (
        policies[0]["PolicyDocument"]["Statement"][0]["Resource"] == "arn:aws:sqs:us-east-1:123456789012:jobs"
    )


def test_sqs_event_naming_a_missing_queue_is_a_user_error(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {
            "stackwright.yml": function_config("""
            events:
              - type: sqs
                properties:
                  sqsQueueName: jobs
        """),
        }
    )
    result = cli("synth", cwd=root)
    assert result.code == 2
    assert "stackwright.yml:13:27:" in result.err and "'jobs' is not an sqs-queue resource" in result.err
    assert "Traceback" not in result.err


def test_unsupported_event_type_and_property_are_refused_by_name(
    cli: Callable[..., Result], project: Any
) -> None:
    root = project(
        {
            "stackwright.yml": function_config("""
            events:
              - type: kafka-topic
                properties: {}
        """),
        }
    )
    result = cli("synth", cwd=root)
    assert result.code == 2 and "`type: kafka-topic` of a function is not supported" in result.err
    (root / "stackwright.yml").write_text(
        "resources:\n  api:\n    type: function\n    properties:\n      cdn: {enabled: true}\n"
        "      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}\n"
    )
    result = cli("synth", cwd=root)
    assert result.code == 2 and "`cdn` of a function is not supported" in result.err
    assert "stackwright.yml:5:" in result.err


def test_missing_entry_file_points_at_the_config_line(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": function_config(entry="src/nope.py")})
    result = cli("synth", cwd=root)
    assert result.code == 2
    assert "stackwright.yml:9:" in result.err and "entry file 'src/nope.py' does not exist" in result.err


def test_custom_artifact_needs_runtime_and_maps_handler(cli: Callable[..., Result], project: Any) -> None:
    config = """
        resources:
          api:
            type: function
            properties:
              packaging:
                type: custom-artifact
                properties:
                  packagePath: dist/bundle.zip
                  handler: lib/main.py:run
    """
    root = project({"stackwright.yml": config, "dist/bundle.zip": "PK"})
    result = cli("synth", cwd=root)
    assert result.code == 2 and "needs `runtime`" in result.err
    (root / "stackwright.yml").write_text(
        (root / "stackwright.yml").read_text() + "      runtime: python3.12\n"
    )
    fn = synth(cli, root)["Resources"]["ApiFunction"]["Properties"]
    assert fn["Handler"] == "lib.main.run" and fn["Runtime"] == "python3.12"


def test_code_key_follows_the_code(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": FUNCTION_CONFIG})
    key = synth(cli, root)["Resources"]["ApiFunction"]["Properties"]["Code"]["S3Key"]
    assert synth(cli, root)["Resources"]["ApiFunction"]["Properties"]["Code"]["S3Key"] == key
    (root / "src" / "app.py").write_text("def handler(event, context):\n    return 1\n")
    assert synth(cli, root)["Resources"]["ApiFunction"]["Properties"]["Code"]["S3Key"] != key


def test_overrides_and_cloudformation_resources(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {
            "stackwright.yml": function_config(
                resource="""
                overrides:
                  ApiFunction:
                    Description: overridden
                    TracingConfig.Mode: Active
            """,
                root="""
                cloudformationResources:
                  Table:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
            """,
            ),
        }
    )
    resources = synth(cli, root)["Resources"]
    assert resources["ApiFunction"]["Properties"]["Description"] == "overridden"
    assert resources["ApiFunction"]["Properties"]["TracingConfig"] == {"Mode": "Active"}
    assert resources["Table"]["Type"] == "AWS::DynamoDB::Table"


def test_override_of_unknown_child_suggests_the_right_one(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {"stackwright.yml": function_config(resource="overrides: {ApiFunctoin: {Description: x}}")}
    )
    result = cli("synth", cwd=root)
    assert result.code == 1 and "did you mean 'ApiFunction'?" in result.err


def test_yaml_output_to_file(cli: Callable[..., Result], project: Any, tmp_path: Path) -> None:
    import yaml

    root = project({"stackwright.yml": FUNCTION_CONFIG})
    out = tmp_path / "out" / "template.yml"
    result = cli("compile-template", "--out", str(out), cwd=root)
    assert result.code == 0 and "written to" in result.err
    assert yaml.safe_load(out.read_text())["Resources"]["ApiFunction"]["Type"] == "AWS::Lambda::Function"


def test_handler_must_exist_in_the_entry_file(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {
            "stackwright.yml": function_config().replace(
                "entryfilePath: src/app.py", "entryfilePath: src/app.py\n          handlerFunction: handle"
            ),
            "src/app.py": "def handler(event, context):\n    return event\n",
        }
    )
    result = cli("validate", cwd=root)
    assert (
        result.code == 2
        and "handler function 'handle' is not defined in app.py; did you mean 'handler'?" in result.err
    )
    (root / "src" / "app.py").write_text("def handle(event, context)\n    return event\n")
    result = cli("validate", cwd=root)
    assert result.code == 2 and "app.py:1: syntax error" in result.err


def test_runtime_must_match_the_entry_file(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": function_config("runtime: nodejs20.x")})
    result = cli("synth", cwd=root)
    assert result.code == 2 and "runtime 'nodejs20.x' cannot run 'src/app.py'" in result.err


def test_function_url(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {
            "stackwright.yml": function_config("""
            url:
              enabled: true
              responseStreamEnabled: true
              cors:
                enabled: true
                allowedMethods: [GET, POST]
                maxAge: 600
        """)
        }
    )
    result = cli("synth", cwd=root)
    assert result.code == 0, result.err
    template = json.loads(result.out)
    url = template["Resources"]["ApiUrl"]["Properties"]
    assert url["AuthType"] == "NONE" and url["InvokeMode"] == "RESPONSE_STREAM"
    assert url["Cors"] == {"AllowOrigins": ["*"], "AllowMethods": ["GET", "POST"], "MaxAge": 600}
    permission = template["Resources"]["ApiUrlPermission"]["Properties"]
    assert (permission["Action"], permission["FunctionUrlAuthType"], permission["Principal"]) == (
        "lambda:InvokeFunctionUrl",
        "NONE",
        "*",
    )
    assert template["Outputs"]["ApiUrl"]["Value"] == {"Fn::GetAtt": ["ApiUrl", "FunctionUrl"]}
    (root / "stackwright.yml").write_text(function_config("url: {enabled: true, authMode: AWS_IAM}"))
    resources = json.loads(cli("synth", cwd=root).out)["Resources"]
    assert resources["ApiUrl"]["Properties"]["AuthType"] == "AWS_IAM" and "ApiUrlPermission" not in resources
