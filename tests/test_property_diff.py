from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

import pytest
from stackwright.property_diff import (
    PropertyChange,
    ResourceDiff,
    looks_secret,
    render_text,
    resource_diffs,
    to_records,
)

FUNCTION = "AWS::Lambda::Function"


def change(logical_id: str, action: str = "Modify", kind: str = FUNCTION, **extra: Any) -> dict[str, Any]:
    item = {"Action": action, "LogicalResourceId": logical_id, "ResourceType": kind, **extra}
    return {"Type": "Resource", "ResourceChange": item}


def template(**resources: dict[str, Any]) -> dict[str, Any]:
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def resource(kind: str = FUNCTION, **properties: Any) -> dict[str, Any]:
    return {"Type": kind, "Properties": properties}


def diff_of(old: dict[str, Any], new: dict[str, Any], kind: str = FUNCTION) -> tuple[PropertyChange, ...]:
    """The property changes of one modified resource `R`."""
    (only,) = resource_diffs(template(R=old), template(R=new), [change("R", kind=kind)])
    return only.properties


def paths(changes: tuple[PropertyChange, ...]) -> list[str]:
    return [c.path for c in changes]


# what changes


def test_a_nested_change_is_one_path_with_both_values_as_json() -> None:
    old = resource(Timeout=10, Environment={"Variables": {"TABLE_NAME": "a", "STAGE": "dev"}})
    new = resource(Timeout=30, Environment={"Variables": {"TABLE_NAME": "b", "STAGE": "dev"}})
    assert diff_of(old, new) == (
        PropertyChange("Properties.Timeout", "10", "30"),
        PropertyChange("Properties.Environment.Variables.TABLE_NAME", '"a"', '"b"'),
    )


def test_unchanged_resources_have_no_property_changes() -> None:
    same = resource(Timeout=10, Layers=["a"], Role={"Fn::GetAtt": ["Role", "Arn"]})
    assert diff_of(same, json.loads(json.dumps(same))) == ()


def test_added_and_removed_properties_have_no_other_side() -> None:
    changes = diff_of(resource(Description="old", Timeout=3), resource(Timeout=3, MemorySize=512))
    assert changes == (
        PropertyChange("Properties.MemorySize", None, "512"),
        PropertyChange("Properties.Description", '"old"', None),
    )


def test_an_added_dict_lists_its_leaves_and_an_empty_one_is_one_value() -> None:
    old = resource(Timeout=3)
    new = resource(Timeout=3, Environment={"Variables": {"A": "1", "B": "2"}}, Tags=[], VpcConfig={})
    assert diff_of(old, new) == (
        PropertyChange("Properties.Environment.Variables.A", None, '"1"'),
        PropertyChange("Properties.Environment.Variables.B", None, '"2"'),
        PropertyChange("Properties.Tags", None, "[]"),
        PropertyChange("Properties.VpcConfig", None, "{}"),
    )


def test_scalar_values_render_as_json_and_keep_their_type() -> None:
    old = resource(Enabled=True, Size=1, Name="1", Nothing=None, Ratio=0.5)
    new = resource(Enabled=1, Size="1", Name=1, Nothing="null", Ratio=0.5)
    assert [(c.before, c.after) for c in diff_of(old, new)] == [
        ("true", "1"),
        ("1", '"1"'),
        ('"1"', "1"),
        ("null", '"null"'),
    ]


def test_intrinsic_functions_are_one_value_in_compact_json() -> None:
    old = resource(Role={"Fn::GetAtt": ["RoleA", "Arn"]}, Bucket={"Ref": "A"}, Name="plain")
    new = resource(
        Role={"Fn::GetAtt": ["RoleB", "Arn"]}, Bucket={"Ref": "B"}, Name={"Fn::Sub": "${AWS::StackName}-x"}
    )
    assert diff_of(old, new) == (
        PropertyChange("Properties.Role", '{"Fn::GetAtt":["RoleA","Arn"]}', '{"Fn::GetAtt":["RoleB","Arn"]}'),
        PropertyChange("Properties.Bucket", '{"Ref":"A"}', '{"Ref":"B"}'),
        PropertyChange("Properties.Name", '"plain"', '{"Fn::Sub":"${AWS::StackName}-x"}'),
    )


def test_a_dict_turned_into_a_list_is_one_change() -> None:
    assert diff_of(resource(X={"a": 1}), resource(X=[1])) == (
        PropertyChange("Properties.X", '{"a":1}', "[1]"),
    )


