"""Assemble one JSON Schema (Draft 2020-12) from the core's root schema and every resource type."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from stackwright.config.root_schema import ENVELOPE_TEXTS, root_schema
from stackwright.errors import StackwrightError
from stackwright.models import ConfigSection
from stackwright.resource_types import ResourceType

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def type_def_name(type_name: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in type_name.split("-")) + "Properties"


def standalone(rtype: ResourceType) -> dict[str, Any]:
    """The schema of one type's `properties`, with its own definitions, for validation on its own."""
    schema = dict(copy.deepcopy(dict(rtype.schema)))
    defs = {**dict(rtype.definitions), **schema.pop("$defs", {})}
    if defs:
        schema["$defs"] = defs
    return schema


def resource_def_name(type_name: str) -> str:
    return type_def_name(type_name).removesuffix("Properties") + "Resource"


def envelope(rtype: ResourceType) -> dict[str, Any]:
    required = ["type", "properties"] if rtype.properties_required else ["type"]
    return {
        "type": "object",
        "title": rtype.name,
        "description": rtype.summary,
        "additionalProperties": False,
        "required": required,
        "properties": {
            "type": {"type": "string", "const": rtype.name, "description": ENVELOPE_TEXTS["type"]},
            "properties": {
                "$ref": f"#/$defs/{type_def_name(rtype.name)}",
                "description": f"The settings of this `{rtype.name}`.",
            },
            "overrides": {
                "type": "object",
                "additionalProperties": {"type": "object"},
                "description": ENVELOPE_TEXTS["overrides"],
            },
        },
    }


def by_type(rtypes: Sequence[ResourceType]) -> dict[str, Any]:
    """The schema of one `resources.*` entry: an `anyOf` of the type names (so an editor completes
    `type:` and names the installed types), and an `allOf` of `if type is NAME then NAME's envelope`, so
    a mistake inside a resource is checked, and reported, against its own type only."""
    return {
        "type": "object",
        "required": ["type"],
        "anyOf": [
            {
                "title": rtype.name,
                "required": ["type"],
                "properties": {
                    "type": {"const": rtype.name, "description": rtype.summary or f"`{rtype.name}`"}
                },
            }
            for rtype in rtypes
        ],
        "allOf": [
            {
                "if": {"properties": {"type": {"const": rtype.name}}, "required": ["type"]},
                "then": {"$ref": f"#/$defs/{resource_def_name(rtype.name)}"},
            }
            for rtype in rtypes
        ],
    }


def assemble(
    types: Mapping[str, tuple[ResourceType, str]], sections: Sequence[ConfigSection] = ()
) -> dict[str, Any]:
    """The merged schema editors use: every type keyed by its `type:` under `resources.*` (see `by_type`),
    and the plugins' config sections in place."""
    schema = root_schema(sections)
    defs: dict[str, Any] = schema["$defs"]
    owners: dict[str, str] = {}
    for name in sorted(types):
        rtype, plugin = types[name]
        part = standalone(rtype)
        for def_name, body in part.pop("$defs", {}).items():
            if def_name in defs and defs[def_name] != body:
                raise StackwrightError(
                    f"schema definition {def_name!r} is defined differently by plugins "
                    f"{owners.get(def_name, 'core')!r} and {plugin!r}"
                )
            defs[def_name] = body
            owners[def_name] = plugin
        for generated in (type_def_name(name), resource_def_name(name)):
            if generated in defs:
                raise StackwrightError(
                    f"schema definition {generated!r} of {owners.get(generated, 'the core')!r} has the "
                    f"name of resource type `{name}`'s own definition: rename it"
                )
        defs[type_def_name(name)] = part
        defs[resource_def_name(name)] = envelope(rtype)
    rtypes = [types[name][0] for name in sorted(types)]
    schema["properties"]["resources"]["additionalProperties"] = by_type(rtypes) if rtypes else False
    return {"$schema": DIALECT, "$id": "https://stackwright.dev/schema/config.json", **schema}
