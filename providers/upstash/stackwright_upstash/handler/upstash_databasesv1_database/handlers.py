"""Create, read, update, delete and list Upstash Redis databases for CloudFormation.

The Upstash account comes from the resource's `ApiCredentials` (dynamic references in the template,
resolved by CloudFormation) or, failing that, from the type configuration. Every answer is synchronous:
Upstash makes a database in one call.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from cloudformation_cli_python_lib import exceptions
from cloudformation_cli_python_lib.boto3_proxy import SessionProxy
from cloudformation_cli_python_lib.interface import Action, OperationStatus, ProgressEvent
from cloudformation_cli_python_lib.resource import Resource

from .api import ApiError, Upstash
from .models import ResourceHandlerRequest, ResourceModel, TypeConfigurationModel

TYPE_NAME = "Upstash::DatabasesV1::Database"
resource = Resource(TYPE_NAME, ResourceModel, TypeConfigurationModel)
test_entrypoint = resource.test_entrypoint


def _client(request: ResourceHandlerRequest, model: ResourceModel | None) -> Upstash:
    credentials = model.ApiCredentials if model is not None else None
    if credentials is None and request.typeConfiguration is not None:
        credentials = request.typeConfiguration.ApiCredentials
    if credentials is None or not credentials.Email or not credentials.ApiKey:
        raise exceptions.InvalidCredentials(
            "no Upstash account: give ApiCredentials (Email, ApiKey) or set the type configuration"
        )
    return Upstash(credentials.Email, credentials.ApiKey)


def _failed(error: ApiError, identifier: str | None = None) -> Exception:
    text = str(error).lower()
    if error.status == 404 or (error.status == 400 and "not found" in text):
        return exceptions.NotFound(TYPE_NAME, identifier or "?")
    if error.status in (401, 403):
        return exceptions.InvalidCredentials(str(error))
    if error.status == 429:
        return exceptions.Throttling(str(error))
    if 400 <= error.status < 500:
        return exceptions.InvalidRequest(str(error))
    return exceptions.ServiceInternalError(str(error))


def _filled(model: ResourceModel, found: dict[str, Any]) -> ResourceModel:
    """`model` with what Upstash says of the database."""
    model.DatabaseId = str(found["database_id"])
    model.DatabaseName = found.get("database_name", model.DatabaseName)
    model.Endpoint = found.get("endpoint")
    model.Port = int(found["port"]) if found.get("port") is not None else None
    model.Password = found.get("password")
    model.RestToken = found.get("rest_token")
    model.ReadOnlyRestToken = found.get("read_only_rest_token")
    model.State = found.get("state")
    if found.get("primary_region"):
        model.PrimaryRegion = found["primary_region"]
    if "eviction" in found:
        model.EvictionEnabled = bool(found["eviction"])
    return model


def _read(client: Upstash, model: ResourceModel) -> ResourceModel:
    if not model.DatabaseId:
        raise exceptions.NotFound(TYPE_NAME, "?")
    try:
        found = client.get(model.DatabaseId)
    except ApiError as error:
        raise _failed(error, model.DatabaseId) from None
    if found.get("state") == "deleted":
        raise exceptions.NotFound(TYPE_NAME, model.DatabaseId)
    return _filled(model, found)


@resource.handler(Action.CREATE)
def create(
    session: SessionProxy | None, request: ResourceHandlerRequest, callback_context: MutableMapping[str, Any]
) -> ProgressEvent:
    model = request.desiredResourceState
    assert model is not None
    client = _client(request, model)
    eviction = bool(model.EvictionEnabled)
    try:
        found = client.create(str(model.DatabaseName), str(model.PrimaryRegion), eviction)
        if bool(found.get("eviction")) != eviction:
            client.set_eviction(str(found["database_id"]), eviction)
            found["eviction"] = eviction
    except ApiError as error:
        raise _failed(error) from None
    return ProgressEvent(status=OperationStatus.SUCCESS, resourceModel=_filled(model, found))


@resource.handler(Action.READ)
def read(
    session: SessionProxy | None, request: ResourceHandlerRequest, callback_context: MutableMapping[str, Any]
) -> ProgressEvent:
    model = request.desiredResourceState
    assert model is not None
    found = _read(_client(request, model), model)
    found.ApiCredentials = None  # write-only: never read back
    return ProgressEvent(status=OperationStatus.SUCCESS, resourceModel=found)


@resource.handler(Action.UPDATE)
def update(
    session: SessionProxy | None, request: ResourceHandlerRequest, callback_context: MutableMapping[str, Any]
) -> ProgressEvent:
    model = request.desiredResourceState
    assert model is not None
    previous = request.previousResourceState
    if not model.DatabaseId and previous is not None:
        model.DatabaseId = previous.DatabaseId
    client = _client(request, model)
    current = _read(client, ResourceModel._deserialize({"DatabaseId": model.DatabaseId}) or model)
    try:
        if model.DatabaseName and model.DatabaseName != current.DatabaseName:
            client.rename(str(model.DatabaseId), model.DatabaseName)
        if model.EvictionEnabled is not None and bool(model.EvictionEnabled) != bool(current.EvictionEnabled):
            client.set_eviction(str(model.DatabaseId), bool(model.EvictionEnabled))
    except ApiError as error:
        raise _failed(error, model.DatabaseId) from None
    return ProgressEvent(status=OperationStatus.SUCCESS, resourceModel=_read(client, model))


@resource.handler(Action.DELETE)
def delete(
    session: SessionProxy | None, request: ResourceHandlerRequest, callback_context: MutableMapping[str, Any]
) -> ProgressEvent:
    model = request.desiredResourceState
    assert model is not None
    client = _client(request, model)
    _read(client, model)  # NotFound when it is already gone, as CloudFormation's contract asks
    try:
        client.delete(str(model.DatabaseId))
    except ApiError as error:
        raise _failed(error, model.DatabaseId) from None
    return ProgressEvent(status=OperationStatus.SUCCESS)


@resource.handler(Action.LIST)
def list_(
    session: SessionProxy | None, request: ResourceHandlerRequest, callback_context: MutableMapping[str, Any]
) -> ProgressEvent:
    client = _client(request, request.desiredResourceState)
    try:
        found = client.list()
    except ApiError as error:
        raise _failed(error) from None
    models = [
        ResourceModel._deserialize(
            {"DatabaseId": str(d["database_id"]), "DatabaseName": d.get("database_name")}
        )
        for d in found
        if d.get("state") != "deleted"
    ]
    return ProgressEvent(status=OperationStatus.SUCCESS, resourceModels=[m for m in models if m is not None])
