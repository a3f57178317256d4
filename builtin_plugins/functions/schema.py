"""JSON Schema of the `function` type's properties (Stacktape's property names and enums)."""

from __future__ import annotations

from typing import Any

from stackwright import schema

from .descriptions import EVENT_TEXTS, FUNCTION_TEXTS, PACKAGING_TEXTS

#: Stacktape's `languageSpecificConfig` of Lambda buildpacks: its Python and its JavaScript/TypeScript
#: settings in one closed object (the entry file's suffix tells which apply).
LANGUAGE_SPECIFIC: dict[str, Any] = schema.obj(
    {
        "packageManagerFile": {
            "type": "string",
            "minLength": 1,
            "description": "The dependency file to install from, relative to the project root: a "
            "requirements file (`*.txt`) or `pyproject.toml` (its lock file beside it is used too).",
        },
        "packageManager": {
            "type": "string",
            "const": "uv",
            "description": "Stacktape's Python package manager: dependencies are installed with uv "
            "either way.",
        },
        "uvOptionalDependencies": schema.strings(),
        "uvWithGroups": schema.strings(),
        "uvWithoutGroups": schema.strings(),
        "uvOnlyGroups": schema.strings(),
        "useMaven": {"type": "boolean"},
        "javaVersion": {"type": "number"},
        "phpVersion": {"type": "number"},
        "projectFile": {"type": "string"},
        "dotnetVersion": {"type": "number"},
        "rubyVersion": {"type": "number"},
        "pythonVersion": {"type": "number"},
        "minify": {"type": "boolean"},
        "runAppAs": {"type": "string", "enum": ["ASGI", "WSGI"]},
        "tsConfigPath": {
            "type": "string",
            "minLength": 1,
            "description": "The tsconfig.json esbuild compiles the function with (path aliases, JSX and "
            "decorator settings), relative to the project root; by default the nearest one to each file.",
        },
        "emitTsDecoratorMetadata": {"type": "boolean"},
        "dependenciesToExcludeFromBundle": schema.strings(),
        "outputModuleFormat": {"type": "string", "enum": ["cjs", "esm"]},
        "nodeVersion": {"type": "number"},
        "disableSourceMaps": {"type": "boolean"},
        "outputSourceMapsTo": {"type": "string"},
        "dependenciesToExcludeFromDeploymentPackage": schema.strings(),
    }
)
_USE_RUNTIME = "set the function's `runtime` ({}) instead"
_OTHER_LANGUAGES = (
    "package the function yourself (custom-artifact with its `runtime`): the buildpack builds Python and "
    "Node.js"
)
schema.refuse(
    LANGUAGE_SPECIFIC,
    {
        "uvOptionalDependencies": "list the extras in the requirements (`pkg[extra]`) instead",
        "uvWithGroups": "list the group's packages in `[project].dependencies` or a requirements file",
        "uvWithoutGroups": "list only the packages to install in a requirements file (packageManagerFile)",
        "uvOnlyGroups": "list only the packages to install in a requirements file (packageManagerFile)",
        "pythonVersion": _USE_RUNTIME.format("python3.13"),
        **{key: _OTHER_LANGUAGES for key in ("useMaven", "javaVersion", "phpVersion", "projectFile")},
        **{key: _OTHER_LANGUAGES for key in ("dotnetVersion", "rubyVersion")},
        "nodeVersion": _USE_RUNTIME.format("nodejs22.x"),
        "minify": "remove it: Python code is packaged as written",
        "runAppAs": "remove it: it applies to container images, not to functions",
        "emitTsDecoratorMetadata": "remove it: esbuild does not emit decorator metadata",
        "dependenciesToExcludeFromBundle": "remove it: every dependency is bundled (the AWS SDK v3 is left "
        "to the runtime)",
        "outputModuleFormat": ("remove it: functions are bundled as CommonJS", ("cjs",)),
        "disableSourceMaps": ("remove it: stackwright bundles without source maps", (True,)),
        "outputSourceMapsTo": "remove it: stackwright bundles without source maps",
        "dependenciesToExcludeFromDeploymentPackage": "leave them out with excludeFiles, or bundle less",
    },
)