def test_unicode_is_kept_and_control_characters_are_escaped() -> None:
    old, new = (
        template(R=resource(Description="café")),
        template(R=resource(Description="\x1b[2Jnaïve\u202egnp.exe\x9b")),
    )
    (only,) = resource_diffs(old, new, [change("R")])[0].properties
    assert only.before == '"café"'
    assert only.after == '"\\u001b[2Jnaïve\\u202egnp.exe\\u009b"'
    shown = "".join(render_text(resource_diffs(old, new, [change("R")])))
    assert not {"\x1b", "\u202e", "\x9b"} & set(shown)


def test_keys_that_are_not_plain_names_are_quoted_in_the_path() -> None:
    old = {"Type": FUNCTION, "Metadata": {"aws:cdk:path": "a", "odd.key name": 1}}
    new = {"Type": FUNCTION, "Metadata": {"aws:cdk:path": "b", "odd.key name": 2}}
    assert paths(diff_of(old, new)) == ["Metadata.aws:cdk:path", 'Metadata["odd.key name"]']


# lists


def test_a_changed_list_item_is_shown_by_index() -> None:
    assert diff_of(resource(Layers=["a", "b", "c"]), resource(Layers=["a", "B", "c"])) == (
        PropertyChange("Properties.Layers[1]", '"b"', '"B"'),
    )


def test_an_item_appended_inserted_or_taken_out_is_one_line() -> None:
    assert diff_of(resource(Layers=["a", "b"]), resource(Layers=["a", "b", "c"])) == (
        PropertyChange("Properties.Layers[2]", None, '"c"'),
    )
    assert diff_of(resource(Layers=["a", "b"]), resource(Layers=["x", "a", "b"])) == (
        PropertyChange("Properties.Layers[0]", None, '"x"'),
    )
    assert diff_of(resource(Layers=["a", "b", "c", "d"]), resource(Layers=["a", "d"])) == (
        PropertyChange("Properties.Layers[1]", '"b"', None),
        PropertyChange("Properties.Layers[2]", '"c"', None),
    )


def test_a_list_emptied_or_replaced_lists_every_item() -> None:
    assert diff_of(resource(Layers=["a", "b"]), resource(Layers=[])) == (
        PropertyChange("Properties.Layers[0]", '"a"', None),
        PropertyChange("Properties.Layers[1]", '"b"', None),
    )
    assert diff_of(resource(Layers=["a"]), resource(Layers=["b", "c"])) == (
        PropertyChange("Properties.Layers[0]", '"a"', '"b"'),
        PropertyChange("Properties.Layers[1]", None, '"c"'),
    )


def test_items_of_a_list_of_dicts_are_walked_into() -> None:
    old = resource(
        "AWS::ECS::TaskDefinition", ContainerDefinitions=[{"Name": "web", "Cpu": 256, "Image": "x:1"}]
    )
    new = resource(
        "AWS::ECS::TaskDefinition", ContainerDefinitions=[{"Name": "web", "Cpu": 512, "Image": "x:2"}]
    )
    assert diff_of(old, new) == (
        PropertyChange("Properties.ContainerDefinitions[0].Cpu", "256", "512"),
        PropertyChange("Properties.ContainerDefinitions[0].Image", '"x:1"', '"x:2"'),
    )


# resource attributes


def test_resource_attributes_are_compared_after_the_properties() -> None:
    old = {"Type": FUNCTION, "Properties": {"Timeout": 3}, "Metadata": {"Owner": {"Team": "a"}}}
    new = {
        "Type": FUNCTION,
        "Properties": {"Timeout": 4},
        "Condition": "IsProd",
        "Metadata": {"Owner": {"Team": "b"}},
        "UpdateReplacePolicy": "Retain",
        "DeletionPolicy": "Snapshot",
    }
    assert diff_of(old, new) == (
        PropertyChange("Properties.Timeout", "3", "4"),
        PropertyChange("DeletionPolicy", None, '"Snapshot"'),
        PropertyChange("UpdateReplacePolicy", None, '"Retain"'),
        PropertyChange("Condition", None, '"IsProd"'),
        PropertyChange("Metadata.Owner.Team", '"a"', '"b"'),
    )


