"""Configs the tests of stackwright-mongodb-atlas share."""

from __future__ import annotations

from typing import Any

PLUGIN = ("-p", "stackwright_mongodb_atlas")
PRIVATE_KEY = "9f86d081-884c-4d63-a5d1-5bd2bd0c7d3e"
PROVIDER = {
    "mongoDbAtlas": {
        "publicKey": "kqzvtyxe",
        "privateKey": "$Secret('atlas.privateKey')",
        "organizationId": "5f1e2d3c4b5a697887766554",
    }
}
API = {
    "type": "function",
    "properties": {
        "packaging": {"type": "stacktape-lambda-buildpack", "properties": {"entryfilePath": "src/app.py"}},
        "connectTo": ["mongoDbCluster"],
    },
}
FILES = {"src/app.py": "def handler(event, context):\n    return event\n"}


def config(**resources: Any) -> dict[str, Any]:
    return {"serviceName": "posts", "providerConfig": PROVIDER, "resources": resources}


def cluster(**properties: Any) -> dict[str, Any]:
    return {"type": "mongo-db-atlas-cluster", "properties": {"clusterTier": "M10", **properties}}
