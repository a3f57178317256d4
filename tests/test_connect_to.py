"""connectTo: what each target type grants (IAM scoped to it, STP_ variables, security-group rules), the
mistakes users make with it, and a local deploy read back through Lambda and IAM."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright import env_name

from tests.helpers import Result, policy_document, write

CONFIG = """\
serviceName: shop
resources:
  orders:
    type: sqs-queue
  alerts:
    type: sns-topic
  mailer:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      environment:
        - name: STP_ORDERS_URL
          value: set-by-hand
      connectTo: [orders, alerts, mailer]
"""
CONTAINERS = """\
  web:
    type: web-service
    properties:
      packaging: {type: custom-dockerfile, properties: {buildContextPath: web}}
      resources: {cpu: 0.25, memory: 512}
      connectTo: [orders, backend]
  backend:
    type: private-service
    properties:
      packaging: {type: custom-dockerfile, properties: {buildContextPath: web}}
      resources: {cpu: 0.25, memory: 512}
      port: 8080
"""
MAILER_ARN = {
    "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:shop-dev-mailer"
}
FILES = {
    "stackwright.yml": CONFIG,
    "src/app.py": "def handler(e, c):\n    return 1\n",
    "web/Dockerfile": 'FROM stackwright-test-base:latest\nCMD ["sleep", "3600"]\n',
}


def synth(cli: Callable[..., Result], root: Path) -> dict[str, Any]:
    result = cli("synth", cwd=root)
    assert result.code == 0, result.err
    return json.loads(result.out)["Resources"]  # type: ignore[no-any-return]


def connect_policy(role: dict[str, Any]) -> list[dict[str, Any]]:
    (policy,) = [
        p
        for p in role["Properties"]["Policies"]
        if p["PolicyName"] == "custom-allow-access-to-policy-statements"
    ]
    return policy["PolicyDocument"]["Statement"]  # type: ignore[no-any-return]


def test_variable_names_follow_stacktape() -> None:
    assert env_name("myQueue", "url") == "STP_MY_QUEUE_URL"
    assert env_name("my-queue", "NAME") == "STP_MY_QUEUE_NAME"
    assert env_name("myAPIQueue", "arn") == "STP_MY_API_QUEUE_ARN"
    assert env_name("queue2", "arn") == "STP_QUEUE2_ARN"
    assert env_name("api2Service", "url") == "STP_API2_SERVICE_URL"
    assert env_name("orders", "logGroupArn") == "STP_ORDERS_LOGGROUPARN"


def test_a_function_connects_to_a_queue_a_topic_and_a_function(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    variables = resources["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert variables == {
        "STP_ORDERS_URL": "set-by-hand",  # what the user set wins
        "STP_ORDERS_ARN": {"Fn::GetAtt": ["OrdersQueue", "Arn"]},
        "STP_ORDERS_NAME": {"Fn::GetAtt": ["OrdersQueue", "QueueName"]},
        "STP_ALERTS_ARN": {"Ref": "AlertsTopic"},
        "STP_ALERTS_NAME": {"Fn::GetAtt": ["AlertsTopic", "TopicName"]},
        "STP_MAILER_ARN": MAILER_ARN,
        "STP_MAILER_LOG_GROUP_ARN": {"Fn::GetAtt": ["MailerLogGroup", "Arn"]},
    }
    statements = connect_policy(resources["ApiRole"])
    assert [(s["Resource"], s["Action"][0]) for s in statements] == [
        ([{"Fn::GetAtt": ["OrdersQueue", "Arn"]}], "sqs:ChangeMessageVisibility"),
        ([{"Ref": "AlertsTopic"}], "sns:ConfirmSubscription"),
        ([MAILER_ARN], "lambda:InvokeFunction"),
    ]
    for statement in statements:  # least privilege: every action on the target's own service, scoped
        assert all(not a.endswith("*") for a in statement["Action"])
        assert "*" not in json.dumps(statement["Resource"]).replace("${AWS::", "")
    assert "Policies" not in resources["MailerRole"]["Properties"]  # the target gains nothing


def test_a_web_service_connects_to_a_queue_and_a_private_service(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    resources = synth(cli, write(tmp_path, {**FILES, "stackwright.yml": CONFIG + CONTAINERS}))
    (container,) = resources["WebTaskDefinition"]["Properties"]["ContainerDefinitions"]
    variables = {e["Name"]: e["Value"] for e in container["Environment"]}
    assert variables["STP_ORDERS_URL"] == {"Ref": "OrdersQueue"}
    assert variables["STP_BACKEND_ADDRESS"] == "backend.shop-dev.internal:8080"
    statements = connect_policy(resources["WebTaskRole"])
    assert statements[1] == {
        "Effect": "Allow",
        "Action": ["ecs:DescribeServices", "ecs:UpdateService"],
        "Resource": [
            {
                "Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/"
                "shop-dev-backend/shop-dev-backend"
            }
        ],
    }
    rule = resources["WebToBackendIngress"]["Properties"]
    assert rule == {
        "GroupId": {"Fn::GetAtt": ["BackendSecurityGroup", "GroupId"]},
        "SourceSecurityGroupId": {"Fn::GetAtt": ["WebSecurityGroup", "GroupId"]},
        "IpProtocol": "tcp",
        "FromPort": 8080,
        "ToPort": 8080,
        "Description": "connectTo from web",
    }


@pytest.mark.parametrize(
    ("connect_to", "message", "hint"),
    [
        (
            "[ordres]",
            "connectTo names 'ordres', which is not a resource of this config",
            "did you mean 'orders'?",
        ),
        ("[api]", "resource 'api' cannot connect to itself", None),
        ("[alerts, alerts]", "connectTo lists 'alerts' twice", None),
        ("['aws:ses']", "connectTo 'aws:ses': AWS service macros are not supported", None),
        (
            "[backend]",
            "`api` (function) cannot connect to `backend` (private-service): reaching it needs a network path",
            None,
        ),
        (
            "[job]",
            "`api` (function) cannot connect to `job` (application-load-balancer): the installed "
            "`application-load-balancer` type offers nothing to connectTo",
            None,
        ),
    ],
)
def test_connect_to_mistakes_are_config_errors(
    cli: Callable[..., Result], tmp_path: Path, connect_to: str, message: str, hint: str | None
) -> None:
    config = (
        CONFIG.replace("connectTo: [orders, alerts, mailer]", f"connectTo: {connect_to}")
        + CONTAINERS
        + "  job:\n    type: application-load-balancer\n"
    )
    result = cli("synth", cwd=write(tmp_path, {**FILES, "stackwright.yml": config}))
    assert result.code == 2, result.err
    assert "stackwright.yml:" in result.err and "resources.api.properties.connectTo." in result.err
    assert message in result.err.replace("\n", " ")
    if hint:
        assert hint in result.err
    assert "Traceback" not in result.err


def test_every_connect_to_mistake_is_reported_at_once(cli: Callable[..., Result], tmp_path: Path) -> None:
    config = CONFIG.replace("connectTo: [orders, alerts, mailer]", "connectTo: [ordres, api, alerts, mailr]")
    result = cli("synth", cwd=write(tmp_path, {**FILES, "stackwright.yml": config}))
    assert result.code == 2 and "3 problems found" in result.err
    assert "'ordres'" in result.err and "itself" in result.err and "'mailr'" in result.err


def test_a_local_deploy_shows_the_variables_and_the_policy(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    root = write(tmp_path, FILES)
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    function = aws("lambda").get_function_configuration(FunctionName="shop-dev-api")
    variables = function["Environment"]["Variables"]
    queue_url = aws("sqs").get_queue_url(QueueName="shop-dev-orders")["QueueUrl"]
    queue_arn = aws("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    topic_arn = next(
        t["TopicArn"]
        for t in aws("sns").list_topics()["Topics"]
        if t["TopicArn"].endswith(":shop-dev-alerts")
    )
    mailer = aws("lambda").get_function_configuration(FunctionName="shop-dev-mailer")["FunctionArn"]
    assert variables["STP_ORDERS_ARN"] == queue_arn and variables["STP_ORDERS_NAME"] == "shop-dev-orders"
    assert variables["STP_ALERTS_ARN"] == topic_arn and variables["STP_MAILER_ARN"] == mailer
    role = function["Role"].rsplit("/", 1)[-1]
    document = aws("iam").get_role_policy(
        RoleName=role, PolicyName="custom-allow-access-to-policy-statements"
    )
    statements = policy_document(document["PolicyDocument"])["Statement"]
    assert [s["Resource"] for s in statements] == [[queue_arn], [topic_arn], [mailer]]
    assert statements[2]["Action"] == ["lambda:InvokeFunction"]


MUTUAL = """\
serviceName: pair
resources:
  ping:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      url: {enabled: true}
      connectTo: [pong, worker]
  pong:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
      connectTo: [ping]
  worker:
    type: worker-service
    properties:
      packaging: {type: custom-dockerfile, properties: {buildContextPath: web}}
      resources: {cpu: 0.25, memory: 512}
      connectTo: [ping]
