"""Generate docs/reference/hooks.md from stackwright.hookspecs (`python docs/hookref.py`)."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "reference" / "hooks.md"

HEADER = """# Hook reference

Generated from `stackwright.hookspecs` by `python docs/hookref.py`; a test fails when it is out of date.
Implement a hook with `@stackwright.hookimpl` on a function of the same name, in a module or class
registered as a plugin (see [writing a resource type](../how-to/write-a-resource-type.md)).
*firstresult* hooks stop at the first implementation that returns something other than `None`.
"""


def render() -> str:
    from stackwright import hookspecs

    parts = [HEADER]
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction):
        if not name.startswith("stackwright_"):
            continue
        opts = getattr(function, "stackwright_spec", {}) or {}
        signature = str(inspect.signature(function)).replace("'", "")
        kind = "firstresult" if opts.get("firstresult") else "all implementations are called"
        doc = inspect.cleandoc(function.__doc__ or "")
        parts.append(f"## `{name}`\n\n```python\ndef {name}{signature}\n```\n\n*{kind}*\n\n{doc}\n")
    return "\n".join(parts)


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render())
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
