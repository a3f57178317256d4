"""Upstash's developer API for Redis databases (https://api.upstash.com/v2, HTTP basic authentication
with the account email and a management API key), with the standard library only."""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.request
from typing import Any

#: Where the API is (`UPSTASH_API_URL` overrides it: a test points it at a fake on 127.0.0.1).
BASE_URL = "https://api.upstash.com"
TIMEOUT = 30


class ApiError(Exception):
    """An answer other than 200/202: `status` is the HTTP status, the message Upstash's text."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"Upstash answered {status}: {message}")
        self.status = status


class Upstash:
    def __init__(self, email: str, api_key: str, base_url: str | None = None) -> None:
        token = base64.b64encode(f"{email}:{api_key}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "Accept": "application/json"}
        self.base_url = (base_url or os.environ.get("UPSTASH_API_URL") or BASE_URL).rstrip("/")

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        headers = {**self.headers, **({"Content-Type": "application/json"} if data else {})}
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as error:
            raise ApiError(error.code, error.read().decode(errors="replace").strip()[:500]) from None
        return json.loads(text) if text else None

    def create(self, name: str, primary_region: str, eviction: bool) -> dict[str, Any]:
        """A new global database with TLS (regional databases can no longer be made)."""
        body = {
            "database_name": name,
            "name": name,
            "region": "global",
            "primary_region": primary_region,
            "platform": "aws",
            "tls": True,
            "eviction": eviction,
        }
        return dict(self.call("POST", "/v2/redis/database", body))

    def get(self, database_id: str) -> dict[str, Any]:
        return dict(self.call("GET", f"/v2/redis/database/{database_id}"))

    def list(self) -> list[dict[str, Any]]:
        return list(self.call("GET", "/v2/redis/databases") or [])

    def rename(self, database_id: str, name: str) -> None:
        self.call("POST", f"/v2/redis/rename/{database_id}", {"name": name})

    def set_eviction(self, database_id: str, enabled: bool) -> None:
        self.call("POST", f"/v2/redis/{'enable' if enabled else 'disable'}-eviction/{database_id}")

    def delete(self, database_id: str) -> None:
        self.call("DELETE", f"/v2/redis/database/{database_id}")
