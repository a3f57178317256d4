"""JSON Schema of the `http-api-gateway` type's properties (Stacktape's property names and enums).

The HTTP-facing definitions several types share (CORS, custom domains, CDN, authorizers, log
forwarding) are in `stackwright.schema`.
"""

from __future__ import annotations

from typing import Any

from stackwright import schema

RETENTION_DAYS = schema.RETENTION_DAYS
_obj, _strings, _tagged = schema.obj, schema.strings, schema.tagged

DEFINITIONS: dict[str, Any] = dict(schema.SHARED_DEFINITIONS)

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

schema.describe(
    SCHEMAS["http-api-gateway"],
    {
        "payloadFormat": "Version of the event format sent to functions (default `1.0`).",
        "cors": "CORS settings, for browsers on other origins.",
        "logging": "Access logs of the API in CloudWatch.",
        "logging.disabled": "Keep no access logs.",
        "logging.format": "Format of the access log records (default `JSON`).",
        "logging.retentionDays": "Days log records are kept in CloudWatch.",
        "logging.logForwarding": "Also send the log records to a third-party service.",
        "customDomains": "Domain names the API answers on.",
        "cdn": "A CloudFront distribution in front of the API.",
        "alarms": "CloudWatch alarms on the API's metrics.",
        "disabledGlobalAlarms": "Names of project-wide alarms that do not apply to this API.",
    },
)

#: Properties the schema accepts (so Stacktape configs validate) but no compiler handles yet.
schema.refuse(
    SCHEMAS["http-api-gateway"],
    {
        "cdn": (
            "remove it: a CloudFront distribution in front of the API is not supported yet",
            ({"enabled": False},),
        ),
        "alarms": "remove it: alarms are not supported yet",
        "logging.logForwarding": "remove it: log forwarding is not supported yet",
    },
)
