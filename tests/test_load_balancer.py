"""`application-load-balancer` and the function event that adds listener rules to it: the template
(through cfn-lint, as every compiled template in these tests), the refusals at their line, and a deploy
to the embedded engine read back through Elastic Load Balancing and Lambda."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import Result

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
OTHER_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/def"
FUNCTION = """\
  {name}:
    type: function
    properties:
      packaging: {{type: stacktape-lambda-buildpack, properties: {{entryfilePath: src/app.py}}}}
      events:
{events}
"""


def config(balancer: str = "{}", events: str = "", extra: str = "") -> str:
    events = (
        events
        or "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 1}}"
    )
    return (
        "serviceName: shop\nresources:\n  web:\n    type: application-load-balancer\n"
        f"    properties: {balancer}\n" + FUNCTION.format(name="orders", events=events) + extra
    )


def synth(cli: Callable[..., Result], project: Any, text: str) -> dict[str, Any]:
    result = cli("synth", cwd=project({"stackwright.yml": text}))
    assert result.code == 0, result.err
    return dict(json.loads(result.out))


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {lid: body for lid, body in template["Resources"].items() if body["Type"] == kind}


def test_without_domains_it_listens_on_http_80_and_answers_404_to_what_no_rule_matches(
    cli: Callable[..., Result], project: Any
) -> None:
    template = synth(cli, project, config())
    balancer = template["Resources"]["WebLoadBalancer"]["Properties"]
    assert balancer["Scheme"] == "internet-facing" and balancer["Type"] == "application"
    assert balancer["Name"] == "shop-dev-web"
    assert balancer["SecurityGroups"] == [{"Ref": "WebSecurityGroup"}]
    ingress = template["Resources"]["WebSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert [(r["FromPort"], r["CidrIp"]) for r in ingress] == [(80, "0.0.0.0/0")]
    (listener,) = of_type(template, "AWS::ElasticLoadBalancingV2::Listener").values()
    assert listener["Properties"] == {
        "LoadBalancerArn": {"Ref": "WebLoadBalancer"},
        "Port": 80,
        "Protocol": "HTTP",
        "DefaultActions": [
            {
                "Type": "fixed-response",
                "FixedResponseConfig": {
                    "StatusCode": "404",
                    "ContentType": "text/plain",
                    "MessageBody": "Not Found",
                },
            }
        ],
    }
    assert template["Outputs"]["WebUrl"]["Value"] == {
        "Fn::Join": ["", ["http://", {"Fn::GetAtt": ["WebLoadBalancer", "DNSName"]}]]
    }


def test_with_domains_https_on_443_with_every_certificate_and_80_redirects(
    cli: Callable[..., Result], project: Any
) -> None:
    domains = (
        "{customDomains: ["
        f"{{domainName: shop.example.com, customCertificateArn: '{CERT}', disableDnsRecordCreation: true}},"
        f"{{domainName: www.example.com, customCertificateArn: '{OTHER_CERT}', disableDnsRecordCreation: true}}]}}"
    )
    template = synth(cli, project, config(domains))
    https = template["Resources"]["WebListener443"]["Properties"]
    assert https["Protocol"] == "HTTPS" and https["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert https["Certificates"] == [{"CertificateArn": CERT}]
    assert template["Resources"]["WebListener443Certificates"]["Properties"] == {
        "ListenerArn": {"Ref": "WebListener443"},
        "Certificates": [{"CertificateArn": OTHER_CERT}],
    }
    assert template["Resources"]["WebListener80"]["Properties"]["DefaultActions"] == [
        {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}
    ]
    # events without a listenerPort join the HTTPS listener
    (rule,) = of_type(template, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    assert rule["Properties"]["ListenerArn"] == {"Ref": "WebListener443"}
    assert template["Outputs"]["WebUrl"]["Value"] == "https://shop.example.com"
    assert template["Outputs"]["WebDnsName"]["Value"] == {"Fn::GetAtt": ["WebLoadBalancer", "DNSName"]}


def test_listeners_given_internal_whitelists_and_redirects(cli: Callable[..., Result], project: Any) -> None:
    balancer = (
        "{interface: internal, listeners: ["
        "{protocol: HTTP, port: 8080, whitelistIps: [203.0.113.0/24, 198.51.100.7]},"
        "{protocol: HTTP, port: 80, defaultAction: {type: redirect, properties: "
        "{protocol: HTTP, port: 8080, path: '/#{path}', statusCode: HTTP_302}}}]}"
    )
    events = (
        "        - {type: application-load-balancer, properties: {loadBalancerName: web, listenerPort: 8080,"
        " priority: 7, paths: [/orders/*], methods: [get], hosts: [shop.example.com],"
        " headers: [{headerName: x-tenant, values: [a]}], queryParams: [{paramName: v, values: ['2']}]}}"
    )
    template = synth(cli, project, config(balancer, events))
    assert template["Resources"]["WebLoadBalancer"]["Properties"]["Scheme"] == "internal"
    ingress = template["Resources"]["WebSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert [(r["FromPort"], r["CidrIp"]) for r in ingress] == [
        (8080, "203.0.113.0/24"),
        (8080, "198.51.100.7/32"),
        (80, "10.0.0.0/16"),
    ]
    assert template["Resources"]["WebListener80"]["Properties"]["DefaultActions"] == [
        {
            "Type": "redirect",
            "RedirectConfig": {
                "Protocol": "HTTP",
                "Port": "8080",
                "Path": "/#{path}",
                "StatusCode": "HTTP_302",
            },
        }
    ]
    (rule,) = of_type(template, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    assert rule["Properties"] == {
        "ListenerArn": {"Ref": "WebListener8080"},
        "Priority": 7,
        "Conditions": [
            {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/orders/*"]}},
            {"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["GET"]}},
            {"Field": "host-header", "HostHeaderConfig": {"Values": ["shop.example.com"]}},
            {
                "Field": "http-header",
                "HttpHeaderConfig": {"HttpHeaderName": "x-tenant", "Values": ["a"]},
            },
            {"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "v", "Value": "2"}]}},
        ],
        "Actions": [{"Type": "forward", "TargetGroupArn": {"Ref": "OrdersWebTargetGroup"}}],
    }
    assert template["Outputs"]["WebUrl"]["Value"] == {
        "Fn::Join": ["", ["http://", {"Fn::GetAtt": ["WebLoadBalancer", "DNSName"]}, ":8080"]]
    }


def test_a_function_is_a_lambda_target_the_load_balancer_may_invoke(
    cli: Callable[..., Result], project: Any
) -> None:
    events = (
        "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 2, paths: [/a]}}\n"
        "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 1, paths: [/b]}}"
    )
    template = synth(cli, project, config("{}", events))
    (group_id, group), *more = of_type(template, "AWS::ElasticLoadBalancingV2::TargetGroup").items()
    assert not more, "both rules of one function share its target group"
    assert group["Properties"] == {
        "Name": "shop-dev-orders-web",
        "TargetType": "lambda",
        "Targets": [{"Id": {"Fn::GetAtt": ["OrdersFunction", "Arn"]}}],
    }
    permission = template["Resources"][group["DependsOn"][0]]["Properties"]
    assert permission["Principal"] == "elasticloadbalancing.amazonaws.com"
    assert permission["SourceArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:"
        "targetgroup/shop-dev-orders-web/*"
    }
    rules = sorted(of_type(template, "AWS::ElasticLoadBalancingV2::ListenerRule").values(), key=str)
    assert [r["Properties"]["Priority"] for r in rules] == [1, 2]
    assert {json.dumps(r["Properties"]["Actions"]) for r in rules} == {
        json.dumps([{"Type": "forward", "TargetGroupArn": {"Ref": group_id}}])
    }


TWO = (
    "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 3}}\n"
    "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 3}}"
)


@pytest.mark.parametrize(
    ("balancer", "events", "extra", "said"),
    [
        ("{}", TWO, "", "priority 3 on this listener of 'web' is already taken by `orders`"),
        (
            "{}",
            "        - {type: application-load-balancer, properties: {loadBalancerName: wbe, priority: 1}}",
            "",
            "did you mean 'web'",
        ),
        (
            "{}",
            "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 1,"
            " listenerPort: 443}}",
            "",
            "'web' has no listener on port 443",
        ),
        (
            "{listeners: [{protocol: HTTP, port: 80}, {protocol: HTTP, port: 8080}]}",
            "",
            "",
            "add `listenerPort`: one of 80, 8080",
        ),
        (
            "{}",
            "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 1,"
            " paths: [/a, /b, /c, /d]}}",
            "",
            "4 values in one condition; a load balancer rule takes at most 3",
        ),
        (
            "{}",
            "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 1,"
            " paths: [/a, /b, /c], methods: [GET, POST, PUT]}}",
            "",
            "6 condition values in one rule",
        ),
        (
            "{listeners: [{protocol: HTTPS, port: 443}]}",
            "",
            "",
            "the HTTPS listener on port 443 has no certificate",
        ),
        (
            "{listeners: [{protocol: HTTP, port: 80}, {protocol: HTTP, port: 80}]}",
            "",
            "",
            "two listeners on port 80",
        ),
        (
            "{customDomains: [shop.example.com]}",
            "",
            "",
            "shop.example.com: certificates made by stackwright are not supported",
        ),
        ("{useFirewall: waf}", "", "", "`useFirewall` of an application-load-balancer is not"),
        (
            "{listeners: [{protocol: HTTP, port: 80}], customDomains: [{domainName: a.example.com, "
            f"customCertificateArn: '{CERT}', disableDnsRecordCreation: true}}]}}",
            "",
            "",
            "the custom domains would not be served: none of the listeners is HTTPS",
        ),
        ("{cdn: {enabled: true}}", "", "", "`cdn` of an application-load-balancer is not supported"),
        (
            "{}",
            "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 1, sourceIps: [not-an-ip]}}",
            "",
            "'not-an-ip' is not a CIDR block",
        ),
        (
            "{}",
            "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 1, methods: ['P O S T']}}",
            "",
            "'P O S T' is not an HTTP method",
        ),
        (
            "{}",
            "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 1, paths: ['']}}",
            "",
            "path '' is not 1 to 128 characters long",
        ),
        (
            "{}",
            "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 1, headers: [{headerName: x-a, values: []}]}}",
            "",
            "headers.0.values",
        ),
        (
            "{listeners: [{protocol: HTTP, port: 80, whitelistIps: ['1.2.3']}]}",
            "",
            "",
            "'1.2.3' is not a CIDR block",
        ),
        ("{listeners: [{protocol: HTTP, port: 8080.5}]}", "", "", "port 8080.5 is not a whole number"),
        (
            "{listeners: [{protocol: HTTP, port: 80, defaultAction: {type: redirect, properties: {path: 'new/#{path}', statusCode: HTTP_301}}}]}",
            "",
            "",
            "the redirect path 'new/#{path}' does not start with `/`",
        ),
        (
            "{listeners: [{protocol: HTTP, port: 80, defaultAction: {type: redirect, properties: {statusCode: HTTP_301}}}]}",
            "",
            "",
            "this redirect sends every request back where it came from (a loop)",
        ),
        (
            "{listeners: [{protocol: HTTP, port: 80, defaultAction: {type: redirect, properties: {port: 70000, statusCode: HTTP_301}}}]}",
            "",
            "",
            "port 70000 is not a whole number from 1 to 65535",
        ),
        (
            "{listeners: [{protocol: HTTPS, port: 443, customCertificateArns: [foo]}]}",
            "",
            "",
            "'foo' is not the ARN of a certificate",
        ),
        (
            "{listeners: [{protocol: HTTPS, port: 443, customCertificateArns: ['arn:aws:acm:eu-west-1:123456789012:certificate/x']}]}",
            "",
            "",
            "this certificate is from eu-west-1; a load balancer in us-east-1 needs one of its region",
        ),
        (
            "{customDomains: [{domainName: a.example.com, customCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x', disableDnsRecordCreation: true}]}",
            "",
            "",
            "this certificate is from eu-west-1; it must come from us-east-1",
        ),
        (
            "{}",
            "",
            "  other:\n    type: function\n    properties:\n      packaging: {type: stacktape-lambda-buildpack,"
            " properties: {entryfilePath: src/app.py}}\n      events:\n        - {type: application-load-balancer,"
            " properties: {loadBalancerName: web, priority: 1}}\n",
            "already taken by `orders`",
        ),
    ],
)
def test_what_elastic_load_balancing_would_refuse_is_refused_at_the_line(
    cli: Callable[..., Result], project: Any, balancer: str, events: str, extra: str, said: str
) -> None:
    result = cli("synth", cwd=project({"stackwright.yml": config(balancer, events, extra)}))
    assert result.code == 2 and said in result.err, result.err
    assert "Traceback" not in result.err


def test_the_engine_holds_the_rule_the_target_and_the_permission(
    cli: Callable[..., Result], project: Any, engine: str, aws: Callable[[str], Any]
) -> None:
    events = (
        "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 5,"
        " paths: [/orders/*], methods: [POST]}}"
    )
    root = project({"stackwright.yml": config("{}", events)})
    result = cli("deploy", "--local", cwd=root)
    assert result.code == 0, result.err
    elb = aws("elbv2")
    (balancer,) = elb.describe_load_balancers(Names=["shop-dev-web"])["LoadBalancers"]
    (listener,) = elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    assert listener["Port"] == 80
    rules = [
        r for r in elb.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"] if not r["IsDefault"]
    ]
    (rule,) = rules
    assert rule["Priority"] == "5"
    conditions = {c["Field"]: c for c in rule["Conditions"]}
    assert conditions["path-pattern"]["PathPatternConfig"]["Values"] == ["/orders/*"]
    assert conditions["http-request-method"]["HttpRequestMethodConfig"]["Values"] == ["POST"]
    group_arn = rule["Actions"][0]["TargetGroupArn"]
    (group,) = elb.describe_target_groups(TargetGroupArns=[group_arn])["TargetGroups"]
    assert group["TargetType"] == "lambda"
    function_arn = aws("lambda").get_function(FunctionName="shop-dev-orders")["Configuration"]["FunctionArn"]
    health = elb.describe_target_health(TargetGroupArn=group_arn)["TargetHealthDescriptions"]
    assert [h["Target"]["Id"] for h in health] == [function_arn]
    (statement,) = json.loads(aws("lambda").get_policy(FunctionName="shop-dev-orders")["Policy"])["Statement"]
    assert statement["Principal"] == {"Service": "elasticloadbalancing.amazonaws.com"}
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"].endswith(":targetgroup/shop-dev-orders-web/*")
    info = cli("info", "--local", "--output", "json", cwd=root)
    assert info.code == 0, info.err
    assert "elb.amazonaws.com" in info.out or "WebUrl" in info.out


def _rules(aws: Callable[[str], Any], name: str) -> dict[int, dict[str, Any]]:
    """Priority → rule of every listener of the load balancer `name`, read from the engine."""
    elb = aws("elbv2")
    (balancer,) = elb.describe_load_balancers(Names=[name])["LoadBalancers"]
    found = {}
    for listener in elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]:
        for rule in elb.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]:
            if not rule["IsDefault"]:
                found[int(rule["Priority"])] = {**rule, "Port": listener["Port"]}
    return found


def test_renames_new_priorities_and_a_delete_then_redeploy_keep_the_engine_in_step(
    cli: Callable[..., Result], project: Any, engine: str, aws: Callable[[str], Any]
) -> None:
    events = (
        "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 1, paths: [/a]}}\n"
        "        - {type: application-load-balancer, properties: {loadBalancerName: web, priority: 2, paths: [/b]}}"
    )
    root = project({"stackwright.yml": config("{}", events)})
    assert cli("deploy", "--local", cwd=root).code == 0
    assert sorted(_rules(aws, "shop-dev-web")) == [1, 2]
    # renamed function, its first event removed (the second moves up), a priority changed
    renamed = config("{}", events.split("\n")[1].replace("priority: 2", "priority: 7")).replace(
        "orders:", "sales:"
    )
    (root / "stackwright.yml").write_text(renamed)
    result = cli("deploy", "--local", "--yes", cwd=root)
    assert result.code == 0, result.err
    rules = _rules(aws, "shop-dev-web")
    assert sorted(rules) == [7]
    assert rules[7]["Conditions"][0]["PathPatternConfig"]["Values"] == ["/b"]
    (group,) = aws("elbv2").describe_target_groups(
        TargetGroupArns=[rules[7]["Actions"][0]["TargetGroupArn"]]
    )["TargetGroups"]
    assert group["TargetGroupName"] == "shop-dev-sales-web"
    names = {g["TargetGroupName"] for g in aws("elbv2").describe_target_groups()["TargetGroups"]}
    assert names == {"shop-dev-sales-web"}, "the old function's target group is deleted"
    assert cli("delete", "--local", "--yes", cwd=root).code == 0
    assert aws("elbv2").describe_target_groups()["TargetGroups"] == []
    again = cli("deploy", "--local", cwd=root)
    assert again.code == 0, again.err
    assert sorted(_rules(aws, "shop-dev-web")) == [7]


def test_https_with_the_users_certificate_deploys_to_the_engine(
    cli: Callable[..., Result], project: Any, engine: str, aws: Callable[[str], Any]
) -> None:
    domains = (
        "{customDomains: ["
        f"{{domainName: shop.example.com, customCertificateArn: '{CERT}', disableDnsRecordCreation: true}}]}}"
    )
    result = cli("deploy", "--local", cwd=project({"stackwright.yml": config(domains)}))
    assert result.code == 0, result.err
    elb = aws("elbv2")
    (balancer,) = elb.describe_load_balancers(Names=["shop-dev-web"])["LoadBalancers"]
    listeners = {
        item["Port"]: item
        for item in elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    }
    assert listeners[443]["Certificates"] == [{"CertificateArn": CERT}]
    assert _rules(aws, "shop-dev-web")[1]["Port"] == 443
