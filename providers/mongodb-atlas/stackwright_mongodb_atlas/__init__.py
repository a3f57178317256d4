"""stackwright-mongodb-atlas: the `mongo-db-atlas-cluster` resource type and the
`providerConfig.mongoDbAtlas` section, through MongoDB's public CloudFormation registry types."""

from __future__ import annotations

from pathlib import Path

from stackwright import ConfigSection, ConsolePanel, ResourceType, hookimpl

from .cluster import MongoDbAtlasCluster
from .schema import PROVIDER_CONFIG

__all__ = ["MongoDbAtlasCluster"]
__version__ = "0.1.0"

REGISTRY_SCHEMAS = Path(__file__).parent / "registry"


@hookimpl
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return [MongoDbAtlasCluster]


@hookimpl
def stackwright_register_config_sections() -> list[ConfigSection]:
    return [
        ConfigSection(
            "providerConfig.mongoDbAtlas",
            PROVIDER_CONFIG,
            summary="The Atlas organization and API key mongo-db-atlas-cluster resources are made with.",
        )
    ]


@hookimpl
def stackwright_registry_schemas() -> list[Path]:
    return [REGISTRY_SCHEMAS]


@hookimpl
def stackwright_data_resource_types() -> list[str]:
    return ["MongoDB::Atlas::Cluster"]


@hookimpl
def stackwright_console_panels() -> list[type[ConsolePanel]]:
    from .console import AtlasExtensions

    return [AtlasExtensions]
