"""The console's contract pieces: `ConsolePanel` methods, the targets' `console_url` and
`describe_extensions`, and the masking and pending-diff helpers the panels use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stackwright import (
    Clients,
    ConsolePage,
    PanelContent,
    PanelLink,
    StackResource,
    StackState,
    StackView,
    pipeline,
    property_diff,
)
from stackwright.builtin_plugins.aws_target import AwsTarget
from stackwright.builtin_plugins.console.panels import ConfigView, Drift, Resources
from stackwright.builtin_plugins.local_engine import LocalTarget
from stackwright.config.load import Options
from stackwright.plugins import load_plugins

from tests import cfn_replay as cfn
from tests.cfn_replay import Stubs
from tests.helpers import FUNCTION_CONFIG, write
from tests.test_extensions import ATLAS_CLUSTER, activated

REGION = "eu-west-1"


def context(tmp_path: Path, target: str = "aws") -> Any:
    root = write(
        tmp_path / "p", {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    pass\n"}
    )
    ctx = pipeline.open_stack(
        Options(directory=root, target=target, region=REGION), load_plugins(autoload=False)
    )
    ctx.state = StackState("demo-dev", "UPDATE_COMPLETE", resources={"StpDeploymentBucket": cfn.BUCKET})
    ctx.state.stack_id = f"arn:aws:cloudformation:{REGION}:{cfn.ACCOUNT}:stack/demo-dev/1a2b"
    return ctx


def test_target_console_url(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    aws = AwsTarget()
    function = StackResource("ApiFunction", "AWS::Lambda::Function", "demo-dev-api", "CREATE_COMPLETE")
    assert aws.console_url(ctx, function) == (
        f"https://{REGION}.console.aws.amazon.com/lambda/home?region={REGION}#/functions/demo-dev-api"
    )
    queue = StackResource(
        "Jobs", "AWS::SQS::Queue", f"https://sqs.{REGION}.amazonaws.com/1/jobs", "CREATE_COMPLETE"
    )
    assert aws.console_url(ctx, queue) == (
        f"https://{REGION}.console.aws.amazon.com/sqs/v3/home?region={REGION}#/queues/"
        f"https%3A%2F%2Fsqs.{REGION}.amazonaws.com%2F1%2Fjobs"
    )
    service = StackResource(
        "WebService",
        "AWS::ECS::Service",
        f"arn:aws:ecs:{REGION}:1:service/demo-cluster/web",
        "CREATE_COMPLETE",
    )
    assert "/clusters/demo-cluster/services/web?" in (aws.console_url(ctx, service) or "")
    other = StackResource("Db", "MongoDB::Atlas::Cluster", "x", "CREATE_COMPLETE")
    assert aws.console_url(ctx, other) == (
        f"https://{REGION}.console.aws.amazon.com/cloudformation/home?region={REGION}#/stacks/resources"
        f"?stackId=arn%3Aaws%3Acloudformation%3A{REGION}%3A{cfn.ACCOUNT}%3Astack%2Fdemo-dev%2F1a2b&filteringText=Db"
    )
    assert LocalTarget().console_url(ctx, function) is None  # no AWS console for the embedded engine


def test_target_describe_extensions(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    stubs = Stubs("cloudformation", "s3")
    ctx.aws = Clients(maker=stubs.clients.__getitem__)
    ctx.aws.read_only = True  # as the console reads: DescribeType and GetObject only
    stubs.stubbers["s3"].add_client_error(
        "get_object",
        service_error_code="NoSuchKey",
        http_status_code=404,
        expected_params={"Bucket": cfn.BUCKET, "Key": "stackwright/extensions.json"},
    )
    stubs.cf("describe_type", activated("2.6.2"), {"Type": "RESOURCE", "TypeName": ATLAS_CLUSTER})
    stubs.stubbers["cloudformation"].add_client_error(
        "describe_type",
        service_error_code="TypeNotFoundException",
        service_message="The type 'MongoDB::Atlas::Project' cannot be found.",
        http_status_code=404,
        expected_params={"Type": "RESOURCE", "TypeName": "MongoDB::Atlas::Project"},
    )
    found = AwsTarget().describe_extensions(ctx, [ATLAS_CLUSTER, "MongoDB::Atlas::Project"])
    stubs.done()
    assert [(s.type_name, s.status, s.version) for s in found] == [
        (ATLAS_CLUSTER, "in-place", "2.6.2"),
        ("MongoDB::Atlas::Project", "missing", ""),
    ]
    assert "activated" in found[0].detail and found[0].arn.endswith("MongoDB-Atlas-Cluster")
    skipped = LocalTarget().describe_extensions(ctx, [ATLAS_CLUSTER])
    assert [(s.status, s.detail) for s in skipped] == [("skipped", "target local has no registry")]


def page(tmp_path: Path, **state: Any) -> ConsolePage:
    ctx = context(tmp_path, "local")
    ctx.state = StackState("demo-dev", "UPDATE_COMPLETE", **state)
    view = StackView(
        ctx.state,
        resources=[
            StackResource("ApiFunction", "AWS::Lambda::Function", "demo-dev-api", "UPDATE_COMPLETE"),
            StackResource("StpDeploymentBucket", "AWS::S3::Bucket", "demo-dev-deploy", "CREATE_COMPLETE"),
        ],
    )
    return ConsolePage(
        ctx, view, owners={"ApiFunction": "resources.api"}, links={"ApiFunction": "https://x/"}
    )


def test_panel_applies(tmp_path: Path) -> None:
    shown = page(tmp_path)
    assert Drift().applies(shown) and ConfigView().applies(shown)
    shown.ctx.config.path = None  # a config not read from a file has nothing to show
    assert not ConfigView().applies(shown)


def test_panel_render(tmp_path: Path) -> None:
    shown = page(
        tmp_path,
        hotswapped={
            "ApiFunction": {
                "digest": "ab" * 32,
                "at": "2026-12-02T01:00:00+00:00",
                "physical_id": "demo-dev-api",
            }
        },
    )
    resources = Resources().render(shown)
    assert isinstance(resources, PanelContent)
    first = resources.rows[0]
    assert first[0] == PanelLink("ApiFunction", "/stacks/demo-dev/template#r-ApiFunction")
    assert first[2:4] == ["demo-dev-api", "UPDATE_COMPLETE (hot-swapped)"]
    assert first[4] == PanelLink("resources.api", "/stacks/demo-dev/config#resources.api")
    assert first[5] == PanelLink("open", "https://x/")
    assert resources.rows[1][4] == "stackwright"
    drift = Drift().render(shown)
    assert drift.rows == [["ApiFunction", "demo-dev-api", "abababababab", "2026-12-02T01:00:00+00:00"]]
    assert "1 resource runs hot-swapped code" in drift.text


def test_masked_template_hides_secrets_and_keeps_references() -> None:
    template = {
        "Parameters": {"DbPassword": {"Type": "String", "NoEcho": True, "Default": "hunter2"}},
        "Resources": {
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Environment": {
                        "Variables": {"API_TOKEN": "t0ken", "STAGE": "dev", "DB_SECRET_ARN": "arn:aws:x"}
                    },
                    "Description": "{{resolve:secretsmanager:db:SecretString:password}}",
                },
            },
            "Task": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "ContainerDefinitions": [{"Environment": [{"Name": "DB_PASSWORD", "Value": "pw"}]}]
                },
            },
            "Db": {
                "Type": "AWS::RDS::DBInstance",
                "Properties": {"MasterUserPassword": "plain", "Engine": "postgres"},
            },
            "Ref": {
                "Type": "AWS::RDS::DBInstance",
                "Properties": {"MasterUserPassword": {"Ref": "DbPassword"}},
            },
        },
        "Outputs": {"AdminToken": {"Value": "abc"}, "Url": {"Value": "https://x"}},
    }
    masked = property_diff.masked_template(template)
    assert masked["Parameters"]["DbPassword"]["Default"] == "****"
    variables = masked["Resources"]["Fn"]["Properties"]["Environment"]["Variables"]
    assert variables == {"API_TOKEN": "****", "STAGE": "dev", "DB_SECRET_ARN": "arn:aws:x"}
    assert (
        masked["Resources"]["Task"]["Properties"]["ContainerDefinitions"][0]["Environment"][0]["Value"]
        == "****"
    )
    assert masked["Resources"]["Db"]["Properties"] == {"MasterUserPassword": "****", "Engine": "postgres"}
    assert masked["Resources"]["Ref"]["Properties"]["MasterUserPassword"] == {"Ref": "DbPassword"}
    assert masked["Outputs"] == {"AdminToken": {"Value": "****"}, "Url": {"Value": "https://x"}}
    assert template["Resources"]["Db"]["Properties"]["MasterUserPassword"] == "plain"  # the input is kept


def test_template_changes_pair_two_templates_like_a_change_set() -> None:
    before = {"Resources": {"A": {"Type": "T", "Properties": {"X": 1}}, "B": {"Type": "U"}}}
    after = {"Resources": {"A": {"Type": "T", "Properties": {"X": 2}}, "C": {"Type": "V"}}}
    changes = property_diff.template_changes(before, after)
    assert [(c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"]) for c in changes] == [
        ("Add", "C"),
        ("Modify", "A"),
        ("Remove", "B"),
    ]
    diffs = property_diff.resource_diffs(before, after, changes)
    assert [(p.path, p.before, p.after) for p in diffs[1].properties] == [("Properties.X", "1", "2")]
    assert property_diff.template_changes(after, after) == []
