"""JSON Schema of the container types' properties (Stacktape's property names and enums).

Covers `web-service`, `worker-service`, `private-service`, `multi-container-workload` and `batch-job`.
What one container is (packaging, logging, health check, mounts) is in `schema_container`; CORS,
custom domains, CDN, authorizers, log forwarding, environment variables and IAM statements are the
shared Stacktape shapes of `stackwright.schema`.
"""

from __future__ import annotations

from typing import Any

from stackwright import schema

from .descriptions import CONTAINER_TEXTS, TYPE_TEXTS
from .schema_container import DEFINITIONS as CONTAINER_DEFINITIONS

_array, _obj, _ref, _strings, _tagged = schema.array, schema.obj, schema.ref, schema.strings, schema.tagged

CPU_OPTIONS = [0.25, 0.5, 1, 2, 4, 8, 16]
DEPLOYMENT_STRATEGIES = [
    "AllAtOnce",
    "Canary10Percent5Minutes",
    "Canary10Percent15Minutes",
    "Linear10PercentEvery1Minutes",
    "Linear10PercentEvery3Minutes",
]
#: Event types that trigger a batch job; the schema checks each one's `type`, not its `properties`.
BATCH_JOB_EVENT_TYPES = [
    "application-load-balancer",
    "sns",
    "sqs",
    "kinesis-stream",
    "dynamo-db-stream",
    "s3",
    "schedule",
    "cloudwatch-log",
    "http-api-gateway",
    "event-bus",
]


#: What an EventBridge rule passes to the state machine instead of the event itself.
_EVENT_INPUT: dict[str, Any] = {
    "input": {},
    "inputPath": {"type": "string"},
    "inputTransformer": _obj(
        {"inputPathsMap": {"type": "object"}, "inputTemplate": {"type": "string"}}, "inputTemplate"
    ),
}


def _health_check_props() -> dict[str, Any]:
    return {
        "healthcheckPath": {"type": "string"},
        "healthcheckInterval": {"type": "number"},
        "healthcheckTimeout": {"type": "number"},
    }


def _service_props() -> dict[str, Any]:
    """The properties web, private and worker services have in common."""
    return {
        "packaging": _ref("ContainerPackaging"),
        "environment": _array("EnvironmentVar"),
        "logging": _ref("ContainerLogging"),
        "resources": _ref("ContainerResources"),
        "scaling": _ref("ContainerScaling"),
        "internalHealthCheck": _ref("ContainerHealthCheck"),
        "stopTimeout": {"type": "number"},
        "enableRemoteSessions": {"type": "boolean"},
        "volumeMounts": _array("ContainerEfsMount"),
        "sideContainers": _array("SideContainer"),
        "usePrivateSubnetsWithNAT": {"type": "boolean"},
        "connectTo": _strings(),
        "iamRoleStatements": _array("StpIamRoleStatement"),
    }


def _container_props() -> dict[str, Any]:
    """The properties side containers and workload containers have in common."""
    return {
        "name": {"type": "string"},
        "packaging": _ref("ContainerPackaging"),
        "essential": {"type": "boolean"},
        "logging": _ref("ContainerLogging"),
        "dependsOn": _array("ContainerDependency"),
        "environment": _array("EnvironmentVar"),
        "internalHealthCheck": _ref("ContainerHealthCheck"),
        "stopTimeout": {"type": "number"},
        "volumeMounts": _array("ContainerEfsMount"),
    }


