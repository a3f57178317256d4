"""stackwright-mongodb-atlas: the templates it compiles (checked by cfn-lint and against the registry
schemas it ships) and the refusals. Its deploys: test_atlas_deploy.py."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import stackwright_mongodb_atlas as atlas
from atlas_configs import API, FILES, PLUGIN, PRIVATE_KEY, PROVIDER, cluster, config
from stackwright.testing import cfn_lint_errors


def test_a_shared_tier_is_a_flex_cluster_and_a_connected_function_gets_an_iam_user(
    stackwright_project: Callable[..., Path], stackwright_synth: Callable[..., dict[str, Any]]
) -> None:
    root = stackwright_project(config(mongoDbCluster=cluster(clusterTier="M2"), api=API), FILES)
    resources = stackwright_synth(root, atlas)["Resources"]
    flex = resources["MongoDbClusterAtlasCluster"]["Properties"]
    assert flex["ReplicationSpecs"] == [
        {
            "AdvancedRegionConfigs": [
                {
                    "ProviderName": "FLEX",
                    "BackingProviderName": "AWS",
                    "RegionName": "US_EAST_1",
                    "Priority": 7,
                }
            ]
        }
    ]
    assert "MongoDBMajorVersion" not in flex  # Flex clusters run the version Atlas picks
    user = resources["ApiAtlasUser"]
    assert user["Properties"] | {"ProjectId": None} == {
        "Profile": "posts-dev",
        "ProjectId": None,
        "AWSIAMType": "ROLE",
        "Username": {"Fn::GetAtt": ["ApiRole", "Arn"]},
        "DatabaseName": "$external",
        "Roles": [{"RoleName": "readWriteAnyDatabase", "DatabaseName": "admin"}],
        "Scopes": [{"Type": "CLUSTER", "Name": "posts-dev-mongoDbCluster"}],
    }
    assert user["DependsOn"] == ["MongoDbClusterAtlasCluster"]
    variables = resources["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["STP_MONGO_DB_CLUSTER_CONNECTION_STRING"] == {
        "Fn::GetAtt": ["MongoDbClusterAtlasCluster", "ConnectionStrings.StandardSrv"]
    }
    assert resources["MongoDbAtlasProject"]["Properties"] == {
        "Name": "posts-dev",
        "OrgId": "5f1e2d3c4b5a697887766554",
        "Profile": "posts-dev",
    }
    assert resources["MongoDbAtlasProjectIpAccessList"]["Properties"]["AccessList"] == [
        {"CIDRBlock": "0.0.0.0/0", "Comment": "accessibilityMode internet"}
    ]
    assert PRIVATE_KEY not in json.dumps(resources) and "privateKey" not in json.dumps(resources)


def test_a_dedicated_tier_maps_every_setting(
    stackwright_project: Callable[..., Path], stackwright_synth: Callable[..., dict[str, Any]]
) -> None:
    props = {
        "clusterTier": "M40 Low-CPU (R40)",
        "version": "6.0",
        "numShards": 2,
        "diskSizeGB": 80,
        "enableBackups": True,
        "enablePointInTimeRecovery": True,
        "replication": {"numElectableNodes": 5, "numReadOnlyNodes": 1, "numAnalyticsNodes": 1},
        "biConnector": {"enabled": True, "readPreference": "analytics"},
        "autoScaling": {"minClusterTier": "M30", "maxClusterTier": "M60", "disableScaleDown": True},
    }
    root = stackwright_project(config(db={"type": "mongo-db-atlas-cluster", "properties": props}))
    body = stackwright_synth(root, atlas)["Resources"]["DbAtlasCluster"]["Properties"]
    assert body["ClusterType"] == "SHARDED" and body["MongoDBMajorVersion"] == "6.0"
    assert (body["DiskSizeGB"], body["BackupEnabled"], body["PitEnabled"]) == (80, True, True)
    assert body["BiConnector"] == {"Enabled": True, "ReadPreference": "analytics"}
    (spec,) = body["ReplicationSpecs"]
    assert spec["NumShards"] == 2
    (region,) = spec["AdvancedRegionConfigs"]
    assert region["ElectableSpecs"] == {"InstanceSize": "R40", "NodeCount": 5}
    assert region["ReadOnlySpecs"] == region["AnalyticsSpecs"] == {"InstanceSize": "R40", "NodeCount": 1}
    assert region["AutoScaling"] == {
        "DiskGB": {"Enabled": True},
        "Compute": {
            "Enabled": True,
            "ScaleDownEnabled": False,
            "MinInstanceSize": "M30",
            "MaxInstanceSize": "M60",
        },
    }


def test_cfn_lint_knows_the_types_from_the_shipped_schemas() -> None:
    template = {
        "Resources": {
            "Project": {
                "Type": "MongoDB::Atlas::Project",
                "Properties": {"Name": "p", "OrgId": "o", "Profile": "default"},
            }
        }
    }
    assert cfn_lint_errors(template) == []
    assert sorted(p.name for p in atlas.REGISTRY_SCHEMAS.glob("*.json")) == [
        "mongodb-atlas-cluster.json",
        "mongodb-atlas-databaseuser.json",
        "mongodb-atlas-project.json",
        "mongodb-atlas-projectipaccesslist.json",
    ]


def test_an_override_that_breaks_the_registry_schema_is_pointed_at(
    stackwright_project: Callable[..., Path], stackwright_cli: Callable[..., Any]
) -> None:
    db = cluster()
    db["overrides"] = {"DbAtlasCluster": {"Properties.Paused": "yes", "Properties.ClusterTier": "M10"}}
    root = stackwright_project(config(db=db))
    result = stackwright_cli(*PLUGIN, "validate", cwd=root)
    assert result.code == 2
    assert "'yes' is not of type 'boolean' (schema of MongoDB::Atlas::Cluster)" in result.err
    # each at the line of its override key
    assert re.search(
        r"stackwright.yml:\d+:\d+: resources.db.overrides.DbAtlasCluster.Properties.ClusterTier: .*"
        r"unknown property 'ClusterTier'",
        result.err,
    ), result.err
    assert re.search(
        r"stackwright.yml:\d+:\d+: resources.db.overrides.DbAtlasCluster.Properties.Paused: ", result.err
    )


@pytest.mark.parametrize(
    ("resource", "provider", "said"),
    [
        (
            cluster(clusterTier="M5", enableBackups=True),
            PROVIDER,
            "enableBackups needs a dedicated cluster tier",
        ),
        (cluster(numShards=2), PROVIDER, "a sharded cluster needs tier M30 or larger"),
        (cluster(enablePointInTimeRecovery=True), PROVIDER, "point-in-time recovery needs enableBackups"),
        (
            cluster(clusterTier="M30", autoScaling={"minClusterTier": "M60", "maxClusterTier": "M80"}),
            PROVIDER,
            "minClusterTier M60 is above clusterTier M30",
        ),
        (cluster(autoScaling={"minClusterTier": "M10"}), PROVIDER, "minClusterTier needs maxClusterTier"),
        (cluster(numShards=-3), PROVIDER, "numShards"),
        (cluster(numShards=2.5), PROVIDER, "numShards"),
        (
            cluster(adminUserCredentials={"userName": "admin", "password": "hunter22"}),
            PROVIDER,
            "the administrator's password is in plain text",
        ),
        (cluster(), {}, "needs providerConfig.mongoDbAtlas with the Atlas API key and organization"),
        (
            cluster(),
            {"mongoDbAtlas": {**PROVIDER["mongoDbAtlas"], "accessibility": {"accessibilityMode": "vpc"}}},
            "accessibilityMode 'vpc' needs VPC peering",
        ),
        (
            cluster(),
            {
                "mongoDbAtlas": {
                    **PROVIDER["mongoDbAtlas"],
                    "accessibility": {
                        "accessibilityMode": "whitelisted-ips-only",
                        "whitelistedIps": ["10.0.0.300"],
                    },
                }
            },
            "'10.0.0.300' is not an IP address or CIDR block",
        ),
    ],
)
def test_what_atlas_would_refuse_is_refused_before_deploying(
    stackwright_project: Callable[..., Path],
    stackwright_cli: Callable[..., Any],
    resource: dict[str, Any],
    provider: dict[str, Any],
    said: str,
) -> None:
    root = stackwright_project(
        {"serviceName": "posts", "providerConfig": provider, "resources": {"db": resource}}
    )
    result = stackwright_cli(*PLUGIN, "validate", cwd=root)
    assert result.code == 2 and said in result.err, result.err
    assert "Traceback" not in result.err


def test_without_the_plugin_the_type_names_the_distribution_to_install(
    stackwright_project: Callable[..., Path], stackwright_cli: Callable[..., Any]
) -> None:
    root = stackwright_project(config(db=cluster()))
    result = stackwright_cli("validate", cwd=root)
    assert result.code == 2
    if importlib.util.find_spec("stackwright_mongodb_atlas") is not None:  # installed, autoloading off here
        assert "its plugin stackwright-mongodb-atlas is installed but not loaded" in result.err
        assert "load it with -p stackwright_mongodb_atlas" in result.err
    else:
        assert "comes from the plugin stackwright-mongodb-atlas, which is not installed" in result.err
        assert "pip install stackwright-mongodb-atlas" in result.err


def test_the_plugin_is_listed_with_its_version(stackwright_cli: Callable[..., Any]) -> None:
    result = stackwright_cli(*PLUGIN, "plugins")
    assert "stackwright_mongodb_atlas" in result.out and "mongo-db-atlas-cluster" in result.out
    assert "providerConfig.mongoDbAtlas" in result.out


def test_a_container_workload_connects_with_its_task_role(
    stackwright_project: Callable[..., Path], stackwright_synth: Callable[..., dict[str, Any]]
) -> None:
    worker = {
        "type": "worker-service",
        "properties": {
            "packaging": {
                "type": "prebuilt-image",
                "properties": {"image": "public.ecr.aws/nginx/nginx:1.27"},
            },
            "resources": {"cpu": 0.25, "memory": 512},
            "connectTo": ["mongoDbCluster"],
        },
    }
    root = stackwright_project(config(mongoDbCluster=cluster(clusterTier="M2"), worker=worker))
    resources = stackwright_synth(root, atlas)["Resources"]
    user = resources["WorkerAtlasUser"]["Properties"]
    assert user["Username"] == {"Fn::GetAtt": ["WorkerTaskRole", "Arn"]} and user["AWSIAMType"] == "ROLE"
    (container,) = resources["WorkerTaskDefinition"]["Properties"]["ContainerDefinitions"]
    assert {
        "Name": "STP_MONGO_DB_CLUSTER_CONNECTION_STRING",
        "Value": {"Fn::GetAtt": ["MongoDbClusterAtlasCluster", "ConnectionStrings.StandardSrv"]},
    } in container["Environment"]


def test_every_mistake_of_the_settings_is_told_at_once_and_admins_need_their_own_names(
    stackwright_project: Callable[..., Path], stackwright_cli: Callable[..., Any]
) -> None:
    ips = {
        "accessibilityMode": "whitelisted-ips-only",
        "whitelistedIps": ["300.1.2.3", "10.0.0.0/33", "192.0.2.1"],
    }
    provider = {"mongoDbAtlas": {**PROVIDER["mongoDbAtlas"], "accessibility": ips}}
    root = stackwright_project(
        {"serviceName": "posts", "providerConfig": provider, "resources": {"db": cluster()}}
    )
    result = stackwright_cli(*PLUGIN, "validate", cwd=root)
    assert result.code == 2 and "2 problems found" in result.err
    assert (
        "'300.1.2.3' is not an IP address" in result.err
        and "'10.0.0.0/33' is not an IP address" in result.err
    )
    admin = {"userName": "admin", "password": "$Secret('atlas.adminPassword')"}
    both = config(a=cluster(adminUserCredentials=admin), b=cluster(adminUserCredentials=admin))
    root = stackwright_project(both, folder="admins")
    result = stackwright_cli(*PLUGIN, "validate", cwd=root)
    assert result.code == 2 and "administrator 'admin' is already made for `a`" in result.err


def test_an_allow_list_that_admits_nothing_is_warned_about(
    stackwright_project: Callable[..., Path], stackwright_cli: Callable[..., Any]
) -> None:
    provider = {
        "mongoDbAtlas": {
            **PROVIDER["mongoDbAtlas"],
            "accessibility": {"accessibilityMode": "whitelisted-ips-only"},
        }
    }
    root = stackwright_project(
        {"serviceName": "posts", "providerConfig": provider, "resources": {"db": cluster()}}
    )
    result = stackwright_cli(*PLUGIN, "synth", cwd=root)
    assert result.code == 0, result.err
    assert "and there are none: nothing can reach the clusters" in result.err


def test_disk_only_autoscaling_leaves_the_tier_alone(
    stackwright_project: Callable[..., Path], stackwright_synth: Callable[..., dict[str, Any]]
) -> None:
    root = stackwright_project(config(db=cluster(autoScaling={"disableDiskScaling": False})))
    body = stackwright_synth(root, atlas)["Resources"]["DbAtlasCluster"]["Properties"]
    (region,) = body["ReplicationSpecs"][0]["AdvancedRegionConfigs"]
    assert region["AutoScaling"] == {"DiskGB": {"Enabled": True}, "Compute": {"Enabled": False}}
