"""A stack past CloudFormation's limits deploys as nested stacks on the local engine: references across
stacks reach their resources, changes are reviewed resource by resource, hot-swaps find functions inside
nested stacks, `info` shows the tree, unused nested templates go, and `delete` removes everything.

The limits are lowered here (a few resources a stack) so a small config splits; the 200-function test
deploys past the real 500."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cfn_replay import ACCOUNT, STACK, Stubs
from tests.cfn_replay import change_set as change_set_reply
from tests.helpers import Result, write

TABLE = """\
  orders:
    type: dynamo-db-table
    properties:
      primaryKey: {partitionKey: {name: id, type: string}}
"""


def function(index: int, extra: str = "") -> str:
    packaging = f"{{type: stacktape-lambda-buildpack, properties: {{entryfilePath: src{index}/app.py}}}}"
    return f"  fn{index}:\n    type: function\n    properties:\n      packaging: {packaging}\n{extra}"


CONNECTED = """\
      connectTo: [orders]
      environment:
        - name: TABLE
          value: $ResourceParam('orders', 'name')
"""


def config(indexes: list[int], table: bool = True, memory: dict[int, int] | None = None) -> str:
    body = "serviceName: nest\nresources:\n" + (TABLE if table else "")
    for index in indexes:
        extra = CONNECTED if index == 3 else ""
        if memory and index in memory:
            extra += f"      memory: {memory[index]}\n"
        body += function(index, extra)
    return body


def files(indexes: list[int], **options: Any) -> dict[str, str]:
    code = {f"src{i}/app.py": f"def handler(event, context):\n    return {i}\n" for i in indexes}
    return {"stackwright.yml": config(indexes, **options), **code}


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past 12 resources a stack splits, two functions (three resources each) to a nested stack."""
    import stackwright.nesting as nesting

    monkeypatch.setattr(nesting, "MAX_RESOURCES", 12)
    monkeypatch.setattr(nesting, "NESTED_RESOURCES", 6)


def stacks(aws: Callable[[str], Any]) -> dict[str, str]:
    return {s["StackName"]: s["StackStatus"] for s in aws("cloudformation").describe_stacks()["Stacks"]}


def root_template(aws: Callable[[str], Any]) -> dict[str, Any]:
    body = aws("cloudformation").get_template(StackName="nest-dev")["TemplateBody"]
    return json.loads(body) if isinstance(body, str) else dict(body)


def nested_keys(aws: Callable[[str], Any], bucket: str) -> set[str]:
    listed = aws("s3").list_objects_v2(Bucket=bucket, Prefix="cf-template/nested/")
    return {str(o["Key"]) for o in listed.get("Contents", [])}


