"""Builders for the JSON Schemas resource types register (Stacktape's shapes: closed objects, unions
discriminated by `type`, references into `$defs`), and the definitions several Stacktape types share
(environment variables, IAM statements, CORS, custom domains, CDN, authorizers, log forwarding).
For plugin authors as much as for the built-ins: `from stackwright import schema`."""

from __future__ import annotations

from typing import Any


def obj(props: dict[str, Any], *required: str) -> dict[str, Any]:
    """A closed object: only `props`, with `required` ones."""
    body: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        body["required"] = list(required)
    return body


def tagged(type_name: str, props: dict[str, Any] | None, props_required: bool = True) -> dict[str, Any]:
    """One branch of a union discriminated by `type`; `props` is the schema of its `properties` (None: the
    branch takes no `properties` at all)."""
    fields: dict[str, Any] = {"type": {"type": "string", "const": type_name}}
    if props is not None:
        fields["properties"] = props
    return obj(fields, *(["type", "properties"] if props is not None and props_required else ["type"]))


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
            ),
            tagged(
                "lambda",
                obj(
                    {
                        "functionName": {"type": "string"},
                        "iamResponse": {"type": "boolean"},
                        "identitySources": strings(),
                        "cacheResultSeconds": {"type": "number"},
                    },
                    "functionName",
                ),
            ),
        ]
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
            ),
            tagged(
                "highlight",
                obj({"projectId": {"type": "string"}, "endpointUrl": {"type": "string"}}, "projectId"),
            ),
            tagged(
                "datadog",
                obj({"apiKey": {"type": "string"}, "endpointUrl": {"type": "string"}}, "apiKey"),
            ),
        ]
    },
}