_OWN_DEFINITIONS: dict[str, Any] = {
    "ContainerResources": _obj(
        {
            "cpu": {"type": "number", "enum": CPU_OPTIONS},
            "memory": {"type": "number"},
            "instanceTypes": _strings(),
            "enableWarmPool": {"type": "boolean"},
            "architecture": {"type": "string", "enum": ["arm64", "x86_64"]},
        }
    ),
    "ContainerScaling": _obj(
        {
            "minInstances": {"type": "number"},
            "maxInstances": {"type": "number"},
            "scalingPolicy": _obj(
                {
                    "keepAvgCpuUtilizationUnder": {"type": "number"},
                    "keepAvgMemoryUtilizationUnder": {"type": "number"},
                }
            ),
        }
    ),
    "SideContainer": _obj(
        {
            "containerType": {"type": "string", "enum": ["always-running", "run-on-init"]},
            **_container_props(),
        },
        "containerType",
        "name",
        "packaging",
    ),
    "ContainerDeployment": _obj(
        {
            "strategy": {"type": "string", "enum": DEPLOYMENT_STRATEGIES},
            "beforeAllowTrafficFunction": {"type": "string"},
            "afterTrafficShiftFunction": {"type": "string"},
            "testListenerPort": {"type": "number"},
        },
        "strategy",
    ),
    "WebServiceLoadBalancing": {
        "anyOf": [
            _tagged("http-api-gateway", None),
            _tagged("application-load-balancer", _obj(_health_check_props()), props_required=False),
            _tagged(
                "network-load-balancer",
                _obj(
                    {
                        **_health_check_props(),
                        "healthCheckProtocol": {"type": "string", "enum": ["HTTP", "TCP"]},
                        "healthCheckPort": {"type": "number"},
                        "ports": {
                            "type": "array",
                            "items": _obj(
                                {
                                    "port": {"type": "number"},
                                    "protocol": {"type": "string", "enum": ["TCP", "TLS"]},
                                    "containerPort": {"type": "number"},
                                },
                                "port",
                            ),
                        },
                    },
                    "ports",
                ),
            ),
        ]
    },
    "WorkloadContainer": _obj(
        {
            "events": {"type": "array", "items": _ref("WorkloadContainerEvent")},
            "loadBalancerHealthCheck": _obj(
                {
                    **_health_check_props(),
                    "healthCheckProtocol": {"type": "string", "enum": ["HTTP", "TCP"]},
                    "healthCheckPort": {"type": "number"},
                }
            ),
            **_container_props(),
        },
        "name",
        "packaging",
    ),
    "WorkloadContainerEvent": {
        "anyOf": [
            _tagged(
                "application-load-balancer",
                _obj(
                    {"containerPort": {"type": "number"}, **schema.listener_rule_props()},
                    "containerPort",
                    "loadBalancerName",
                    "priority",
                ),
            ),
            _tagged(
                "http-api-gateway",
                _obj(
                    {
                        "containerPort": {"type": "number"},
                        "httpApiGatewayName": {"type": "string"},
                        "method": {"type": "string", "enum": schema.HTTP_METHODS},
                        "path": {"type": "string"},
                        "authorizer": _ref("HttpApiAuthorizer"),
                        "payloadFormat": {"type": "string", "enum": ["1.0", "2.0"]},
                    },
                    "containerPort",
                    "httpApiGatewayName",
                    "method",
                    "path",
                ),
            ),
            _tagged("workload-internal", _obj({"containerPort": {"type": "number"}}, "containerPort")),
            _tagged(
                "service-connect",
                _obj(
                    {
                        "containerPort": {"type": "number"},
                        "alias": {"type": "string"},
                        "protocol": {"type": "string", "enum": ["grpc", "http", "http2"]},
                    },
                    "containerPort",
                ),
            ),
            _tagged(
                "network-load-balancer",
                _obj(
                    {
                        "containerPort": {"type": "number"},
                        "loadBalancerName": {"type": "string"},
                        "listenerPort": {"type": "number"},
                    },
                    "containerPort",
                    "loadBalancerName",
                    "listenerPort",
                ),
            ),
        ]
    },
    "BatchJobEvent": {
        "anyOf": [
            _tagged(
                "schedule",
                _obj(
                    {"scheduleRate": {"type": "string", "pattern": r"^(rate|cron)\(.+\)$"}, **_EVENT_INPUT},
                    "scheduleRate",
                ),
                summary="start the job on a schedule.",
            ),
            _tagged(
                "event-bus",
                _obj(
                    {
                        "eventBusArn": {"type": "string"},
                        "eventBusName": {"type": "string"},
                        "useDefaultBus": {"type": "boolean"},
                        "eventPattern": _ref("EventBusPattern"),
                        "onDeliveryFailure": {"type": "object"},
                        **_EVENT_INPUT,
                    },
                    "eventPattern",
                ),
                summary="start the job with the events of an EventBridge bus that match a pattern.",
            ),
            _tagged(
                "s3",
                _obj(
                    {
                        "bucketArn": {"type": "string"},
                        "s3EventType": {"type": "string"},
                        "filterRule": _obj({"prefix": {"type": "string"}, "suffix": {"type": "string"}}),
                    },
                    "bucketArn",
                    "s3EventType",
                ),
                summary="start the job for the object events of a bucket of this config.",
            ),
            *[
                _tagged(t, {"type": "object"}, summary="accepted, but refused by name when compiled.")
                for t in BATCH_JOB_EVENT_TYPES
                if t not in ("schedule", "event-bus", "s3")
            ],
        ]
    },
}

