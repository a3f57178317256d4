"""Generate docs/reference/config.md from the assembled config schema (what `stackwright schema` prints
for the built-in plugins): the root keys, every resource type's properties, nested objects and the
shared definitions, each with its type, whether it is required, its default and its description:
`python docs/configref.py`."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "reference" / "config.md"

HEADER = """# Resource type properties

Generated from the assembled config schema (`stackwright schema`, built-in plugins only) by
`python docs/configref.py`; a test fails when it is out of date, and another when a property has no
description. The same descriptions are the hover text in your editor
([editor completion and checks](../how-to/editor-schema.md)). Directives, the resource envelope and how
errors are reported: [Configuration language](config-language.md). Which Stacktape types can be
deployed: [Stacktape resource types](resource-types.md).

A nested property is written with dots (`url.cors.enabled`); `[]` stands for each item of a list
(`events[].type`), `*` for each value of a mapping. A type links to a definition when it is shared.
"""

ENUM_SHOWN = 24
SKIP_DEFS = re.compile(r"(Properties|Resource)$")


def _anchor(name: str) -> str:
    return name.lower()


def _code(value: Any) -> str:
    return f"`{json.dumps(value) if not isinstance(value, str) else value}`"


def type_of(node: Any) -> str:
    """A short, readable type: `string`, `list of [EnvironmentVar](#environmentvar)`, `` `a`, `b` ``."""
    if not isinstance(node, dict) or not node:
        return "any"
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{_anchor(name)})"
    if "const" in node:
        return _code(node["const"])
    if "enum" in node:
        values = [_code(v) for v in node["enum"]]
        shown = ", ".join(values[:ENUM_SHOWN])
        return shown + (f", ... ({len(values)} values)" if len(values) > ENUM_SHOWN else "")
    if any("if" in part for part in node.get("allOf", [])):
        return "resource (its [type](#resource-types) decides the rest)"
    if "anyOf" in node:
        return " or ".join(dict.fromkeys(type_of(branch) for branch in node["anyOf"]))
    kind = node.get("type")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        return f"list of {type_of(node.get('items'))}" if node.get("items") else "list"
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return f"mapping of {type_of(node['additionalProperties'])}"
    text = str(kind or "any")
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None or high is not None:
        text += f" ({'' if low is None else low}..{'' if high is None else high})"
    if node.get("minLength"):
        text += " (not empty)"
    return text


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def rows(node: dict[str, Any], prefix: str = "") -> list[str]:
    """One table row per property of the object `node`, then of its nested objects and list items."""
    out: list[str] = []
    required = set(node.get("required", []))
    for name, prop in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        default = _code(prop["default"]) if isinstance(prop, dict) and "default" in prop else ""
        described = prop.get("description", "") if isinstance(prop, dict) else ""
        mark = "yes" if name in required else ""
        out.append(f"| `{path}` | {_cell(type_of(prop))} | {mark} | {default} | {_cell(described)} |")
        out.extend(_nested(prop, path))
    return out


def _nested(prop: Any, path: str) -> list[str]:
    if not isinstance(prop, dict):
        return []
    if "properties" in prop:
        return rows(prop, f"{path}.")
    if isinstance(prop.get("items"), dict) and "properties" in prop["items"]:
        return rows(prop["items"], f"{path}[].")
    if isinstance(prop.get("additionalProperties"), dict) and "properties" in prop["additionalProperties"]:
        return rows(prop["additionalProperties"], f"{path}.*.")
    found = []
    for branch in prop.get("anyOf", []):
        found.extend(_nested(branch, path))
    return found


def table(node: dict[str, Any]) -> str:
    lines = ["| property | type | required | default | description |", "| --- | --- | --- | --- | --- |"]
    return "\n".join([*lines, *rows(node)]) + "\n"


def definition(name: str, node: dict[str, Any]) -> str:
    """A shared definition: an object's table, or one table per branch of a union."""
    parts = [f"### `{name}`\n"]
    if node.get("description"):
        parts.append(f"{node['description']}\n")
    if "anyOf" in node:
        parts.append("One of:\n")
        for index, branch in enumerate(node["anyOf"], 1):
            tag = branch.get("properties", {}).get("type", {})
            label = f"`type: {tag['const']}`" if "const" in tag else f"Alternative {index}"
            said = str(tag.get("description", ""))
            summary = said.removeprefix(f"`{tag['const']}`: ") if "const" in tag else ""
            parts.append(f"**{label}**" + (f" ({_cell(summary)})" if summary else "") + "\n")
            parts.append(table(branch) if branch.get("properties") else "Any object.\n")
    elif node.get("properties"):
        parts.append(table(node))
    else:
        parts.append(f"{type_of(node)}\n")
    return "\n".join(parts)


def render() -> str:
    from stackwright.config.schema import assemble, type_def_name
    from stackwright.plugins import load_plugins

    plugins = load_plugins(autoload=False)
    types = plugins.resource_types()
    schema = assemble(types, plugins.config_sections())
    defs: dict[str, Any] = schema["$defs"]
    parts = [HEADER, "## Root keys\n", table(schema)]
    parts.append("## Resource types\n")
    parts.append(
        "Every resource is `type`, `properties` and, optionally, `overrides` "
        "([the resource envelope](config-language.md#resources)).\n"
    )
    for name in sorted(types, key=lambda n: (types[n][0].schema_only, n)):
        rtype, plugin = types[name]
        state = "checked against its schema, not deployable yet" if rtype.schema_only else "deployable"
        parts.append(f"### `{name}`\n")
        summary = "" if rtype.schema_only else f"{rtype.summary} "
        parts.append(f"{summary}Plugin `{plugin}`; {state}.\n")
        body = defs[type_def_name(name)]
        parts.append(table(body) if body.get("properties") else "No properties.\n")
    parts.append("## Shared definitions\n")
    parts.append("Shapes several properties or types refer to.\n")
    for name in sorted(n for n in defs if not SKIP_DEFS.search(n) and n != "ResourceEnvelope"):
        parts.append(definition(name, defs[name]))
    return "\n".join(part for part in parts if part).rstrip("\n") + "\n"


def main() -> int:
    OUT.write_text(render())
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
