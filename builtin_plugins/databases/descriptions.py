"""What each property of the database types means (the descriptions editors show on hover and the config
reference lists)."""

from __future__ import annotations

_ENGINE_COMMON = {
    "dbName": "Name of the database created in the cluster or instance.",
    "port": "Port the database listens on (default: the engine's usual one, such as 5432 or 3306).",
    "version": "Engine version (`16.4`, `8.0.39`).",
    "disableAutoMinorVersionUpgrade": "Do not apply minor engine upgrades in the maintenance window.",
}

DEFINITION_TEXTS: dict[str, dict[str, str]] = {
    "RelationalDatabaseCredentials": {
        "masterUserName": "User name of the administrator (default `db_master_user`).",
        "masterUserPassword": "Password of the administrator (8 to 128 printable characters, without "
        '`/`, `"`, `@` and spaces); use `$Secret()`.',
    },
    "RdsEngineProps": {
        **_ENGINE_COMMON,
        "storage": "Disk of the instance.",
        "storage.initialSize": "Disk size in GB at creation (default 20).",
        "storage.maxSize": "Largest size in GB the disk may grow to by itself (default 200).",
        "primaryInstance": "The instance that takes writes.",
        "primaryInstance.instanceSize": "Instance class (`db.t4g.micro`, `db.m7g.large`).",
        "primaryInstance.multiAz": "Keep a standby copy in another availability zone, for failover.",
        "readReplicas": "Read-only copies of the primary instance.",
        "readReplicas.instanceSize": "Instance class of the replica.",
        "readReplicas.multiAz": "Keep a standby copy of the replica in another availability zone.",
    },
    "AuroraEngineProps": {
        **_ENGINE_COMMON,
        "instances": "The cluster's instances: the first takes writes, the others are readers.",
        "instances.instanceSize": "Instance class (`db.r7g.large`).",
    },
    "AuroraServerlessEngineProps": {
        **{k: v for k, v in _ENGINE_COMMON.items() if k != "port"},
        "minCapacity": "Fewest Aurora capacity units the cluster scales down to (1 to 384).",
        "maxCapacity": "Most Aurora capacity units the cluster scales up to (1 to 384).",
        "pauseAfterSeconds": "Seconds without connections after which the cluster pauses (300 to 86,400).",
    },
    "AuroraServerlessV2EngineProps": {
        **{k: v for k, v in _ENGINE_COMMON.items() if k != "port"},
        "minCapacity": "Fewest Aurora capacity units (0 to 256, in steps of 0.5; default 0.5).",
        "maxCapacity": "Most Aurora capacity units (1 to 256, in steps of 0.5; default 10).",
        "serverlessReadersCount": "Read-only instances beside the writer (default 0).",
    },
    "DatabaseAccessibility": {
        "accessibilityMode": "Who can connect: anyone on the internet, the VPC, only resources connected to "
        "it, or listed IP addresses.",
        "forceDisablePublicIp": "Give the database no public IP address, whatever the mode.",
        "whitelistedIps": "IP ranges (CIDR) allowed to connect in `whitelisted-ips-only` mode.",
    },
    "RelationalDatabaseLogging": {
        "disabled": "Export no logs to CloudWatch.",
        "retentionDays": "Days log records are kept in CloudWatch.",
        "logTypes": "Which of the engine's logs are exported (`postgresql`, `error`, `slowquery`, ...).",
        "engineSpecificOptions": "What PostgreSQL or MySQL writes to its logs.",
        "engineSpecificOptions.log_connections": "PostgreSQL: log each connection.",
        "engineSpecificOptions.log_disconnections": "PostgreSQL: log the end of each session.",
        "engineSpecificOptions.log_lock_waits": "PostgreSQL: log waits for locks longer than the deadlock "
        "timeout.",
        "engineSpecificOptions.log_min_duration_statement": "PostgreSQL: log statements that take at least "
        "this many milliseconds (-1 turns it off).",
        "engineSpecificOptions.log_statement": "PostgreSQL: which statements are logged.",
        "engineSpecificOptions.server_audit_events": "MySQL/MariaDB: which events the audit plugin logs.",
        "engineSpecificOptions.long_query_time": "MySQL/MariaDB: seconds after which a query is logged as "
        "slow.",
        "logForwarding": "Also send the log records to a third-party service.",
    },
    "DynamoDbAttribute": {
        "name": "Name of the attribute.",
        "type": "Type of its values.",
    },
    "DynamoDbScaling": {
        "minUnits": "Fewest capacity units the table scales down to.",
        "maxUnits": "Most capacity units the table scales up to.",
        "keepUtilizationUnder": "Percentage of the capacity in use that auto scaling keeps under (20 to 90).",
    },
}

