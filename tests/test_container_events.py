"""The `events` of a multi-container workload's containers: behind an `application-load-balancer` and an
`http-api-gateway` of the config, and open inside the VPC. The template (through cfn-lint), the
refusals at their line, and a deploy to the embedded engine read back through ECS and Elastic Load
Balancing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import Result

IMAGE = "{type: prebuilt-image, properties: {image: 'public.ecr.aws/nginx/nginx:1.27'}}"
ALB = "            - {type: application-load-balancer, properties: {containerPort: 80, loadBalancerName: lb, "
CONFIG = f"""\
serviceName: shop
resources:
  lb:
    type: application-load-balancer
  api:
    type: http-api-gateway
  auth:
    type: function
    properties:
      packaging: {{type: stacktape-lambda-buildpack, properties: {{entryfilePath: src/app.py}}}}
  app:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.25, memory: 512}}
      containers:
        - name: web
          packaging: {IMAGE}
          loadBalancerHealthCheck: {{healthcheckPath: /health, healthcheckInterval: 10, healthcheckTimeout: 4}}
          events:
{ALB}priority: 2, paths: ['/web/*']}}}}
{ALB}priority: 1, paths: ['/shop/*'], methods: [POST]}}}}
            - type: http-api-gateway
              properties: {{containerPort: 80, httpApiGatewayName: api, method: GET, path: '/{{proxy+}}'}}
            - type: http-api-gateway
              properties:
                containerPort: 80
                httpApiGatewayName: api
                method: POST
                path: /orders
                authorizer: {{type: lambda, properties: {{functionName: auth}}}}
        - name: metrics
          packaging: {IMAGE}
          events:
            - {{type: workload-internal, properties: {{containerPort: 9102}}}}