def test_depends_on_is_one_set_of_names() -> None:
    old = {"Type": FUNCTION, "DependsOn": "A"}
    assert diff_of(old, {"Type": FUNCTION, "DependsOn": ["A"]}) == ()
    assert (
        diff_of({"Type": FUNCTION, "DependsOn": ["B", "A"]}, {"Type": FUNCTION, "DependsOn": ["A", "B"]})
        == ()
    )
    assert diff_of(old, {"Type": FUNCTION, "DependsOn": ["B", "A"]}) == (
        PropertyChange("DependsOn", '["A"]', '["A","B"]'),
    )
    assert diff_of(old, {"Type": FUNCTION}) == (PropertyChange("DependsOn", '["A"]', None),)


def test_a_resource_without_properties_gains_them() -> None:
    assert diff_of({"Type": FUNCTION}, resource(Timeout=3)) == (
        PropertyChange("Properties.Timeout", None, "3"),
    )


# secrets


@pytest.mark.parametrize(
    "name",
    [
        "DB_PASSWORD",
        "MasterUserPassword",
        "passwd",
        "ClientSecret",
        "GITHUB_TOKEN",
        "private-key",
        "PrivateKey",
        "STRIPE_API_KEY",
        "apiKey",
        "AWS_SECRET_ACCESS_KEY",
        "AccessKey",
        "Credentials",
        "AuthToken",
        "Authorization",
        "x-auth-header",
        "STRIPE_KEY",
        "SIGNING_PASSPHRASE",
        "OAUTH_TOKEN_VALID",
        "PUSH_TOKEN_ANDROID",
    ],
)
def test_names_that_look_secret(name: str) -> None:
    assert looks_secret(name)


@pytest.mark.parametrize(
    "name",
    [
        "KeyName",
        "KmsKeyId",
        "SecretArn",
        "SecretId",
        "AuthorizerId",
        "AuthorizationType",
        "AWS_ACCESS_KEY_ID",
        "TABLE_NAME",
        "Timeout",
        "S3Key",
        "PartitionKey",
        "API_TOKEN_ID",
    ],
)
def test_names_of_references_and_kinds_do_not_look_secret(name: str) -> None:
    assert not looks_secret(name)


def test_a_secret_value_is_masked_but_its_change_is_said() -> None:
    old = resource(Environment={"Variables": {"DB_PASSWORD": "hunter2", "STAGE": "dev"}})
    new = resource(Environment={"Variables": {"DB_PASSWORD": "hunter3", "STAGE": "prod"}})
    assert diff_of(old, new) == (
        PropertyChange("Properties.Environment.Variables.DB_PASSWORD", "****", "****", True),
        PropertyChange("Properties.Environment.Variables.STAGE", '"dev"', '"prod"'),
    )
    lines = render_text(resource_diffs(template(R=old), template(R=new), [change("R")]))
    assert "    Properties.Environment.Variables.DB_PASSWORD: **** → **** (secret)" in lines
    assert "hunter" not in "\n".join(lines)


def test_an_added_or_removed_secret_keeps_its_missing_side() -> None:
    changes = diff_of(resource(Token="t-1"), resource(ApiKey="k-1"))
    assert changes == (
        PropertyChange("Properties.ApiKey", None, "****", True),
        PropertyChange("Properties.Token", "****", None, True),
    )


def test_environment_pairs_are_masked_by_the_variable_name() -> None:
    def task(*environment: dict[str, str]) -> dict[str, Any]:
        definition = {"Name": "web", "Environment": list(environment)}
        return resource("AWS::ECS::TaskDefinition", ContainerDefinitions=[definition])

    old = task({"Name": "STAGE", "Value": "dev"}, {"Name": "API_TOKEN", "Value": "t-1"})
    new = task(
        {"Name": "STAGE", "Value": "prod"},
        {"Name": "API_TOKEN", "Value": "t-2"},
        {"Name": "DB_PASS_WORD", "Value": "p"},
    )
    at = "Properties.ContainerDefinitions[0].Environment"
    assert diff_of(old, new, "AWS::ECS::TaskDefinition") == (
        PropertyChange(f"{at}[0].Value", '"dev"', '"prod"'),
        PropertyChange(f"{at}[1].Value", "****", "****", True),
        PropertyChange(f"{at}[2].Name", None, '"DB_PASS_WORD"'),
        PropertyChange(f"{at}[2].Value", None, "****", True),
    )


def test_a_pair_renamed_to_a_secret_name_masks_both_values() -> None:
    old = resource(Tags=[{"Key": "note", "Value": "a"}])
    new = resource(Tags=[{"Key": "auth", "Value": "b"}])
    assert diff_of(old, new) == (
        PropertyChange("Properties.Tags[0].Key", '"note"', '"auth"'),
        PropertyChange("Properties.Tags[0].Value", "****", "****", True),
    )


