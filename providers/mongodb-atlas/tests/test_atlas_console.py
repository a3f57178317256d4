"""The MongoDB Atlas provider's console panel: the version of each public type the stack uses, as the
registry reports it (replayed with botocore's Stubber), or that the embedded engine has none."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import stackwright_mongodb_atlas as atlas
from atlas_configs import cluster, config
from stackwright import Clients, ConsolePage, StackState, StackView


def _stubbed(service: str) -> tuple[Any, Any]:
    import boto3
    from botocore.stub import Stubber

    client = boto3.client(service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(client)
    stubber.activate()
    return client, stubber


def described(type_name: str, version: str) -> dict[str, Any]:
    """DescribeType of a public third-party type activated in the account."""
    name = type_name.replace("::", "-")
    return {
        "Arn": f"arn:aws:cloudformation:us-east-1:123456789012:type/resource/{name}",
        "Type": "RESOURCE",
        "TypeName": type_name,
        "Visibility": "PRIVATE",
        "PublisherId": "bb989456c78c398a858fef18f2ca1bfc1fbba082",
        "OriginalTypeName": type_name,
        "PublicVersionNumber": version,
        "LatestPublicVersion": version,
        "IsActivated": True,
        "AutoUpdate": True,
        "TimeCreated": datetime(2026, 11, 1, tzinfo=UTC),
    }


def test_the_console_shows_the_activated_versions(
    stackwright_project: Callable[..., Path], stackwright_context: Callable[..., Any]
) -> None:
    root = stackwright_project(config(mongoDbCluster=cluster()))
    ctx = stackwright_context(root, atlas)
    panel = next(p for p, _ in ctx.plugins.console_panels() if p.name == "mongodb-atlas")
    ctx.state = StackState("posts-dev", "UPDATE_COMPLETE", resources={"StpDeploymentBucket": "b"})
    page = ConsolePage(ctx, StackView(ctx.state, template=ctx.template.to_dict()))
    types = page.registry_types("MongoDB::Atlas::")
    assert panel.applies(page) and "MongoDB::Atlas::Cluster" in types
    stubs = {name: _stubbed(name) for name in ("cloudformation", "s3")}
    ctx.aws = Clients(maker=lambda name: stubs[name][0])
    ctx.aws.read_only = True
    stubs["s3"][1].add_client_error("get_object", "NoSuchKey", http_status_code=404)
    for type_name in types:
        stubs["cloudformation"][1].add_response(
            "describe_type", described(type_name, "2.4.1"), {"Type": "RESOURCE", "TypeName": type_name}
        )
    content = panel.render(page)
    assert [row[:3] for row in content.rows] == [[t, "in-place", "2.4.1"] for t in types]
    assert all("minor versions updated automatically" in row[3] for row in content.rows)
    # on the embedded engine: no registry, said per type
    local = dataclasses.replace(ctx.project, target="local")
    page.ctx.project = local
    assert {tuple(row[1:]) for row in panel.render(page).rows} == {
        ("skipped", "", "target local has no registry")
    }