def test_a_split_stack_deploys_changes_hot_swaps_and_deletes(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path, small_limits: None
) -> None:
    root = write(tmp_path / "nest", files([0, 1, 2, 3, 4]))
    first = cli("--local", "deploy", "--yes", cwd=root)
    assert first.code == 0, first.err
    found = stacks(aws)
    nested = sorted(name for name in found if name.startswith("nest-dev-StpNested"))
    assert len(nested) >= 2 and all(found[name].endswith("_COMPLETE") for name in found)
    lam = aws("lambda")
    assert {f"nest-dev-fn{i}" for i in range(5)} <= {
        f["FunctionName"]
        for page in lam.get_paginator("list_functions").paginate()
        for f in page["Functions"]
    }
    # a reference across stacks reaches the resource: the table's name, through parameters and outputs
    tables = aws("dynamodb").list_tables()["TableNames"]
    assert (
        lam.get_function_configuration(FunctionName="nest-dev-fn3")["Environment"]["Variables"]["TABLE"]
        in tables
    )
    # the review told of the resources inside the nested stacks, not of the stacks
    assert "Fn0Function" in first.out + first.err

    info = cli("--local", "info", "--output", "json", cwd=root)
    assert info.code == 0, info.err
    rows = [json.loads(line) for line in info.out.splitlines() if '"event": "resource"' in line]
    by_id = {r["logical_id"]: r for r in rows}
    assert by_id["Fn0Function"]["nested_stack"].startswith("StpNested")
    assert by_id["Fn0Function"]["physical_id"] == "nest-dev-fn0"
    assert by_id["StpDeploymentBucket"]["nested_stack"] is None
    bucket = by_id["StpDeploymentBucket"]["physical_id"]
    text = cli("--local", "info", cwd=root)
    assert "\n  Fn0Function " in text.out, text.out

    # a property change is one row for the function, applied in place in its nested stack
    write(root, {"stackwright.yml": config([0, 1, 2, 3, 4], memory={1: 512})})
    changed = cli("--local", "deploy", "--yes", cwd=root)
    assert changed.code == 0, changed.err
    said = changed.out + changed.err
    assert "Modify  Fn1Function" in said and "StpNested" not in said.split("changes to")[1].split("\n\n")[0]
    assert lam.get_function_configuration(FunctionName="nest-dev-fn1")["MemorySize"] == 512
    assert sorted(n for n in stacks(aws) if "StpNested" in n) == nested  # updated, not recreated

    # a code change to a function inside a nested stack is hot-swapped
    before = lam.get_function(FunctionName="nest-dev-fn4")["Configuration"]["CodeSha256"]
    write(root, {"src4/app.py": "def handler(event, context):\n    return 'four'\n"})
    swapped = cli("--local", "deploy", "--hotswap", cwd=root)
    assert swapped.code == 0, swapped.err
    assert "hot-swapped Fn4Function" in swapped.out + swapped.err
    assert lam.get_function(FunctionName="nest-dev-fn4")["Configuration"]["CodeSha256"] != before

    # a function removed goes from its nested stack; nested templates nothing uses go from the bucket
    write(root, {"stackwright.yml": config([1, 2, 3, 4], memory={1: 512})})
    removed = cli("--local", "deploy", "--yes", cwd=root)
    assert removed.code == 0, removed.err
    names = {
        f["FunctionName"] for p in lam.get_paginator("list_functions").paginate() for f in p["Functions"]
    }
    assert "nest-dev-fn0" not in names and "nest-dev-fn1" in names
    template = root_template(aws)
    used = {
        str(body["Properties"]["TemplateURL"]["Fn::Sub"]).rsplit("/", 2)[-2]
        + "/"
        + str(body["Properties"]["TemplateURL"]["Fn::Sub"]).rsplit("/", 1)[-1]
        for body in template["Resources"].values()
        if body["Type"] == "AWS::CloudFormation::Stack"
    }
    kept = nested_keys(aws, bucket)
    assert {f"cf-template/{u}" for u in used} <= kept
    assert template["Metadata"]["StackwrightTemplate"] in kept
    assert len(kept) <= len(used) + 2  # the nested ones, the logical one, the root's own

    gone = cli("--local", "delete", "--yes", cwd=root)
    assert gone.code == 0, gone.err
    assert stacks(aws) == {}
    assert not any(
        f["FunctionName"].startswith("nest-dev-")
        for p in lam.get_paginator("list_functions").paginate()
        for f in p["Functions"]
    )


