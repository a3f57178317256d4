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
    from stackwright.schema import describe

    shape = describe(_shape(), ROOT_TEXTS)
    describe(shape["$defs"]["ResourceEnvelope"], ENVELOPE_TEXTS)
    return shape


_NOT_YET = " Accepted for Stacktape compatibility; not acted on yet."

#: What each root key means (the descriptions editors show on hover and the config reference lists).
ROOT_TEXTS = {
    "serviceName": "Project name: lower-case letters, digits and `-`, at most 64 (default: the config "
    "folder's name; `--project` wins).",
    "providerConfig": "Settings of third-party services (MongoDB Atlas, Upstash) their plugins read.",
    "providerConfig.mongoDbAtlas": "MongoDB Atlas credentials and settings, read by the "
    "stackwright-mongodb-atlas plugin (which checks them when installed).",
    "providerConfig.upstash": "Upstash credentials and settings, read by the stackwright-upstash plugin "
    "(which checks them when installed).",
    "variables": "Values for `$Var()`, resolved before the rest; they may use other directives.",
    "hooks": "Scripts to run before or after commands." + _NOT_YET,
    "scripts": "Named scripts to run with the project's settings." + _NOT_YET,
    "directives": "Your own directives, written in Python.",
    "directives.name": "Name of the directive, used as `$Name()`.",
    "directives.filePath": "Python file that defines it, from the project root, then `:function` if the "
    "function has another name.",
    "deploymentConfig": "How deploys are done.",
    "deploymentConfig.previousVersionsToKeep": "Previous deployments kept for `rollback` (default 25).",
    "deploymentConfig.disableAutoRollback": "Keep what a failed deploy created instead of rolling back."
    + _NOT_YET,
    "deploymentConfig.terminationProtection": "Refuse to delete the stack until turned off." + _NOT_YET,
    "deploymentConfig.cloudformationRoleArn": "ARN of the IAM role CloudFormation deploys with." + _NOT_YET,
    "deploymentConfig.monitoringTimeAfterDeploymentInMinutes": "Minutes to watch `triggerRollbackOnAlarms` "
    "after a deploy." + _NOT_YET,
    "deploymentConfig.triggerRollbackOnAlarms": "Alarms that roll the deploy back when they fire." + _NOT_YET,
    "deploymentConfig.publishEventsToArn": "SNS topic ARNs that receive the stack's events." + _NOT_YET,
    "stackConfig": "Settings of the stack itself.",
    "stackConfig.outputs": "Extra stack outputs." + _NOT_YET,
    "stackConfig.tags": "Tags for the stack and what it creates." + _NOT_YET,
    "stackConfig.tags.name": "Tag key (at most 128 characters).",
    "stackConfig.tags.value": "Tag value (at most 256 characters).",
    "stackConfig.disableStackOutputs": "Create no stack outputs." + _NOT_YET,
    "resources": "The resources of the stack: name (letters, digits, `-`, `_`) → resource.",
    "cloudformationResources": "Raw CloudFormation resources, added to the template as written: logical "
    "id → resource.",
    "requiredPlugins": "Plugins this config needs, as pip requirements (`stackwright-upstash>=0.2`).",
}
#: What the keys every resource has are, whatever its type.
ENVELOPE_TEXTS = {
    "type": "The resource type: which kind of resource this is, and so which `properties` it takes.",
    "properties": "The settings of the resource, as its type defines them.",
    "overrides": "Changes to the CloudFormation resources this resource compiles to: logical id → "
    "properties to set, merged into the compiled ones.",
}


def _shape() -> dict[str, Any]:
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
                        "description": "Hot-swap code-only changes on every deploy: true, or the stages "
                        "that do (default false; `--hotswap`/`--no-hotswap` win).",
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
                    "properties": {
                        "Type": {
                            "type": "string",
                            "description": "CloudFormation resource type (`AWS::S3::Bucket`).",
                        },
                        "Properties": {
                            "type": "object",
                            "description": "Its properties, as CloudFormation takes them.",
                        },
                    },
                },
            },
            "requiredPlugins": {
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
