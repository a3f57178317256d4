"""`--output json`: every record of every command has an `event`, snake_case keys, and only keys that
docs/reference/json-output.md lists for that event (the one place they are documented)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers import FUNCTION_CONFIG, REPO, Result, write

DOC = REPO / "docs" / "reference" / "json-output.md"
SNAKE = re.compile(r"[a-z][a-z0-9_]*")
USER_DATA = {"outputs", "replaces"}  # dicts keyed by the user's names (stack outputs, replaced types)


def documented() -> tuple[dict[str, set[str]], set[str]]:
    """(event → its keys, every backticked name on the page) from the page's tables."""
    events: dict[str, set[str]] = {}
    section = ""
    for line in DOC.read_text().splitlines():
        if line.startswith("## "):
            section = line
        cells = [c.strip() for c in line.strip("|").split("|")] if line.startswith("| `") else []
        if len(cells) < 2:
            continue
        name = cells[0].strip("`").split()[0]
        keys = set(re.findall(r"`([a-z_]+)`", cells[1]))
        events.setdefault("result" if "`result`, by command" in section else name, set()).update(keys)
    return events, set(re.findall(r"`([a-z_-]+)`", DOC.read_text()))


def check(records: list[dict[str, Any]], seen: set[str]) -> None:
    events, names = documented()
    for record in records:
        event = record.get("event")
        assert event in events, f"record without a documented event: {record}"
        seen.add(str(event))
        extra = set(record) - events[str(event)] - {"event"}
        assert not extra, f"keys of {event!r} not in {DOC.name}: {sorted(extra)} ({record})"
        for key, value in record.items():
            assert SNAKE.fullmatch(key), f"{key!r} is not snake_case ({record})"
            inner = value if isinstance(value, list) else [value]
            for item in inner:
                if isinstance(item, dict) and key not in USER_DATA:
                    for sub in item:
                        assert SNAKE.fullmatch(sub) and sub in names, f"{event}.{key}.{sub} undocumented"


def test_every_json_record_is_documented_and_snake_case(
    cli: Callable[..., Result], engine: str, tmp_path: Path
) -> None:
    table = (
        "cloudformationResources:\n  {name}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
        "      BillingMode: PAY_PER_REQUEST\n"
        "      AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]\n"
        "      KeySchema: [{{AttributeName: id, KeyType: HASH}}]\n"
    )
    root = write(
        tmp_path / "p",
        {
            "stackwright.yml": FUNCTION_CONFIG + table.format(name="Items"),
            "src/app.py": "def handler(e, c):\n    return 1\n",
        },
    )
    seen: set[str] = set()

    def run(*args: str, code: int = 0) -> None:
        result = cli(*args, "--output", "json", cwd=root)
        assert result.code == code, (args, result.err)
        check(result.json_lines(), seen)

    run("validate")
    run("synth", "--out", "t.json")
    run("plugins")
    run("package")
    run("deploy", "--local")
    run("deploy", "--local")  # no changes
    (root / "src" / "app.py").write_text("def handler(e, c):\n    return 2\n")
    run("deploy", "--local", "--hotswap")
    (root / "stackwright.yml").write_text(
        FUNCTION_CONFIG + "      timeout: 20\n" + table.format(name="Renamed")
    )
    run("diff", "--local")
    run("deploy", "--local", "--hotswap", code=1)  # destroys data: refused without a terminal
    run("deploy", "--local", "--hotswap", "--yes")
    run("info", "--local")
    run("rollback", "--local", code=1)  # brings the first table back: destroys the data of the second
    run("rollback", "--local", "--yes")
    run("deploy", "--local", "--stage", "two")
    run("delete", "--local", "--stage", "two", "--yes")
    run("info", "--local", "--stage", "two", code=1)
    (root / "stackwright.yml").write_text("resources: {a: {type: nope}}\n")
    run("validate", code=2)
    expected = {"target", "artifact", "uploaded", "change", "data-loss", "stack-event", "hotswapped"}
    expected |= {"hotswap-refused", "resource", "plugin", "result", "error", "packaged", "info"}
    assert expected <= seen, sorted(expected - seen)
