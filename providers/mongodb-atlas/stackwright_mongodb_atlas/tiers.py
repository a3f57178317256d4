"""How a `mongo-db-atlas-cluster`'s tier and settings become an Atlas cluster's properties, and which
settings Atlas refuses for a tier."""

from __future__ import annotations

import re
from typing import Any

from stackwright import ConfigProblem, Resource, StackContext, nearest_region

#: Regions where Atlas makes shared (Flex) clusters on AWS, Stacktape's list for M2/M5; a stack elsewhere
#: gets the first one on its continent, else us-east-1.
FLEX_REGIONS = (
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "eu-north-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-south-1",
    "ap-northeast-1",
    "me-south-1",
)


def atlas_region(region: str) -> str:
    """Atlas's name of an AWS region: `eu-west-1` → `EU_WEST_1`."""
    return region.upper().replace("-", "_")


def flex_region(region: str) -> str:
    return nearest_region(region, FLEX_REGIONS)


def instance_size(tier: str) -> str:
    """Atlas's instance size of a Stacktape tier: `M40 Low-CPU (R40)` → `R40`."""
    low_cpu = re.search(r"\((R\d+)\)", tier)
    return low_cpu.group(1) if low_cpu else tier


def tier_problems(ctx: StackContext, resource: Resource, shared: bool) -> list[ConfigProblem]:
    """Settings Atlas refuses for the tier, found before anything is deployed."""
    props = resource.properties
    at = ("resources", resource.name, "properties")
    problems = []
    if shared:
        for key in (
            "autoScaling",
            "biConnector",
            "enableBackups",
            "diskSizeGB",
            "replication",
            "enablePointInTimeRecovery",
            "numShards",
        ):
            if props.get(key) not in (None, False) and not (key == "numShards" and props[key] == 1):
                problems.append(
                    ctx.problem(
                        (*at, key),
                        f"{key} needs a dedicated cluster tier (M10 or larger); "
                        f"{props['clusterTier']} is shared",
                    )
                )
    elif int(props.get("numShards") or 1) > 1 and props["clusterTier"] in ("M10", "M20"):
        problems.append(ctx.problem((*at, "numShards"), "a sharded cluster needs tier M30 or larger"))
    if props.get("enablePointInTimeRecovery") and not props.get("enableBackups"):
        problems.append(
            ctx.problem(
                (*at, "enablePointInTimeRecovery"), "point-in-time recovery needs enableBackups: true"
            )
        )
    problems += _scaling_problems(ctx, props, (*at, "autoScaling"))
    bi = props.get("biConnector") or {}
    analytics = (props.get("replication") or {}).get("numAnalyticsNodes") or 0
    if bi.get("readPreference") == "analytics" and not analytics:
        problems.append(
            ctx.problem(
                (*at, "biConnector", "readPreference"), "readPreference analytics needs numAnalyticsNodes"
            )
        )
    return problems


def rank(tier: str) -> int:
    """A tier's size, for comparing tiers: `M40 Low-CPU (R40)` and `M40_NVME` rank as M40."""
    return int(re.match(r"[MR](\d+)", instance_size(tier)).group(1))  # type: ignore[union-attr]


def _scaling_problems(ctx: StackContext, props: dict[str, Any], at: tuple[str, ...]) -> list[ConfigProblem]:
    scaling = props.get("autoScaling") or {}
    tier = str(props["clusterTier"])
    low, high = scaling.get("minClusterTier"), scaling.get("maxClusterTier")
    problems = []
    if low and not high:
        problems.append(
            ctx.problem(
                (*at, "minClusterTier"), "minClusterTier needs maxClusterTier: the tier scales between them"
            )
        )
    if low and rank(low) > rank(tier):
        problems.append(
            ctx.problem((*at, "minClusterTier"), f"minClusterTier {low} is above clusterTier {tier}")
        )
    if high and rank(high) < rank(tier):
        problems.append(
            ctx.problem((*at, "maxClusterTier"), f"maxClusterTier {high} is below clusterTier {tier}")
        )
    return problems


def dedicated(ctx: StackContext, props: dict[str, Any], tier: str) -> dict[str, Any]:
    """The properties of a dedicated (M10 and larger) cluster."""
    size = instance_size(tier)
    replication = props.get("replication") or {}
    region: dict[str, Any] = {
        "ProviderName": "AWS",
        "RegionName": atlas_region(ctx.project.region),
        "Priority": 7,
        "ElectableSpecs": {"InstanceSize": size, "NodeCount": int(replication.get("numElectableNodes") or 3)},
    }
    for key, specs in (("numReadOnlyNodes", "ReadOnlySpecs"), ("numAnalyticsNodes", "AnalyticsSpecs")):
        if replication.get(key):
            region[specs] = {"InstanceSize": size, "NodeCount": int(replication[key])}
    scaling = props.get("autoScaling")
    if scaling is not None:
        # the tier scales only between named bounds; without maxClusterTier only the disk scales
        compute: dict[str, Any] = {"Enabled": bool(scaling.get("maxClusterTier"))}
        if compute["Enabled"]:
            compute["ScaleDownEnabled"] = not scaling.get("disableScaleDown", False)
            compute["MinInstanceSize"] = instance_size(scaling.get("minClusterTier") or tier)
            compute["MaxInstanceSize"] = instance_size(scaling["maxClusterTier"])
        region["AutoScaling"] = {
            "DiskGB": {"Enabled": not scaling.get("disableDiskScaling", False)},
            "Compute": compute,
        }
    properties: dict[str, Any] = {
        "MongoDBMajorVersion": str(props.get("version") or "7.0"),
        "BackupEnabled": bool(props.get("enableBackups")),
        "PitEnabled": bool(props.get("enablePointInTimeRecovery")),
        "ReplicationSpecs": [
            {"NumShards": int(props.get("numShards") or 1), "AdvancedRegionConfigs": [region]}
        ],
    }
    if props.get("diskSizeGB") is not None:
        properties["DiskSizeGB"] = props["diskSizeGB"]
    bi = props.get("biConnector")
    if bi is not None:
        properties["BiConnector"] = {"Enabled": bool(bi.get("enabled"))} | (
            {"ReadPreference": bi["readPreference"]} if bi.get("readPreference") else {}
        )
    return properties
