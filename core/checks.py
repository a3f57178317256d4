"""Checks of a compiled template that AWS would otherwise make at deploy time: each resource type's own
rules (`ResourceType.check`) and cfn-lint's errors, each pointed at the config value that causes it.

A template that passed is remembered by a digest of the template, the config and the plugins' versions,
so a deploy that changes nothing does not check (or import cfn-lint) again. A change of code alone (an
artifact's digest) runs the resource types' checks again, which read the code (a handler that is no
longer defined), but not cfn-lint, which sees the template only.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stackwright import nesting
from stackwright.config.suggest import closest
from stackwright.errors import ConfigProblem, StackwrightError, by_position
from stackwright.models import paths_where
from stackwright.registry_schemas import property_errors, teach_cfn_lint

if TYPE_CHECKING:
    from stackwright.context import StackContext

#: cfn-lint rules whose findings are not errors AWS would refuse a deploy for.
IGNORED_RULES = frozenset(
    {
        "E1001",  # a top-level section cfn-lint does not know: the template is ours, written correctly
    }
)
#: cfn-lint rules about one stack's size (500 resources, 1 MB), not checked on a template deployed split
#: into nested stacks (`stackwright.nesting` checks each of those).
SPLIT_RULES = frozenset({"E3010", "E1002"})
#: cfn-lint rules (→ a pattern of their message) that stackwright's own resource-type checks make for the
#: resources they compile, with the config line and a fix: SQS visibility timeout against the consuming
#: function's timeout, FIFO event-source batches, Lambda's reserved environment variables, dead-letter
#: queue kinds. Kept for `cloudformationResources` nothing of stackwright's reads.
COVERED_RULES = {
    "E3505": "",
    "E3705": "",
    "E3663": "",
    "E3502": r"queue type .* does not match destination queue type",  # dead-letter queue kinds
}
#: Namespaces of public AWS resource types: a type in any other (`MongoDB::Atlas::Cluster`,
#: `Acme::Thing::Widget`) may be a third-party or private registry type cfn-lint cannot know.
AWS_NAMESPACES = ("AWS::", "Alexa::")
#: The shape of a registry type name (CloudFormation user guide, "Registering extensions"), or `Custom::`.
REGISTRY_TYPE = re.compile(
    r"^(?:[A-Za-z0-9]{2,64}::){2}[A-Za-z0-9]{2,64}(?:::MODULE)?$|^Custom::[\w@.-]{1,60}$"
)
DEFAULT_LINT_REGION = "us-east-1"

_RULES: list[Any] = []


def check_template(ctx: StackContext) -> list[ConfigProblem]:
    """Every problem in the compiled `ctx.template`, in config order; [] when it may be deployed.

    Runs each resource type's `check`, then cfn-lint (errors only) on the template. Remembers a clean
    result in the cache (see `_markers`), so the same template and config are not checked twice, and the
    same template but for artifact digests is not linted twice."""
    markers = _markers(ctx)
    exact, linted = markers if markers is not None else (None, None)
    if exact is not None and exact.exists():
        return []
    problems: list[ConfigProblem] = []
    plugins = ctx.plugins
    for resource in ctx.config.resources.values():
        rtype = plugins.type_of(resource)
        owner = plugins.owner_of_type(resource.type) or ""
        with plugins.blame(owner):
            found = rtype.check(ctx, resource)
        problems += plugins.returned(owner, f"{type(rtype).__name__}.check", found, ConfigProblem)
    body = ctx.template.to_dict()
    if linted is not None and linted.exists():
        pass  # the same template but for code: cfn-lint would find what it found before, nothing
    elif nesting.needs_split(body):  # deployed as nested stacks: each must be within CloudFormation's limits
        try:
            nesting.split_stack(ctx, body)
        except StackwrightError as error:  # it cannot deploy: linting thousands of resources would only wait
            problems.append(
                ctx.problem(("resources",), "; ".join([error.message, *error.details]), hint=error.hint)
            )
        else:
            problems += lint(ctx, SPLIT_RULES)
    else:
        problems += lint(ctx)
    problems.sort(key=by_position)
    if not problems:
        for marker in (exact, linted):
            if marker is not None:
                marker.touch()
    return problems


def check_compiled(ctx: StackContext, failed: set[str]) -> list[ConfigProblem]:
    """When resources `failed` to compile: the `check` problems of those that compiled, so one run still
    tells everything it can. The template is incomplete, so cfn-lint does not run, and a check that
    trips over a missing part is taken to have nothing to say."""
    problems: list[ConfigProblem] = []
    for resource in ctx.config.resources.values():
        if resource.name in failed:
            continue
        rtype = ctx.plugins.type_of(resource)
        try:
            found = rtype.check(ctx, resource)
        except Exception:  # judged again, and blamed if it fails, once everything compiles
            continue
        problems += [p for p in found or [] if isinstance(p, ConfigProblem)]
    return problems


_DIGEST = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")


def _markers(ctx: StackContext) -> tuple[Path, Path] | None:
    """Two cache files: one that exists when this template, config and set of plugin versions passed
    every check, and one when they passed but for artifact digests (which change no cfn-lint finding)."""
    from stackwright import __version__
    from stackwright.cache import cache_dir

    try:
        text = json.dumps(
            [
                __version__,
                ctx.project.region,
                ctx.template.to_dict(),
                ctx.config.data,
                sorted((i.name, i.distribution or "", i.version or "") for i in ctx.plugins.info()),
                _code_stamps(ctx),
                metadata.version("cfn-lint"),
            ],
            sort_keys=True,
            default=str,
        )
    except (TypeError, ValueError):
        return None
    folder = cache_dir("checked")
    masked = _DIGEST.sub("<digest>", text)
    exact = folder / hashlib.sha256(text.encode()).hexdigest()
    return exact, folder / hashlib.sha256(f"lint\0{masked}".encode()).hexdigest()


def _code_stamps(ctx: StackContext) -> list[tuple[str, int, int]]:
    """(file, size, mtime) of every module that holds a loaded plugin or a resource type class: a plugin
    edited in place (an editable install, a `-p module`) has no new version, but its checks may differ."""
    import inspect
    import sys

    objects = [plugin for _, plugin in ctx.plugins.pm.list_name_plugin()]
    objects += [type(rtype) for rtype, _ in ctx.plugins.resource_types().values()]
    stamps = set()
    for item in objects:
        module = item if inspect.ismodule(item) else sys.modules.get(getattr(item, "__module__", ""))
        path = getattr(module, "__file__", None)
        if path:
            try:
                stat = Path(path).stat()
            except OSError:
                continue
            stamps.add((path, stat.st_size, stat.st_mtime_ns))
    return sorted(stamps)


def lint(ctx: StackContext, ignored: frozenset[str] = frozenset()) -> list[ConfigProblem]:
    """cfn-lint's errors (not warnings) on the compiled template, for the stack's region, each pointed at
    the config: a `cloudformationResources` entry at the very key, a resource's `overrides` when they set
    the value, else the config resource that created the template resource."""
    from cfnlint.api import lint as run_lint  # deferred: cfn-lint takes half a second to import

    region = _region(ctx.project.region)
    if not _RULES:
        from cfnlint.config import ConfigMixIn
        from cfnlint.runner import Runner

        _RULES.append(Runner(ConfigMixIn(regions=[region])).rules)
    template = ctx.template.to_dict()
    schemas = ctx.plugins.registry_schemas()
    teach_cfn_lint({directory for directory, _ in schemas.values()})
    part, store, known = template, None, []
    covered: list[str] = []
    if ignored:  # past one stack's limits: only what changed since it last passed (`lint_parts`)
        from stackwright import lint_parts
        from stackwright.cache import cache_dir

        store = cache_dir("checked") / "resources.json"
        known = lint_parts.read_known(store)
        context = lint_parts.context_of(template, _stamps(ctx))
        found, covered = lint_parts.reduce(template, context, set(known))
        part = found or {}
    # characters as they are: cfn-lint's reader cannot read a surrogate pair escape (an emoji as `\ud83d...`)
    matches = (
        run_lint(json.dumps(part, ensure_ascii=False), rules=_RULES[0], regions=[region]) if part else []
    )
    problems: list[ConfigProblem] = []
    seen: set[tuple[str, str]] = set()
    for match in matches:
        rule = str(match.rule.id)
        if not rule.startswith("E") or rule in IGNORED_RULES or rule in ignored:
            continue
        path = [str(p) for p in getattr(match, "path", [])]
        if rule in COVERED_RULES and len(path) > 1 and _covered(ctx, rule, str(match.message), path[1]):
            continue
        problem = _problem(ctx, template, rule, str(match.message), path, region)
        if problem is not None and (problem.path, problem.message) not in seen:
            seen.add((problem.path, problem.message))
            problems.append(problem)
    if store is not None and covered and not problems:
        from stackwright import lint_parts

        lint_parts.remember(store, known, covered)
    return problems + registry_problems(ctx, template, {n: s for n, (_, s) in schemas.items()})


def _stamps(ctx: StackContext) -> str:
    """What a lint outcome depends on besides the template: versions, region, plugin code."""
    from stackwright import __version__

    return json.dumps(
        [
            __version__,
            ctx.project.region,
            sorted((i.name, i.distribution or "", i.version or "") for i in ctx.plugins.info()),
            _code_stamps(ctx),
            metadata.version("cfn-lint"),
        ],
        default=str,
    )


def registry_problems(
    ctx: StackContext, template: dict[str, Any], schemas: dict[str, dict[str, Any]]
) -> list[ConfigProblem]:
    """The Properties of third-party and private registry resources checked against the schemas their
    plugins ship (cfn-lint checks only that such a type exists)."""
    problems = []
    for logical_id, body in template.get("Resources", {}).items():
        schema = schemas.get(str(body.get("Type", "")))
        if schema is None:
            continue
        for inside, message in property_errors(schema, body.get("Properties")):
            where = ["Properties", *map(str, inside)]
            said = f"{message} (schema of {body['Type']})"
            problems.append(_pointed(ctx, template, logical_id, where, said, None))
    return problems


def _covered(ctx: StackContext, rule: str, message: str, logical_id: str) -> bool:
    """Whether stackwright's own checks tell this cfn-lint finding already: a covered rule on a resource
    a config resource created, or (E3505) on a queue such a resource's event source reads."""
    if not re.search(COVERED_RULES[rule], message):
        return False
    if ctx.template.owners.get(logical_id):
        return True
    return rule == "E3505" and any(
        ctx.template.owners.get(lid)
        and body.get("Type") == "AWS::Lambda::EventSourceMapping"
        and logical_id in json.dumps((body.get("Properties") or {}).get("EventSourceArn"))
        for lid, body in ctx.template.resources.items()
    )


