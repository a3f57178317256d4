"""Registry schemas of third-party and private resource types (`MongoDB::Atlas::Cluster`), shipped by
the plugins whose templates use them: taught to cfn-lint, and used to check such resources' Properties,
which cfn-lint does not check for registry types."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

#: The directories already given to cfn-lint in this process.
_TAUGHT: set[Path] = set()

#: The intrinsic functions a property value may be instead of the value itself (CloudFormation template
#: reference, "Intrinsic function reference").
INTRINSICS = frozenset(
    {
        "Ref",
        "Fn::GetAtt",
        "Fn::Join",
        "Fn::Sub",
        "Fn::If",
        "Fn::Select",
        "Fn::Split",
        "Fn::FindInMap",
        "Fn::ImportValue",
        "Fn::Base64",
        "Fn::Cidr",
        "Fn::GetAZs",
        "Fn::ToJsonString",
        "Fn::Length",
        "Fn::Transform",
    }
)


def teach_cfn_lint(directories: set[Path]) -> None:
    """Load the registry schemas in `directories` into cfn-lint's schema manager (what its
    `--registry-schemas` does), once per directory and process, and drop its cached type lists."""
    new = directories - _TAUGHT
    if not new:
        return
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    for directory in sorted(new):
        PROVIDER_SCHEMA_MANAGER.load_registry_schemas(str(directory))
        _TAUGHT.add(directory)
    PROVIDER_SCHEMA_MANAGER.get_resource_types.cache_clear()
    PROVIDER_SCHEMA_MANAGER.get_resource_schema.cache_clear()


def is_intrinsic(value: Any) -> bool:
    """Whether `value` is an intrinsic function call (`{"Fn::GetAtt": [...]}`) or a dynamic reference
    (`{{resolve:...}}`), whose value only CloudFormation knows."""
    if isinstance(value, dict) and len(value) == 1:
        return next(iter(value)) in INTRINSICS
    return isinstance(value, str) and value.startswith("{{resolve:")


def property_errors(schema: Mapping[str, Any], properties: Any) -> Iterator[tuple[list[str | int], str]]:
    """The ways `properties` (a resource's `Properties`) break its registry `schema`: (path inside
    Properties, message). Values that are intrinsic functions are taken to be right; read-only
    properties may not be set."""
    from jsonschema import Draft7Validator
    from stackwright.config.suggest import closest

    document = {
        **{k: v for k, v in schema.items() if k in ("definitions", "properties", "required")},
        "type": "object",
        "additionalProperties": schema.get("additionalProperties", True),
    }
    validator = Draft7Validator(document)
    for error in validator.iter_errors(properties if properties is not None else {}):
        if is_intrinsic(error.instance) or any(is_intrinsic(v) for v in _along(properties, error.path)):
            continue
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = (
                set((error.schema or {}).get("properties") or {}) if isinstance(error.schema, dict) else set()
            )
            for name in sorted(set(error.instance) - known):  # each at its own key, where it was written
                close = closest(name, sorted(known))
                yield (
                    [*error.path, name],
                    f"unknown property {name!r}" + (f" (did you mean {close!r}?)" if close else ""),
                )
            continue
        yield list(error.path), error.message
    for pointer in schema.get("readOnlyProperties", ()):
        parts = str(pointer).split("/")[2:]  # "/properties/Id" → ["Id"]
        if parts and _has(properties, parts):
            yield (
                list[str | int](parts),
                f"{'.'.join(parts)} is read-only: CloudFormation sets it, a template may not",
            )


def _along(value: Any, path: Any) -> Iterator[Any]:
    """The values on the way down `path` from `value` (not `value` itself)."""
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return
        yield value


def _has(value: Any, parts: list[str]) -> bool:
    for part in parts:
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return True
