"""How requests reach a function or a container: routes of an `http-api-gateway` (with their authorizers)
and rules of an `application-load-balancer`'s listeners. Functions and container workloads both compile
their events with these, so an API or a load balancer is shared the same way by either.

Authorizers: `lambda` (a function of the config decides) and `cognito` (API Gateway checks a JWT issued by
a `user-auth-pool` of the config). One authorizer per API and authorizing function (or user pool) is
shared by every route that names it with the same settings; API Gateway allows ten per API.
"""

from __future__ import annotations

import json
import re
from typing import Any

from stackwright.context import StackContext
from stackwright.models import Resource
from stackwright.named import named_resource
from stackwright.template import get_att, number, ref, sub

Path = tuple[str | int, ...]
HTTP_API_TYPE, LOAD_BALANCER_TYPE = "http-api-gateway", "application-load-balancer"
#: Application Load Balancer limits (ELB User Guide, "Listener rules for your Application Load
#: Balancer"): at most three values per condition and five per rule; priorities 1 to 50,000.
VALUES_PER_CONDITION, VALUES_PER_RULE, MAX_PRIORITY = 3, 5, 50000
FUNCTION_TYPE, POOL_TYPE = "function", "user-auth-pool"
#: Where an authorizer reads the identity when `identitySources` is not given.
DEFAULT_IDENTITY = ["$request.header.Authorization"]


def route_key(method: str, path: str) -> str:
    """API Gateway's route key: `GET /posts`, `ANY /{proxy+}` for method `*`, `$default` for path `*`."""
    if path == "*":
        return "$default"
    return f"{'ANY' if method == '*' else method} {path}"


def http_api_route(
    ctx: StackContext,
    owner: str,
    route_id: str,
    props: dict[str, Any],
    integration_id: str,
    path: Path,
) -> None:
    """Add the route `props` (an event's `httpApiGatewayName`, `method`, `path`, `authorizer`) of the API
    it names to `integration_id`, as `route_id`. Raises ConfigError for an API not in the config, or a
    method and path of the API another route already has."""
    api = named_resource(ctx, props, "httpApiGatewayName", HTTP_API_TYPE, path, "an")
    api_params = ctx.params_of(api)
    key = route_key(props["method"], props["path"])
    for lid, body in ctx.template.resources.items():
        if (
            body["Type"] == "AWS::ApiGatewayV2::Route"
            and body["Properties"]["RouteKey"] == key
            and (body["Properties"]["ApiId"] == api_params["id"])
        ):
            ctx.fail(
                (*path, "properties", "path"),
                f"route `{key}` of {api.name!r} is already taken by `{ctx.template.owners.get(lid, lid)}`",
                hint="each method and path of an API goes to one function or container",
            )
    route: dict[str, Any] = {
        "ApiId": api_params["id"],
        "RouteKey": key,
        "Target": {"Fn::Join": ["/", ["integrations", ref(integration_id)]]},
    }
    if props.get("authorizer"):
        authorizer_id = http_api_authorizer(
            ctx, api, api_params["id"], api_params["executeArn"], props["authorizer"], path
        )
        kind = ctx.template.resources[authorizer_id]["Properties"]["AuthorizerType"]
        route |= {
            "AuthorizationType": "CUSTOM" if kind == "REQUEST" else "JWT",
            "AuthorizerId": ref(authorizer_id),
        }
    ctx.template.add_resource(route_id, "AWS::ApiGatewayV2::Route", route, owner=owner)


