"""Validate a parsed config against the core schema and each resource's type, collecting every problem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from stackwright.config.errors import Explainer, Path, json_type
from stackwright.config.known_types import PROVIDED_BY, STACKTAPE_TYPES
from stackwright.config.root_schema import root_schema
from stackwright.config.schema import standalone
from stackwright.config.suggest import did_you_mean
from stackwright.errors import ConfigProblem, Position
from stackwright.models import ConfigSection
from stackwright.resource_types import ResourceType


def _validator(schema: Mapping[str, Any]) -> Any:
    from stackwright.refusals import validator_class  # deferred: jsonschema is slow to import

    return validator_class()(schema)


def _sorted(errors: Any) -> list[Any]:
    return sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])


def validate(
    data: Any,
    positions: Mapping[Path, Position],
    types: Mapping[str, tuple[ResourceType, str]],
    skip: frozenset[Path] = frozenset(),
    source: str = "",
    sections: Sequence[ConfigSection] = (),
) -> list[ConfigProblem]:
    """Every problem in `data`; an empty list means the config is valid. Values at `skip` paths
    (compile-time directives) are not checked against the schema; plugins' config `sections` are."""
    schema = root_schema(sections)
    root = Explainer(schema, positions, (), None, skip, Position(source, 1, 1) if source else None)
    if data is None or data == {}:
        return [root.problem((), "the config is empty", expected="a mapping with a `resources` section")]
    if not isinstance(data, dict):
        return [root.problem((), "the config must be a mapping", expected="object", found=json_type(data))]

    problems: list[ConfigProblem] = []
    for error in _sorted(_validator(schema).iter_errors(data)):
        if error.absolute_path and error.absolute_path[0] == "resources" and len(error.absolute_path) > 1:
            continue  # resource bodies are explained below, with their type in hand
        if error.validator == "additionalProperties" and not error.absolute_path:
            for problem in root.explain(error):
                name = problem.path
                problems.append(
                    ConfigProblem(
                        path=name,
                        message=f"unknown top-level section {name!r}",
                        position=problem.position,
                        expected="one of " + ", ".join(schema["properties"]),
                        hint=did_you_mean(name, list(schema["properties"])),
                    )
                )
            continue
        problems.extend(root.explain_all([error]))

    resources = data.get("resources")
    if isinstance(resources, dict):
        if not resources:
            problems.append(
                root.problem(("resources",), "no resources defined", expected="at least one resource")
            )
        for name, body in resources.items():
            problems.extend(_validate_resource(str(name), body, positions, types, skip))
    # one schema error may be explained with the others of its object (every missing required property)
    return list({(p.path, p.message): p for p in problems}.values())


def _validate_resource(
    name: str,
    body: Any,
    positions: Mapping[Path, Position],
    types: Mapping[str, tuple[ResourceType, str]],
    skip: frozenset[Path],
) -> list[ConfigProblem]:
    base: Path = ("resources", name)
    envelope = Explainer(root_schema(), positions, base, name, skip)
    if not isinstance(body, dict):
        return [
            envelope.problem(
                (),
                "a resource must be a mapping",
                expected="object with `type` and `properties`",
                found=json_type(body),
            )
        ]
    problems = envelope.explain_all(
        _sorted(
            _validator({"$ref": "#/$defs/ResourceEnvelope", "$defs": root_schema()["$defs"]}).iter_errors(
                body
            )
        )
    )
    type_name = body.get("type")
    if not isinstance(type_name, str):
        return problems
    if type_name not in types:
        installed = ", ".join(sorted(n for n, (t, _) in types.items() if not t.schema_only)) or "none"
        if type_name in PROVIDED_BY:
            return [*problems, _not_loaded(envelope, type_name, PROVIDED_BY[type_name], installed)]
        if type_name in STACKTAPE_TYPES:
            return [
                *problems,
                envelope.problem(
                    ("type",),
                    f"resource type `{type_name}` is not supported by the installed plugins",
                    expected=f"an installed resource type: {installed}",
                    hint="install a plugin that provides it (see `stackwright plugins`)",
                ),
            ]
        return [
            *problems,
            envelope.problem(
                ("type",),
                f"unknown resource type {type_name!r}",
                expected=f"an installed resource type: {installed}",
                hint=did_you_mean(type_name, [*types, *STACKTAPE_TYPES]),
            ),
        ]
    rtype = types[type_name][0]
    if rtype.schema_only:
        problems.append(
            envelope.problem(
                ("type",),
                f"resource type `{type_name}` is not supported by the installed plugins yet",
                hint="its configuration is checked, but no installed plugin can deploy it",
            )
        )
    if "properties" not in body:
        if rtype.properties_required:
            problems.append(envelope.problem((), "missing required property 'properties'"))
        return problems
    props = body["properties"]
    if not isinstance(props, dict):
        return problems
    schema = standalone(rtype)
    vowel = type_name[:1] in "aeio" or (type_name[:1] == "u" and not type_name.startswith("us"))
    spoken = type_name.split("-")[0] in ("sqs", "sns", "http", "efs", "rds")  # "an SQS queue"
    article = "an" if vowel or spoken else "a"
    explainer = Explainer(
        schema, positions, (*base, "properties"), name, skip, subject=f"{article} {type_name}"
    )
    problems.extend(explainer.explain_all(_sorted(_validator(schema).iter_errors(props))))
    return problems


def _not_loaded(envelope: Any, type_name: str, distribution: str, installed: str) -> ConfigProblem:
    """A type whose provider plugin is not loaded: install it, or unblock it when it is installed."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import distribution as find

    try:
        find(distribution)
    except PackageNotFoundError:
        folder = distribution.removeprefix("stackwright-")
        return envelope.problem(  # type: ignore[no-any-return]
            ("type",),
            f"resource type `{type_name}` is not supported by the installed plugins: it comes from the "
            f"plugin {distribution}, which is not installed: install {distribution}",
            expected=f"an installed resource type: {installed}",
            hint=f"pip install {distribution} (or, from a stackwright checkout, "
            f"pip install ./providers/{folder})",
        )
    return envelope.problem(  # type: ignore[no-any-return]
        ("type",),
        f"resource type `{type_name}` is not supported by the installed plugins as loaded: its plugin "
        f"{distribution} is installed but not loaded",
        expected=f"an installed resource type: {installed}",
        hint="it is blocked with -p no:NAME, or plugin autoloading is off "
        f"(STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD): load it with -p {distribution.replace('-', '_')}",
    )
