"""Access log records of API Gateway HTTP APIs, in the formats Stacktape offers (`logging.format`)."""

from __future__ import annotations

import json

#: The fields of a record: name → API Gateway `$context` variable (API Gateway developer guide,
#: "Customizing HTTP API access logs").
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod",
    "path": "$context.path",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "integrationError": "$context.integrationErrorMessage",
}
ACCESS_LOG_FORMATS = ("JSON", "CLF", "CSV", "XML")


def access_log_format(kind: str = "JSON") -> str:
    """The stage's `AccessLogSettings.Format` for `kind` (`JSON`, `CLF`, `CSV` or `XML`). Raises
    ValueError for another kind."""
    if kind == "JSON":
        return json.dumps(ACCESS_LOG_FIELDS)
    if kind == "CLF":
        return (
            '$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.path '
            '$context.protocol" $context.status $context.responseLength $context.requestId'
        )
    if kind == "CSV":
        return ",".join(ACCESS_LOG_FIELDS.values())
    if kind == "XML":
        fields = "".join(f"<{name}>{value}</{name}>" for name, value in ACCESS_LOG_FIELDS.items())
        return f'<request id="$context.requestId">{fields}</request>'
    raise ValueError(f"unknown access log format {kind!r}: one of {', '.join(ACCESS_LOG_FORMATS)}")
