"""Turn JSON Schema validation errors into messages a person can act on."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from stackwright.config.suggest import did_you_mean
from stackwright.errors import ConfigProblem, Position
from stackwright.refusals import REFUSED

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

Path = tuple[str | int, ...]
SCALAR_CHECKS = frozenset(
    {
        "enum",
        "const",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
    }
)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def show(value: Any, limit: int = 60) -> str:
    if isinstance(value, dict | list):
        text = json.dumps(value, default=str)
        text = text if len(text) <= limit else text[: limit - 3] + "..."
        return f"{json_type(value)} {text}"
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return f"{json_type(value)} {text if len(text) <= limit else text[: limit - 3] + '...'}"


class Explainer:
    """Explains errors for one validated value (a resource's `properties`, or the whole config)."""

    def __init__(
        self,
        root_schema: Mapping[str, Any],
        positions: Mapping[Path, Position],
        base: Path,
        resource: str | None,
        skip: frozenset[Path] = frozenset(),
        default_position: Position | None = None,
        subject: str = "",
    ) -> None:
        """`subject`: what the value is, in refusals (`a function`: "`cdn` of a function is ...")."""
        self.subject = subject
        self.default_position = default_position
        self.root_schema = root_schema
        self.positions = positions
        self.base = base
        self.resource = resource
        self.skip = skip

    # --- helpers ---------------------------------------------------------------------------------------
    def deref(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, Mapping) and "$ref" in schema and seen < 50:
            ref = str(schema["$ref"])
            if not ref.startswith("#/"):
                return schema
            node: Any = self.root_schema
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema = node
            seen += 1
        return schema

    def describe(self, schema: Any) -> str:
        schema = self.deref(schema)
        if not isinstance(schema, Mapping):
            return "any value"
        if "const" in schema:
            return json.dumps(schema["const"])
        if "enum" in schema:
            return "one of " + ", ".join(json.dumps(v) for v in schema["enum"])
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return " or ".join(dict.fromkeys(self.describe(s) for s in schema[key]))
        kind = schema.get("type")
        if isinstance(kind, list):
            return " or ".join(kind)
        if kind == "array" and "items" in schema:
            return f"array of {self.describe(schema['items'])}"
        if kind == "object":
            tag = self.discriminator(schema)
            return f"object with type {json.dumps(tag)}" if tag is not None else "object"
        return str(kind) if kind else "any value"

    def discriminator(self, schema: Any) -> Any:
        schema = self.deref(schema)
        if isinstance(schema, Mapping):
            tag = self.deref((schema.get("properties") or {}).get("type"))
            if isinstance(tag, Mapping) and "const" in tag:
                return tag["const"]
        return None

    def problem(self, path: Path, message: str, **fields: Any) -> ConfigProblem:
        full = (*self.base, *path)
        position = None
        parts = full
        while parts and position is None:
            position = self.positions.get(parts)
            parts = parts[:-1]
        position = position or self.positions.get(()) or self.default_position
        return ConfigProblem(
            path=".".join(map(str, full)),
            message=message,
            position=position,
            resource=self.resource,
            **fields,
        )

    # --- explanations ---------------------------------------------------------------------------------
    def explain_all(self, errors: Iterable[ValidationError]) -> list[ConfigProblem]:
        problems: list[ConfigProblem] = []
        for error in errors:
            if (*self.base, *error.absolute_path) in self.skip:
                # A compile-time directive: its value is only known when compiling, but it can only
                # stand for a single value, never for a whole mapping or list.
                if self.scalar_expected(error):
                    continue
                problems.append(
                    self.problem(
                        tuple(error.absolute_path),
                        "a compile-time directive cannot stand for a mapping or a list",
                        expected=self.describe(error.schema),
                        found=show(error.instance),
                    )
                )
                continue
            problems.extend(self.explain(error))
        unique = {(p.path, p.message): p for p in problems}
        return list(unique.values())

    def scalar_expected(self, error: ValidationError) -> bool:
        if error.validator != "type":
            return error.validator in SCALAR_CHECKS
        expected = error.validator_value
        kinds = set(expected) if isinstance(expected, list) else {expected}
        return bool(kinds & {"string", "number", "integer", "boolean"})

    def explain(self, error: ValidationError) -> list[ConfigProblem]:
        path: Path = tuple(error.absolute_path)
        kind = error.validator
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        instance = error.instance
        expected_values: list[Any] = (
            list(cast(Iterable[Any], error.validator_value)) if kind in ("required", "enum") else []
        )
        if kind == "additionalProperties" and isinstance(instance, dict):
            allowed = list((schema.get("properties") or {}).keys())
            patterns = list((schema.get("patternProperties") or {}).keys())
            extras = [k for k in instance if k not in allowed and not any(re.search(p, k) for p in patterns)]
            return [
                self.problem(
                    (*path, key),
                    f"unknown property {key!r}",
                    expected=("one of " + ", ".join(allowed)) if allowed else "no properties",
                    hint=did_you_mean(key, allowed),
                )
                for key in extras
            ]
        if kind == REFUSED:
            key = next((str(p) for p in reversed(path) if isinstance(p, str)), "this")
            of = f" of {self.subject}" if self.subject else ""
            if "const" in ((schema.get("properties") or {}).get("type") or {}):  # a refused variant
                key = f"type: {instance.get('type')}" if isinstance(instance, dict) else key
            return [
                self.problem(
                    path,
                    f"`{key}`{of} is not supported by the installed plugins yet",
                    hint=error.message or None,
                )
            ]
        if kind == "required":
            missing = [k for k in expected_values if isinstance(instance, dict) and k not in instance]
            return [self.problem(path, f"missing required property {key!r}") for key in missing]
        if kind == "type":
            return [self.problem(path, "wrong type", expected=self.describe(schema), found=show(instance))]
        if kind == "enum":
            options = [str(v) for v in expected_values]
            return [
                self.problem(
                    path,
                    "value not allowed",
                    expected="one of " + ", ".join(json.dumps(v) for v in expected_values),
                    found=show(instance),
                    hint=did_you_mean(instance, options),
                )
            ]
        if kind == "const":
            return [
                self.problem(
                    path,
                    "value not allowed",
                    expected=json.dumps(error.validator_value),
                    found=show(instance),
                )
            ]
        if kind in ("anyOf", "oneOf"):
            return self.explain_union(error, path, schema[kind], instance)
        if "propertyNames" in error.relative_schema_path and isinstance(instance, str):
            pattern = schema.get("pattern")
            return [
                self.problem(
                    (*path, instance),
                    f"invalid name {instance!r}",
                    expected=f"a name matching {pattern}" if pattern else self.describe(schema),
                )
            ]
        if kind == "pattern":
            return [
                self.problem(
                    path,
                    "value does not have the required form",
                    expected=str(
                        schema.get("patternErrorMessage") or f"text matching {error.validator_value}"
                    ),
                    found=show(instance),
                )
            ]
        if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            bound = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[
                str(kind)
            ]
            return [
                self.problem(
                    path,
                    "value out of range",
                    expected=f"a number {bound} {error.validator_value}",
                    found=show(instance),
                )
            ]
        if kind == "propertyNames":
            return [self.problem(path, f"invalid name: {error.message}")]
        return [self.problem(path, f"invalid value: {error.message}", found=show(instance))]

    def explain_union(
        self, error: ValidationError, path: Path, branches: list[Any], instance: Any
    ) -> list[ConfigProblem]:
        tags = [self.discriminator(b) for b in branches]
        by_branch: dict[int, list[ValidationError]] = {}
        for sub in error.context or []:
            by_branch.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
        if tags and all(t is not None for t in tags) and isinstance(instance, dict):
            given = instance.get("type")
            if given in tags:
                return self.explain_all(by_branch.get(tags.index(given), []))
            names = [str(t) for t in tags]
            return [
                self.problem(
                    (*path, "type") if "type" in instance else path,
                    "unknown type" if "type" in instance else "missing required property 'type'",
                    expected="one of " + ", ".join(json.dumps(t) for t in tags),
                    found=show(given) if "type" in instance else None,
                    hint=did_you_mean(given, names),
                )
            ]
        # Not discriminated: prefer a branch whose basic shape fits, with the fewest errors.
        fitting = {
            index: subs
            for index, subs in by_branch.items()
            if not any(s.validator == "type" and tuple(s.absolute_path) == path for s in subs)
        }
        if fitting:
            index = min(fitting, key=lambda i: len(fitting[i]))
            return self.explain_all(fitting[index])
        return [
            self.problem(
                path,
                "wrong type",
                expected=" or ".join(dict.fromkeys(self.describe(b) for b in branches)),
                found=show(instance),
            )
        ]