RUNTIMES = [
    "dotnet6",
    "dotnet7",
    "dotnet8",
    "java11",
    "java17",
    "java21",
    "java8",
    "java8.al2",
    "nodejs18.x",
    "nodejs20.x",
    "nodejs22.x",
    "nodejs24.x",
    "provided.al2",
    "provided.al2023",
    "python3.10",
    "python3.11",
    "python3.12",
    "python3.13",
    "python3.8",
    "python3.9",
    "ruby3.3",
]
RETENTION_DAYS = schema.RETENTION_DAYS
#: The object events S3 notifies (Stacktape's list, the event types of S3's notification configuration).
S3_EVENT_TYPES = [
    "s3:ObjectCreated:*",
    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:Post",
    "s3:ObjectCreated:Put",
    "s3:ObjectRemoved:*",
    "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectRestore:*",
    "s3:ObjectRestore:Completed",
    "s3:ObjectRestore:Post",
    "s3:ReducedRedundancyLostObject",
    "s3:Replication:*",
    "s3:Replication:OperationFailedReplication",
    "s3:Replication:OperationMissedThreshold",
    "s3:Replication:OperationNotTracked",
    "s3:Replication:OperationReplicatedAfterThreshold",
]
#: Event types of Stacktape's function without a compiler yet: refused by name.
OTHER_EVENT_TYPES = [
    "kafka-topic",
    "cloudwatch-alarm",
]


#: How a function reads a stream (the settings `dynamo-db-stream` and `kinesis-stream` events share).
_STREAM_READING: dict[str, Any] = {
    "batchSize": {"type": "number", "minimum": 1, "maximum": 10000},
    "maxBatchWindowSeconds": {"type": "number", "minimum": 0, "maximum": 300},
    "startingPosition": {"type": "string", "enum": ["LATEST", "TRIM_HORIZON"]},
    "maximumRetryAttempts": {"type": "number", "minimum": -1, "maximum": 10000},
    "onFailure": schema.obj(
        {"arn": {"type": "string"}, "type": {"type": "string", "enum": ["sns", "sqs"]}}, "arn", "type"
    ),
    "parallelizationFactor": {"type": "number", "minimum": 1, "maximum": 10},
    "bisectBatchOnFunctionError": {"type": "boolean"},
}


def _union(type_name: str, props: dict[str, Any], required: list[str], summary: str) -> dict[str, Any]:
    return schema.tagged(type_name, schema.obj(props, *required), summary=summary)


