"""A fake of Upstash's developer API for Redis databases, served on 127.0.0.1: the endpoints the
handler calls, HTTP basic authentication, and the answers' shapes from Upstash's API reference."""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

EMAIL, API_KEY = "dev@example.com", "0c1d2e3f-upstash-management-key"


class FakeUpstash:
    def __init__(self) -> None:
        self.databases: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, str]] = []
        self.url = ""

    def answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        self.calls.append((method, path))
        if method == "POST" and path == "/v2/redis/database":
            if body.get("region") != "global":
                return 400, "regional db creation is deprecated"
            if any(d["database_name"] == body["database_name"] for d in self.databases.values()):
                return 400, "database already exists"
            database_id = str(uuid.uuid4())
            port = 30000 + len(self.databases)
            slug = body["database_name"].lower()[:20]
            self.databases[database_id] = {
                "database_id": database_id,
                "database_name": body["database_name"],
                "database_type": "Pay as You Go",
                "region": "global",
                "primary_region": body["primary_region"],
                "port": port,
                "creation_time": 1764547200,
                "state": "active",
                "password": uuid.uuid4().hex,
                "user_email": EMAIL,
                "endpoint": f"{slug}-{port}.upstash.io",
                "tls": True,
                "eviction": False,  # as the API does: eviction is turned on by its own call
                "rest_token": base64.b64encode(uuid.uuid4().bytes * 2).decode(),
                "read_only_rest_token": base64.b64encode(uuid.uuid4().bytes * 2).decode(),
            }
            return 200, self.databases[database_id]
        if method == "GET" and path == "/v2/redis/databases":
            return 200, list(self.databases.values())
        found = re.fullmatch(r"/v2/redis/(database|rename|enable-eviction|disable-eviction)/([\w-]+)", path)
        if not found or found[2] not in self.databases:
            return 404, "database not found"
        action, database = found[1], self.databases[found[2]]
        if action == "database" and method == "GET":
            return 200, database
        if action == "database" and method == "DELETE":
            del self.databases[found[2]]
            return 200, "OK"
        if action == "rename":
            database["database_name"] = body["name"]
            return 200, database
        database["eviction"] = action == "enable-eviction"
        return 200, "OK"


@contextmanager
def serving() -> Iterator[FakeUpstash]:
    fake = FakeUpstash()
    expected = "Basic " + base64.b64encode(f"{EMAIL}:{API_KEY}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            if self.headers.get("Authorization") != expected:
                status, answer = 401, "Unauthorized"
            else:
                status, answer = fake.answer(self.command, self.path, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