def test_properties_aws_marks_secret_are_masked_by_resource_type() -> None:
    assert diff_of(resource(Value="k-1"), resource(Value="k-2"), "AWS::ApiGateway::ApiKey") == (
        PropertyChange("Properties.Value", "****", "****", True),
    )
    old = resource(AuthenticationMode={"Type": "password", "Passwords": ["a"]})
    new = resource(AuthenticationMode={"Type": "password", "Passwords": ["b"]})
    assert diff_of(old, new, "AWS::MemoryDB::User")[0].masked
    # the same name on a type that does not hold a secret there is shown
    assert diff_of(resource(Value="a"), resource(Value="b"), "AWS::SSM::Parameter") == (
        PropertyChange("Properties.Value", '"a"', '"b"'),
    )


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("AWS::RDS::DBInstance", "MasterUserPassword"),
        ("AWS::RDS::DBCluster", "MasterUserPassword"),
        ("AWS::DocDB::DBCluster", "MasterUserPassword"),
        ("AWS::SecretsManager::Secret", "SecretString"),
        ("AWS::ElastiCache::ReplicationGroup", "AuthToken"),
    ],
)
def test_common_secret_properties_are_masked(kind: str, name: str) -> None:
    (only,) = diff_of(resource(kind, **{name: "s-1"}), resource(kind, **{name: "s-2"}), kind)
    assert (only.before, only.after, only.masked) == ("****", "****", True)


def test_references_to_secrets_are_shown() -> None:
    kind = "AWS::RDS::DBCluster"
    old = resource(
        kind,
        MasterUserPassword="{{resolve:secretsmanager:db-a:SecretString:password}}",
        ManageMasterUserPassword=False,
    )
    new = resource(
        kind,
        MasterUserPassword="{{resolve:secretsmanager:db-b:SecretString:password}}",
        ManageMasterUserPassword=True,
    )
    changes = diff_of(old, new, kind)
    assert not any(c.masked for c in changes)
    assert changes[0].after == '"{{resolve:secretsmanager:db-b:SecretString:password}}"'
    assert changes[1] == PropertyChange("Properties.ManageMasterUserPassword", "false", "true")
    old = resource(
        Environment={
            "Variables": {
                "API_TOKEN": {"Ref": "TokenA"},
                "AUTH_SECRET": "arn:aws:secretsmanager:eu-west-1:1:secret:a",
            }
        }
    )
    new = resource(
        Environment={
            "Variables": {
                "API_TOKEN": {"Ref": "TokenB"},
                "AUTH_SECRET": "arn:aws:secretsmanager:eu-west-1:1:secret:b",
            }
        }
    )
    assert not any(c.masked for c in diff_of(old, new))


def test_a_secret_turned_from_a_reference_into_a_literal_masks_both_sides() -> None:
    kind = "AWS::RDS::DBInstance"
    old = resource(kind, MasterUserPassword="{{resolve:secretsmanager:db:SecretString:password}}")
    new = resource(kind, MasterUserPassword="hunter2")
    assert diff_of(old, new, kind) == (PropertyChange("Properties.MasterUserPassword", "****", "****", True),)
    # a dynamic reference with a literal around it is not only a reference
    new = resource(kind, MasterUserPassword="x{{resolve:secretsmanager:db:SecretString:password}}")
    assert diff_of(old, new, kind)[0].masked


def test_a_value_shown_whole_is_masked_when_it_holds_a_secret() -> None:
    old = resource(Auth="none")
    new = resource(Settings=[{"Name": "SESSION_SECRET", "Value": "s"}], Options="x")
    changes = diff_of(resource(Settings="none"), resource(Settings={"password": "p", "user": "u"}))
    assert changes == (PropertyChange("Properties.Settings", "****", "****", True),)
    changes = diff_of(resource(Settings="none"), new)
    assert changes[0] == PropertyChange("Properties.Settings", "****", "****", True)
    assert diff_of(old, resource(Auth={"Fn::Sub": "${A}:${B}"}))[0].masked


# long values


def test_long_values_are_cut_and_their_length_noted() -> None:
    (only,) = diff_of(resource(Description="a" * 79), resource(Description="b" * 200))
    assert only.before == '"' + "a" * 79 + "… (81 characters)"
    assert only.after is not None
    assert only.after == '"' + "b" * 79 + "… (202 characters)"
    assert len(only.after.split("…")[0]) == 80