def test_a_stack_that_grows_past_the_limits_keeps_what_it_holds_in_the_root(
    cli: Callable[..., Result],
    engine: str,
    aws: Callable[[str], Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Moving a resource into a nested stack deletes and creates it (a table's items lost, a named
    resource refused as already there): what the stack holds stays in the root, what is new goes nested."""
    import stackwright.nesting as nesting

    root = write(tmp_path / "nest", files([0, 1, 2, 3]))
    first = cli("--local", "deploy", "--yes", cwd=root)
    assert first.code == 0, first.err
    table = aws("dynamodb").list_tables()["TableNames"][0]
    aws("dynamodb").put_item(TableName=table, Item={"id": {"S": "kept"}})
    monkeypatch.setattr(nesting, "MAX_RESOURCES", 21)
    monkeypatch.setattr(nesting, "NESTED_RESOURCES", 6)
    write(root, files([0, 1, 2, 3, 4, 5, 6]))
    grown = cli("--local", "deploy", "--yes", cwd=root)
    assert grown.code == 0, grown.err
    assert "data-loss" not in grown.out + grown.err and "destroys" not in grown.out + grown.err
    template = root_template(aws)
    held = set(template["Resources"])
    assert {"Fn0Function", "Fn3Function", "Fn3Role"} <= held and any(lid.startswith("Orders") for lid in held)
    assert "Fn4Function" not in held
    placed = template["Metadata"]["StackwrightNesting"]
    assert set(placed) == {"fn4", "fn5", "fn6"}, placed
    item = aws("dynamodb").get_item(TableName=table, Key={"id": {"S": "kept"}})
    assert "Item" in item
    assert aws("lambda").get_function_configuration(FunctionName="nest-dev-fn6")["FunctionName"]


NESTED_1 = f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/demo-dev-StpNested1-1K2Q3W/6a1e2f30-9a4e-11ef-8d7a-0affd3b7c1e3"
NESTED_2 = f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/demo-dev-StpNested2-7HX2PL/7b2f3040-9a4e-11ef-8d7a-0affd3b7c1e3"


def nested_row(logical: str, stack_id: str, change_set: str) -> dict[str, Any]:
    """A nested stack's row in a root change set made with IncludeNestedStacks, as AWS gives it."""
    return {
        "Type": "Resource",
        "ResourceChange": {
            "Action": "Modify",
            "LogicalResourceId": logical,
            "PhysicalResourceId": stack_id,
            "ResourceType": "AWS::CloudFormation::Stack",
            "Replacement": "False",
            "Scope": ["Properties"],
            "Details": [
                {
                    "Target": {
                        "Attribute": "Properties",
                        "Name": "TemplateURL",
                        "RequiresRecreation": "Never",
                    },
                    "Evaluation": "Static",
                    "ChangeSource": "DirectModification",
                }
            ],
            "ChangeSetId": change_set,
        },
    }


def inner(stack_id: str, change_set: str, rows: list[tuple[str, str, str, str]]) -> dict[str, Any]:
    body = change_set_reply("CREATE_COMPLETE", rows)
    name = stack_id.split("/")[1]
    body.update(
        StackId=stack_id,
        StackName=name,
        ChangeSetId=change_set,
        ChangeSetName=change_set.split("/")[1],
        ParentChangeSetId=ROOT_CHANGE_SET,
        RootChangeSetId=ROOT_CHANGE_SET,
    )
    return body


ROOT_CHANGE_SET = f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:changeSet/stackwright-v000004-1/5d1f"


def test_on_aws_the_changes_inside_nested_stacks_come_from_their_own_change_sets() -> None:
    """The local engine makes no nested change sets: AWS's replies, replayed. A table leaving one nested
    stack for another is one change, a replacement, and asks for approval as one that loses its data."""
    from stackwright.builtin_plugins.cloudformation.approval import AWS_DATA_TYPES, destroyed
    from stackwright.builtin_plugins.cloudformation.nested_changes import flatten

    first = f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:changeSet/demo-dev-StpNested1-1K2Q3W-1/9c1d"
    second = f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:changeSet/demo-dev-StpNested2-7HX2PL-1/aa2e"
    stubs = Stubs("cloudformation")
    stubs.cf(
        "describe_change_set",
        inner(
            NESTED_1,
            first,
            [
                ("Modify", "Fn1Function", "AWS::Lambda::Function", "False"),
                ("Remove", "OrdersTable", "AWS::DynamoDB::Table", ""),
            ],
        ),
        {"ChangeSetName": first},
    )
    stubs.cf(
        "describe_change_set",
        inner(NESTED_2, second, [("Add", "OrdersTable", "AWS::DynamoDB::Table", "")]),
        {"ChangeSetName": second},
    )
    root_rows = [nested_row("StpNested1", NESTED_1, first), nested_row("StpNested2", NESTED_2, second)]
    table = {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "orders"}}
    function = {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": 512}}
    before = {"Resources": {"OrdersTable": table, "Fn1Function": {**function, "Properties": {}}}}
    after = {"Resources": {"OrdersTable": table, "Fn1Function": function}}
    changes = flatten(
        stubs.clients["cloudformation"],
        STACK,
        root_rows,
        before,
        {"OrdersTable": "StpNested1", "Fn1Function": "StpNested1"},
        after,
        {"OrdersTable": "StpNested2", "Fn1Function": "StpNested1"},
    )
    stubs.done()
    rows = [
        (
            c["ResourceChange"]["Action"],
            c["ResourceChange"]["LogicalResourceId"],
            c["ResourceChange"].get("Replacement"),
        )
        for c in changes
    ]
    assert rows == [("Modify", "Fn1Function", "False"), ("Modify", "OrdersTable", "True")]
    lost = destroyed(changes, before, after, frozenset(AWS_DATA_TYPES))
    assert lost == [("OrdersTable", "AWS::DynamoDB::Table", "replaced")]


def test_on_the_engine_the_changes_inside_are_worked_out_from_the_templates() -> None:
    from stackwright.builtin_plugins.cloudformation.nested_changes import flatten

    row = nested_row("StpNested1", NESTED_1, "")
    del row["ResourceChange"]["ChangeSetId"]
    before = {"Resources": {"A": {"Type": "AWS::SQS::Queue"}, "B": {"Type": "AWS::SNS::Topic"}}}
    after = {
        "Resources": {
            "A": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 2}},
            "C": {"Type": "AWS::SNS::Topic"},
        }
    }
    changes = flatten(
        None,
        STACK,
        [row],
        before,
        {"A": "StpNested1", "B": "StpNested1"},
        after,
        {"A": "StpNested1", "C": "StpNested1"},
    )
    assert [(c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"]) for c in changes] == [
        ("Modify", "A"),
        ("Add", "C"),
        ("Remove", "B"),
    ]


def test_past_the_limits_cfn_lint_runs_on_what_changed_and_still_finds_errors(
    cli: Callable[..., Result], tmp_path: Path, small_limits: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stackwright.lint_parts as lint_parts

    linted: list[int] = []
    reduce = lint_parts.reduce

    def counted(template: dict[str, Any], context: str, known: set[str]) -> Any:
        part, keys = reduce(template, context, known)
        linted.append(len((part or {}).get("Resources", {})))
        return part, keys

    monkeypatch.setattr(lint_parts, "reduce", counted)
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    root = write(tmp_path / "nest", files([0, 1, 2, 3, 4]))
    assert cli("validate", cwd=root).code == 0
    total = linted[-1]
    assert total >= 16  # everything, the first time
    write(root, {"stackwright.yml": config([0, 1, 2, 3, 4], memory={1: 512})})
    assert cli("validate", cwd=root).code == 0
    assert 0 < linted[-1] <= 4  # the function, its role, log group and bucket
    broken = config([0, 1, 2, 3, 4]).replace(
        "  fn2:\n    type: function\n",
        "  fn2:\n    type: function\n    overrides:\n      Fn2Function:\n        Timeout: 'soon'\n",
    )
    write(root, {"stackwright.yml": broken})
    failed = cli("validate", cwd=root)
    assert failed.code == 2 and "'soon' is not of type 'integer' (E3012)" in failed.err, failed.err
    assert linted[-1] < total


def test_a_split_stack_that_shrinks_under_the_limits_stays_split_and_moves_nothing(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path, small_limits: None
) -> None:
    """Merging back into one stack would delete and create every resource of the nested stacks, a
    table's items lost, and said nothing of it: what stays keeps its place."""
    root = write(tmp_path / "nest", files([0, 1, 2, 3, 4]))
    assert cli("--local", "deploy", "--yes", cwd=root).code == 0
    table = aws("dynamodb").list_tables()["TableNames"][0]
    aws("dynamodb").put_item(TableName=table, Item={"id": {"S": "kept"}})
    lam = aws("lambda")
    before = lam.get_function_configuration(FunctionName="nest-dev-fn1")["LastModified"]
    write(root, {"stackwright.yml": config([1])})  # 1 function and the table: 4 resources and the bootstrap
    asked = cli("--local", "deploy", cwd=root)  # no terminal, no --yes: removing log groups needs approval
    assert asked.code != 0 and "Fn0LogGroup" in asked.out + asked.err, asked.err
    shrunk = cli("--local", "deploy", "--yes", cwd=root)
    assert shrunk.code == 0, shrunk.err
    assert "Item" in aws("dynamodb").get_item(TableName=table, Key={"id": {"S": "kept"}})
    assert lam.get_function_configuration(FunctionName="nest-dev-fn1")["LastModified"] == before
    assert any("StpNested" in s for s in stacks(aws))
    names = {
        f["FunctionName"] for p in lam.get_paginator("list_functions").paginate() for f in p["Functions"]
    }
    assert names == {"nest-dev-fn1"}


def test_a_replacement_the_target_says_is_asked_for_not_refused() -> None:
    """Only a replacement the target does not report (the engine's) is refused; one AWS reports, a
    resource moved between nested stacks among them, goes to the approval."""
    from stackwright.builtin_plugins.cloudformation.review import unreported

    found = [("A", "AWS::DynamoDB::Table", "replaced"), ("B", "AWS::DynamoDB::Table", "replaced")]
    changes = [
        {
            "Type": "Resource",
            "ResourceChange": {"Action": "Modify", "LogicalResourceId": "A", "Replacement": "True"},
        },
        {"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "B"}},
    ]
    assert unreported(changes, found) == ["B"]
