"""Rewrite `ledger.yml` from what the probe finds today: `python -m tests.effects.regenerate`.

Run it after compiling or refusing keys, then check the diff: the ledger may only shrink."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from stackwright.config.schema import standalone
from stackwright.plugins import load_plugins

from tests.effects import probe

HEAD = """\
# Keys the no-silent-keys meta-test (tests/test_no_silent_keys.py) does not hold to yet, per type, with
# why: each is to be compiled, refused with `schema.refuse`, or given a witness value in witnesses.yml.
# An entry that probes clean fails the test until it is removed, so this list only shrinks.
"""


def why(outcome: str) -> str:
    if outcome.startswith("refused when compiled"):
        return "refused when compiled, not by a schema mark"
    if outcome == "silent":
        return "accepted and not compiled yet"
    return "not probed yet: " + outcome[:160]


def main() -> None:
    plugins = load_plugins(autoload=False)
    root = Path(tempfile.mkdtemp())
    for relative, text in probe.WITNESSES["files"].items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    no_op = probe.WITNESSES.get("no_op") or {}
    ledger: dict[str, dict[str, str]] = {}
    for name, (rtype, _) in sorted(plugins.resource_types().items()):
        if rtype.schema_only:
            continue
        schema: dict[str, Any] = standalone(rtype)
        defs, check, configs = schema.get("$defs") or {}, probe.checker(schema), probe.bases(name)
        entries: dict[str, str] = {}
        for key in probe.keys(schema, defs):
            if any(key.dotted == e or key.dotted.endswith("." + e) for e in no_op):
                continue
            outcome = probe.judge(root, configs, key, defs, plugins, check)
            if outcome not in ("effect", "parent"):
                entries[key.dotted] = why(outcome)
        if entries:
            ledger[name] = entries
        print(f"{name}: {len(entries)}", flush=True)
    text = yaml.safe_dump(ledger, sort_keys=False, width=200) if ledger else "{}\n"
    (probe.HERE / "ledger.yml").write_text(HEAD + text)
    print(f"{sum(map(len, ledger.values()))} keys in the ledger")


if __name__ == "__main__":
    main()
