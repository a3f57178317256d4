"""Generate docs/reference/stacktape-support.md: every property of Stacktape's config schema (its root
sections and the properties of each type stackwright deploys) and whether stackwright supports it:
`python docs/supportref.py`.

Stacktape's schema is `compat/stacktape/config-schema.json` (in the shared folder beside the
repository, or `STACKTAPE_SCHEMA`); each of its property paths is looked up in the schema stackwright
assembles from the built-in plugins, with the `x-refused` marks plugins put on what they accept but do
not compile yet. Run with `STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD=1` (as `make reference` does).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "reference" / "stacktape-support.md"
#: Where Stacktape's config schema is looked for, first found wins.
PROVIDERS = HERE.parent / "providers"
SCHEMA_PLACES = (HERE.parent.parent / "shared" / "compat" / "stacktape",)

PIPE, ESCAPED_PIPE = "|", "\\|"
HEADER = """# Stacktape properties: supported or refused

Generated from Stacktape's config schema and the schema the built-in plugins assemble, by
`python docs/supportref.py`; a test fails when it is out of date.

Every property of Stacktape's root sections and of each resource type stackwright deploys is listed
with what stackwright does with it:

- **supported**: compiled into the stack, or acted on by the command (tests show each effect).
- **refused**: accepted by the schema, then refused by name when a config asks for it, at its file
  and line, with what to do instead (the reason is shown here). Writing a value that asks for nothing
  (`false`, `[]`, `{}`) is let through. Everything under a refused property is refused with it.
- **not accepted**: not in stackwright's schema; a config that uses it fails validation as an unknown
  property.

`[type]` names the variant of a union (`packaging[custom-dockerfile].dockerfilePath` is the
`dockerfilePath` of a `custom-dockerfile` packaging); `*` is any name. `mongo-db-atlas-cluster` and
`upstash-redis` (and their `providerConfig`) need their provider plugin installed. Types stackwright
does not deploy are listed in [Stacktape resource types](resource-types.md).
"""


def stacktape_schema() -> dict[str, Any]:
    """Stacktape's config schema with its `#/definitions/` references spelled `#/$defs/`."""
    given = os.environ.get("STACKTAPE_SCHEMA")
    places = [Path(given)] if given else [p / "config-schema.json" for p in SCHEMA_PLACES]
    for place in places:
        if place.is_file():
            text = place.read_text().replace('"#/definitions/', '"#/$defs/')
            schema: dict[str, Any] = json.loads(text)
            schema["$defs"] = schema.pop("definitions", {})
            return schema
    raise SystemExit(f"Stacktape's config schema not found in {', '.join(map(str, places))}")


def show(path: tuple[str, ...]) -> str:
    """`packaging.[x].properties.y` → `packaging[x].y`."""
    text = ".".join(path).replace(".[", "[").replace("].properties.", "].").replace("].properties", "]")
    return text


#: What `ours` says of a path: the refusal hint; None (supported, its properties listed); OPEN
#: (supported, and whatever is under it is taken as given).
OPEN = "\0open"