def _region(region: str) -> str:
    """`region`, or the default lint region when cfn-lint does not know it (newer than its data)."""
    from cfnlint.helpers import REGIONS

    return region if region in REGIONS else DEFAULT_LINT_REGION


def _problem(
    ctx: StackContext, template: dict[str, Any], rule: str, message: str, path: list[str], region: str
) -> ConfigProblem | None:
    if len(path) < 2 or path[0] != "Resources":
        return ctx.problem((), f"the compiled template: {message} ({rule} at {'/'.join(path)})")
    logical_id, inside = path[1], path[2:]
    body = template["Resources"].get(logical_id) or {}
    type_name = str(body.get("Type", ""))
    public = type_name.upper().startswith(tuple(n.upper() for n in AWS_NAMESPACES))
    if not public and (rule != "E3006" or REGISTRY_TYPE.match(type_name)):
        return None  # a third-party or private type: cfn-lint knows nothing of it
    hint = None
    if rule == "E3006":
        from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

        known = {t.lower(): t for t in PROVIDER_SCHEMA_MANAGER.get_resource_types(region)}
        if public:
            message = f"resource type {type_name!r} does not exist in {region}"
        else:
            message = f"{type_name!r} is not a resource type name (Organization::Service::Resource)"
        close = closest(type_name.lower(), list(known))
        hint = f"did you mean {known[close]!r}?" if close else None
    return _pointed(ctx, template, logical_id, inside, f"{message} ({rule})", hint)