DEFINITIONS: dict[str, Any] = {
    **{name: schema.SHARED_DEFINITIONS[name] for name in ("EnvironmentVar", "StpIamRoleStatement")},
    **{
        name: schema.SHARED_DEFINITIONS[name]
        for name in (
            "HttpMethod",
            "HttpApiCorsConfig",
            "DomainConfiguration",
            "CdnConfiguration",
            "HttpApiAuthorizer",
            "LogForwarding",
            "EventBusPattern",
        )
    },
    **CONTAINER_DEFINITIONS,
    **_OWN_DEFINITIONS,
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "web-service": _obj(
        {
            "cors": _ref("HttpApiCorsConfig"),
            "customDomains": _array("DomainConfiguration"),
            "loadBalancing": _ref("WebServiceLoadBalancing"),
            "cdn": _ref("CdnConfiguration"),
            "alarms": {"type": "array", "items": {"type": "object"}},
            "disabledGlobalAlarms": _strings(),
            "deployment": _ref("ContainerDeployment"),
            "useFirewall": {"type": "string"},
            **_service_props(),
        },
        "packaging",
        "resources",
    ),
    "worker-service": _obj(_service_props(), "packaging", "resources"),
    "private-service": _obj(
        {
            "port": {"type": "number"},
            "protocol": {"type": "string", "enum": ["grpc", "http", "http2"]},
            "loadBalancing": _obj(
                {"type": {"type": "string", "enum": ["application-load-balancer", "service-connect"]}}, "type"
            ),
            **_service_props(),
        },
        "packaging",
        "resources",
    ),
    "multi-container-workload": _obj(
        {
            "containers": _array("WorkloadContainer"),
            "resources": _ref("ContainerResources"),
            "scaling": _ref("ContainerScaling"),
            "deployment": _ref("ContainerDeployment"),
            "enableRemoteSessions": {"type": "boolean"},
            "usePrivateSubnetsWithNAT": {"type": "boolean"},
            "connectTo": _strings(),
            "iamRoleStatements": _array("StpIamRoleStatement"),
        },
        "containers",
        "resources",
    ),
    "batch-job": _obj(
        {
            "container": _obj(
                {"packaging": _ref("BatchJobPackaging"), "environment": _array("EnvironmentVar")}, "packaging"
            ),
            "resources": _obj(
                {"cpu": {"type": "number"}, "memory": {"type": "number"}, "gpu": {"type": "number"}},
                "cpu",
                "memory",
            ),
            "timeout": {"type": "number"},
            "useSpotInstances": {"type": "boolean"},
            "logging": _ref("ContainerLogging"),
            "retryConfig": _obj(
                {
                    "attempts": {"type": "number"},
                    "retryIntervalSeconds": {"type": "number"},
                    "retryIntervalMultiplier": {"type": "number"},
                }
            ),
            "events": {"type": "array", "items": _ref("BatchJobEvent")},
            "connectTo": _strings(),
            "iamRoleStatements": _array("StpIamRoleStatement"),
        },
        "container",
        "resources",
    ),
}

REQUIRES_PROPERTIES: dict[str, bool] = {name: True for name in SCHEMAS}

for _name, _texts in CONTAINER_TEXTS.items():
    schema.describe(DEFINITIONS[_name], _texts)
for _name, _texts in TYPE_TEXTS.items():
    schema.describe(SCHEMAS[_name], _texts)

from .schema_refusals import refuse_unsupported  # noqa: E402

refuse_unsupported(DEFINITIONS, SCHEMAS, BATCH_JOB_EVENT_TYPES)
