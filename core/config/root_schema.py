"""The core's part of the config schema: the root keys Stacktape configs use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from stackwright.config.script_schema import SCRIPT_TEXTS, hooks_schema, script_schema

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
    from stackwright.refusals import refuse, refuse_node
    from stackwright.schema import describe

    shape = describe(_shape(), ROOT_TEXTS)
    describe(shape["$defs"]["ResourceEnvelope"], ENVELOPE_TEXTS)
    script = describe(shape["$defs"]["Script"], SCRIPT_TEXTS)
    refuse(shape, ROOT_REFUSED)
    refuse(script, {"assumeRoleOfResource": "give the script credentials of your own (an AWS profile)"})
    for branch in script["anyOf"][1:]:
        refuse_node(branch, "use a `local-script`: bastion hosts are not supported yet")
    return shape


_NO_STACK_INFO = "stackwright saves no stack info file; `stackwright info --output json` prints the outputs"
_NO_COMMAND = (
    "stackwright has no {} command; run the script from beforeDeploy/afterDeploy or with "
    "`stackwright script:run`"
)
#: Root keys accepted for Stacktape compatibility that stackwright does not act on (see `refusals`).
ROOT_REFUSED: dict[str, str | tuple[str, tuple[Any, ...]]] = {
    "stackConfig.disableStackInfoSaving": (_NO_STACK_INFO, (True,)),
    "stackConfig.stackInfoDirectory": _NO_STACK_INFO,
    "stackConfig.vpc": "remove it: stackwright makes the stack's own VPC (public subnets, no NAT gateways) "
    "for the resources that need one",
    "deploymentConfig.disableS3TransferAcceleration": (
        "stackwright uploads without S3 Transfer Acceleration: remove it or set it to true",
        (True,),
    ),
    "hooks.beforeBucketSync": _NO_COMMAND.format("bucket-sync"),
    "hooks.afterBucketSync": _NO_COMMAND.format("bucket-sync"),
    "hooks.beforeDev": _NO_COMMAND.format("dev"),
    "hooks.afterDev": _NO_COMMAND.format("dev"),
}


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
    "hooks": "Scripts (of `scripts`) run before or after commands, in order; a failing one stops the "
    "command.",
    "scripts": "Named local commands, run by `hooks` or `stackwright script:run NAME`, with the stack's "
    "parameters in their environment.",
    "directives": "Your own directives, written in Python.",
    "directives.name": "Name of the directive, used as `$Name()`.",
    "directives.filePath": "Python file that defines it, from the project root, then `:function` if the "
    "function has another name.",
    "deploymentConfig": "How deploys are done.",
    "deploymentConfig.previousVersionsToKeep": "Previous deployments kept for `rollback` (default 25); "
    "their artifacts are kept with them.",
    "deploymentConfig.disableAutoRollback": "Keep what a failed deploy created instead of rolling back "
    "(`--disable-rollback` for one deploy).",
    "deploymentConfig.terminationProtection": "Refuse to delete the stack (CloudFormation's termination "
    "protection) until set to false and deployed.",
    "deploymentConfig.cloudformationRoleArn": "ARN of the IAM role CloudFormation deploys with (`RoleARN`).",
    "deploymentConfig.monitoringTimeAfterDeploymentInMinutes": "Minutes CloudFormation watches "
    "`triggerRollbackOnAlarms` after a deploy (0-180).",
    "deploymentConfig.triggerRollbackOnAlarms": "CloudWatch alarm ARNs (at most 5) that roll the deploy back "
    "when they go off.",
    "deploymentConfig.publishEventsToArn": "SNS topic ARNs (at most 5) that receive the stack's events.",
    "deploymentConfig.disableS3TransferAcceleration": "stackwright uploads without S3 Transfer Acceleration.",
    "stackConfig": "Settings of the stack itself.",
    "stackConfig.outputs": "Stack outputs of your own, printed after each deploy and shown by `info`.",
    "stackConfig.outputs.name": "Output name: letters and digits (a CloudFormation logical id).",
    "stackConfig.outputs.value": "Its value: text or a directive (`$ResourceParam('api', 'url')`).",
    "stackConfig.outputs.description": "What the output is.",
    "stackConfig.outputs.export": "Export it (named `<stack name>-<name>`) for other stacks "
    "(`Fn::ImportValue`, `$CfStackOutput()`).",
    "stackConfig.tags": "Tags of the stack (at most 45), which CloudFormation puts on every resource that "
    "takes tags.",
    "stackConfig.tags.name": "Tag key (at most 128 characters; not `aws:...`).",
    "stackConfig.tags.value": "Tag value (at most 256 characters).",
    "stackConfig.disableStackInfoSaving": "Save no stack info file after deploys.",
    "stackConfig.stackInfoDirectory": "Folder of the stack info file.",
    "stackConfig.vpc": "VPC of the stack: an existing one, or NAT gateways.",
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
    from stackwright.schema import obj

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
            "hooks": hooks_schema(),
            "scripts": {
                "type": "object",
                "propertyNames": {"pattern": RESOURCE_NAME_PATTERN},
                "additionalProperties": {"$ref": "#/$defs/Script"},
            },
            "directives": {
                "type": "array",
                "items": obj(
                    {"name": {"type": "string"}, "filePath": {"type": "string"}}, "name", "filePath"
                ),
            },
            "deploymentConfig": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "previousVersionsToKeep": {"type": "integer", "minimum": 0},
                    "hotswap": {
                        "description": "Hot-swap code-only changes on every deploy: true, or the stages "
                        "that do (default false; `--hotswap`/`--no-hotswap` win).",
                        "anyOf": [{"type": "boolean"}, {"type": "array", "items": {"type": "string"}}],
                    },
                    "disableAutoRollback": {"type": "boolean"},
                    "terminationProtection": {"type": "boolean"},
                    "cloudformationRoleArn": {
                        "type": "string",
                        "pattern": r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$",
                        "patternErrorMessage": "an IAM role ARN (arn:aws:iam::123456789012:role/name)",
                    },
                    "monitoringTimeAfterDeploymentInMinutes": {
                        "type": "integer",
                        "minimum": 0,
                        "maximum": 180,
                    },
                    "triggerRollbackOnAlarms": {
                        "type": "array",
                        "maxItems": 5,
                        "items": {
                            "type": "string",
                            "pattern": r"^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$",
                            "patternErrorMessage": "a CloudWatch alarm ARN "
                            "(arn:aws:cloudwatch:eu-west-1:123456789012:alarm:name)",
                        },
                    },
                    "publishEventsToArn": {
                        "type": "array",
                        "maxItems": 5,
                        "items": {
                            "type": "string",
                            "pattern": r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$",
                            "patternErrorMessage": "an SNS topic ARN "
                            "(arn:aws:sns:eu-west-1:123456789012:name)",
                        },
                    },
                    "disableS3TransferAcceleration": {"type": "boolean"},
                },
            },
            "stackConfig": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "outputs": {
                        "type": "array",
                        "items": obj(
                            {
                                "name": {
                                    "type": "string",
                                    "pattern": r"^[A-Za-z0-9]{1,255}$",
                                    "patternErrorMessage": "letters and digits only",
                                },
                                "value": {"type": ["string", "number", "boolean"]},
                                "description": {"type": "string", "maxLength": 1024},
                                "export": {"type": "boolean"},
                            },
                            "name",
                            "value",
                        ),
                    },
                    "tags": {
                        "type": "array",
                        "maxItems": 45,
                        "items": obj(
                            {
                                "name": {
                                    "type": "string",
                                    "minLength": 1,
                                    "maxLength": 128,
                                    "pattern": r"^(?!aws:)[\w .:/=+@-]+$",
                                    "patternErrorMessage": "letters, digits, spaces and _ . : / = + - @, "
                                    "not starting with aws:",
                                },
                                "value": {"type": "string", "minLength": 1, "maxLength": 256},
                            },
                            "name",
                            "value",
                        ),
                    },
                    "disableStackInfoSaving": {"type": "boolean"},
                    "stackInfoDirectory": {"type": "string"},
                    "vpc": {"type": "object"},
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
            "Script": script_schema(),
            "ResourceEnvelope": {
                "type": "object",
                "additionalProperties": False,
                "required": ["type"],
                "properties": {
                    "type": {"type": "string"},
                    "properties": {"type": "object"},
                    "overrides": {"type": "object", "additionalProperties": {"type": "object"}},
                },
            },
        },
    }
