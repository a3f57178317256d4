"""JSON Schema of `upstash-redis` properties and of `providerConfig.upstash`, with Stacktape's names."""

from __future__ import annotations

from typing import Any

REDIS_PROPERTIES: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "enableEviction": {
            "type": "boolean",
            "default": False,
            "description": "When the memory is full, remove keys (those with a time to live first) "
            "instead of refusing writes.",
        }
    },
}

PROVIDER_CONFIG: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["accountEmail", "apiKey"],
    "description": "The Upstash account the stack's databases are made in.",
    "properties": {
        "accountEmail": {"type": "string", "description": "Email address of the Upstash account."},
        "apiKey": {
            "type": "string",
            "description": "A management API key of the account (Upstash console, Account, Management API); "
            "write `$Secret('name')`. Either way it is kept in a Secrets Manager secret, and the template "
            "holds only references to it.",
        },
    },
}