def _pointed(
    ctx: StackContext,
    template: dict[str, Any],
    logical_id: str,
    inside: list[str],
    said: str,
    hint: str | None,
) -> ConfigProblem:
    """A problem (`said`, with its rule) at `inside` a template resource, pointed at the config that made
    it: a `cloudformationResources` entry, an override, the config value, or the config resource."""
    body = template["Resources"].get(logical_id) or {}
    extra = ctx.config.data.get("cloudformationResources") or {}
    if logical_id in extra and ctx.template.owners.get(logical_id) is None:
        return ctx.problem(("cloudformationResources", logical_id, *inside), said, hint)
    owner = ctx.template.owners.get(logical_id)
    resource = ctx.config.resource(owner) if owner else None
    where = "/".join([logical_id, *inside])
    if resource is None:
        return ctx.problem((), f"{where}: {said}", hint)
    override = resource.override_path(logical_id, *inside) if inside[:1] == ["Properties"] else None
    if override is not None:
        return ctx.problem(override, said)
    written = _written_at(resource.properties, _value_at(body, inside))
    if written is not None:
        return ctx.problem(("resources", resource.name, "properties", *written), f"{where}: {said}", hint)
    return ctx.problem(
        ("resources", resource.name),
        f"the CloudFormation resource it creates is refused: {where}: {said}",
        hint or f"stackwright derives it from this resource's config; `overrides.{logical_id}` can set it",
    )


_MISSING = object()


def _value_at(body: Any, inside: list[str]) -> Any:
    for part in inside:
        if isinstance(body, dict) and part in body:
            body = body[part]
        elif isinstance(body, list) and part.isdigit() and int(part) < len(body):
            body = body[int(part)]
        else:
            return _MISSING
    return body


def _written_at(properties: Any, value: Any) -> tuple[str | int, ...] | None:
    """The one place in a resource's config `properties` that holds `value` (the template value cfn-lint
    refused), or None when it is nowhere or in more than one place (then it cannot be told which)."""
    if value is _MISSING or value is None or isinstance(value, bool) or value in ("", [], {}):
        return None
    found = paths_where(properties, lambda node: node == value and type(node) is type(value))
    return found[0] if len(found) == 1 else None
