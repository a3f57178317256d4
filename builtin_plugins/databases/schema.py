"""JSON Schema of the database types' properties (Stacktape's property names and enums).

Covers `relational-database`, `redis-cluster` and `dynamo-db-table`. A relational database's `engine`
is a union discriminated by `type`; Stacktape groups several engine types per branch, here each type is
a branch of its own so that a misspelt type gets a "did you mean".
"""

from __future__ import annotations

from typing import Any

from stackwright import schema

from .descriptions import DEFINITION_TEXTS, TYPE_TEXTS

_obj, _strings = schema.obj, schema.strings
RETENTION_DAYS = schema.RETENTION_DAYS


RDS_ENGINE_TYPES = [
    "postgres",
    "mysql",
    "mariadb",
    "oracle-ee",
    "oracle-se2",
    "sqlserver-ee",
    "sqlserver-ex",
    "sqlserver-se",
    "sqlserver-web",
]
AURORA_ENGINE_TYPES = ["aurora-postgresql", "aurora-mysql"]
AURORA_SERVERLESS_ENGINE_TYPES = ["aurora-postgresql-serverless", "aurora-mysql-serverless"]
AURORA_SERVERLESS_V2_ENGINE_TYPES = ["aurora-postgresql-serverless-v2", "aurora-mysql-serverless-v2"]
REDIS_ENGINE_VERSIONS = ["6.0", "6.2", "7.0", "7.1"]
#: ElastiCache node types Stacktape accepts for `instanceSize`, by family.
REDIS_INSTANCE_SIZES = [
    *[f"cache.t2.{s}" for s in ("micro", "small", "medium")],
    *[f"cache.t3.{s}" for s in ("micro", "small", "medium")],
    *[f"cache.t4g.{s}" for s in ("micro", "small", "medium")],
    *[f"cache.m4.{s}" for s in ("large", "xlarge", "2xlarge", "4xlarge", "10xlarge")],
    *[f"cache.m5.{s}" for s in ("large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge")],
    *[f"cache.m6g.{s}" for s in ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")],
    *[f"cache.m7g.{s}" for s in ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")],
    *[f"cache.r4.{s}" for s in ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge")],
    *[f"cache.r5.{s}" for s in ("large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge")],
    *[f"cache.r6g.{s}" for s in ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")],
    *[f"cache.r7g.{s}" for s in ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")],
]


def _engine(type_name: str, props_ref: str, props_required: bool = True) -> dict[str, Any]:
    """One branch of the `engine` union: the engine `type` and a reference to its `properties`."""
    return _obj(
        {
            "type": {"type": "string", "const": type_name, "description": f"The `{type_name}` engine."},
            "properties": {"$ref": f"#/$defs/{props_ref}", "description": "Settings of the engine."},
        },
        *(["type", "properties"] if props_required else ["type"]),
    )


def _instance() -> dict[str, Any]:
    return _obj({"instanceSize": {"type": "string"}, "multiAz": {"type": "boolean"}}, "instanceSize")


def _dev() -> dict[str, Any]:
    return _obj({"remote": {"type": "boolean"}})


_OWN_DEFINITIONS: dict[str, Any] = {
    "RelationalDatabaseCredentials": _obj(
        {"masterUserName": {"type": "string"}, "masterUserPassword": {"type": "string"}},
        "masterUserPassword",
    ),
    "RelationalDatabaseEngine": {
        "anyOf": [
            *[_engine(t, "RdsEngineProps") for t in RDS_ENGINE_TYPES],
            *[_engine(t, "AuroraEngineProps") for t in AURORA_ENGINE_TYPES],
            *[_engine(t, "AuroraServerlessEngineProps", False) for t in AURORA_SERVERLESS_ENGINE_TYPES],
            *[_engine(t, "AuroraServerlessV2EngineProps") for t in AURORA_SERVERLESS_V2_ENGINE_TYPES],
        ]
    },
    "RdsEngineProps": _obj(
        {
            "dbName": {"type": "string"},
            "port": {"type": "number"},
            "storage": _obj({"initialSize": {"type": "number"}, "maxSize": {"type": "number"}}),
            "primaryInstance": _instance(),
            "readReplicas": {"type": "array", "items": _instance()},
            "version": {"type": "string"},
            "disableAutoMinorVersionUpgrade": {"type": "boolean"},
        },
        "primaryInstance",
        "version",
    ),
    "AuroraEngineProps": _obj(
        {
            "dbName": {"type": "string"},
            "port": {"type": "number"},
            "instances": {
                "type": "array",
                "items": _obj({"instanceSize": {"type": "string"}}, "instanceSize"),
            },
            "version": {"type": "string"},
            "disableAutoMinorVersionUpgrade": {"type": "boolean"},
        },
        "instances",
        "version",
    ),
    "AuroraServerlessEngineProps": _obj(
        {
            "version": {"type": "string"},
            "dbName": {"type": "string"},
            "minCapacity": {"type": "number"},
            "maxCapacity": {"type": "number"},
            "pauseAfterSeconds": {"type": "number"},
            "disableAutoMinorVersionUpgrade": {"type": "boolean"},
        }
    ),
    "AuroraServerlessV2EngineProps": _obj(
        {
            "dbName": {"type": "string"},
            "minCapacity": {"type": "number"},
            "maxCapacity": {"type": "number"},
            "serverlessReadersCount": {"type": "number"},
            "version": {"type": "string"},
            "disableAutoMinorVersionUpgrade": {"type": "boolean"},
        },
        "version",
    ),
    "DatabaseAccessibility": _obj(
        {
            "accessibilityMode": {
                "type": "string",
                "enum": ["internet", "vpc", "scoping-workloads-in-vpc", "whitelisted-ips-only"],
            },
            "forceDisablePublicIp": {"type": "boolean"},
            "whitelistedIps": _strings(),
        },
        "accessibilityMode",
    ),
    "RelationalDatabaseLogging": _obj(
        {
            "disabled": {"type": "boolean"},
            "retentionDays": {"type": "number", "enum": RETENTION_DAYS},
            "logTypes": _strings(),
            "engineSpecificOptions": {
                "anyOf": [
                    _obj(
                        {
                            "log_connections": {"type": "boolean"},
                            "log_disconnections": {"type": "boolean"},
                            "log_lock_waits": {"type": "boolean"},
                            "log_min_duration_statement": {"type": "number"},
                            "log_statement": {"type": "string", "enum": ["none", "ddl", "mod", "all"]},
                        }
                    ),
                    _obj(
                        {
                            "server_audit_events": {
                                "type": "array",
                                "items": {
                                    "type": "string",
                                    "enum": [
                                        "CONNECT",
                                        "QUERY",
                                        "QUERY_DCL",
                                        "QUERY_DDL",
                                        "QUERY_DML",
                                        "QUERY_DML_NO_SELECT",
                                    ],
                                },
                            },
                            "long_query_time": {"type": "number"},
                        }
                    ),
                ]
            },
            "logForwarding": {"$ref": "#/$defs/LogForwarding"},
        }
    ),
    "DynamoDbAttribute": _obj(
        {"name": {"type": "string"}, "type": {"type": "string", "enum": ["string", "number", "binary"]}},
        "name",
        "type",
    ),
    "DynamoDbScaling": _obj(
        {
            "minUnits": {"type": "number"},
            "maxUnits": {"type": "number"},
            "keepUtilizationUnder": {"type": "number"},
        },
        "minUnits",
        "maxUnits",
        "keepUtilizationUnder",
    ),
}

DEFINITIONS: dict[str, Any] = {
    "LogForwarding": schema.SHARED_DEFINITIONS["LogForwarding"],
    **_OWN_DEFINITIONS,
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "relational-database": _obj(
        {
            "credentials": {"$ref": "#/$defs/RelationalDatabaseCredentials"},
            "engine": {"$ref": "#/$defs/RelationalDatabaseEngine"},
            "accessibility": {"$ref": "#/$defs/DatabaseAccessibility"},
            "deletionProtection": {"type": "boolean"},
            "automatedBackupRetentionDays": {"type": "number"},
            "preferredMaintenanceWindow": {"type": "string"},
            "alarms": {"type": "array", "items": {"type": "object"}},
            "disabledGlobalAlarms": _strings(),
            "logging": {"$ref": "#/$defs/RelationalDatabaseLogging"},
            "dev": _dev(),
        },
        "credentials",
        "engine",
    ),
    "redis-cluster": _obj(
        {
            "enableSharding": {"type": "boolean"},
            "numShards": {"type": "number"},
            "numReplicaNodes": {"type": "number"},
            "enableAutomaticFailover": {"type": "boolean"},
            "instanceSize": {"type": "string", "enum": REDIS_INSTANCE_SIZES},
            "logging": _obj(
                {
                    "disabled": {"type": "boolean"},
                    "format": {"type": "string", "enum": ["json", "text"]},
                    "retentionDays": {"type": "number", "enum": RETENTION_DAYS},
                    "logForwarding": {"$ref": "#/$defs/LogForwarding"},
                }
            ),
            "automatedBackupRetentionDays": {"type": "number"},
            "port": {"type": "number"},
            "defaultUserPassword": {"type": "string"},
            "accessibility": _obj(
                {"accessibilityMode": {"type": "string", "enum": ["vpc", "scoping-workloads-in-vpc"]}},
                "accessibilityMode",
            ),
            "engineVersion": {"type": "string", "enum": REDIS_ENGINE_VERSIONS},
            "dev": _dev(),
        },
        "defaultUserPassword",
        "instanceSize",
    ),
    "dynamo-db-table": _obj(
        {
            "primaryKey": _obj(
                {
                    "partitionKey": {"$ref": "#/$defs/DynamoDbAttribute"},
                    "sortKey": {"$ref": "#/$defs/DynamoDbAttribute"},
                },
                "partitionKey",
            ),
            "provisionedThroughput": _obj(
                {
                    "readUnits": {"type": "number"},
                    "writeUnits": {"type": "number"},
                    "writeScaling": {"$ref": "#/$defs/DynamoDbScaling"},
                    "readScaling": {"$ref": "#/$defs/DynamoDbScaling"},
                },
                "readUnits",
                "writeUnits",
            ),
            "enablePointInTimeRecovery": {"type": "boolean"},
            "streamType": {
                "type": "string",
                "enum": ["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"],
            },
            "secondaryIndexes": {
                "type": "array",
                "items": _obj(
                    {
                        "name": {"type": "string"},
                        "partitionKey": {"$ref": "#/$defs/DynamoDbAttribute"},
                        "sortKey": {"$ref": "#/$defs/DynamoDbAttribute"},
                        "projections": _strings(),
                    },
                    "name",
                    "partitionKey",
                ),
            },
            "dev": _dev(),
        },
        "primaryKey",
    ),
}

REQUIRES_PROPERTIES: dict[str, bool] = {name: True for name in SCHEMAS}

for _name, _texts in DEFINITION_TEXTS.items():
    schema.describe(DEFINITIONS[_name], _texts)
for _name, _texts in TYPE_TEXTS.items():
    schema.describe(SCHEMAS[_name], _texts)

#: Properties the schema accepts (so Stacktape configs validate) but no compiler handles yet.
for _schema in SCHEMAS.values():
    if "dev" in _schema["properties"]:
        schema.refuse(_schema, {"dev": "remove it: stackwright has no dev mode"})