"""


def test_resources_may_connect_to_each_other(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """Both directions at once: ARNs come from known names, so no dependency cycle forms."""
    root = write(tmp_path, {**FILES, "stackwright.yml": MUTUAL})
    resources = synth(cli, root)
    worker = resources["WorkerTaskDefinition"]["Properties"]["ContainerDefinitions"][0]
    assert {e["Name"] for e in worker["Environment"]} >= {"STP_PING_ARN", "STP_PING_URL"}
    result = cli(
        "--local",
        "deploy",
        cwd=write(
            tmp_path / "functions",
            {**FILES, "stackwright.yml": MUTUAL.split("  worker:")[0].replace(", worker]", "]")},
        ),
    )
    assert result.code == 0, result.err
    ping = aws("lambda").get_function_configuration(FunctionName="pair-dev-ping")
    pong = aws("lambda").get_function_configuration(FunctionName="pair-dev-pong")
    assert ping["Environment"]["Variables"]["STP_PONG_ARN"] == pong["FunctionArn"]
    assert pong["Environment"]["Variables"]["STP_PING_ARN"] == ping["FunctionArn"]


def test_a_dependency_cycle_is_named_before_cloudformation_sees_it(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    config = "serviceName: loop\nresources:\n" + "".join(
        f"  {name}:\n    type: function\n    properties:\n"
        "      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}\n"
        f"      environment:\n        - name: OTHER\n          value: $ResourceParam('{other}', 'arn')\n"
        for name, other in (("ping", "pong"), ("pong", "ping"))
    )
    result = cli("synth", cwd=write(tmp_path, {**FILES, "stackwright.yml": config}))
    assert result.code == 1, result.err
    assert "depend on each other in a circle: PingFunction → PongFunction → PingFunction" in result.err
    assert "config resources involved: ping, pong" in result.err and "Traceback" not in result.err


def test_validate_reports_connect_to_names_without_compiling(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    config = CONFIG.replace(
        "connectTo: [orders, alerts, mailer]",
        "connectTo: [ordres, api, 'aws:ses', '', orders, orders, \"$ResourceParam('orders', 'arn')\"]",
    )
    result = cli("validate", cwd=write(tmp_path, {**FILES, "stackwright.yml": config}))
    assert result.code == 2 and "6 problems found" in result.err
    for text in (
        "connectTo.0: connectTo names 'ordres'",
        "connectTo.1: resource 'api' cannot connect to itself",
        "connectTo.2: connectTo 'aws:ses'",
        "connectTo.3: connectTo takes the names of resources of this config",
        "connectTo.5: connectTo lists 'orders' twice",
        "connectTo.6: connectTo takes the names of resources of this config, not directives",
    ):
        assert text in result.err, text


def test_the_local_engine_says_which_connect_to_changes_it_does_not_apply(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """The engine keeps a role's inline policies from creation (AWS updates them): a changed connectTo is
    named as not applied, and the read-back shows the warning is true."""
    root = write(tmp_path, FILES)
    assert cli("--local", "deploy", cwd=root).code == 0
    (root / "stackwright.yml").write_text(
        CONFIG.replace("connectTo: [orders, alerts, mailer]", "connectTo: [alerts]")
    )
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    assert (
        "the local engine does not apply these changes to existing resources (AWS would): ApiRole.Policies"
        in (result.err)
    )
    role = aws("lambda").get_function_configuration(FunctionName="shop-dev-api")["Role"].rsplit("/", 1)[-1]
    document = aws("iam").get_role_policy(
        RoleName=role, PolicyName="custom-allow-access-to-policy-statements"
    )
    assert len(policy_document(document["PolicyDocument"])["Statement"]) == 3  # still the first deploy's


def test_a_connection_names_its_target_as_overrides_left_it(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    config = CONFIG + "    overrides:\n      ApiFunction: {FunctionName: custom-api}\n"
    config = config.replace("connectTo: [orders, alerts, mailer]", "connectTo: [orders]")
    config += (
        "  caller:\n    type: function\n    properties:\n"
        "      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}\n"
        "      connectTo: [api]\n"
    )
    resources = synth(cli, write(tmp_path, {**FILES, "stackwright.yml": config}))
    arn = {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:custom-api"}
    assert resources["CallerFunction"]["Properties"]["Environment"]["Variables"]["STP_API_ARN"] == arn
    assert connect_policy(resources["CallerRole"])[0]["Resource"] == [arn]


def test_a_function_url_with_iam_auth_may_be_called(cli: Callable[..., Result], tmp_path: Path) -> None:
    config = CONFIG.replace(
        "  mailer:\n    type: function\n    properties:\n",
        "  mailer:\n    type: function\n    properties:\n      url: {enabled: true, authMode: AWS_IAM}\n",
    )
    resources = synth(cli, write(tmp_path, {**FILES, "stackwright.yml": config}))
    (invoke,) = [s for s in connect_policy(resources["ApiRole"]) if s["Action"][0].startswith("lambda:")]
    assert invoke["Action"] == ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"]
    assert resources["ApiFunction"]["Properties"]["Environment"]["Variables"]["STP_MAILER_URL"] == {
        "Fn::GetAtt": ["MailerUrl", "FunctionUrl"]
    }


def test_two_targets_giving_one_variable_are_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    config = CONFIG.replace("  alerts:\n    type: sns-topic\n", "  mailerLogGroup:\n    type: sqs-queue\n")
    config = config.replace("connectTo: [orders, alerts, mailer]", "connectTo: [mailer, mailerLogGroup]")
    result = cli("synth", cwd=write(tmp_path, {**FILES, "stackwright.yml": config}))
    assert result.code == 2
    assert "`mailerLogGroup` and `mailer` both give the variable STP_MAILER_LOG_GROUP_ARN" in result.err


def test_validate_reports_resources_that_get_the_same_logical_ids(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    config = CONFIG + "  my-queue:\n    type: sqs-queue\n  myQueue:\n    type: sqs-queue\n"
    result = cli("validate", cwd=write(tmp_path, {**FILES, "stackwright.yml": config}))
    assert result.code == 2
    assert "resources 'my-queue' and 'myQueue' get the same CloudFormation names (MyQueue...)" in result.err


#: A minimal resource of each type that may be connected to; a new type offering connections must be added.
TARGETS = {
    "sqs-queue": "type: sqs-queue",
    "sns-topic": "type: sns-topic",
    "kinesis-stream": "type: kinesis-stream\n    properties: {encryption: {enabled: true, kmsKeyArn: "
    "'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'}}",
    "event-bus": "type: event-bus\n    properties: {archivation: {enabled: true}}",
    "bucket": "type: bucket",
    "user-auth-pool": "type: user-auth-pool\n    properties: {enableHostedUi: true, generateClientSecret: true}",
    "dynamo-db-table": "type: dynamo-db-table\n    properties: {primaryKey: {partitionKey: {name: id, type: "
    "string}}, streamType: NEW_IMAGE}",
    "state-machine": "type: state-machine\n    properties: {definition: {StartAt: A, States: {A: {Type: Pass, "
    "End: true}}}}",
    "function": "type: function\n    properties: {packaging: {type: stacktape-lambda-buildpack, properties: "
    "{entryfilePath: src/app.py}}}",
    "private-service": "type: private-service\n    properties: {packaging: {type: custom-dockerfile, "
    "properties: {buildContextPath: web}}, resources: {cpu: 0.25, memory: 512}, port: 8080}",
    "web-service": "type: web-service\n    properties: {packaging: {type: custom-dockerfile, properties: "
    "{buildContextPath: web}}, resources: {cpu: 0.25, memory: 512}}",
    "worker-service": "type: worker-service\n    properties: {packaging: {type: custom-dockerfile, "
    "properties: {buildContextPath: web}}, resources: {cpu: 0.25, memory: 512}}",
    "batch-job": "type: batch-job\n    properties: {container: {packaging: {type: custom-dockerfile, "
    "properties: {buildContextPath: web}}}, resources: {cpu: 1, memory: 2048}}",
    "multi-container-workload": "type: multi-container-workload\n    properties: {containers: [{name: app, "
    "packaging: {type: custom-dockerfile, properties: {buildContextPath: web}}}], resources: {cpu: 0.25, "
    "memory: 512}}",
}


def test_every_type_offering_connections_is_checked_here() -> None:
    from stackwright import ResourceType
    from stackwright.plugins import load_plugins

    plugins = load_plugins(autoload=False)
    offering = {
        name
        for name, (kind, _) in plugins.resource_types().items()
        if type(kind).connections is not ResourceType.connections and not kind.schema_only
    }
    assert offering == set(TARGETS)


#: Targets reached over the network only: they grant security-group rules, no IAM statements (tested in
#: test_a_web_service_connects_to_a_queue_and_a_private_service).
NETWORK_ONLY = {"private-service"}


@pytest.mark.parametrize("kind", sorted(set(TARGETS) - NETWORK_ONLY))
def test_a_connection_grants_named_actions_on_the_target_only(
    cli: Callable[..., Result], tmp_path: Path, kind: str
) -> None:
    """No `*` action, no wildcard action, no `*` resource: every statement names the target (its logical
    id, or its physical name where the ARN is built from it), a key it is encrypted with, or its parts."""
    config = (
        "serviceName: shop\nresources:\n  target:\n    " + TARGETS[kind] + "\n  caller:\n    type: function\n"
        "    properties:\n      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: "
        "src/app.py}}\n      connectTo: [target]\n"
    )
    resources = synth(cli, write(tmp_path, {**FILES, "stackwright.yml": config}))
    statements = connect_policy(resources["CallerRole"])
    assert statements
    for statement in statements:
        assert statement["Effect"] == "Allow"
        assert all(":" in a and "*" not in a for a in statement["Action"]), statement["Action"]
        for resource in statement["Resource"]:
            text = json.dumps(resource)
            assert resource != "*" and ("Target" in text or "shop-dev-target" in text or ":kms:" in text), (
                text
            )
    variables = resources["CallerFunction"]["Properties"]["Environment"]["Variables"]
    assert all(name.startswith("STP_TARGET_") for name in variables)
