"""The core's part of the config schema: the root keys Stacktape configs use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stackwright.models import ConfigSection

NAME_PATTERN = r"^[a-z0-9-]+$"
RESOURCE_NAME_PATTERN = r"^[A-Za-z0-9_-]+$"

#: The keys of Stacktape's `providerConfig`.
PROVIDERS = ("mongoDbAtlas", "upstash")

ROOT_KEYS = (
    "serviceName",
    "providerConfig",
    "variables",
    "hooks",
    "scripts",
    "directives",
    "deploymentConfig",
    "stackConfig",
    "resources",
    "cloudformationResources",
    "requiredPlugins",
)


def root_schema(sections: Sequence[ConfigSection] = ()) -> dict[str, Any]:
    """The root object with the plugins' config `sections` in place (a root key, or a key under
    `providerConfig`); `resources` entries are filled in from the registered resource types."""
    schema = _root()
    for section in sections:
        parent, _, child = section.path.partition(".")
        if not child:
            schema["properties"][parent] = dict(section.schema)
            continue
        schema["properties"][parent]["properties"][child] = dict(section.schema)
    return schema


def _root() -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["resources"],
        "properties": {
            "serviceName": {
                "type": "string",
                "pattern": NAME_PATTERN,
                "patternErrorMessage": "lower-case letters, digits and '-'",
            },
            "providerConfig": {
                "type": "object",
                "additionalProperties": False,
                # Stacktape's third-party providers; a provider plugin's config section replaces its entry
                "properties": {name: {"type": "object"} for name in PROVIDERS},
            },
            "variables": {"type": "object"},
            "hooks": {"type": "object"},
            "scripts": {"type": "object"},
            "directives": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name", "filePath"],
                    "properties": {"name": {"type": "string"}, "filePath": {"type": "string"}},
                },
            },
            "deploymentConfig": {
                "type": "object",
                "properties": {
                    "previousVersionsToKeep": {"type": "integer", "minimum": 0},
                    "hotswap": {
                        "description": "Hot-swap code-only changes by default: true, or the stages that do.",
                        "anyOf": [{"type": "boolean"}, {"type": "array", "items": {"type": "string"}}],
                    },
                    "disableAutoRollback": {"type": "boolean"},
                    "terminationProtection": {"type": "boolean"},
                    "cloudformationRoleArn": {"type": "string"},
                    "monitoringTimeAfterDeploymentInMinutes": {"type": "number"},
                    "triggerRollbackOnAlarms": {"type": "array"},
                    "publishEventsToArn": {"type": "array", "items": {"type": "string"}},
                },
            },
            "stackConfig": {
                "type": "object",
                "properties": {
                    "outputs": {"type": "array"},
                    "tags": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "value"],
                            "properties": {"name": {"type": "string"}, "value": {"type": "string"}},
                        },
                    },
                    "disableStackOutputs": {"type": "boolean"},
                },
            },
            "resources": {
                "type": "object",
                "propertyNames": {"pattern": RESOURCE_NAME_PATTERN},
                "additionalProperties": {"$ref": "#/$defs/ResourceEnvelope"},
            },
            "cloudformationResources": {
                "type": "object",
                "propertyNames": {"pattern": r"^[A-Za-z0-9]+$"},
                "additionalProperties": {
                    "type": "object",
                    "required": ["Type"],
                    "properties": {"Type": {"type": "string"}, "Properties": {"type": "object"}},
                },
            },
            "requiredPlugins": {
                "description": "Plugins this config needs, as pip requirements (`stackwright-upstash>=0.2`).",
                "type": "array",
                "items": {"type": "string"},
            },
        },
        "$defs": {
            "ResourceEnvelope": {
                "type": "object",
                "additionalProperties": False,
                "required": ["type"],
                "properties": {
                    "type": {"type": "string"},
                    "properties": {"type": "object"},
                    "overrides": {"type": "object", "additionalProperties": {"type": "object"}},
                },
            }
        },
    }
