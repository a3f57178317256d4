"""stackwright-upstash: the `upstash-redis` resource type and the `providerConfig.upstash` section,
through the private CloudFormation type `Upstash::DatabasesV1::Database`, whose handler it ships."""

from __future__ import annotations

from pathlib import Path

from stackwright import ConfigSection, ConsolePanel, ResourceType, hookimpl

from .redis import UpstashRedis
from .schema import PROVIDER_CONFIG

__all__ = ["UpstashRedis"]
__version__ = "0.1.0"

REGISTRY_SCHEMAS = Path(__file__).parent / "registry"


@hookimpl
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return [UpstashRedis]


@hookimpl
def stackwright_register_config_sections() -> list[ConfigSection]:
    return [
        ConfigSection(
            "providerConfig.upstash",
            PROVIDER_CONFIG,
            summary="The Upstash account upstash-redis databases are made in.",
        )
    ]


@hookimpl
def stackwright_registry_schemas() -> list[Path]:
    return [REGISTRY_SCHEMAS]


@hookimpl
def stackwright_data_resource_types() -> list[str]:
    return ["Upstash::DatabasesV1::Database"]


@hookimpl
def stackwright_console_panels() -> list[type[ConsolePanel]]:
    from .console import UpstashExtensions

    return [UpstashExtensions]