def http_api_authorizer(
    ctx: StackContext, api: Resource, api_id: Any, execute_arn: Any, config: dict[str, Any], path: Path
) -> str:
    """The logical id of the `AWS::ApiGatewayV2::Authorizer` for `config` (compiled on first use). Raises
    ConfigError for an unknown function or pool, or one used with two different settings."""
    kind, props = config["type"], config.get("properties") or {}
    at = (*path, "properties", "authorizer", "properties")
    if kind == "lambda":
        function = named_resource(
            ctx, props, "functionName", FUNCTION_TYPE, (*path, "properties", "authorizer")
        )
        lid = ctx.logical_id(api.name, f"{function.name}-authorizer")
        function_arn = get_att(ctx.logical_id(function.name, "Function"), "Arn")
        simple = not props.get("iamResponse")
        body: dict[str, Any] = {
            "ApiId": api_id,
            "Name": f"{function.name}-authorizer",
            "AuthorizerType": "REQUEST",
            "AuthorizerUri": sub(
                "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${arn}"
                "/invocations",
                {"arn": function_arn},
            ),
            "AuthorizerPayloadFormatVersion": "2.0" if simple else "1.0",
            "EnableSimpleResponses": simple,
            "IdentitySource": props.get("identitySources") or DEFAULT_IDENTITY,
            "AuthorizerResultTtlInSeconds": number(props.get("cacheResultSeconds", 0)),
        }
        owner = function.name
    elif kind == "cognito":
        pool = named_resource(ctx, props, "userPoolName", POOL_TYPE, (*path, "properties", "authorizer"))
        params = ctx.params_of(pool)
        lid = ctx.logical_id(api.name, f"{pool.name}-authorizer")
        body = {
            "ApiId": api_id,
            "Name": f"{pool.name}-authorizer",
            "AuthorizerType": "JWT",
            "IdentitySource": props.get("identitySources") or DEFAULT_IDENTITY,
            # the pool's ProviderURL is `cognito-idp.<region>.amazonaws.com/<id>`; the issuer is its https URL
            "JwtConfiguration": {
                "Audience": [params["clientId"]],
                "Issuer": {"Fn::Join": ["", ["https://", params["providerUrl"]]]},
            },
        }
        owner = pool.name
    else:
        ctx.fail((*path, "properties", "authorizer", "type"), f"unknown authorizer type {kind!r}")
    found = ctx.template.resources.get(lid)
    if found is not None:
        if found["Properties"] != body:
            ctx.fail(
                at,
                f"the {kind} authorizer {body['Name']!r} of this API is used with other settings elsewhere",
            )
        return lid
    ctx.template.add_resource(lid, "AWS::ApiGatewayV2::Authorizer", body, owner=owner)
    if kind == "lambda":
        ctx.template.add_resource(
            ctx.logical_id(api.name, f"{owner}-authorizer-permission"),
            "AWS::Lambda::Permission",
            {
                "Action": "lambda:InvokeFunction",
                "FunctionName": body["AuthorizerUri"]["Fn::Sub"][1]["arn"],
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": {"Fn::Join": ["", [execute_arn, "/authorizers/", ref(lid)]]},
            },
            owner=owner,
        )
    return lid


def listener_rule(
    ctx: StackContext,
    owner: str,
    props: dict[str, Any],
    target_group: Any,
    path: Path,
) -> str:
    """Add the listener rule of an `application-load-balancer` event of `owner` (`props`:
    `loadBalancerName`, `listenerPort`, `priority` and the conditions `paths`, `methods`, `hosts`,
    `headers`, `queryParams`, `sourceIps`) that forwards matching requests to `target_group` (a target
    group ARN); return its logical id. A rule without conditions matches every path.

    The logical id is the load balancer's, listener port's and priority's (`WebListener80Priority10Rule`),
    which a listener holds once each: renaming the function or container, or reordering its events,
    changes the rule in place. A new priority or listener is a new rule, created before the old one is
    deleted, which never collides with it (AWS refuses two rules of one priority on one listener).

    The listener is the one on `listenerPort`, else the one the load balancer's `listenerArn` param names
    (its only listener, or the HTTPS one of its default pair). Raises ConfigError for a load balancer not
    in the config, a port it has no listener on, a priority out of range or taken on the listener, or
    more condition values than AWS allows."""
    balancer = named_resource(ctx, props, "loadBalancerName", LOAD_BALANCER_TYPE, path, "an")
    params = ctx.params_of(balancer)
    ports = sorted(int(k[8:-3]) for k in params if k.startswith("listener") and k[8:-3].isdigit())
    at = (*path, "properties")
    if props.get("listenerPort") is not None:
        port = props["listenerPort"]
        if not isinstance(port, int | float) or int(port) not in ports:
            ctx.fail(
                (*at, "listenerPort"),
                f"{balancer.name!r} has no listener on port {port}",
                hint="its listeners: " + ", ".join(map(str, ports)),
            )
        port = int(port)
    elif "listenerArn" in params:
        port = next(p for p in ports if params[f"listener{p}Arn"] == params["listenerArn"])
    else:
        ctx.fail(
            at,
            f"{balancer.name!r} has several listeners; this event does not say which one it is a rule of",
            hint="add `listenerPort`: one of " + ", ".join(map(str, ports)),
        )
    listener = params[f"listener{port}Arn"]
    priority = props["priority"]
    if not isinstance(priority, int | float) or not 1 <= priority <= MAX_PRIORITY or priority % 1:
        ctx.fail((*at, "priority"), f"priority {priority} is not a whole number from 1 to {MAX_PRIORITY:,}")
    for lid, body in ctx.template.resources.items():
        if (
            body["Type"] == "AWS::ElasticLoadBalancingV2::ListenerRule"
            and body["Properties"]["ListenerArn"] == listener
            and body["Properties"]["Priority"] == int(priority)
        ):
            ctx.fail(
                (*at, "priority"),
                f"priority {int(priority)} on this listener of {balancer.name!r} is already taken by "
                f"`{ctx.template.owners.get(lid, lid)}`",
                hint="each rule of a listener has a priority of its own (lower ones are matched first)",
            )
    rule_id = ctx.logical_id(balancer.name, f"Listener{port}Priority{int(priority)}Rule")
    ctx.template.add_resource(
        rule_id,
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        {
            "ListenerArn": listener,
            "Priority": int(priority),
            "Conditions": rule_conditions(ctx, props, at),
            "Actions": [{"Type": "forward", "TargetGroupArn": target_group}],
        },
        owner=owner,
    )
    return rule_id


