"""JSON Schema of `mongo-db-atlas-cluster` properties and of `providerConfig.mongoDbAtlas`, with
Stacktape's property names and enums."""

from __future__ import annotations

from typing import Any

#: Stacktape's cluster tiers. M2 and M5 (shared) are made as Atlas Flex clusters, which replaced them.
TIERS = [
    "M2",
    "M5",
    "M10",
    "M20",
    "M30",
    "M40",
    "M40 Low-CPU (R40)",
    "M40_NVME",
    "M50",
    "M50 Low-CPU (R50)",
    "M50_NVME",
    "M60",
    "M60 Low-CPU (R60)",
    "M60_NVME",
    "M80",
    "M80 Low-CPU (R80)",
    "M80_NVME",
    "M100",
    "M140",
    "M200",
    "M200 Low-CPU (R200)",
    "M200_NVME",
    "M300",
    "M300 Low-CPU (R300)",
    "M400",
    "M400 Low-CPU (R400)",
    "M400_NVME",
    "M700",
    "M700 Low-CPU (R700)",
]
SHARED_TIERS = ("M2", "M5")
#: Tiers autoscaling may move between (Stacktape's list: the dedicated tiers but M400 and M700).
SCALING_TIERS = [t for t in TIERS if t not in (*SHARED_TIERS, "M400", "M700")]
VERSIONS = ["5.0", "6.0", "7.0"]
ACCESSIBILITY_MODES = ["internet", "vpc", "scoping-workloads-in-vpc", "whitelisted-ips-only"]


def _string(description: str, **more: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **more}


def _boolean(description: str, **more: Any) -> dict[str, Any]:
    return {"type": "boolean", "description": description, **more}


CLUSTER_PROPERTIES: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["clusterTier"],
    "properties": {
        "clusterTier": _string(
            "Size of the cluster's machines: `M2`/`M5` are shared (made as an Atlas Flex cluster), `M10` "
            "and larger are dedicated; `Low-CPU` and `_NVME` tiers trade CPU for memory or local disks.",
            enum=TIERS,
        ),
        "version": _string(
            "MongoDB major version of a dedicated cluster (default `7.0`); Flex clusters run the version "
            "Atlas chooses.",
            enum=VERSIONS,
            default="7.0",
        ),
        "diskSizeGB": {
            "type": "number",
            "minimum": 10,
            "maximum": 4096,
            "description": "Disk of each node in GB (dedicated tiers; by default Atlas sizes it by tier and "
            "grows it when it fills up).",
        },
        "numShards": {
            "type": "integer",
            "minimum": 1,
            "maximum": 50,
            "default": 1,
            "description": "Number of shards; more than 1 makes a sharded cluster (tier M30 or larger).",
        },
        "replication": {
            "type": "object",
            "additionalProperties": False,
            "description": "How many nodes of each kind the cluster (each shard) has; dedicated tiers only.",
            "properties": {
                "numElectableNodes": {
                    "type": "number",
                    "enum": [3, 5, 7],
                    "default": 3,
                    "description": "Nodes that take writes or may become the primary (3, 5 or 7).",
                },
                "numReadOnlyNodes": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Extra nodes that only serve reads and never become the primary.",
                },
                "numAnalyticsNodes": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Extra read-only nodes for analytics, kept apart from the application's "
                    "reads.",
                },
            },
        },
        "enableBackups": _boolean("Take daily snapshots of the cluster (dedicated tiers only)."),
        "enablePointInTimeRecovery": _boolean(
            "Allow restoring the cluster to any moment, not only to a snapshot (needs `enableBackups`)."
        ),
        "biConnector": {
            "type": "object",
            "additionalProperties": False,
            "required": ["enabled"],
            "description": "The BI Connector, which lets SQL tools read the data (dedicated tiers only).",
            "properties": {
                "enabled": _boolean("Run the BI Connector.", default=False),
                "readPreference": _string(
                    "Which nodes the BI Connector reads from (`analytics` needs analytics nodes).",
                    enum=["primary", "secondary", "analytics"],
                ),
            },
        },
        "autoScaling": {
            "type": "object",
            "additionalProperties": False,
            "description": "Let Atlas move the cluster between tiers and grow its disk with the load "
            "(dedicated tiers only).",
            "properties": {
                "minClusterTier": _string(
                    "Smallest tier Atlas may scale down to (default: `clusterTier`).", enum=SCALING_TIERS
                ),
                "maxClusterTier": _string(
                    "Largest tier Atlas may scale up to; without it only the disk scales.", enum=SCALING_TIERS
                ),
                "disableScaleDown": _boolean("Only scale up, never down."),
                "disableDiskScaling": _boolean("Do not grow the disk when it is nearly full."),
            },
        },
        "adminUserCredentials": {
            "type": "object",
            "additionalProperties": False,
            "required": ["userName", "password"],
            "description": "A database administrator for people and tools (workloads use `connectTo`).",
            "properties": {
                "userName": _string("Name of the administrator."),
                "password": _string(
                    "Password of the administrator, as `$Secret('name')` (a password in plain text is "
                    "refused: it would be stored in the template)."
                ),
            },
        },
    },
}

PROVIDER_CONFIG: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "description": "The MongoDB Atlas organization and API key the stack's clusters are made with.",
    "properties": {
        "publicKey": _string("Public part of an Atlas organization API key."),
        "privateKey": _string(
            "Private part of the API key; write `$Secret('name')` to keep it out of the config file. "
            "Either way it is kept in a Secrets Manager secret, never in the template."
        ),
        "organizationId": _string("Id of the Atlas organization the stack's project is made in."),
        "accessibility": {
            "type": "object",
            "additionalProperties": False,
            "required": ["accessibilityMode"],
            "description": "Who may reach the clusters over the network (the project's IP access list).",
            "properties": {
                "accessibilityMode": _string(
                    "`internet`: any address (database users still need to authenticate); "
                    "`whitelisted-ips-only`: only `whitelistedIps`; `vpc` and `scoping-workloads-in-vpc` "
                    "need VPC peering, which this plugin does not make yet.",
                    enum=ACCESSIBILITY_MODES,
                    default="internet",
                ),
                "whitelistedIps": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "IP addresses or CIDR blocks allowed in (`203.0.113.7`, "
                    "`198.51.100.0/24`).",
                },
            },
        },
    },
}
