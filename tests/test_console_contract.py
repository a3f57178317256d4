"""The console's contract pieces: `ConsolePanel` methods, the targets' `console_url` and
`describe_extensions`, and the masking and pending-diff helpers the panels use."""

from __future__ import annotations

from datetime import UTC
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
    rule = StackResource(
        "OnOrderRule", "AWS::Events::Rule", "demo-dev-orders|demo-dev-on-order", "CREATE_COMPLETE"
    )
    assert (aws.console_url(ctx, rule) or "").endswith("#/eventbus/demo-dev-orders/rules/demo-dev-on-order")
    default = StackResource("TickRule", "AWS::Events::Rule", "demo-dev-tick", "CREATE_COMPLETE")
    assert (aws.console_url(ctx, default) or "").endswith("#/eventbus/default/rules/demo-dev-tick")
    stream = StackResource(
        "ClicksKinesisStream", "AWS::Kinesis::Stream", "demo-dev-clicks", "CREATE_COMPLETE"
    )
    assert "#/streams/details/demo-dev-clicks/monitoring" in (aws.console_url(ctx, stream) or "")
    site = StackResource(
        "WebDistribution", "AWS::CloudFront::Distribution", "E2QWRUHEXAMPLE", "CREATE_COMPLETE"
    )
    assert (
        aws.console_url(ctx, site)
        == "https://console.aws.amazon.com/cloudfront/v4/home#/distributions/E2QWRUHEXAMPLE"
    )
    arn = f"arn:aws:elasticloadbalancing:{REGION}:1:loadbalancer/app/demo-dev-web/50dc6c495c0c9188"
    balancer = StackResource(
        "WebLoadBalancer", "AWS::ElasticLoadBalancingV2::LoadBalancer", arn, "CREATE_COMPLETE"
    )
    assert (aws.console_url(ctx, balancer) or "").endswith(
        "#LoadBalancer:loadBalancerArn=arn%3Aaws%3Aelasticloadbalancing%3A"
        + REGION
        + "%3A1%3Aloadbalancer%2Fapp%2Fdemo-dev-web%2F50dc6c495c0c9188"
    )
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
    assert drift.rows == [["ApiFunction", "demo-dev-api", "abababababab", "2026-12-02 01:00:00"]]
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


def test_config_view_masks_secrets_however_they_are_written() -> None:
    """The config as parsed, so YAML's forms (value before name, flow mappings, block scalars) and JSON
    configs are all judged by their names."""
    from stackwright.builtin_plugins.console.highlight import config_html

    data = {
        "serviceName": "demo",
        "resources": {
            "api": {
                "type": "function",
                "properties": {
                    "environment": [
                        {"value": "reversed-BBB222", "name": "SERVICE_PASSWORD"},
                        {"name": "API_SECRET", "value": "blockval-MMM333\n"},
                        {"name": "STRIPE_KEY", "value": "sk_live_123"},
                        {"name": "DB", "value": "$Secret('db.password')"},
                        {"name": "STAGE", "value": "dev"},
                    ]
                },
            }
        },
        "cloudformationResources": {
            "Vault": {"Type": "AWS::SecretsManager::Secret", "Properties": {"SecretString": "block-NNN444\n"}}
        },
    }
    shown = str(config_html(data))
    for secret in ("reversed-BBB222", "blockval-MMM333", "sk_live_123", "block-NNN444"):
        assert secret not in shown
    assert "$Secret(&#39;db.password&#39;)" in shown or "$Secret('db.password')" in shown
    assert ">dev<" in shown
    assert 'id="resources.api"' in shown and 'id="cloudformationResources.Vault"' in shown


def test_template_view_anchors_every_resource_after_multi_line_values() -> None:
    from stackwright.builtin_plugins.console.highlight import template_html

    template = {
        "Resources": {
            "AppParam": {
                "Type": "AWS::SSM::Parameter",
                "Properties": {"Type": "String", "Value": "a\n\nb\nc\n"},
            },
            "AppTopic": {"Type": "AWS::SNS::Topic"},
        }
    }
    owners = {"AppParam": "cloudformationResources.AppParam", "AppTopic": "cloudformationResources.AppTopic"}
    for language in ("yaml", "json"):
        markup, lines = template_html(template, owners, "/stacks/s/config", language)
        assert set(lines) == {"AppParam", "AppTopic"}
        assert 'id="r-AppTopic"' in markup and 'id="r-AppParam"' in markup
    assert 'href="/stacks/s/config#cloudformationResources.AppTopic"' in str(
        template_html(template, owners, "/stacks/s/config")[0]
    )


