"""The silent-key probe: for every property the assembled schema accepts, build a config that sets it
and the same config without it, compile both, and tell whether the key changed anything a deploy uses
(the template, the artifacts' digests and build options, the stack's settings).

A key's parent objects are created as the schema's smallest valid instances, so the comparison is the
key's own effect. Candidate values come from `witnesses.yml` (`values`, matched by the end of the
key's dotted path) or from the schema (enums, booleans, bounds of numbers, `examples`)."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from stackwright.config.load import Options
from stackwright.errors import StackwrightError
from stackwright.pipeline import compile_stack, open_stack
from stackwright.plugins import Plugins
from stackwright.refusals import REFUSED

HERE = Path(__file__).parent
WITNESSES: dict[str, Any] = yaml.safe_load((HERE / "witnesses.yml").read_text())
#: What a refusal made by a compiler (rather than a schema mark) says.
NOT_YET = "not supported by the installed plugins yet"
#: Where the probed resource sits in the witness config.
PROBE = "probe"


@dataclass
class Key:
    """One accepted property: its dotted path (`*` for any name, `[tag]` for a union variant) and the
    chain of (segment, schema) from the type's properties down to it."""

    path: tuple[str, ...]
    chain: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    @property
    def node(self) -> dict[str, Any]:
        return self.chain[-1][1]


def deref(node: Any, defs: Mapping[str, Any]) -> dict[str, Any]:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        extra = {k: v for k, v in node.items() if k != "$ref"}
        node = {**defs[node["$ref"].rsplit("/", 1)[1]], **extra}
    return node if isinstance(node, dict) else {}


def tag_of(branch: Any, defs: Mapping[str, Any]) -> str | None:
    kind = (deref(branch, defs).get("properties") or {}).get("type")
    return str(kind["const"]) if isinstance(kind, dict) and "const" in kind else None


def keys(schema: dict[str, Any], defs: Mapping[str, Any]) -> Iterator[Key]:
    """Every accepted (not refused) property under `schema`, parents before children."""

    def visit(node: Any, chain: list[tuple[str, dict[str, Any]]], seen: frozenset[str]) -> Iterator[Key]:
        if not isinstance(node, dict) or REFUSED in node:
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[1]
            if name in seen:
                return
            seen = seen | {name}
        node = deref(node, defs)
        for word in ("anyOf", "oneOf"):
            for branch in node.get(word) or []:
                tag = tag_of(branch, defs)
                if tag is None:
                    yield from visit(branch, chain, seen)
                elif REFUSED not in deref(branch, defs):
                    yield from visit(branch, [*chain, (f"[{tag}]", deref(branch, defs))], seen)
        for branch in node.get("allOf") or []:
            yield from visit(branch, chain, seen)
        if isinstance(node.get("items"), dict):
            yield from visit(node["items"], chain, seen)
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            yield from visit(extra, [*chain, ("*", deref(extra, defs))], seen)
        for name, prop in (node.get("properties") or {}).items():
            if not isinstance(prop, dict) or REFUSED in prop or (name == "type" and "const" in prop):
                continue
            here = [*chain, (str(name), prop)]
            yield Key(tuple(segment for segment, _ in here), here)
            yield from visit(prop, here, seen)

    yield from visit(schema, [], frozenset())


def minimal(node: Any, defs: Mapping[str, Any], path: str = "") -> Any:
    """The smallest valid instance of `node` (required properties only)."""
    node = deref(node, defs)
    chosen = witness_values(path)
    if chosen:
        return copy.deepcopy(chosen[0])
    if "const" in node:
        return node["const"]
    if "default" in node and node["default"] is not None:
        return copy.deepcopy(node["default"])
    if node.get("enum"):
        return node["enum"][0]
    if node.get("examples"):
        return copy.deepcopy(node["examples"][0])
    for word in ("anyOf", "oneOf"):
        if node.get(word):
            tag = tag_of(node[word][0], defs)
            return minimal(node[word][0], defs, f"{path}.[{tag}]" if tag else path)
    kind = node.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "object" or "properties" in node:
        props = node.get("properties") or {}
        return {
            name: minimal(props.get(name, {}), defs, f"{path}.{name}" if path else name)
            for name in node.get("required") or []
        }
    if kind == "array":
        return [minimal(node.get("items") or {}, defs, path) for _ in range(int(node.get("minItems") or 0))]
    if kind == "boolean":
        return path.rsplit(".", 1)[-1] == "enabled"  # a required switch: on, so what it guards counts
    if kind in ("integer", "number"):
        return node.get("minimum", node.get("exclusiveMinimum", 0) + 1)
    return "probe" + "x" * max(0, int(node.get("minLength") or 0) - 5)


