"""`dynamo-db-table`: the template Stacktape's properties compile to, a function's `dynamo-db-stream` event
and connectTo, and both deployed to the local engine and read back through DynamoDB's and Lambda's APIs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers import Result, write

CONFIG = """\
serviceName: shop
resources:
  orders:
    type: dynamo-db-table
    properties:
      primaryKey:
        partitionKey: {name: customerId, type: string}
        sortKey: {name: createdAt, type: number}
      secondaryIndexes:
        - name: byStatus
          partitionKey: {name: status, type: string}
          sortKey: {name: createdAt, type: number}
          projections: [total]
        - name: byEmail
          partitionKey: {name: email, type: string}
      streamType: NEW_AND_OLD_IMAGES
      enablePointInTimeRecovery: true
  sessions:
    type: dynamo-db-table
    properties:
      primaryKey:
        partitionKey: {name: id, type: binary}
      provisionedThroughput:
        readUnits: 5
        writeUnits: 2
        writeScaling: {minUnits: 2, maxUnits: 20, keepUtilizationUnder: 70}
  audit:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      connectTo: [orders]
      events:
        - type: dynamo-db-stream
          properties:
            streamArn: $ResourceParam('orders', 'streamArn')
            batchSize: 50
            bisectBatchOnFunctionError: true