def test_panel_names_are_checked_when_the_panels_are_collected() -> None:
    import pytest
    from stackwright import ConsolePanel, PluginError, hookimpl

    class Spaced(ConsolePanel):
        name = "Bad Name/x"
        title = "Bad"

    class Plugin:
        @hookimpl
        def stackwright_console_panels(self) -> list[type[ConsolePanel]]:
            return [Spaced]

    plugins = load_plugins(autoload=False, extra=[("spaced", Plugin())])
    with pytest.raises(PluginError, match="console panel name 'Bad Name/x'"):
        plugins.console_panels()
    Spaced.name = "spaced"
    Spaced.refresh = float("nan")  # would make a browser ask without pause
    with pytest.raises(PluginError, match="refresh nan is not a number of seconds"):
        load_plugins(autoload=False, extra=[("spaced", Plugin())]).console_panels()


def test_a_lost_target_is_a_page_that_says_so(tmp_path: Path, engine: str, monkeypatch: Any) -> None:
    """The engine gone while the console runs: every page says the connection is lost (502), no
    traceback; Cognito's GetId, a read by its name that makes an identity, is refused too."""
    import pytest
    from stackwright import Endpoint, StackwrightError
    from stackwright.builtin_plugins.console.app import create_app
    from stackwright.builtin_plugins.console.data import Console
    from stackwright.cli.state import State

    root = write(
        tmp_path / "p", {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    pass\n"}
    )
    monkeypatch.chdir(root)
    state = State(plugins=load_plugins(autoload=False), target_option="local")
    console = Console(state)
    with pytest.raises(StackwrightError, match="refused cognito-identity GetId"):
        console.base.clients.client("cognito-identity").get_id(IdentityPoolId="us-east-1:x")
    with pytest.raises(StackwrightError, match="refused sts GetSessionToken"):
        console.base.clients.client("sts").get_session_token()
    app = create_app(console, "t0ken", 80).test_client()
    app.set_cookie("stackwright_console_80", "t0ken")
    assert app.get("/").status_code == 200
    console._list = None
    dead = Endpoint("us-east-1", endpoint_url="http://127.0.0.1:9", static_credentials=("t", "t"), attempts=1)
    console.base.aws = Clients(dead)
    answer = app.get("/")
    assert answer.status_code == 502 and b"lost the connection to the target" in answer.data
    assert b"start the console again" in answer.data
    assert app.get("/stacks/demo-dev").status_code == 502  # not "no such stack": it cannot be read


def test_outputs_made_from_a_noecho_parameter_are_masked(tmp_path: Path) -> None:
    """CloudFormation returns outputs in plain text, NoEcho or not: an output built from a NoEcho
    parameter is masked by how the template makes it."""
    from stackwright.builtin_plugins.console.panels import Overview

    shown = page(
        tmp_path,
        outputs={"ThingOut": "noecho-1212", "DbUrl": "postgres://u:noecho-1212@h", "Url": "https://x"},
    )
    shown.view.template = {
        "Parameters": {"Thing": {"Type": "String", "NoEcho": True}},
        "Outputs": {
            "ThingOut": {"Value": {"Ref": "Thing"}},
            "DbUrl": {"Value": {"Fn::Sub": "postgres://u:${Thing}@h"}},
            "Url": {"Value": "https://x"},
        },
    }
    shown.view.parameters = {"Thing": "****"}
    rows = {row[0]: row[1] for row in Overview().render(shown).rows}
    assert rows["output ThingOut"] == "****" and rows["output DbUrl"] == "****"
    assert rows["output Url"] == "https://x" and rows["parameter Thing"] == "****"


def test_panel_time_shows_a_timestamp_to_the_second() -> None:
    from datetime import datetime

    from stackwright import panel_time

    assert panel_time(datetime(2026, 12, 2, 5, 13, 40, 123, tzinfo=UTC)) == "2026-12-02 05:13:40"
    assert panel_time(None) == "" and panel_time("soon") == "soon"