def rule_conditions(ctx: StackContext, props: dict[str, Any], at: Path) -> list[dict[str, Any]]:
    """The `Conditions` of a listener rule from an event's properties (all must match; any value of one
    matches it). Raises ConfigError past AWS's limits on values."""
    conditions: list[dict[str, Any]] = []
    counted: list[tuple[str, int]] = []
    for key, field, config in (
        ("paths", "path-pattern", "PathPatternConfig"),
        ("methods", "http-request-method", "HttpRequestMethodConfig"),
        ("hosts", "host-header", "HostHeaderConfig"),
        ("sourceIps", "source-ip", "SourceIpConfig"),
    ):
        values = props.get(key) or []
        if values:
            if key == "methods":
                values = [str(v).upper() for v in values]
            conditions.append({"Field": field, config: {"Values": list(values)}})
            counted.append((key, len(values)))
    for index, header in enumerate(props.get("headers") or []):
        conditions.append(
            {
                "Field": "http-header",
                "HttpHeaderConfig": {"HttpHeaderName": header["headerName"], "Values": header["values"]},
            }
        )
        counted.append((f"headers.{index}.values", len(header["values"])))
    for index, param in enumerate(props.get("queryParams") or []):
        conditions.append(
            {
                "Field": "query-string",
                "QueryStringConfig": {
                    "Values": [{"Key": param["paramName"], "Value": v} for v in param["values"]]
                },
            }
        )
        counted.append((f"queryParams.{index}.values", len(param["values"])))
    _check_values(ctx, props, at)
    for key, count in counted:
        if count > VALUES_PER_CONDITION:
            ctx.fail(
                (*at, *[int(p) if p.isdigit() else p for p in key.split(".")]),
                f"{count} values in one condition; a load balancer rule takes at most {VALUES_PER_CONDITION}",
                hint="split the event in two, with priorities of their own",
            )
    if sum(count for _, count in counted) > VALUES_PER_RULE:
        ctx.fail(
            at,
            f"{sum(c for _, c in counted)} condition values in one rule; a load balancer rule takes at most "
            f"{VALUES_PER_RULE} (paths, methods, hosts, header, query and source IP values together)",
            hint="split the event in two, with priorities of their own",
        )
    return conditions or [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["*"]}}]


def _check_values(ctx: StackContext, props: dict[str, Any], at: Path) -> None:
    """What Elastic Load Balancing refuses in a condition value (ELB API Reference, `RuleCondition`):
    paths and hosts of 1 to 128 characters, methods of letters, `-` and `_`, source IPs as CIDR blocks."""
    for key in ("paths", "hosts"):
        for index, value in enumerate(props.get(key) or []):
            if not 1 <= len(str(value)) <= 128:
                ctx.fail((*at, key, index), f"{key[:-1]} {value!r} is not 1 to 128 characters long")
    for index, value in enumerate(props.get("methods") or []):
        if not re.fullmatch(r"[A-Za-z_-]{1,40}", str(value)):
            ctx.fail((*at, "methods", index), f"{value!r} is not an HTTP method (letters, `-` and `_`)")
    for index, value in enumerate(props.get("sourceIps") or []):
        cidr_block(ctx, value, (*at, "sourceIps", index))


def cidr_block(ctx: StackContext, value: Any, at: Path) -> str:
    """`value` if it is an IPv4 or IPv6 CIDR block (`203.0.113.0/24`); raises ConfigError otherwise."""
    import ipaddress

    try:
        if "/" not in str(value):
            raise ValueError
        ipaddress.ip_network(str(value), strict=False)
    except ValueError:
        ctx.fail(
            at, f"{value!r} is not a CIDR block", hint="an address and its prefix length: `203.0.113.7/32`"
        )
    return str(value)


def event_target_input(props: dict[str, Any]) -> dict[str, Any]:
    """What an EventBridge rule's target gets instead of the whole event, from an event's `input` (a fixed
    JSON value), `inputPath` (a JSONPath into the event) and `inputTransformer` (`inputPathsMap`,
    `inputTemplate`): the target's `Input`, `InputPath` and `InputTransformer` properties."""
    target: dict[str, Any] = {}
    if "input" in props:
        target["Input"] = json.dumps(props["input"])
    if "inputPath" in props:
        target["InputPath"] = props["inputPath"]
    transformer = props.get("inputTransformer")
    if transformer:
        target["InputTransformer"] = {
            "InputTemplate": transformer.get("inputTemplate", ""),
            **({"InputPathsMap": transformer["inputPathsMap"]} if transformer.get("inputPathsMap") else {}),
        }
    return target