"""
FILES = {"stackwright.yml": CONFIG, "src/app.py": "def handler(event, context):\n    return 1\n"}


def synth(cli: Callable[..., Result], root: Path) -> dict[str, Any]:
    result = cli("synth", cwd=root)
    assert result.code == 0, result.err
    return dict(json.loads(result.out)["Resources"])


def test_table_properties_compile_as_stacktape_documents(cli: Callable[..., Result], tmp_path: Path) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    orders = resources["OrdersDynamoTable"]
    assert orders["Type"] == "AWS::DynamoDB::Table"
    assert orders["Properties"] == {
        "TableName": "shop-dev-orders",
        "KeySchema": [
            {"AttributeName": "customerId", "KeyType": "HASH"},
            {"AttributeName": "createdAt", "KeyType": "RANGE"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": "customerId", "AttributeType": "S"},
            {"AttributeName": "createdAt", "AttributeType": "N"},
            {"AttributeName": "status", "AttributeType": "S"},
            {"AttributeName": "email", "AttributeType": "S"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "byStatus",
                "KeySchema": [
                    {"AttributeName": "status", "KeyType": "HASH"},
                    {"AttributeName": "createdAt", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total"]},
            },
            {
                "IndexName": "byEmail",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
        ],
        "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
    }
    sessions = resources["SessionsDynamoTable"]["Properties"]
    assert sessions["BillingMode"] == "PROVISIONED"
    assert sessions["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 2}
    assert sessions["AttributeDefinitions"] == [{"AttributeName": "id", "AttributeType": "B"}]
    target = resources["SessionsWriteScalableTarget"]["Properties"]
    assert (target["MinCapacity"], target["MaxCapacity"], target["ScalableDimension"]) == (
        2,
        20,
        "dynamodb:table:WriteCapacityUnits",
    )
    policy = resources["SessionsWriteScalingPolicy"]["Properties"]["TargetTrackingScalingPolicyConfiguration"]
    assert policy["TargetValue"] == 70
    assert "SessionsReadScalableTarget" not in resources


def test_a_stream_event_and_connect_to_grant_only_this_table(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    mapping = resources["AuditEvent0EventSourceMapping"]["Properties"]
    assert mapping == {
        "EventSourceArn": {"Fn::GetAtt": ["OrdersDynamoTable", "StreamArn"]},
        "FunctionName": {"Ref": "AuditFunction"},
        "StartingPosition": "TRIM_HORIZON",
        "BatchSize": 50,
        "BisectBatchOnFunctionError": True,
    }
    variables = resources["AuditFunction"]["Properties"]["Environment"]["Variables"]
    assert variables == {
        "STP_ORDERS_NAME": {"Ref": "OrdersDynamoTable"},
        "STP_ORDERS_ARN": {"Fn::GetAtt": ["OrdersDynamoTable", "Arn"]},
        "STP_ORDERS_STREAM_ARN": {"Fn::GetAtt": ["OrdersDynamoTable", "StreamArn"]},
    }
    policies = {
        p["PolicyName"]: p["PolicyDocument"]["Statement"]
        for p in resources["AuditRole"]["Properties"]["Policies"]
    }
    (stream,) = policies["dynamo-db-stream-event-0"]
    assert stream["Resource"] == {"Fn::GetAtt": ["OrdersDynamoTable", "StreamArn"]}
    assert set(stream["Action"]) == {
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
    }
    table, stream_reads = policies["custom-allow-access-to-policy-statements"]
    assert stream_reads["Resource"] == [{"Fn::GetAtt": ["OrdersDynamoTable", "StreamArn"]}]
    assert stream_reads["Action"] == [
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
    ]
    assert table["Resource"] == [
        {"Fn::GetAtt": ["OrdersDynamoTable", "Arn"]},
        {"Fn::Sub": "${OrdersDynamoTable.Arn}/index/*"},
    ]
    assert {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"} <= set(table["Action"])
    assert all("*" not in action for action in table["Action"])
    assert "dynamodb:DeleteTable" not in table["Action"]


def test_table_mistakes_are_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    no_stream = CONFIG.replace("      streamType: NEW_AND_OLD_IMAGES\n", "")
    result = cli("synth", cwd=write(tmp_path, {**FILES, "stackwright.yml": no_stream}))
    assert result.code == 2 and "Traceback" not in result.err
    assert "has no parameter 'streamArn'" in result.err and "its parameters: name, arn" in result.err


def test_a_table_and_its_stream_event_deploy(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    result = cli("--local", "deploy", cwd=write(tmp_path, FILES))
    assert result.code == 0, result.err
    dynamodb = aws("dynamodb")
    table = dynamodb.describe_table(TableName="shop-dev-orders")["Table"]
    assert [k["AttributeName"] for k in table["KeySchema"]] == ["customerId", "createdAt"]
    assert {i["IndexName"]: i["Projection"]["ProjectionType"] for i in table["GlobalSecondaryIndexes"]} == {
        "byStatus": "INCLUDE",
        "byEmail": "KEYS_ONLY",
    }
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    backups = dynamodb.describe_continuous_backups(TableName="shop-dev-orders")[
        "ContinuousBackupsDescription"
    ]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    sessions = dynamodb.describe_table(TableName="shop-dev-sessions")["Table"]
    assert sessions["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    (mapping,) = aws("lambda").list_event_source_mappings(FunctionName="shop-dev-audit")[
        "EventSourceMappings"
    ]
    assert mapping["EventSourceArn"] == table["LatestStreamArn"]
    assert (mapping["StartingPosition"], mapping["BatchSize"]) == ("TRIM_HORIZON", 50)
    function = aws("lambda").get_function(FunctionName="shop-dev-audit")["Configuration"]
    variables = function["Environment"]["Variables"]
    assert variables["STP_ORDERS_NAME"] == "shop-dev-orders"
    assert variables["STP_ORDERS_STREAM_ARN"] == table["LatestStreamArn"]
    assert "SessionsWriteScalableTarget (AWS::ApplicationAutoScaling::ScalableTarget)" in result.err


def test_a_changed_table_stays_in_the_stack_and_takes_the_change(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """The engine's CloudFormation cannot update a table: it replaces it (its items go, as the warning
    says), instead of dropping it from the stack while saying the update worked."""
    config = (
        "serviceName: tbl\nresources:\n  orders:\n    type: dynamo-db-table\n    properties:\n"
        "      primaryKey: {partitionKey: {name: id, type: string}}\n"
    )
    root = write(tmp_path, {"stackwright.yml": config})
    assert cli("--local", "deploy", cwd=root).code == 0
    changed = (
        config
        + "      enablePointInTimeRecovery: true\n      secondaryIndexes: [{name: byDay, partitionKey: {name: day, type: string}}]\n"
    )
    (root / "stackwright.yml").write_text(changed)
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    assert "OrdersDynamoTable (AWS::DynamoDB::Table): the local engine replaces it to change it" in result.err
    listed = aws("cloudformation").list_stack_resources(StackName="tbl-dev")["StackResourceSummaries"]
    assert "OrdersDynamoTable" in {r.get("LogicalResourceId") for r in listed}
    table = aws("dynamodb").describe_table(TableName="tbl-dev-orders")["Table"]
    assert [i["IndexName"] for i in table["GlobalSecondaryIndexes"]] == ["byDay"]
    backups = aws("dynamodb").describe_continuous_backups(TableName="tbl-dev-orders")[
        "ContinuousBackupsDescription"
    ]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert cli("--local", "delete", "--yes", cwd=root).code == 0
    assert "tbl-dev-orders" not in aws("dynamodb").list_tables()["TableNames"]


def test_key_mistakes_dynamodb_would_refuse_are_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    clash = CONFIG.replace(
        "partitionKey: {name: email, type: string}", "partitionKey: {name: createdAt, type: string}"
    )
    result = cli("synth", cwd=write(tmp_path / "clash", {**FILES, "stackwright.yml": clash}))
    assert (
        result.code == 2
        and "attribute 'createdAt' is a string here and a number in another key" in result.err
    )
    twice = CONFIG.replace("        - name: byEmail", "        - name: byStatus")
    result = cli("synth", cwd=write(tmp_path / "twice", {**FILES, "stackwright.yml": twice}))
    assert result.code == 2 and "two secondary indexes are named 'byStatus'" in result.err
    wrong = CONFIG.replace("$ResourceParam('orders', 'streamArn')", "$ResourceParam('orders', 'arn')")
    result = cli("synth", cwd=write(tmp_path / "wrong", {**FILES, "stackwright.yml": wrong}))
    assert result.code == 2 and "`streamArn` is the `arn` of 'orders', a dynamo-db-table" in result.err
    assert "Traceback" not in result.err
