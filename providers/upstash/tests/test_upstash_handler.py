"""The handler of `Upstash::DatabasesV1::Database`, invoked as CloudFormation invokes it (the resource
provider protocol's request, through AWS's library) against a fake Upstash API on 127.0.0.1."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stackwright_upstash" / "handler"))

from fake_upstash import API_KEY, EMAIL, FakeUpstash, serving

CREDENTIALS = {"Email": EMAIL, "ApiKey": API_KEY}


@pytest.fixture
def upstash(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeUpstash]:
    with serving() as fake:
        monkeypatch.setenv("UPSTASH_API_URL", fake.url)
        yield fake


@pytest.fixture
def invoke() -> Callable[..., dict[str, Any]]:
    """Invoke the handler with the protocol's request (protocol 2.0.0, what CloudFormation sends)."""
    from upstash_databasesv1_database.handlers import resource

    def call(
        action: str,
        properties: dict[str, Any] | None,
        previous: dict[str, Any] | None = None,
        configuration: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        credentials = {"accessKeyId": "ASIAEXAMPLE", "secretAccessKey": "secret", "sessionToken": "token"}
        event = {
            "awsAccountId": "123456789012",
            "bearerToken": "f1b0c3de-7a2e-4c2e-9d0e-3c1f0e7e2a11",
            "region": "us-east-1",
            "action": action,
            "responseEndpoint": None,
            "resourceType": "Upstash::DatabasesV1::Database",
            "resourceTypeVersion": "00000001",
            "requestData": {
                "callerCredentials": credentials,
                "providerCredentials": None,
                "providerLogGroupName": None,
                "logicalResourceId": "CacheDatabase",
                "resourceProperties": properties,
                "previousResourceProperties": previous,
                "stackTags": None,
                "previousStackTags": None,
                "systemTags": None,
                "typeConfiguration": configuration,
            },
            "stackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/shop-dev/0f8e2c70-9a4e-11ef-8d7a-0affd3b7c1e3",
            "callbackContext": None,
        }
        return dict(resource(event, None))

    return call


def test_create_read_update_list_and_delete(
    upstash: FakeUpstash, invoke: Callable[..., dict[str, Any]]
) -> None:
    # CloudFormation sends every property value as a string
    desired = {
        "DatabaseName": "shop-dev-cache",
        "PrimaryRegion": "us-east-1",
        "EvictionEnabled": "true",
        "ApiCredentials": CREDENTIALS,
    }
    created = invoke("CREATE", desired)
    assert created["status"] == "SUCCESS", created
    model = created["resourceModel"]
    (database,) = upstash.databases.values()
    assert model["DatabaseId"] == database["database_id"]
    assert (model["Endpoint"], model["Port"], model["Password"]) == (
        database["endpoint"],
        database["port"],
        database["password"],
    )
    assert model["RestToken"] == database["rest_token"] and model["State"] == "active"
    assert database["eviction"] is True  # turned on after the create, as the API needs
    read = invoke("READ", {"DatabaseId": model["DatabaseId"], "ApiCredentials": CREDENTIALS})
    assert read["status"] == "SUCCESS" and read["resourceModel"]["DatabaseName"] == "shop-dev-cache"
    assert "ApiCredentials" not in read["resourceModel"]  # write-only: never read back
    renamed = {
        **desired,
        "DatabaseName": "shop-dev-sessions",
        "EvictionEnabled": "false",
        "DatabaseId": model["DatabaseId"],
    }
    updated = invoke("UPDATE", renamed, previous={**desired, "DatabaseId": model["DatabaseId"]})
    assert updated["status"] == "SUCCESS", updated
    assert (database["database_name"], database["eviction"]) == ("shop-dev-sessions", False)
    listed = invoke("LIST", None, configuration={"ApiCredentials": CREDENTIALS})
    assert listed["status"] == "SUCCESS"
    assert [m["DatabaseId"] for m in listed["resourceModels"]] == [model["DatabaseId"]]
    deleted = invoke("DELETE", {**renamed})
    assert deleted["status"] == "SUCCESS" and upstash.databases == {}
    # deleting again, or reading what is gone, is NotFound, as CloudFormation's contract requires
    again = invoke("DELETE", {**renamed})
    assert (again["status"], again["errorCode"]) == ("FAILED", "NotFound")
    gone = invoke("READ", {"DatabaseId": model["DatabaseId"], "ApiCredentials": CREDENTIALS})
    assert (gone["status"], gone["errorCode"]) == ("FAILED", "NotFound")


def test_wrong_or_missing_credentials_fail_with_the_right_code(
    upstash: FakeUpstash, invoke: Callable[..., dict[str, Any]]
) -> None:
    wrong = {
        "DatabaseName": "x",
        "PrimaryRegion": "us-east-1",
        "ApiCredentials": {**CREDENTIALS, "ApiKey": "nope"},
    }
    failed = invoke("CREATE", wrong)
    assert (failed["status"], failed["errorCode"]) == ("FAILED", "InvalidCredentials")
    assert "401" in failed["message"] and API_KEY not in failed["message"]
    missing = invoke("CREATE", {"DatabaseName": "x", "PrimaryRegion": "us-east-1"})
    assert (missing["status"], missing["errorCode"]) == ("FAILED", "InvalidCredentials")
    assert upstash.databases == {}


def test_a_refused_create_says_why(upstash: FakeUpstash, invoke: Callable[..., dict[str, Any]]) -> None:
    desired = {"DatabaseName": "dup", "PrimaryRegion": "us-east-1", "ApiCredentials": CREDENTIALS}
    assert invoke("CREATE", desired)["status"] == "SUCCESS"
    twice = invoke("CREATE", desired)
    assert (twice["status"], twice["errorCode"]) == ("FAILED", "InvalidRequest")
    assert "database already exists" in twice["message"]
