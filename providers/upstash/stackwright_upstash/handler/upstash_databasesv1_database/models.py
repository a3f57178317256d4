"""The type's resource model and type configuration, as the CloudFormation CLI's Python plugin would
generate them from its schema (dataclasses the library fills from the request)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cloudformation_cli_python_lib.interface import BaseModel, BaseResourceHandlerRequest


@dataclass
class ApiCredentials(BaseModel):
    Email: str | None
    ApiKey: str | None

    @classmethod
    def _deserialize(cls, json_data: Mapping[str, Any] | None) -> ApiCredentials | None:
        if not json_data:
            return None
        return cls(Email=json_data.get("Email"), ApiKey=json_data.get("ApiKey"))


@dataclass
class ResourceModel(BaseModel):
    DatabaseName: str | None
    PrimaryRegion: str | None
    EvictionEnabled: bool | None
    ApiCredentials: ApiCredentials | None
    DatabaseId: str | None
    Endpoint: str | None
    Port: int | None
    Password: str | None
    RestToken: str | None
    ReadOnlyRestToken: str | None
    State: str | None

    @classmethod
    def _deserialize(cls, json_data: Mapping[str, Any] | None) -> ResourceModel | None:
        if not json_data:
            return None
        port = json_data.get("Port")
        eviction = json_data.get("EvictionEnabled")
        return cls(
            DatabaseName=json_data.get("DatabaseName"),
            PrimaryRegion=json_data.get("PrimaryRegion"),
            # CloudFormation passes every property value as a string
            EvictionEnabled=eviction
            if isinstance(eviction, bool) or eviction is None
            else eviction == "true",
            ApiCredentials=ApiCredentials._deserialize(json_data.get("ApiCredentials")),
            DatabaseId=json_data.get("DatabaseId"),
            Endpoint=json_data.get("Endpoint"),
            Port=int(port) if port not in (None, "") else None,
            Password=json_data.get("Password"),
            RestToken=json_data.get("RestToken"),
            ReadOnlyRestToken=json_data.get("ReadOnlyRestToken"),
            State=json_data.get("State"),
        )


@dataclass
class TypeConfigurationModel(BaseModel):
    ApiCredentials: ApiCredentials | None

    @classmethod
    def _deserialize(cls, json_data: Mapping[str, Any] | None) -> TypeConfigurationModel | None:
        if not json_data:
            return None
        return cls(ApiCredentials=ApiCredentials._deserialize(json_data.get("ApiCredentials")))


@dataclass
class ResourceHandlerRequest(BaseResourceHandlerRequest):
    desiredResourceState: ResourceModel | None
    previousResourceState: ResourceModel | None
    typeConfiguration: TypeConfigurationModel | None
