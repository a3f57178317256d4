"""Assemble one JSON Schema (Draft 2020-12) from the core's root schema and every resource type."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from stackwright.config.root_schema import root_schema
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


def envelope(rtype: ResourceType) -> dict[str, Any]:
    required = ["type", "properties"] if rtype.properties_required else ["type"]
    return {
        "type": "object",
        "title": rtype.name,
        "description": rtype.summary,
        "additionalProperties": False,
        "required": required,
        "properties": {
            "type": {"type": "string", "const": rtype.name},
            "properties": {"$ref": f"#/$defs/{type_def_name(rtype.name)}"},
            "overrides": {"type": "object", "additionalProperties": {"type": "object"}},
        },
    }


def assemble(
    types: Mapping[str, tuple[ResourceType, str]], sections: Sequence[ConfigSection] = ()
) -> dict[str, Any]:
    """The merged schema editors use: every type as one branch of `resources.*`, and the plugins' config
    sections in place."""
    schema = root_schema(sections)
    defs: dict[str, Any] = schema["$defs"]
    owners: dict[str, str] = {}
    branches = []
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
        defs[type_def_name(name)] = part
        branches.append(envelope(rtype))
    schema["properties"]["resources"]["additionalProperties"] = {"anyOf": branches} if branches else False
    return {"$schema": DIALECT, "$id": "https://stackwright.dev/schema/config.json", **schema}
