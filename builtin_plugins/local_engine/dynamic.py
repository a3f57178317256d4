"""Dynamic references (`{{resolve:secretsmanager:...}}`, `{{resolve:ssm:...}}`) resolved for the local
engine, which passes them on as literal text. The values come from the engine's own Secrets Manager and
Parameter Store, go only into the body CloudFormation is given, and are never kept: the template in the
deployment bucket keeps the references, and the body carries the references it replaced (under
`Metadata`) so the deployed template reads back as it was compiled.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from stackwright import StackContext, StackwrightError, Template

from .lookups import Reference, Unresolved, lookup
from .unemulated import unemulated_type

REFERENCE = re.compile(r"\{\{resolve:(secretsmanager|ssm-secure|ssm):((?:[^{}]|\$\{[^{}]*\})*)\}\}")
#: The `Metadata` key of the body given to the engine: each replaced string's path and reference text.
MARKER = "StackwrightLocalEngine"

Path = tuple[str | int, ...]


def strings(template: dict[str, Any]) -> Iterator[tuple[Path, str, bool]]:
    """Every string in the resource properties of `template` that holds a dynamic reference, with its
    path and whether it is inside an `Fn::Sub`: the engine substitutes the variables into the text and
    then reads every `${...}` in it, so a `${` in a value there must be escaped."""

    def walk(node: Any, path: Path, in_sub: bool) -> Iterator[tuple[Path, str, bool]]:
        if isinstance(node, str):
            if "{{resolve:" in node:
                yield path, node, in_sub
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, (*path, key), in_sub or key == "Fn::Sub")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, (*path, index), in_sub)

    for lid, body in (template.get("Resources") or {}).items():
        if isinstance(body, dict) and "Properties" in body:
            yield from walk(body["Properties"], ("Resources", lid, "Properties"), False)


def references(template: dict[str, Any]) -> dict[Reference, list[Path]]:
    """Each dynamic reference in `template`'s resource properties, with where it is used; a string that
    holds only part of one (the rest comes from `Fn::Join`) counts as a reference of service ''."""
    found: dict[Reference, list[Path]] = {}
    for path, text, _ in strings(template):
        for match in REFERENCE.finditer(text):
            found.setdefault(Reference(match.group(1), match.group(2)), []).append(path)
        if "{{resolve:" in REFERENCE.sub("", text):
            found.setdefault(Reference("", text), []).append(path)
    return found


def check(ctx: StackContext, template: Template) -> None:
    """Refuse, before anything is built, a template whose references the engine cannot answer: every
    one is named with where the config uses it."""
    _values(ctx, template.to_dict(), template.owners)


def _created(body: dict[str, Any]) -> dict[str, Any]:
    """`body` without the resources the engine does not create (their references are never read)."""
    resources = body.get("Resources") or {}
    kept = {lid: r for lid, r in resources.items() if not unemulated_type(str(r.get("Type")))}
    return {**body, "Resources": kept}


def _values(ctx: StackContext, body: dict[str, Any], owners: dict[str, str]) -> dict[Reference, str]:
    values: dict[Reference, str] = {}
    failed: list[tuple[Unresolved, list[str]]] = []
    for reference, paths in references(_created(body)).items():
        try:
            values[reference] = lookup(ctx.clients, reference)
        except Unresolved as error:
            failed.append((error, places(ctx, owners, reference, paths)))
    if not failed:
        return values
    hint = "; ".join(dict.fromkeys(error.hint for error, _ in failed))
    if len(failed) == 1:
        only, where = failed[0]
        raise StackwrightError(only.message, details=[f"used at {w}" for w in where], hint=hint)
    raise StackwrightError(
        f"the local engine cannot resolve {len(failed)} dynamic references",
        details=[
            line for error, where in failed for line in (error.message, *(f"  used at {w}" for w in where))
        ],
        hint=hint,
    )


def places(ctx: StackContext, owners: dict[str, str], reference: Reference, paths: list[Path]) -> list[str]:
    """Where `reference` is written: the config file positions of the values holding it, else the
    template paths (a reference from `overrides` or `cloudformationResources` keeps its template path)."""
    found: list[str] = []
    resources = ctx.config.data.get("resources") or {}
    for name in sorted({owners.get(str(p[1]), "") for p in paths} & set(resources)):
        for config_path in _config_paths(ctx.config.data, ("resources", name), reference.text):
            position = ctx.config.position_of(*config_path)
            where = ".".join(map(str, config_path))
            found.append(f"{position}: {where}" if position else where)
    return found or [".".join(map(str, p[1:])) for p in paths]


def _config_paths(data: Any, base: Path, text: str) -> list[Path]:
    node = data
    for part in base:
        node = node.get(part) if isinstance(node, dict) else None
    found: list[Path] = []

    def walk(value: Any, path: Path) -> None:
        if isinstance(value, str):
            if text in value:
                found.append(path)
        elif isinstance(value, dict):
            for key, child in value.items():
                walk(child, (*path, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, (*path, index))

    walk(node, base)
    return found


def resolved(ctx: StackContext, template: Template) -> dict[str, Any] | None:
    """The body to give the engine: `template` with every dynamic reference replaced by its value and the
    replaced strings noted under `Metadata` (for `restore`); None when it has no references. Raises
    StackwrightError naming each reference the engine cannot answer."""
    body = copy.deepcopy(template.to_dict())
    skipped = set(body.get("Resources") or {}) - set(_created(body)["Resources"])
    targets = [
        t for t in strings(body) if not (t[0][:1] == ("Resources",) and t[0][1:2] and t[0][1] in skipped)
    ]
    if not targets:
        return None
    values = _values(ctx, body, template.owners)
    replaced = []
    for path, text, in_sub in targets:

        def value(match: re.Match[str], in_sub: bool = in_sub) -> str:
            found = values[Reference(match.group(1), match.group(2))]
            return found.replace("${", "${!") if in_sub else found

        _set(body, path, REFERENCE.sub(value, text))
        replaced.append({"Path": list(path), "Value": text})
    body.setdefault("Metadata", {})[MARKER] = {"Replaced": replaced}
    return body


def restore(body: dict[str, Any]) -> dict[str, Any]:
    """A deployed body as it was compiled: the replaced strings put back, the marker taken out."""
    marker = (body.get("Metadata") or {}).get(MARKER)
    if not isinstance(marker, dict):
        return body
    body = copy.deepcopy(body)
    for item in marker.get("Replaced") or []:
        _set(body, tuple(item["Path"]), item["Value"])
    body["Metadata"].pop(MARKER)
    if not body["Metadata"]:
        body.pop("Metadata")
    return body


def _set(body: Any, path: Path, value: str) -> None:
    node = body
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