DEFINITIONS: dict[str, Any] = {
    **{
        name: schema.SHARED_DEFINITIONS[name]
        for name in (
            "EnvironmentVar",
            "CloudformationTag",
            "StpIamRoleStatement",
            "HttpApiAuthorizer",
            "EventBusPattern",
        )
    },
    "LambdaPackaging": {
        "anyOf": [
            _union(
                "stacktape-lambda-buildpack",
                {
                    "handlerFunction": {"type": "string"},
                    "entryfilePath": {"type": "string", "minLength": 1},
                    "includeFiles": {"type": "array", "items": {"type": "string"}},
                    "excludeFiles": {"type": "array", "items": {"type": "string"}},
                    "excludeDependencies": {"type": "array", "items": {"type": "string"}},
                    "languageSpecificConfig": LANGUAGE_SPECIFIC,
                },
                ["entryfilePath"],
                "build the zip from an entry file and its dependencies.",
            ),
            _union(
                "custom-artifact",
                {"packagePath": {"type": "string", "minLength": 1}, "handler": {"type": "string"}},
                ["packagePath"],
                "use a zip or a folder you built yourself.",
            ),
        ]
    },
    "LambdaEvent": {
        "anyOf": [
            _union(
                "schedule",
                {
                    "scheduleRate": {
                        "type": "string",
                        "pattern": r"^(rate|cron)\(.+\)$",
                        "patternErrorMessage": "rate(VALUE UNIT) or cron(EXPRESSION), e.g. rate(5 minutes)",
                    },
                    "input": {},
                    "inputPath": {"type": "string"},
                    "inputTransformer": {"type": "object"},
                },
                ["scheduleRate"],
                "run the function on a schedule (an EventBridge rule).",
            ),
            _union(
                "sqs",
                {
                    "sqsQueueName": {"type": "string"},
                    "sqsQueueArn": {"type": "string"},
                    "batchSize": {"type": "number", "minimum": 1, "maximum": 10000},
                    "maxBatchWindowSeconds": {"type": "number", "minimum": 0, "maximum": 300},
                },
                [],
                "run the function with batches of messages from an SQS queue.",
            ),
            _union(
                "http-api-gateway",
                {
                    "httpApiGatewayName": {"type": "string"},
                    "method": {"type": "string", "enum": schema.HTTP_METHODS},
                    "path": {
                        "type": "string",
                        "pattern": r"^(\*|/.*)$",
                        "patternErrorMessage": "`/posts`, `/posts/{id}`, `/{proxy+}` or `*`",
                    },
                    "payloadFormat": {"type": "string", "enum": ["1.0", "2.0"]},
                    "authorizer": {"$ref": "#/$defs/HttpApiAuthorizer"},
                },
                ["httpApiGatewayName", "method", "path"],
                "run the function for the requests an `http-api-gateway` of this config routes to it.",
            ),
            _union(
                "application-load-balancer",
                schema.listener_rule_props(),
                ["loadBalancerName", "priority"],
                "run the function for the requests an `application-load-balancer` of this config sends it.",
            ),
            _union(
                "s3",
                {
                    "bucketArn": {"type": "string"},
                    "s3EventType": {"type": "string", "enum": S3_EVENT_TYPES},
                    "filterRule": schema.obj({"prefix": {"type": "string"}, "suffix": {"type": "string"}}),
                },
                ["bucketArn", "s3EventType"],
                "run the function when objects of a `bucket` of this config change.",
            ),
            _union(
                "sns",
                {
                    "snsTopicName": {"type": "string"},
                    "snsTopicArn": {"type": "string"},
                    "filterPolicy": {"type": "object"},
                    "onDeliveryFailure": schema.obj(
                        {"sqsQueueArn": {"type": "string"}, "sqsQueueName": {"type": "string"}}
                    ),
                },
                [],
                "run the function with each message published to an SNS topic.",
            ),
            _union(
                "dynamo-db-stream",
                {"streamArn": {"type": "string"}, **_STREAM_READING},
                ["streamArn"],
                "run the function with batches of a DynamoDB table's item changes.",
            ),
            _union(
                "kinesis-stream",
                {
                    "kinesisStreamName": {"type": "string"},
                    "streamArn": {"type": "string"},
                    "consumerArn": {"type": "string"},
                    "autoCreateConsumer": {"type": "boolean"},
                    **_STREAM_READING,
                },
                [],
                "run the function with batches of a Kinesis data stream's records.",
            ),
            _union(
                "event-bus",
                {
                    "eventBusArn": {"type": "string"},
                    "eventBusName": {"type": "string"},
                    "useDefaultBus": {"type": "boolean"},
                    "eventPattern": {"$ref": "#/$defs/EventBusPattern"},
                    "onDeliveryFailure": schema.obj(
                        {"sqsQueueArn": {"type": "string"}, "sqsQueueName": {"type": "string"}}
                    ),
                    "input": {},
                    "inputPath": {"type": "string"},
                    "inputTransformer": {"type": "object"},
                },
                ["eventPattern"],
                "run the function with the events of an EventBridge bus that match a pattern.",
            ),
            _union(
                "cloudwatch-log",
                {"logGroupArn": {"type": "string"}, "filter": {"type": "string"}},
                ["logGroupArn"],
                "run the function with the records written to a CloudWatch log group.",
            ),
            *[schema.tagged(t, {"type": "object"}, summary="not supported yet.") for t in OTHER_EVENT_TYPES],
        ]
    },
}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["packaging"],
    "properties": {
        "packaging": {"$ref": "#/$defs/LambdaPackaging"},
        "events": {"type": "array", "items": {"$ref": "#/$defs/LambdaEvent"}},
        "environment": {"type": "array", "items": {"$ref": "#/$defs/EnvironmentVar"}},
        "runtime": {"type": "string", "enum": RUNTIMES},
        "architecture": {"type": "string", "enum": ["arm64", "x86_64"], "default": "x86_64"},
        "memory": {"type": "number", "minimum": 128, "maximum": 10240},
        "timeout": {"type": "number", "minimum": 1, "maximum": 900},
        "joinDefaultVpc": {"type": "boolean"},
        "tags": {"type": "array", "items": {"$ref": "#/$defs/CloudformationTag"}},
        "destinations": {"type": "object"},
        "logging": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "disabled": {"type": "boolean"},
                "retentionDays": {"type": "number", "enum": RETENTION_DAYS},
                "logForwarding": {"type": "object"},
            },
        },
        "provisionedConcurrency": {"type": "number", "minimum": 0},
        "reservedConcurrency": {"type": "number", "minimum": 0},
        "layers": {"type": "array", "items": {"type": "string"}},
        "deployment": {"type": "object"},
        "alarms": {"type": "array"},
        "disabledGlobalAlarms": {"type": "array", "items": {"type": "string"}},
        "url": {
            "type": "object",
            "additionalProperties": False,
            "required": ["enabled"],
            "properties": {
                "enabled": {"type": "boolean"},
                "authMode": {"type": "string", "enum": ["AWS_IAM", "NONE"]},
                "responseStreamEnabled": {"type": "boolean"},
                "cors": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["enabled"],
                    "properties": {
                        "enabled": {"type": "boolean"},
                        "allowedOrigins": {"type": "array", "items": {"type": "string"}},
                        "allowedHeaders": {"type": "array", "items": {"type": "string"}},
                        "allowedMethods": {
                            "type": "array",
                            "items": {
                                "type": "string",
                                "enum": ["*", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
                            },
                        },
                        "allowCredentials": {"type": "boolean"},
                        "exposedResponseHeaders": {"type": "array", "items": {"type": "string"}},
                        "maxAge": {"type": "number"},
                    },
                },
            },
        },
        "cdn": {"type": "object"},
        "storage": {"type": "number", "minimum": 512, "maximum": 10240},
        "volumeMounts": {"type": "array"},
        "connectTo": {"type": "array", "items": {"type": "string"}},
        "iamRoleStatements": {"type": "array", "items": {"$ref": "#/$defs/StpIamRoleStatement"}},
    },
}

