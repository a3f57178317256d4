"""The Upstash provider's console panel: the registry version of its private type, read through the
target (replayed with botocore's Stubber on aws; the embedded engine has no registry)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import stackwright_upstash as upstash
from stackwright import Clients, ConsolePage, StackState, StackView
from stackwright_upstash import package
from test_upstash import API, FILES, TYPE, _stubbed, config

BUCKET = "shop-dev-deploy-1a2b3c4d"
TYPE_ARN = "arn:aws:cloudformation:us-east-1:123456789012:type/resource/Upstash-DatabasesV1-Database"


def test_the_console_shows_the_registered_version(
    stackwright_project: Callable[..., Path], stackwright_context: Callable[..., Any]
) -> None:
    from botocore.response import StreamingBody

    root = stackwright_project(config(cache={"type": "upstash-redis"}, api=API), FILES)
    ctx = stackwright_context(root, upstash)
    panels = {panel.name: panel for panel, _ in ctx.plugins.console_panels()}
    panel = panels["upstash"]
    stubs = {name: _stubbed(name) for name in ("cloudformation", "s3")}
    ctx.aws = Clients(maker=lambda name: stubs[name][0])
    ctx.aws.read_only = True
    ctx.state = StackState("shop-dev", "UPDATE_COMPLETE", resources={"StpDeploymentBucket": BUCKET})
    page = ConsolePage(ctx, StackView(ctx.state, template=ctx.template.to_dict()))
    assert panel.applies(page)
    shipped = f"{upstash.__version__}+{package.source_digest()}"
    record = json.dumps({TYPE: {"version": shipped, "arn": f"{TYPE_ARN}/00000003"}}).encode()
    stubs["s3"][1].add_response(
        "get_object",
        {"Body": StreamingBody(io.BytesIO(record), len(record))},
        {"Bucket": BUCKET, "Key": "stackwright/extensions.json"},
    )
    stubs["cloudformation"][1].add_response(
        "describe_type",
        {
            "Arn": TYPE_ARN,
            "Type": "RESOURCE",
            "TypeName": TYPE,
            "DefaultVersionId": "00000003",
            "IsDefaultVersion": True,
            "Visibility": "PRIVATE",
            "ProvisioningType": "FULLY_MUTABLE",
            "DeprecatedStatus": "LIVE",
            "LastUpdated": datetime(2026, 11, 30, tzinfo=UTC),
        },
        {"Type": "RESOURCE", "TypeName": TYPE},
    )
    content = panel.render(page)
    for _, stubber in stubs.values():
        stubber.assert_no_pending_responses()
    assert content.rows == [
        [TYPE, "in-place", "00000003", f"private, registered from plugin version {shipped}"]
    ]
    assert shipped in content.text
    # without the type in the stack's template the panel has nothing to show
    assert not panel.applies(ConsolePage(ctx, StackView(ctx.state, template={"Resources": {}})))