def test_exactly_eighty_characters_are_not_cut() -> None:
    (only,) = diff_of(resource(Description="x"), resource(Description="y" * 78))
    assert only.after == '"' + "y" * 78 + '"'


def test_two_long_values_are_cut_around_where_they_first_differ() -> None:
    head = "s" * 150
    (only,) = diff_of(
        resource(Code={"ZipFile": head + "OLD" + "t" * 100}),
        resource(Code={"ZipFile": head + "NEW" + "t" * 100}),
    )
    assert only.before is not None and only.after is not None
    assert only.before.startswith("…") and "OLD" in only.before and only.before.endswith("… (255 characters)")
    assert only.after.startswith("…") and "NEW" in only.after


def test_long_intrinsic_functions_are_cut_too() -> None:
    join = {"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "Bucket"}, "/" + "k" * 120]]}
    (only,) = diff_of(resource(Policy="p"), resource(Policy=join))
    assert only.after is not None and only.after.startswith('{"Fn::Join":') and "characters)" in only.after


# actions and change sets


def test_an_added_resource_lists_its_properties_when_it_is_short() -> None:
    new = template(Queue=resource("AWS::SQS::Queue", QueueName="q", VisibilityTimeout=30))
    (only,) = resource_diffs(template(), new, [change("Queue", "Add", "AWS::SQS::Queue")])
    assert only == ResourceDiff(
        "Add",
        "Queue",
        "AWS::SQS::Queue",
        "-",
        (
            PropertyChange("Properties.QueueName", None, '"q"'),
            PropertyChange("Properties.VisibilityTimeout", None, "30"),
        ),
    )


def test_an_added_resource_with_many_properties_lists_none() -> None:
    big = resource(**{f"P{i}": i for i in range(9)})
    (only,) = resource_diffs(None, template(Big=big), [change("Big", "Add")])
    assert only.properties == ()
    eight = resource(**{f"P{i}": i for i in range(8)})
    (only,) = resource_diffs(None, template(Big=eight), [change("Big", "Add")])
    assert len(only.properties) == 8


def test_an_added_resource_masks_its_secrets() -> None:
    new = template(Db=resource("AWS::RDS::DBInstance", MasterUsername="admin", MasterUserPassword="hunter2"))
    (only,) = resource_diffs(None, new, [change("Db", "Add", "AWS::RDS::DBInstance")])
    assert only.properties[1] == PropertyChange("Properties.MasterUserPassword", None, "****", True)


def test_a_removed_resource_lists_no_properties() -> None:
    old = template(Fn=resource(Timeout=3))
    (only,) = resource_diffs(old, template(), [change("Fn", "Remove", Replacement="")])
    assert only == ResourceDiff("Remove", "Fn", FUNCTION, "-", ())


def test_a_dynamic_change_is_compared_like_a_modification() -> None:
    old, new = template(Fn=resource(Timeout=3)), template(Fn=resource(Timeout=4))
    (only,) = resource_diffs(old, new, [change("Fn", "Dynamic")])
    assert only.action == "Dynamic" and paths(only.properties) == ["Properties.Timeout"]


def test_a_renamed_logical_id_is_an_add_and_a_remove() -> None:
    table = resource("AWS::DynamoDB::Table", TableName="t", BillingMode="PAY_PER_REQUEST")
    changes = [
        change("Table2", "Add", "AWS::DynamoDB::Table"),
        change("Table", "Remove", "AWS::DynamoDB::Table"),
    ]
    diffs = resource_diffs(template(Table=table), template(Table2=table), changes)
    assert [(d.action, d.logical_id, len(d.properties)) for d in diffs] == [
        ("Add", "Table2", 2),
        ("Remove", "Table", 0),
    ]


@pytest.mark.parametrize(
    ("given", "shown"), [("True", "yes"), ("False", "no"), ("Conditional", "maybe"), (None, "-"), ("", "-")]
)
def test_replacement_is_said_in_words(given: str | None, shown: str) -> None:
    extra = {} if given is None else {"Replacement": given}
    (only,) = resource_diffs(None, template(), [change("Fn", **extra)])
    assert only.replacement == shown


def test_without_a_deployed_template_a_modification_has_no_properties() -> None:
    (only,) = resource_diffs(None, template(Fn=resource(Timeout=3)), [change("Fn")])
    assert only.properties == ()


def test_resources_missing_from_either_template_do_not_break_the_diff() -> None:
    old, new = template(A=resource(Timeout=1)), template(B=resource(Timeout=1))
    changes = [change("A"), change("B"), change("Gone", "Add"), change("A", "Dynamic"), change("")]
    diffs = resource_diffs(old, new, changes)
    assert [d.properties for d in diffs] == [()] * 5
    assert resource_diffs({}, {}, [change("X")])[0].properties == ()
    assert resource_diffs({"Resources": None}, {"Resources": "odd"}, [change("X")])[0].properties == ()
    assert resource_diffs(template(X="odd"), template(X=resource()), [change("X")])[0].properties == ()


def test_changes_that_are_not_resource_changes_are_skipped() -> None:
    hook = {"Type": "HookInvocation", "HookInvocation": {"HookType": "Private::Guard::Hook"}}
    diffs = resource_diffs(None, template(), [hook, change("Fn"), {"ResourceChange": {"Action": "Modify"}}])
    assert [d.logical_id for d in diffs] == ["Fn"]


def test_diffs_keep_the_change_sets_order_and_properties_a_stable_one() -> None:
    old = template(A=resource(X=1, Y=1), B=resource(Y=1, X=1, Gone=1))
    new = template(B=resource(X=2, Y=2, New=1), A=resource(Y=2, X=2))
    changes = [change("B"), change("A")]
    diffs = resource_diffs(old, new, changes)
    assert [d.logical_id for d in diffs] == ["B", "A"]
    # the new template's order, then what only the deployed one had
    assert paths(diffs[0].properties) == ["Properties.X", "Properties.Y", "Properties.New", "Properties.Gone"]
    assert paths(diffs[1].properties) == ["Properties.Y", "Properties.X"]
    assert resource_diffs(old, new, changes) == diffs


def test_the_deployed_template_may_be_any_mapping() -> None:
    old = OrderedDict(Resources=OrderedDict(Fn=OrderedDict(Type=FUNCTION, Properties=OrderedDict(Timeout=3))))
    (only,) = resource_diffs(old, template(Fn=resource(Timeout=5)), [change("Fn")])
    assert only.properties == (PropertyChange("Properties.Timeout", "3", "5"),)


# output


def test_render_text_lists_resources_with_property_changes() -> None:
    old = template(
        Fn=resource(Timeout=3, Description="d"),
        Table=resource("AWS::DynamoDB::Table", TableName="a"),
        Same=resource(),
    )
    new = template(
        Fn=resource(Timeout=30, MemorySize=256),
        Table=resource("AWS::DynamoDB::Table", TableName="b"),
        Same=resource(),
        Queue=resource("AWS::SQS::Queue", QueueName="q"),
    )
    changes = [
        change("Fn", Replacement="False"),
        change("Table", kind="AWS::DynamoDB::Table", Replacement="True"),
        change("Same", Replacement="Conditional"),
        change("Old", "Remove"),
        change("Queue", "Add", "AWS::SQS::Queue"),
    ]
    assert render_text(resource_diffs(old, new, changes)) == [
        "  Fn",
        "    Properties.Timeout: 3 → 30",
        "    + Properties.MemorySize: 256",
        '    - Properties.Description: "d"',
        "  Table (replaced)",
        '    Properties.TableName: "a" → "b"',
        "  Queue",
        '    + Properties.QueueName: "q"',
    ]
    assert render_text(
        [
            ResourceDiff(
                "Modify", "X", FUNCTION, "maybe", (PropertyChange("DeletionPolicy", None, '"Retain"'),)
            )
        ]
    ) == [
        "  X (may be replaced)",
        '    + DeletionPolicy: "Retain"',
    ]
    assert render_text([]) == []


def test_records_are_json_with_snake_case_keys() -> None:
    old = template(Fn=resource(Timeout=3, Environment={"Variables": {"SECRET_KEY": "a"}}))
    new = template(Fn=resource(Timeout=4, Environment={"Variables": {"SECRET_KEY": "b"}}))
    records = to_records(
        resource_diffs(old, new, [change("Fn", Replacement="False"), change("Gone", "Remove")])
    )
    assert json.loads(json.dumps(records)) == [
        {
            "action": "Modify",
            "logical_id": "Fn",
            "resource_type": FUNCTION,
            "replacement": "no",
            "properties": [
                {"path": "Properties.Timeout", "before": "3", "after": "4", "masked": False},
                {
                    "path": "Properties.Environment.Variables.SECRET_KEY",
                    "before": "****",
                    "after": "****",
                    "masked": True,
                },
            ],
        },
        {
            "action": "Remove",
            "logical_id": "Gone",
            "resource_type": FUNCTION,
            "replacement": "-",
            "properties": [],
        },
    ]