_DEV = {
    "dev": "Settings for Stacktape's local development mode (accepted; stackwright does not use them).",
    "dev.remote": "In local development, use the deployed database instead of a local one.",
}

TYPE_TEXTS: dict[str, dict[str, str]] = {
    "relational-database": {
        "credentials": "The administrator's user name and password.",
        "engine": "The database engine and its instances: RDS, Aurora, or Aurora Serverless.",
        "accessibility": "Who can connect to the database.",
        "deletionProtection": "Refuse to delete the database (in a deploy or a `delete`) until turned off.",
        "automatedBackupRetentionDays": "Days automated backups are kept (0 to 35; 0 turns them off; "
        "default 1).",
        "preferredMaintenanceWindow": "Weekly UTC window for maintenance (`Sun:02:00-Sun:03:00`).",
        "alarms": "CloudWatch alarms on the database's metrics.",
        "disabledGlobalAlarms": "Names of project-wide alarms that do not apply to this database.",
        "logging": "Which logs go to CloudWatch, and what they contain.",
        **_DEV,
    },
    "redis-cluster": {
        "enableSharding": "Split the data across several shards (cluster mode).",
        "numShards": "Shards, with sharding enabled (1 to 500).",
        "numReplicaNodes": "Read replicas per shard (0 to 5).",
        "enableAutomaticFailover": "Promote a replica when the primary fails (needs a replica).",
        "instanceSize": "ElastiCache node type of every node.",
        "logging": "The cluster's slow log in CloudWatch.",
        "logging.disabled": "Export no slow log.",
        "logging.format": "Format of the log records.",
        "logging.retentionDays": "Days log records are kept in CloudWatch.",
        "logging.logForwarding": "Also send the log records to a third-party service.",
        "automatedBackupRetentionDays": "Days daily snapshots are kept (0 to 35; 0 turns them off).",
        "port": "Port the cluster listens on (default 6379).",
        "defaultUserPassword": "Password of the default user (16 to 128 printable characters); use "
        "`$Secret()`.",
        "accessibility": "Who can connect to the cluster.",
        "accessibility.accessibilityMode": "The whole VPC, or only resources connected to the cluster.",
        "engineVersion": "Redis version.",
        **_DEV,
    },
    "dynamo-db-table": {
        "primaryKey": "The key that identifies an item. Cannot be changed later.",
        "primaryKey.partitionKey": "The attribute items are distributed by.",
        "primaryKey.sortKey": "The attribute items with the same partition key are ordered by.",
        "provisionedThroughput": "Fixed read and write capacity instead of paying per request (the default).",
        "provisionedThroughput.readUnits": "Read capacity units.",
        "provisionedThroughput.writeUnits": "Write capacity units.",
        "provisionedThroughput.writeScaling": "Auto scaling of the write capacity.",
        "provisionedThroughput.readScaling": "Auto scaling of the read capacity.",
        "enablePointInTimeRecovery": "Keep 35 days of continuous backups, to restore to any second.",
        "streamType": "Record item changes in a stream, with the new image, the old, both, or only keys.",
        "secondaryIndexes": "Global secondary indexes: more ways to query the table (at most 20).",
        "secondaryIndexes.name": "Name of the index.",
        "secondaryIndexes.partitionKey": "The index's partition key.",
        "secondaryIndexes.sortKey": "The index's sort key.",
        "secondaryIndexes.projections": "Attributes copied into the index besides the keys (default: none).",
        **_DEV,
    },
}