schema.describe(DEFINITIONS["LambdaPackaging"], PACKAGING_TEXTS)
schema.describe(DEFINITIONS["LambdaEvent"], {**EVENT_TEXTS, **schema.LISTENER_RULE_TEXTS})
schema.describe(SCHEMA, FUNCTION_TEXTS)

#: Properties the schema accepts (so Stacktape configs validate) but no compiler handles yet.
schema.refuse(
    SCHEMA,
    {
        "destinations": "invoke the next function from your code, or use a queue (connectTo)",
        "deployment": "remove it: new code takes all traffic at once",
        "alarms": "remove it: alarms are not supported yet",
        "cdn": ("put an http-api-gateway in front of the function instead", ({"enabled": False},)),
        "volumeMounts": "remove it: function volume mounts are not supported yet",
        "provisionedConcurrency": ("remove it: provisioned concurrency is not supported yet", (0,)),
        "joinDefaultVpc": "remove it: functions in the VPC are not supported yet",
        "logging.logForwarding": "remove it: log forwarding is not supported yet",
    },
)
schema.refuse_variants(
    DEFINITIONS["LambdaEvent"],
    {
        "kafka-topic": "read the topic from your code, or bridge it to a queue (an sqs event)",
        "cloudwatch-alarm": "send the alarm to an sns-topic and use an sns event",
    },
)
