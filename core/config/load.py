"""Load a config for a project and stage: find, parse, resolve directives, validate."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stackwright.config.custom_directives import load_custom
from stackwright.config.directives import FAILED, DirectiveEnv, Resolver, TooLarge, key
from stackwright.config.parse import display_path, find_config, load
from stackwright.config.required import check_required
from stackwright.errors import ConfigError, ConfigProblem, PluginError, StackwrightError, by_position
from stackwright.models import Config, ConfigSection, Project
from stackwright.plugins import Plugins

NAME = re.compile(r"^[a-z0-9-]+$")
MAX_PROJECT = 64
MAX_STAGE = 32
DEFAULT_REGION = "us-east-1"
DEFAULT_STAGE = "dev"


@dataclass(frozen=True)
class Options:
    """What the command line (or a test) says about the project to work on."""

    directory: Path = field(default_factory=Path.cwd)
    config: Path | None = None
    project: str | None = None
    stage: str | None = None
    region: str | None = None
    target: str = "aws"
    cli_args: dict[str, Any] = field(default_factory=dict)
    #: Only what names the stack (project, stage, region): the config is read but its directives are not
    #: resolved nor its resources validated (`info`, `delete`, `rollback` act on the deployed stack).
    names_only: bool = False


#: An AWS region code: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`.
REGION = re.compile(r"[a-z]{2,4}(-[a-z]+)+-\d{1,2}")


def check_region(value: str) -> str:
    """`value` if it is shaped like an AWS region code. Raises StackwrightError otherwise."""
    if not REGION.fullmatch(value):
        raise StackwrightError(
            f"{value!r} is not an AWS region",
            hint="a region code such as us-east-1 or eu-west-1 (--region, AWS_REGION, AWS_DEFAULT_REGION)",
        )
    return value


def check_name(kind: str, value: str, limit: int) -> str:
    if not NAME.match(value):
        raise StackwrightError(
            f"invalid {kind} name {value!r}: use lower-case letters, digits and '-' only",
            hint=f"for example {re.sub(r'[^a-z0-9-]+', '-', value.lower()).strip('-') or 'my-app'!r}",
        )
    if len(value) > limit:
        raise StackwrightError(f"{kind} name {value!r} is {len(value)} characters long; the limit is {limit}")
    return value


def default_project_name(directory: Path) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", directory.resolve().name.lower()).strip("-")[:MAX_PROJECT] or "app"


def load_config(options: Options, plugins: Plugins) -> tuple[Project, Config]:
    path = find_config(options.directory, options.config)
    data, positions = load(path)
    source = display_path(path)
    raw_service = data.get("serviceName") if isinstance(data, dict) else None
    valid_service = (
        isinstance(raw_service, str) and NAME.match(raw_service) and len(raw_service) <= MAX_PROJECT
    )
    project_name = options.project or (raw_service if valid_service else None)
    project = Project(
        name=check_name("project", project_name or default_project_name(path.parent), MAX_PROJECT),
        stage=check_name(
            "stage", options.stage or os.environ.get("STACKWRIGHT_STAGE") or DEFAULT_STAGE, MAX_STAGE
        ),
        region=check_region(
            options.region
            or os.environ.get("AWS_REGION")
            or os.environ.get("AWS_DEFAULT_REGION")
            or DEFAULT_REGION
        ),
        root=path.parent.resolve(),
        config_path=path,
        target=options.target,
    )
    config = Config(data=data, positions=positions, path=path, cli_args=dict(options.cli_args))
    if options.names_only:
        return project, config
    problems: list[ConfigProblem] = []
    deferred: frozenset[tuple[str | int, ...]] = frozenset()
    if isinstance(data, dict):
        required = check_required(data.get("requiredPlugins"), positions)
        if required:
            raise ConfigError(required, source)
        try:
            problems, deferred = resolve_load_time(project, config, plugins)
        except TooLarge as error:
            raise ConfigError([error.problem], source) from None
    types = plugins.resource_types()
    sections = plugins.config_sections()
    marker = _validated_marker(config.data, types, deferred, sections)
    if marker is None or not marker.exists():
        from stackwright.config.validate import validate  # deferred: an unchanged config skips it

        check_plugin_schemas(plugins, config.data, sections)
        found = validate(config.data, positions, types, deferred, source, sections)
        problems += found
        if marker is not None and not problems:
            marker.touch()

    if isinstance(config.data, dict) and isinstance(config.data.get("resources"), dict):
        from stackwright.connections import check_names

        known = {p.path for p in problems}
        problems += [p for p in check_names(config) if p.path not in known]
        problems += same_logical_ids(project, config, plugins)
    if isinstance(config.data, dict) and not problems:
        from stackwright.scripts import check_scripts
        from stackwright.stack_config import check_stack_config

        problems += check_stack_config(config) + check_scripts(config, project.root)
    if problems:
        problems.sort(key=by_position)
        raise ConfigError(problems, source)
    return project, config


def same_logical_ids(project: Project, config: Config, plugins: Plugins) -> list[ConfigProblem]:
    """Two resource names that give the same CloudFormation logical ids (`my-queue`, `myQueue`)."""
    from stackwright.naming import NameRequest

    seen: dict[str, str] = {}
    problems = []
    for name in config.resources:
        request = NameRequest(kind="logical_id", project=project.name, stage=project.stage, resource=name)
        prefix = plugins.name(request)
        other = seen.setdefault(prefix, name)
        if other != name:
            path = ("resources", name)
            problems.append(
                ConfigProblem(
                    ".".join(path),
                    f"resources {other!r} and {name!r} get the same CloudFormation names ({prefix}...)",
                    config.position_of(*path),
                    hint="rename one of them",
                    resource=name,
                )
            )
    return problems


def check_plugin_schemas(plugins: Plugins, data: Any, sections: list[ConfigSection]) -> None:
    """The schemas of the resource types this config uses and of the plugins' config sections must be
    valid JSON Schema; an invalid one is a bug in the plugin that offers it (PluginError)."""
    from functools import partial

    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
    from stackwright.config.schema import standalone

    resources = data.get("resources") if isinstance(data, dict) else None
    used = (
        {str(b.get("type")) for b in resources.values() if isinstance(b, dict)}
        if isinstance(resources, dict)
        else set()
    )
    checks: list[tuple[str, tuple[Any, ...], Callable[[], dict[str, Any]], str]] = [
        (f"resource type {name!r}", (rtype.schema, rtype.definitions), partial(standalone, rtype), plugin)
        for name, (rtype, plugin) in plugins.resource_types().items()
        if name in used
    ]
    checks += [
        (
            f"config section {s.path!r}",
            (s.schema,),
            partial(dict, s.schema),
            plugins.section_owners.get(s.path, ""),
        )
        for s in sections
    ]
    for what, parts, schema, plugin in checks:
        key = tuple(map(id, parts))
        if _CHECKED.get(key) == parts:
            continue  # the very same schema objects were found valid earlier in this process
        try:
            Draft202012Validator.check_schema(schema())
        except SchemaError as error:
            problem = SchemaError(f"the schema of {what} is invalid: {error.message}")
            raise PluginError(plugin, plugins.distribution_of(plugin), problem) from None
        _CHECKED[key] = parts


#: Schemas found valid in this process, by the identities of the objects they are made of.
_CHECKED: dict[tuple[int, ...], tuple[Any, ...]] = {}


def _validated_marker(
    data: Any, types: dict[str, Any], deferred: frozenset[Any], sections: list[ConfigSection]
) -> Path | None:
    """A file that exists when exactly this config was found valid against exactly these schemas, so an
    unchanged config skips schema validation (and importing jsonschema) on the next run."""
    import hashlib
    import json

    from stackwright import __version__
    from stackwright.cache import cache_dir

    try:
        text = json.dumps(
            [
                __version__,
                data,
                sorted(map(str, deferred)),
                sorted(
                    (name, plugin, t.schema, t.definitions, t.schema_only, t.properties_required)
                    for name, (t, plugin) in types.items()
                ),
                sorted((s.path, s.schema) for s in sections),
            ],
            sort_keys=True,
            default=str,
        )
    except (TypeError, ValueError):
        return None
    return cache_dir("validated") / hashlib.sha256(text.encode()).hexdigest()


def resolve_load_time(
    project: Project, config: Config, plugins: Plugins
) -> tuple[list[ConfigProblem], frozenset[tuple[str | int, ...]]]:
    """Resolve load-time directives in place; return the problems and the compile-time directive paths.
    Raises TooLarge when the resolved config would pass the resolver's bounds."""
    directives = dict(plugins.directives())
    resolver = Resolver(
        directives, DirectiveEnv(project, config.data, config.cli_args), config.positions, False
    )
    custom, problems = load_custom(config.data.get("directives"), project.root, resolver.make_problem)
    for directive in custom:
        if key(directive.name) in resolver.directives:
            problems.append(
                resolver.make_problem(
                    ("directives",),
                    f"directive name {directive.name!r} is taken by a built-in or plugin directive",
                    None,
                )
            )
        resolver.directives[key(directive.name)] = directive
        directives[directive.name] = directive
    # one at a time, in order, so a variable can use the ones defined before it
    raw_variables = config.data.get("variables")
    variables: dict[str, Any] = {}
    resolver.env.variables = variables
    for name, value in raw_variables.items() if isinstance(raw_variables, dict) else []:
        before = (len(resolver.problems), resolver.skipped)
        resolved = resolver.resolve(value, ("variables", name))
        # a variable that failed is reported once: what uses it is skipped, not reported again
        variables[name] = resolved if (len(resolver.problems), resolver.skipped) == before else FAILED
    resolver.values = resolver.text = 0  # the variables are counted again where the config uses them
    rest = iter(resolver.resolve({k: v for k, v in config.data.items() if k != "variables"}).items())
    data: dict[str, Any] = {}
    for name in config.data:  # in the order written; a resolved key may differ (an invalid character)
        if name == "variables":
            data[name] = (
                {n: raw_variables[n] if v is FAILED else v for n, v in variables.items()}
                if isinstance(raw_variables, dict)
                else raw_variables
            )
        else:
            data.update([next(rest, (name, None))])
    config.data = data
    config.directives = directives
    config.variables = resolver.env.variables
    return problems + resolver.problems, frozenset(resolver.deferred)