"""


def synth(cli: Callable[..., Result], project: Any, text: str) -> dict[str, Any]:
    result = cli("synth", cwd=project({"stackwright.yml": text}))
    assert result.code == 0, result.err
    return dict(json.loads(result.out)["Resources"])


def test_a_container_port_behind_a_shared_load_balancer_and_http_api(
    cli: Callable[..., Result], project: Any
) -> None:
    resources = synth(cli, project, CONFIG)
    group = resources["AppWeb80LbTargetGroup"]
    assert group["Properties"] == {
        "Name": "shop-dev-app-web-80-lb",
        "TargetType": "ip",
        "Protocol": "HTTP",
        "Port": 80,
        "VpcId": {"Ref": "StpVpc"},
        "HealthCheckPath": "/health",
        "HealthCheckIntervalSeconds": 10,
        "HealthCheckTimeoutSeconds": 4,
    }
    rules = {lid: r["Properties"] for lid, r in resources.items() if r["Type"].endswith("ListenerRule")}
    assert sorted(rules) == ["LbListener80Priority1Rule", "LbListener80Priority2Rule"]
    assert rules["LbListener80Priority1Rule"]["Conditions"] == [
        {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/shop/*"]}},
        {"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["POST"]}},
    ]
    assert {json.dumps(r["Actions"]) for r in rules.values()} == {
        json.dumps([{"Type": "forward", "TargetGroupArn": {"Ref": "AppWeb80LbTargetGroup"}}])
    }
    service = resources["AppEcsService"]
    # two rules, one target group: ECS registers each task once
    assert service["Properties"]["LoadBalancers"] == [
        {"ContainerName": "web", "ContainerPort": 80, "TargetGroupArn": {"Ref": "AppWeb80LbTargetGroup"}}
    ]
    assert set(service["DependsOn"]) == {"LbListener80Priority1Rule", "LbListener80Priority2Rule"}
    assert service["Properties"]["ServiceRegistries"] == [
        {
            "RegistryArn": {"Fn::GetAtt": ["AppDiscoveryService", "Arn"]},
            "ContainerName": "web",
            "ContainerPort": 80,
        }
    ]
    assert resources["AppDiscoveryService"]["Properties"]["DnsConfig"]["DnsRecords"] == [
        {"Type": "SRV", "TTL": 60}
    ]
    ingress = resources["AppSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert [(r["FromPort"], r.get("SourceSecurityGroupId") or r["CidrIp"]) for r in ingress] == [
        (80, {"Fn::GetAtt": ["LbSecurityGroup", "GroupId"]}),
        (9102, "10.0.0.0/16"),
        (80, "10.0.0.0/16"),
    ]
    checked = synth(
        cli, project, CONFIG.replace("healthcheckTimeout: 4", "healthcheckTimeout: 4, healthCheckPort: 8081")
    )
    opened = checked["AppSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert [(r["FromPort"], r.get("SourceSecurityGroupId") is not None) for r in opened][:2] == [
        (80, True),
        (8081, True),
    ]
    assert checked["AppWeb80LbTargetGroup"]["Properties"]["HealthCheckPort"] == "8081"
    definitions = {d["Name"]: d for d in resources["AppTaskDefinition"]["Properties"]["ContainerDefinitions"]}
    assert definitions["web"]["PortMappings"] == [{"ContainerPort": 80, "Protocol": "tcp"}]
    assert definitions["metrics"]["PortMappings"] == [{"ContainerPort": 9102, "Protocol": "tcp"}]
    assert resources["AppApiIntegration"]["Properties"] == {
        "ApiId": {"Ref": "ApiHttpApi"},
        "IntegrationType": "HTTP_PROXY",
        "IntegrationMethod": "ANY",
        "ConnectionType": "VPC_LINK",
        "ConnectionId": {"Ref": "AppVpcLink"},
        "IntegrationUri": {"Fn::GetAtt": ["AppDiscoveryService", "Arn"]},
        "PayloadFormatVersion": "1.0",
    }
    assert resources["AppVpcLink"]["Properties"]["SecurityGroupIds"] == [{"Ref": "AppSecurityGroup"}]
    get, post = resources["AppWebEvent2Route"]["Properties"], resources["AppWebEvent3Route"]["Properties"]
    assert (get["RouteKey"], post["RouteKey"]) == ("GET /{proxy+}", "POST /orders")
    assert post["AuthorizationType"] == "CUSTOM" and post["AuthorizerId"] == {"Ref": "ApiAuthAuthorizer"}
    assert "AuthorizerId" not in get


def test_internal_ports_alone_register_a_records(cli: Callable[..., Result], project: Any) -> None:
    text = CONFIG.split("  app:")[0].replace("  lb:\n    type: application-load-balancer\n", "") + (
        "  app:\n    type: multi-container-workload\n    properties:\n      resources: {cpu: 0.25, memory: 512}\n"
        f"      containers:\n        - name: metrics\n          packaging: {IMAGE}\n          events:\n"
        "            - {type: workload-internal, properties: {containerPort: 9102}}\n"
    )
    resources = synth(cli, project, text)
    assert resources["AppDiscoveryService"]["Properties"]["DnsConfig"]["DnsRecords"] == [
        {"Type": "A", "TTL": 60}
    ]
    assert "LoadBalancers" not in resources["AppEcsService"]["Properties"]


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (
            (
                "type: http-api-gateway\n              properties: {containerPort: 80",
                "type: http-api-gateway\n              properties: {containerPort: 81",
            ),
            "the HTTP API routes of this workload go to port 81 of container `web`",
        ),
        (("loadBalancerName: lb, priority: 2", "loadBalancerName: lbb, priority: 2"), "did you mean 'lb'"),
        (
            ("priority: 1, paths: ['/shop/*']", "priority: 2, paths: ['/shop/*']"),
            "priority 2 on this listener",
        ),
        (
            (
                "{type: workload-internal, properties: {containerPort: 9102}}",
                "{type: service-connect, properties: {containerPort: 9102}}",
            ),
            "`type: service-connect` of a multi-container-workload is not supported by the installed plugins yet",
        ),
        (
            (
                "          events:\n            - {type: workload",
                "          loadBalancerHealthCheck: {healthcheckPath: /}\n          events:\n            - {type: workload",
            ),
            "no load balancer checks this container",
        ),
        (
            ("healthcheckPath: /health,", "healthcheckPath: /health, healthCheckProtocol: TCP,"),
            "an application load balancer checks targets over HTTP",
        ),
        (
            ("healthcheckTimeout: 4", "healthcheckTimeout: 10"),
            "a health check may not take 10 s when one starts every 10 s",
        ),
        (
            (
                "{type: workload-internal, properties: {containerPort: 9102}}",
                "{type: workload-internal, properties: {containerPort: 80}}",
            ),
            "port 80 is already container `web`'s: the containers of a task share one network",
        ),
        (
            ("method: POST\n", "method: POST\n                payloadFormat: '2.0'\n"),
            "payload format 2.0 is a Lambda function's",
        ),
    ],
)
def test_what_aws_would_refuse_is_refused_at_the_line(
    cli: Callable[..., Result], project: Any, edit: tuple[str, str], said: str
) -> None:
    assert edit[0] in CONFIG
    result = cli("synth", cwd=project({"stackwright.yml": CONFIG.replace(*edit)}))
    assert result.code == 2 and said in result.err, result.err
    assert "Traceback" not in result.err


def test_the_engine_holds_the_service_target_group_and_rules(
    cli: Callable[..., Result], project: Any, engine: str, aws: Callable[[str], Any]
) -> None:
    result = cli("deploy", "--local", cwd=project({"stackwright.yml": CONFIG}))
    assert result.code == 0, result.err
    elb = aws("elbv2")
    (group,) = elb.describe_target_groups(Names=["shop-dev-app-web-80-lb"])["TargetGroups"]
    assert (group["TargetType"], group["Port"], group["HealthCheckPath"]) == ("ip", 80, "/health")
    (balancer,) = elb.describe_load_balancers(Names=["shop-dev-lb"])["LoadBalancers"]
    (listener,) = elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    rules = [
        r for r in elb.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"] if not r["IsDefault"]
    ]
    assert sorted(r["Priority"] for r in rules) == ["1", "2"]
    assert {r["Actions"][0]["TargetGroupArn"] for r in rules} == {group["TargetGroupArn"]}
    (service,) = aws("ecs").describe_services(cluster="shop-dev-app", services=["shop-dev-app"])["services"]
    assert [
        (b["containerName"], b["containerPort"], b["targetGroupArn"]) for b in service["loadBalancers"]
    ] == [("web", 80, group["TargetGroupArn"])]
    assert "ApiHttpApi (AWS::ApiGatewayV2::Api)" in result.err


def test_adding_a_load_balancer_to_a_running_service_and_deleting_it_all(
    cli: Callable[..., Result], project: Any, engine: str, aws: Callable[[str], Any]
) -> None:
    internal = (
        "serviceName: shop\nresources:\n  lb:\n    type: application-load-balancer\n"
        "  app:\n    type: multi-container-workload\n    properties:\n      resources: {cpu: 0.25, memory: 512}\n"
        f"      containers:\n        - name: web\n          packaging: {IMAGE}\n          events:\n"
        "            - {type: workload-internal, properties: {containerPort: 80}}\n"
    )
    root = project({"stackwright.yml": internal})
    assert cli("deploy", "--local", cwd=root).code == 0
    ecs = aws("ecs")

    def service() -> dict[str, Any]:
        (found,) = ecs.describe_services(cluster="shop-dev-app", services=["shop-dev-app"])["services"]
        return dict(found)

    assert service()["loadBalancers"] == []
    balanced = internal.replace(
        "{type: workload-internal, properties: {containerPort: 80}}",
        "{type: application-load-balancer, properties: {containerPort: 80, loadBalancerName: lb, priority: 3}}",
    ).replace(
        "resources: {cpu: 0.25, memory: 512}",
        "resources: {cpu: 0.25, memory: 512}\n      scaling: {minInstances: 2}",
    )
    (root / "stackwright.yml").write_text(balanced)
    result = cli("deploy", "--local", "--yes", cwd=root)
    assert result.code == 0, result.err
    updated = service()
    assert [b["containerPort"] for b in updated["loadBalancers"]] == [80] and updated["desiredCount"] == 2

    def running() -> dict[str, Any]:
        """The task definition the service runs, which must be active and hold its container."""
        found = ecs.describe_task_definition(taskDefinition=service()["taskDefinition"])["taskDefinition"]
        assert found["status"] == "ACTIVE"
        return dict(found["containerDefinitions"][0])

    assert (running()["name"], running()["portMappings"][0]["containerPort"]) == ("web", 80)
    (root / "stackwright.yml").write_text(balanced.replace("nginx:1.27", "nginx:1.28"))
    assert cli("deploy", "--local", "--yes", cwd=root).code == 0
    assert running()["image"] == "public.ecr.aws/nginx/nginx:1.28"
    assert cli("delete", "--local", "--yes", cwd=root).code == 0
    assert aws("elbv2").describe_target_groups()["TargetGroups"] == []
    again = cli("deploy", "--local", cwd=root)
    assert again.code == 0, again.err
    assert [b["containerPort"] for b in service()["loadBalancers"]] == [80]