def witness_values(dotted: str) -> list[Any]:
    """Hand-picked values of the key at `dotted` (the longest matching path ending wins)."""
    best: tuple[int, list[Any]] = (-1, [])
    for ending, values in (WITNESSES.get("values") or {}).items():
        if (dotted == ending or dotted.endswith("." + ending)) and len(ending) > best[0]:
            best = (len(ending), values)
    return copy.deepcopy(best[1])


def candidates(key: Key, defs: Mapping[str, Any]) -> list[Any]:
    """Values to try for `key`: hand-picked ones, or what its schema allows."""
    chosen = witness_values(key.dotted)
    if chosen:
        return chosen
    node = deref(key.node, defs)
    values: list[Any] = []
    if node.get("enum"):
        values += node["enum"]
    for word in ("anyOf", "oneOf"):
        for branch in node.get(word) or []:
            values.append(minimal(branch, defs, key.dotted))
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "boolean" in kinds:
        values += [True, False]
    if "integer" in kinds or "number" in kinds:
        low = node.get("minimum", 1)
        high = node.get("maximum", low + 7)
        values += [low, high, (low + high) // 2 if "integer" in kinds else (low + high) / 2]
    if "string" in kinds and not node.get("enum"):
        values += [*list(node.get("examples") or []), minimal(node, defs, key.dotted)]
    if "array" in kinds:
        item = deref(node.get("items") or {}, defs)
        inner = Key((*key.path,), [*key.chain[:-1], (key.path[-1], item)])
        values += [[v] for v in candidates(inner, defs)[:3]] if item else []
    if "object" in kinds or "properties" in node:
        values.append(minimal(node, defs, key.dotted))
    return values


def place(data: dict[str, Any], key: Key, defs: Mapping[str, Any]) -> dict[str, Any] | None:
    """The object that holds `key` inside `data` (a resource's properties), its parents created as
    needed; None when a parent is not an object."""
    here: Any = data
    path: list[str] = []
    for segment, node in key.chain[:-1]:
        node = deref(node, defs)
        path.append(segment)
        here = enter(here, segment, node, defs, ".".join(path))
        if here is None:
            return None
    if isinstance(here, list):
        if not here:
            here.append(first_item(key.chain[-2][1], defs, ".".join(path)))
        here = here[0] if isinstance(here[0], dict) else None
    return here if isinstance(here, dict) else None


def first_item(node: dict[str, Any], defs: Mapping[str, Any], dotted: str) -> Any:
    """The first item of the smallest non-empty instance of the array schema `node`."""
    node = deref(node, defs)
    chosen = witness_values(dotted)
    if chosen and isinstance(chosen[0], list) and chosen[0]:
        return copy.deepcopy(chosen[0][0])
    return minimal(node.get("items") or {}, defs, dotted)


def enter(here: Any, segment: str, node: dict[str, Any], defs: Mapping[str, Any], dotted: str) -> Any:
    if isinstance(here, list):
        if not here:
            here.append({})
        here = here[0]
    if not isinstance(here, dict):
        return None
    if segment.startswith("["):
        tag = segment[1:-1]
        if here.get("type") != tag:
            here.clear()
            here.update(minimal(node, defs, dotted))
        return here
    name = "probe1" if segment == "*" else segment
    current = here.get(name)
    kind = node.get("type")
    if current is None or not isinstance(current, dict | list):
        here[name] = [first_item(node, defs, dotted)] if kind == "array" else minimal(node, defs, dotted)
        if not isinstance(here[name], dict | list):
            here[name] = {}
    return here[name]


def fingerprint(ctx: Any) -> str:
    """What a deploy uses of a compiled stack, as one digest."""
    artifacts = {
        name: [getattr(a, field, None) for field in ("digest", "options", "kind", "details")]
        for name, a in sorted((getattr(ctx, "artifacts", None) or {}).items())
    }
    body = {
        "template": ctx.template.to_dict(),
        "artifacts": artifacts,
        "settings": repr(ctx.stack_settings),
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def is_parent(node: Any, defs: Mapping[str, Any]) -> bool:
    """Whether `node` is an object with named properties, a union of such objects, or a list of them."""
    node = deref(node, defs)
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        return is_parent(node["items"], defs)
    if node.get("properties"):
        return True
    branches = [deref(b, defs) for word in ("anyOf", "oneOf") for b in node.get(word) or []]
    return bool(branches) and all(is_parent(b, defs) for b in branches)


def reason(error: StackwrightError) -> str:
    problems = getattr(error, "problems", None)
    if problems:
        return " / ".join(str(getattr(p, "message", p))[:200] for p in problems[:2])
    return str(error).splitlines()[0][:200]


_RESULTS: dict[str, str | StackwrightError] = {}


def compiled(root: Path, config: dict[str, Any], plugins: Plugins, check: Any = None) -> str:
    """The fingerprint of `config` written in `root` (remembered by its text). Raises StackwrightError
    when it does not compile; `check(config)` may raise it first, cheaply, for a config that cannot be
    valid."""
    text = json.dumps(config, indent=1, sort_keys=True)
    if text not in _RESULTS:
        try:
            if check is not None:
                check(config)
            (root / "stackwright.yml").write_text(text)
            ctx = open_stack(Options(directory=root, stage="dev"), plugins)
            compile_stack(ctx)
            _RESULTS[text] = fingerprint(ctx)
        except StackwrightError as error:
            _RESULTS[text] = error
    result = _RESULTS[text]
    if isinstance(result, StackwrightError):
        raise result
    return result


def effect(
    root: Path, base: dict[str, Any], key: Key, defs: Mapping[str, Any], plugins: Plugins, check: Any = None
) -> str:
    """'effect', 'silent', 'parent' (an object or a list of objects: its own properties are probed),
    or what kept the key from being probed."""
    if is_parent(key.node, defs):
        return "parent"
    config = copy.deepcopy(base)
    props = config["resources"][PROBE].setdefault("properties", {})
    holder = place(props, key, defs)
    if holder is None:
        return "no parent object"
    name = "probe1" if key.path[-1] == "*" else key.path[-1]
    holder.pop(name, None)
    for group in WITNESSES.get("exclusive") or []:
        if name in group:
            for other in group:
                holder.pop(other, None)
    tried: list[str] = []
    try:
        without: str | None = compiled(root, config, plugins, check)
    except StackwrightError:
        without = None  # a required key: compare values with each other
    seen: set[str] = set() if without is None else {without}
    valid = 0
    for value in candidates(key, defs):
        holder[name] = copy.deepcopy(value)
        try:
            seen.add(compiled(root, config, plugins, check))
            valid += 1
        except StackwrightError as error:
            tried.append(f"{value!r}: {reason(error)}")
            continue
        if len(seen) > 1:
            return "effect"
    if without is None and valid == 1:
        return "effect"  # required, and only one value fits here
    if any(NOT_YET in text for text in tried):
        return "refused when compiled (" + next(t for t in tried if NOT_YET in t) + ")"
    if valid == 0:
        return "no valid witness value (" + "; ".join(tried[:3]) + ")"
    return "silent"


def bases(type_name: str) -> list[dict[str, Any]]:
    """The witness configs a key of `type_name` is probed in: the type's smallest properties, then each
    of its `alternatives` (a key some setting enables, such as a load balancer's domains, has its
    effect in one of them). `_config` holds root sections of the config (a provider's `providerConfig`),
    `_resources` resources added beside the probed one."""
    found = []
    for overlay in [{}, *((WITNESSES.get("alternatives") or {}).get(type_name) or [])]:
        props = {**copy.deepcopy(WITNESSES["types"][type_name]), **copy.deepcopy(overlay)}
        config = copy.deepcopy(WITNESSES["base"])
        config.update(props.pop("_config", {}))
        config["resources"].update(props.pop("_resources", {}))
        config["resources"][PROBE] = {"type": type_name, "properties": props}
        found.append(config)
    return found


def judge(
    root: Path, configs: list[dict[str, Any]], key: Key, defs: Mapping[str, Any], plugins: Plugins, check: Any
) -> str:
    """The `effect` of `key` in the first of `configs` where it has one, else its outcome in the first."""
    first = ""
    for config in configs:
        outcome = effect(root, config, key, defs, plugins, check)
        if outcome in ("effect", "parent"):
            return outcome
        first = first or outcome
    return first


def checker(schema: dict[str, Any]) -> Any:
    """A cheap check of the probed resource's properties against its type's `schema` (refusal marks
    included): raises StackwrightError naming the first mistake."""
    from stackwright.refusals import validator_class

    validator = validator_class()(schema)

    def check(config: dict[str, Any]) -> None:
        props = config["resources"][PROBE].get("properties") or {}
        error = next(iter(validator.iter_errors(props)), None)
        if error is not None:
            where = ".".join(map(str, error.absolute_path))
            raise StackwrightError(f"{where}: {error.message[:160]}")

    return check
