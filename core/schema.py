"""Small builders for the JSON Schemas resource types register (Stacktape's shapes: closed objects, unions
discriminated by `type`, references into `$defs`). For plugin authors as much as for the built-ins."""

from __future__ import annotations

from typing import Any


def obj(props: dict[str, Any], *required: str) -> dict[str, Any]:
    """A closed object: only `props`, with `required` ones."""
    body: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        body["required"] = list(required)
    return body


def tagged(type_name: str, props: dict[str, Any] | None, props_required: bool = True) -> dict[str, Any]:
    """One branch of a union discriminated by `type`; `props` is the schema of its `properties` (None: the
    branch takes no `properties` at all)."""
    fields: dict[str, Any] = {"type": {"type": "string", "const": type_name}}
    if props is not None:
        fields["properties"] = props
    return obj(fields, *(["type", "properties"] if props is not None and props_required else ["type"]))


def strings() -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}}


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def array(name: str) -> dict[str, Any]:
    """An array of the `$defs` entry `name`."""
    return {"type": "array", "items": ref(name)}
