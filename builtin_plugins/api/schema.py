"""JSON Schema of the `http-api-gateway` type's properties (Stacktape's property names and enums).

It also holds the HTTP-facing definitions other resource types share (CORS, custom domains, CDN,
authorizers, log forwarding); those modules import them from here rather than redefining them.
"""

from __future__ import annotations

from typing import Any

from stackwright.builtin_plugins.functions.schema import RETENTION_DAYS
from stackwright.schema import obj as _obj
from stackwright.schema import strings as _strings
from stackwright.schema import tagged as _tagged

HTTP_METHODS = ["*", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]


DOMAIN_NAME = r"^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"

DEFINITIONS: dict[str, Any] = {
    "HttpMethod": {"type": "string", "enum": HTTP_METHODS},
    "HttpApiCorsConfig": _obj(
        {
            "enabled": {"type": "boolean"},
            "allowedOrigins": _strings(),
            "allowedHeaders": _strings(),
            "allowedMethods": {"type": "array", "items": {"$ref": "#/$defs/HttpMethod"}},
            "allowCredentials": {"type": "boolean"},
            "exposedResponseHeaders": _strings(),
            "maxAge": {"type": "number"},
        },
        "enabled",
    ),
    "DomainConfiguration": _obj(
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
    "CdnConfiguration": _obj(
        {
            "enabled": {"type": "boolean"},
            "cachingOptions": {"type": "object"},
            "forwardingOptions": {"type": "object"},
            "routeRewrites": {"type": "array", "items": {"type": "object"}},
            "customDomains": {"type": "array", "items": {"$ref": "#/$defs/DomainConfiguration"}},
            "edgeFunctions": _obj(
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
            _tagged(
                "cognito",
                _obj({"userPoolName": {"type": "string"}, "identitySources": _strings()}, "userPoolName"),
            ),
            _tagged(
                "lambda",
                _obj(
                    {
                        "functionName": {"type": "string"},
                        "iamResponse": {"type": "boolean"},
                        "identitySources": _strings(),
                        "cacheResultSeconds": {"type": "number"},
                    },
                    "functionName",
                ),
            ),
        ]
    },
    "LogForwarding": {
        "anyOf": [
            _tagged(
                "http-endpoint",
                _obj(
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
            _tagged(
                "highlight",
                _obj({"projectId": {"type": "string"}, "endpointUrl": {"type": "string"}}, "projectId"),
            ),
            _tagged(
                "datadog",
                _obj({"apiKey": {"type": "string"}, "endpointUrl": {"type": "string"}}, "apiKey"),
            ),
        ]
    },
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "http-api-gateway": _obj(
        {
            "payloadFormat": {"type": "string", "enum": ["1.0", "2.0"]},
            "cors": {"$ref": "#/$defs/HttpApiCorsConfig"},
            "logging": _obj(
                {
                    "disabled": {"type": "boolean"},
                    "format": {"type": "string", "enum": ["CLF", "CSV", "JSON", "XML"]},
                    "retentionDays": {"type": "number", "enum": RETENTION_DAYS},
                    "logForwarding": {"$ref": "#/$defs/LogForwarding"},
                }
            ),
            "customDomains": {"type": "array", "items": {"$ref": "#/$defs/DomainConfiguration"}},
            "cdn": {"$ref": "#/$defs/CdnConfiguration"},
            "alarms": {"type": "array", "items": {"type": "object"}},
            "disabledGlobalAlarms": _strings(),
        }
    ),
}

REQUIRES_PROPERTIES: dict[str, bool] = {"http-api-gateway": False}
