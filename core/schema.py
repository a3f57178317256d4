"""Builders for the JSON Schemas resource types register (Stacktape's shapes: closed objects, unions
discriminated by `type`, references into `$defs`), and the definitions several Stacktape types share
(environment variables, IAM statements, CORS, custom domains, CDN, authorizers, log forwarding).
For plugin authors as much as for the built-ins: `from stackwright import schema`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def obj(props: dict[str, Any], *required: str) -> dict[str, Any]:
    """A closed object: only `props`, with `required` ones."""
    body: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        body["required"] = list(required)
    return body


def tagged(
    type_name: str, props: dict[str, Any] | None, props_required: bool = True, summary: str = ""
) -> dict[str, Any]:
    """One branch of a union discriminated by `type`; `props` is the schema of its `properties` (None: the
    branch takes no `properties` at all). `summary` says what the variant is; it becomes the description
    of `type` (editors show it when completing the value)."""
    what = f"`{type_name}`: {summary}" if summary else f"Selects the `{type_name}` variant."
    fields: dict[str, Any] = {"type": {"type": "string", "const": type_name, "description": what}}
    if props is not None:
        fields["properties"] = {**props, "description": f"The settings of the `{type_name}` variant."}
    return obj(fields, *(["type", "properties"] if props is not None and props_required else ["type"]))


def describe(node: dict[str, Any], texts: Mapping[str, str]) -> dict[str, Any]:
    """Set the `description` of the properties in `node` named by dotted paths (`url.cors.maxAge`), and
    return `node`. A path goes through arrays, `anyOf` branches and the `properties` of the variants of a
    `type`-discriminated union by itself (`events.scheduleRate`); `$ref`s are not followed: describe a
    definition where it is defined. Raises KeyError for a path that names no property, so a renamed
    property cannot keep a text that no longer applies."""
    for path, text in texts.items():
        found = find_properties(node, path.split("."))
        if not found:
            raise KeyError(f"no property {path!r} to describe")
        for prop in found:
            prop["description"] = text
    return node


def _objects(node: Any) -> list[dict[str, Any]]:
    """`node` and the object schemas it stands for: array items, union branches, variant settings."""
    found: list[dict[str, Any]] = []
    pending = [node]
    while pending:
        current = pending.pop()
        if not isinstance(current, dict):
            continue
        found.append(current)
        pending.extend([*current.get("anyOf", []), *current.get("oneOf", []), *current.get("allOf", [])])
        pending.append(current.get("items"))
        props = current.get("properties", {})
        if isinstance(props.get("type"), dict) and "const" in props["type"]:
            pending.append(props.get("properties"))
    return found


def find_properties(node: Any, segments: list[str]) -> list[dict[str, Any]]:
    """The property schemas the path `segments` names in `node` (see `describe`)."""
    found: list[dict[str, Any]] = []
    for candidate in _objects(node):
        prop = candidate.get("properties", {}).get(segments[0])
        if isinstance(prop, dict):
            found.extend([prop] if len(segments) == 1 else find_properties(prop, segments[1:]))
    return found


def strings() -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}}


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def array(name: str) -> dict[str, Any]:
    """An array of the `$defs` entry `name`."""
    return {"type": "array", "items": ref(name)}


#: CloudWatch Logs retention periods (days) Stacktape accepts (the values AWS::Logs::LogGroup allows).
RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653]

_FUNCTION_SHAPES: dict[str, Any] = {
    "EnvironmentVar": {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "value"],
        "properties": {"name": {"type": "string"}, "value": {"type": ["string", "number", "boolean"]}},
    },
    "CloudformationTag": {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "value"],
        "properties": {"name": {"type": "string"}, "value": {"type": "string"}},
    },
    "StpIamRoleStatement": {
        "type": "object",
        "additionalProperties": False,
        "required": ["Resource"],
        "properties": {
            "Sid": {"type": "string"},
            "Effect": {"type": "string", "enum": ["Allow", "Deny"]},
            "Action": {"type": "array", "items": {"type": "string"}},
            "Condition": {},
            "Resource": {"type": "array", "items": {"type": "string"}},
        },
    },
}

HTTP_METHODS = ["*", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]


DOMAIN_NAME = r"^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"


def listener_rule_props() -> dict[str, Any]:
    """The properties of an `application-load-balancer` event, a function's or a container's: the load
    balancer, listener and priority of the rule, and the conditions a request must meet."""
    return {
        "loadBalancerName": {"type": "string"},
        "listenerPort": {"type": "number"},
        "priority": {"type": "number", "minimum": 1, "maximum": 50000},
        "paths": strings(),
        "methods": strings(),
        "hosts": strings(),
        "headers": {
            "type": "array",
            "items": obj(
                {"headerName": {"type": "string"}, "values": {**strings(), "minItems": 1}},
                "headerName",
                "values",
            ),
        },
        "queryParams": {
            "type": "array",
            "items": obj(
                {"paramName": {"type": "string"}, "values": {**strings(), "minItems": 1}},
                "paramName",
                "values",
            ),
        },
        "sourceIps": strings(),
    }


#: What the properties of `listener_rule_props` mean (`describe` texts).
LISTENER_RULE_TEXTS = {
    "loadBalancerName": "Name of the `application-load-balancer` of this config the rule is added to.",
    "listenerPort": "Port of the load balancer's listener the rule belongs to (needed when it has several).",
    "priority": "Order among the listener's rules (1 to 50,000): lower numbers are matched first.",
    "paths": "Paths that match (`/users`, `/api/*`; `*` and `?` are wildcards; case-sensitive).",
    "methods": "HTTP methods that match (`GET`, `POST`).",
    "hosts": "Host names that match (`api.example.com`, `*.example.com`).",
    "headers": "Headers that must be present with one of their listed values (case-insensitive).",
    "headers.headerName": "Name of the HTTP header.",
    "headers.values": "Values that match (`*` and `?` are wildcards).",
    "queryParams": "Query parameters that must be present with one of their listed values.",
    "queryParams.paramName": "Name of the query parameter.",
    "queryParams.values": "Values that match (`*` and `?` are wildcards).",
    "sourceIps": "Client addresses that match, as CIDR blocks (`203.0.113.0/24`).",
}

SHARED_DEFINITIONS: dict[str, Any] = {
    **_FUNCTION_SHAPES,
    "HttpMethod": {"type": "string", "enum": HTTP_METHODS},
    "HttpApiCorsConfig": obj(
        {
            "enabled": {"type": "boolean"},
            "allowedOrigins": strings(),
            "allowedHeaders": strings(),
            "allowedMethods": {"type": "array", "items": {"$ref": "#/$defs/HttpMethod"}},
            "allowCredentials": {"type": "boolean"},
            "exposedResponseHeaders": strings(),
            "maxAge": {"type": "number"},
        },
        "enabled",
    ),
    "DomainConfiguration": obj(
        {
            # Stricter than Stacktape's schema: a domain name and an ACM certificate ARN, checked here
            # rather than by a failed deploy.
            "domainName": {
                "type": "string",
                "pattern": DOMAIN_NAME,
                "patternErrorMessage": "a domain name such as api.example.com",
            },
            "customCertificateArn": {
                "type": "string",
                "pattern": r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/.+$",
            },
            "disableDnsRecordCreation": {"type": "boolean"},
        },
        "domainName",
    ),
    "CdnConfiguration": obj(
        {
            "enabled": {"type": "boolean"},
            "cachingOptions": {"type": "object"},
            "forwardingOptions": {"type": "object"},
            "routeRewrites": {"type": "array", "items": {"type": "object"}},
            "customDomains": {"type": "array", "items": {"$ref": "#/$defs/DomainConfiguration"}},
            "edgeFunctions": obj(
                {
                    "onRequest": {"type": "string"},
                    "onResponse": {"type": "string"},
                    "onOriginRequest": {"type": "string"},
                    "onOriginResponse": {"type": "string"},
                }
            ),
            "cloudfrontPriceClass": {
                "type": "string",
                "enum": ["PriceClass_100", "PriceClass_200", "PriceClass_All"],
            },
            "defaultRoutePrefix": {"type": "string"},
            "errorDocument": {"type": "string"},
            "indexDocument": {"type": "string"},
            "disableInvalidationAfterDeploy": {"type": "boolean"},
            "useFirewall": {"type": "string"},
        },
        "enabled",
    ),
    "HttpApiAuthorizer": {
        "anyOf": [
            tagged(
                "cognito",
                obj({"userPoolName": {"type": "string"}, "identitySources": strings()}, "userPoolName"),
                summary="accept tokens issued by a Cognito user pool.",
            ),
            tagged(
                "lambda",
                obj(
                    {
                        "functionName": {"type": "string"},
                        "iamResponse": {"type": "boolean"},
                        "identitySources": strings(),
                        "cacheResultSeconds": {"type": "number", "minimum": 0, "maximum": 3600},
                    },
                    "functionName",
                ),
                summary="let a Lambda function decide.",
            ),
        ]
    },
    "EventBusPattern": {
        **obj(
            {
                field: {"type": "object"} if field == "detail" else {"type": "array"}
                for field in (
                    "version",
                    "detail-type",
                    "source",
                    "account",
                    "region",
                    "resources",
                    "detail",
                    "replay-name",
                )
            }
        ),
        "minProperties": 1,
    },
    "LogForwarding": {
        "anyOf": [
            tagged(
                "http-endpoint",
                obj(
                    {
                        "endpointUrl": {"type": "string"},
                        "gzipEncodingEnabled": {"type": "boolean"},
                        "parameters": {"type": "object", "additionalProperties": {"type": "string"}},
                        "retryDuration": {"type": "number"},
                        "accessKey": {"type": "string"},
                    },
                    "endpointUrl",
                ),
                summary="send log records to an HTTP endpoint (through Kinesis Data Firehose).",
            ),
            tagged(
                "highlight",
                obj({"projectId": {"type": "string"}, "endpointUrl": {"type": "string"}}, "projectId"),
                summary="send log records to Highlight.",
            ),
            tagged(
                "datadog",
                obj({"apiKey": {"type": "string"}, "endpointUrl": {"type": "string"}}, "apiKey"),
                summary="send log records to Datadog.",
            ),
        ]
    },
}


_ARRAY_OF_ACTIONS = "IAM actions (`s3:GetObject`, `sqs:*`)."
_SHARED_TEXTS: dict[str, dict[str, str]] = {
    "EnvironmentVar": {
        "name": "Name of the environment variable.",
        "value": "Its value; numbers and booleans are passed as text.",
    },
    "CloudformationTag": {
        "name": "Tag key (at most 128 characters).",
        "value": "Tag value (at most 256 characters).",
    },
    "StpIamRoleStatement": {
        "Sid": "An identifier for the statement, unique within the policy.",
        "Effect": "Whether the statement allows or denies the actions (default Allow).",
        "Action": _ARRAY_OF_ACTIONS,
        "Condition": "IAM condition block: operator → condition key → value(s).",
        "Resource": "ARNs the statement applies to; `*` for every resource.",
    },
    "HttpApiCorsConfig": {
        "enabled": "Answer CORS preflight requests and add CORS headers to responses.",
        "allowedOrigins": "Origins allowed to call the API (`https://example.com`, or `*`; default `*`).",
        "allowedHeaders": "Request headers browsers may send.",
        "allowedMethods": "HTTP methods browsers may use.",
        "allowCredentials": "Let browsers send cookies and authorization headers along.",
        "exposedResponseHeaders": "Response headers browser scripts may read.",
        "maxAge": "Seconds a browser may cache a preflight response.",
    },
    "DomainConfiguration": {
        "domainName": "The custom domain name (`api.example.com`); its zone must be in Route 53.",
        "customCertificateArn": "ARN of an ACM certificate for the domain, instead of one issued for you.",
        "disableDnsRecordCreation": "Do not create the DNS record that points the domain here.",
    },
    "CdnConfiguration": {
        "enabled": "Put a CloudFront distribution in front of this resource.",
        "cachingOptions": "How CloudFront caches responses: TTLs, cache keys, compression.",
        "forwardingOptions": "Which headers, cookies and query strings CloudFront passes to the origin.",
        "routeRewrites": "Paths served by another origin (a bucket, function or service) than this one.",
        "customDomains": "Domain names the distribution answers on.",
        "edgeFunctions": "Edge functions CloudFront runs at points of the request.",
        "edgeFunctions.onRequest": "Name of an edge function run when a viewer request arrives.",
        "edgeFunctions.onResponse": "Name of an edge function run before the response goes to the viewer.",
        "edgeFunctions.onOriginRequest": "Name of an edge function run before a request goes to the origin.",
        "edgeFunctions.onOriginResponse": "Name of an edge function run when the origin's response arrives.",
        "cloudfrontPriceClass": "Which edge locations serve requests; fewer is cheaper (default all).",
        "defaultRoutePrefix": "A path prefix added to every request before it reaches the origin.",
        "errorDocument": "Path of the page served for errors (`/error.html`).",
        "indexDocument": "Path served for requests to `/` (default `/index.html`).",
        "disableInvalidationAfterDeploy": "Keep CloudFront's cache after a deploy, not invalidating it.",
        "useFirewall": "Name of a `web-app-firewall` resource that guards the distribution.",
    },
    "HttpApiAuthorizer": {
        "userPoolName": "Name of the `user-auth-pool` resource whose tokens are accepted.",
        "identitySources": "Where the token is read from (`$request.header.Authorization`).",
        "functionName": "Name of the `function` resource that decides whether a request is allowed.",
        "iamResponse": "The function returns an IAM policy instead of a simple allow/deny answer.",
        "cacheResultSeconds": "Seconds a decision is cached per identity (0 to 3600; 0 disables caching).",
    },
    "EventBusPattern": {
        "version": "Values of the event's version to match.",
        "detail-type": "Detail types to match (`OrderPlaced`).",
        "source": "Sources to match (`aws.s3`, `my.app`).",
        "account": "AWS accounts the event may come from.",
        "region": "Regions the event may come from.",
        "resources": "ARNs the event may be about.",
        "detail": "A pattern for the event's own payload: field → values to match.",
        "replay-name": "Names of the replays that may have re-sent the event.",
    },
    "LogForwarding": {
        "endpointUrl": "URL the log records are sent to.",
        "gzipEncodingEnabled": "Compress the records with gzip before sending.",
        "parameters": "Extra key-value pairs sent with every batch of records.",
        "retryDuration": "Seconds to keep retrying a failed delivery (0 to 7200, default 300).",
        "accessKey": "The key the endpoint expects, sent in the request header.",
        "projectId": "ID of the Highlight project the logs go to.",
        "apiKey": "Datadog API key used to send the logs.",
    },
}
for _name, _texts in _SHARED_TEXTS.items():
    describe(SHARED_DEFINITIONS[_name], _texts)


# Refusing keys is part of writing a schema: `schema.refuse(node, {"path": "what to do instead"})`.
from stackwright.refusals import refuse as refuse  # noqa: E402
from stackwright.refusals import refuse_node as refuse_node  # noqa: E402
from stackwright.refusals import refuse_variants as refuse_variants  # noqa: E402
