"""The assembled config schema documents itself: every property has a description, `resources.*` is keyed
by `type:` for editors, and docs/reference/config.md is generated from it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from stackwright import ResourceType, schema

from tests.helpers import REPO

DOCS = REPO / "docs"


def generator(name: str) -> Any:
    """The module `docs/NAME.py`, imported from its file."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"docs_{name}", DOCS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: Keywords whose value is one subschema, or a list or mapping of them (`if` is left out: a condition
#: names properties to test them, it does not declare them).
ONE = ("items", "additionalProperties", "not", "then", "else", "propertyNames", "contains")
MANY = ("anyOf", "allOf", "oneOf", "prefixItems")


def property_nodes(node: Any, path: str = "#") -> Iterator[tuple[str, Any]]:
    """Every (path, schema) that declares a property, anywhere in `node`."""
    if not isinstance(node, dict):
        return
    for name, sub in (node.get("properties") or {}).items():
        yield f"{path}.{name}", sub
        yield from property_nodes(sub, f"{path}.{name}")
    for name, sub in (node.get("$defs") or {}).items():
        yield from property_nodes(sub, f"#/$defs/{name}")
    for key in ONE:
        yield from property_nodes(node.get(key), f"{path}/{key}")
    for key in MANY:
        for index, sub in enumerate(node.get(key) or []):
            yield from property_nodes(sub, f"{path}/{key}/{index}")


def assembled(include_examples: bool) -> dict[str, Any]:
    from stackwright.config.schema import assemble
    from stackwright.plugins import load_plugins

    plugins = load_plugins(autoload=False)
    types = dict(plugins.resource_types())
    if include_examples:
        from acme_stackwright_types import stackwright_register_resource_types

        for cls in stackwright_register_resource_types():
            types[cls.name] = (cls(), "acme")
    return assemble(types, plugins.config_sections())


def test_every_property_of_the_assembled_schema_has_a_description() -> None:
    try:
        full = assembled(include_examples=True)
    except ImportError:  # pragma: no cover - `make test` installs the examples first
        pytest.skip("the examples' plugins are not installed (pip install -e examples/...)")
    nodes = list(property_nodes(full))
    assert len(nodes) > 800
    missing = [
        path for path, sub in nodes if not (isinstance(sub, dict) and str(sub.get("description", "")).strip())
    ]
    assert not missing, f"{len(missing)} schema properties without a description:\n" + "\n".join(missing[:40])


def test_the_walk_finds_a_property_without_a_description() -> None:
    node = schema.obj({"a": {"type": "string", "description": "A."}, "b": schema.obj({"c": {}})})
    found = {path: sub.get("description") for path, sub in property_nodes(node)}
    assert found == {"#.a": "A.", "#.b": None, "#.b.c": None}


def test_describe_reaches_nested_properties_and_refuses_unknown_paths() -> None:
    node = {
        "anyOf": [
            schema.tagged("one", schema.obj({"x": {"type": "array", "items": schema.obj({"y": {}})}})),
            schema.tagged("two", schema.obj({"x": {}})),
        ]
    }
    schema.describe(node, {"x": "X.", "x.y": "Y."})
    first, second = (branch["properties"]["properties"]["properties"] for branch in node["anyOf"])
    assert first["x"]["description"] == "X." and second["x"]["description"] == "X."
    assert first["x"]["items"]["properties"]["y"]["description"] == "Y."
    assert node["anyOf"][0]["properties"]["type"]["description"] == "Selects the `one` variant."
    with pytest.raises(KeyError, match=r"x\.z"):
        schema.describe(node, {"x.z": "nothing there"})


def test_resources_are_keyed_by_type_for_editors() -> None:
    from jsonschema import Draft202012Validator

    full = assembled(include_examples=False)
    entry = full["properties"]["resources"]["additionalProperties"]
    names = [branch["properties"]["type"]["const"] for branch in entry["anyOf"]]
    assert names == sorted(names) and "function" in names
    assert all(branch["properties"]["type"]["description"] for branch in entry["anyOf"])
    conditions = {part["if"]["properties"]["type"]["const"]: part["then"]["$ref"] for part in entry["allOf"]}
    assert conditions["function"] == "#/$defs/FunctionResource"
    validator = Draft202012Validator(full)
    good = {"resources": {"api": {"type": "function", "properties": {"packaging": _packaging()}}}}
    assert not list(validator.iter_errors(good))
    bad = {"resources": {"api": {"type": "function", "properties": {"packaging": _packaging(), "memry": 1}}}}
    errors = list(validator.iter_errors(bad))
    # the mistake is reported inside the function's own branch, not as "matches none of the types"
    assert errors and all(e.validator != "anyOf" for e in errors)
    assert any("memry" in e.message for e in errors)
    unknown = {"resources": {"api": {"type": "functoin", "properties": {}}}}
    assert [e.validator for e in validator.iter_errors(unknown)] == ["anyOf"]


def _packaging() -> dict[str, Any]:
    return {"type": "stacktape-lambda-buildpack", "properties": {"entryfilePath": "app.py"}}


def test_a_plugin_definition_cannot_take_a_types_generated_name() -> None:
    from stackwright.config.schema import assemble
    from stackwright.errors import StackwrightError

    class Clash(ResourceType):
        name = "clash"
        schema = {"type": "object"}
        definitions = {"ClashResource": {"type": "object"}}

    with pytest.raises(StackwrightError, match="ClashResource"):
        assemble({"clash": (Clash(), "clashing")})


def test_config_reference_is_current() -> None:
    page = (DOCS / "reference" / "config.md").read_text()
    assert page == generator("configref").render(), (
        "docs/reference/config.md is stale: run `python docs/configref.py`"
    )
    for name in ("function", "sqs-queue", "web-service", "bucket", "relational-database"):
        assert f"### `{name}`" in page
    assert "| `url.cors.allowedOrigins` |" in page  # nested objects too
    assert "### `LambdaPackaging`" in page and "**`type: custom-artifact`**" in page


def test_config_reference_types_link_to_definitions() -> None:
    module = generator("configref")
    assert module.type_of({"type": "array", "items": {"$ref": "#/$defs/EnvironmentVar"}}) == (
        "list of [EnvironmentVar](#environmentvar)"
    )
    assert module.type_of({"type": "number", "minimum": 1, "maximum": 900}) == "number (1..900)"
    assert module.type_of({"type": "string", "enum": ["arm64", "x86_64"]}) == "`arm64`, `x86_64`"
    assert (REPO / "docs" / "configref.py").exists()
