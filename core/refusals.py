"""Keys a schema accepts (Stacktape configs use them) but no installed plugin acts on yet: refused by name.

A plugin marks such a property in its schema with `refuse(schema, {"path.to.key": "what to do
instead"})` (or a whole variant of a union with `refuse_node`). Validation then fails a config that
asks for it with "`key` is not supported by the installed plugins yet", at its file:line, with the
hint; a value that asks for nothing (`null`, `false`, `[]`, `{}`, or a value the mark `accepts`) is let
through. The config reference, the generated support page and a meta-test read the same marks
(`refused_properties`), so a key is never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

#: The JSON Schema keyword of a refused property (an object: `hint`, and `accepts`, a list of values let
#: through).
REFUSED = "x-refused"
#: Values that ask for nothing: written, they change nothing, so they are let through.
NOTHING: tuple[Any, ...] = (None, False, [], {})
_NOTE = " Not supported yet: "


def refuse_node(node: dict[str, Any], hint: str, accepts: tuple[Any, ...] = ()) -> dict[str, Any]:
    """Mark the property schema (or union branch) `node` as refused; `hint` says what to do instead;
    `accepts` are values (besides `NOTHING`) that are let through because stackwright already does what
    they ask; when one of them is a boolean, `false` is not let through (it asks for the other way).
    Returns `node`."""
    node[REFUSED] = {"hint": hint, **({"accepts": list(accepts)} if accepts else {})}
    text = str(node.get("description") or "").split(_NOTE)[0].rstrip()
    node["description"] = f"{text}{_NOTE}{hint}".strip()
    return node


def refuse(node: dict[str, Any], hints: Mapping[str, str | tuple[str, tuple[Any, ...]]]) -> dict[str, Any]:
    """Mark the properties of `node` named by dotted paths (as `schema.describe` finds them) as refused:
    path → hint, or path → (hint, accepted values). Raises KeyError for a path that names no property.
    Returns `node`."""
    from stackwright.schema import find_properties

    for path, hint in hints.items():
        found = find_properties(node, path.split("."))
        if not found:
            raise KeyError(f"no property {path!r} to refuse")
        text, accepts = (hint, ()) if isinstance(hint, str) else hint
        for prop in found:
            refuse_node(prop, text, accepts)
    return node


def refuse_variants(union: dict[str, Any], hints: Mapping[str, str]) -> dict[str, Any]:
    """Mark the variants of the `type`-discriminated union `union` named in `hints` (type → what to do
    instead) as refused. Raises KeyError for a type the union does not have. Returns `union`."""
    branches = {
        str(((b.get("properties") or {}).get("type") or {}).get("const")): b
        for word in ("anyOf", "oneOf")
        for b in union.get(word) or []
        if isinstance(b, dict)
    }
    for kind, hint in hints.items():
        if kind not in branches:
            raise KeyError(f"no variant {kind!r} to refuse")
        refuse_node(branches[kind], hint)
    return union


def asks(mark: Mapping[str, Any], value: Any) -> bool:
    """Whether `value` asks for what the refusal `mark` refuses (`True` and `1` are told apart)."""
    if value is None:
        return False
    accepts = list(mark.get("accepts") or [])
    # a switch stackwright has one way (`disableSourceMaps: true` accepted) is refused the other way
    nothing = [v for v in NOTHING[1:] if not (v is False and any(isinstance(a, bool) for a in accepts))]
    let_through = [*nothing, *accepts]
    return not any(value == v and type(value) is type(v) for v in let_through)


def refused_validator(validator: Any, mark: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """The jsonschema keyword function of `REFUSED`."""
    from jsonschema.exceptions import ValidationError

    if isinstance(mark, Mapping) and asks(mark, instance):
        yield ValidationError(str(mark.get("hint") or ""))


def validator_class() -> Any:
    """Draft 2020-12 with the `REFUSED` keyword."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {REFUSED: refused_validator})  # type: ignore[no-untyped-call]


def refused_properties(schema: Mapping[str, Any]) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path, hint) of every refused property or variant in `schema`, following `$ref`s into its
    `$defs` once per path; a path's segments are property names (`*` for any name, `[type]` for the
    variant of a union), and nothing under a refused node is walked."""
    defs = schema.get("$defs") or {}
    for path, node in walk(schema, defs):
        mark = node.get(REFUSED)
        if isinstance(mark, Mapping):
            yield path, str(mark.get("hint") or "")


def walk(
    node: Any, defs: Mapping[str, Any], path: tuple[str, ...] = (), seen: frozenset[str] = frozenset()
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every property schema under `node` with its path (see `refused_properties`); a refused node is
    yielded but not entered."""
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref.rsplit("/", 1)[1]
        if name not in seen and name in defs:
            yield from walk(defs[name], defs, path, seen | {name})
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in node.get(key) or []:
            tag = _tag(branch, defs)
            if tag is not None and isinstance(branch, dict) and REFUSED in branch:
                yield (*path, f"[{tag}]"), branch
                continue
            yield from walk(branch, defs, (*path, f"[{tag}]") if tag else path, seen)
    for key in ("items", "then", "else"):
        yield from walk(node.get(key), defs, path, seen)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield from walk(extra, defs, (*path, "*"), seen)
    for name, prop in (node.get("properties") or {}).items():
        if not isinstance(prop, dict) or (name == "type" and "const" in prop):
            continue
        here = (*path, str(name))
        yield here, prop
        if REFUSED not in prop:
            yield from walk(prop, defs, here, seen)


def _tag(branch: Any, defs: Mapping[str, Any]) -> str | None:
    """The `type` constant of a union branch (following one `$ref`), or None."""
    if isinstance(branch, dict) and isinstance(branch.get("$ref"), str):
        branch = defs.get(branch["$ref"].rsplit("/", 1)[1], {})
    kind = ((branch or {}).get("properties") or {}).get("type") if isinstance(branch, dict) else None
    return str(kind["const"]) if isinstance(kind, dict) and "const" in kind else None