def ours(
    node: dict[str, Any], defs: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> dict[str, str | None]:
    """Each path stackwright accepts under `node` (after `prefix`) → the refusal hint, None when
    supported, or `OPEN` when supported with whatever it holds."""
    from stackwright.refusals import REFUSED, walk

    found: dict[str, str | None] = {}
    for path, prop in walk(node, defs):
        mark = prop.get(REFUSED)
        if isinstance(mark, Mapping):
            found[show((*prefix, *path))] = str(mark.get("hint") or "")
        else:
            found[show((*prefix, *path))] = OPEN if _open(prop, defs) else None
    return found


def _open(node: dict[str, Any], defs: Mapping[str, Any]) -> bool:
    """Whether `node` takes any object without naming its properties (`{}`, `{"type": "object"}`)."""
    while isinstance(node.get("$ref"), str):
        node = defs.get(node["$ref"].rsplit("/", 1)[1], {})
    if isinstance(node.get("items"), dict):
        return _open(node["items"], defs)
    named = any(node.get(k) for k in ("properties", "anyOf", "oneOf", "allOf", "enum", "const"))
    return (
        not named and node.get("type") in (None, "object") and node.get("additionalProperties") is not False
    )


def status(path: str, accepted: Mapping[str, str | None]) -> tuple[str, str]:
    """(state, reason) of one of Stacktape's property paths."""
    if path in accepted:
        hint = accepted[path]
        return ("supported", "") if hint in (None, OPEN) else ("refused", str(hint))
    cuts = sorted(
        {i for i, c in enumerate(path) if c in ".["} | {i + 1 for i, c in enumerate(path) if c == "]"}
    )
    for cut in reversed(cuts):
        above = path[:cut]
        if above not in accepted:
            continue
        if accepted[above] == OPEN:
            return "supported", f"as part of `{above}`"
        if accepted[above] is not None:
            return "refused", f"with `{above}`"
    return "not accepted", ""


def table(title: str, theirs: list[str], accepted: Mapping[str, str | None]) -> list[str]:
    rows = [status(p, accepted) for p in theirs]
    counts = {s: sum(1 for r in rows if r[0] == s) for s in ("supported", "refused", "not accepted")}
    lines = [
        f"## {title}",
        "",
        ", ".join(f"{n} {s}" for s, n in counts.items()) + ".",
        "",
        "| property | stackwright | |",
        "| --- | --- | --- |",
    ]
    for path, (state, why) in zip(theirs, rows, strict=True):
        lines.append(f"| `{path}` | {state} | {why.replace(PIPE, ESCAPED_PIPE)} |")
    return [*lines, ""]


def providers() -> list[tuple[str, object]]:
    """The provider plugins of this repository (`providers/*/stackwright_*`), imported from their folders
    (installed or not), as (name, module) for `load_plugins(extra=...)`."""
    import importlib

    found: list[tuple[str, object]] = []
    for package in sorted(PROVIDERS.glob("*/stackwright_*/__init__.py")):
        folder = str(package.parent.parent)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        name = package.parent.name
        found.append((name, importlib.import_module(name)))
    return found


def sections() -> Iterator[tuple[str, list[str], dict[str, str | None]]]:
    """(title, Stacktape's paths, stackwright's accepted paths) of the root sections, then of each
    deployable type."""
    from stackwright.config.root_schema import root_schema
    from stackwright.config.schema import standalone
    from stackwright.plugins import load_plugins
    from stackwright.refusals import walk

    theirs = stacktape_schema()
    their_defs = theirs["$defs"]
    plugins = load_plugins(autoload=False, extra=providers())
    root = root_schema(plugins.config_sections())
    root_defs = root.get("$defs") or {}
    for name in theirs["properties"]:
        if name in ("resources", "cloudformationResources"):
            continue
        their_paths = [show((name, *p)) for p, _ in walk(theirs["properties"][name], their_defs)]
        mine = root["properties"].get(name)
        accepted = {} if mine is None else {name: None, **ours(mine, root_defs, (name,))}
        yield f"`{name}`", [name, *their_paths], accepted
    kinds = {}
    for branch in their_defs["StacktapeResourceDefinition"]["anyOf"]:
        definition = their_defs[branch["$ref"].rsplit("/", 1)[1]]
        kinds[definition["properties"]["type"]["const"]] = definition["properties"].get("properties") or {}
    for name, (rtype, _) in sorted(plugins.resource_types().items()):
        if rtype.schema_only or name not in kinds:
            continue
        mine = standalone(rtype)
        their_paths = [show(p) for p, _ in walk(kinds[name], their_defs)]
        yield f"`{name}`", their_paths, ours(mine, mine.get("$defs") or {})


def render() -> str:
    lines = [HEADER]
    for title, theirs, accepted in sections():
        lines += table(title, theirs, accepted)
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    OUT.write_text(render())
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
