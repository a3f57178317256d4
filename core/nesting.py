"""Past CloudFormation's limits: split a template of more than `MAX_RESOURCES` resources or
`MAX_TEMPLATE_BYTES` bytes into a root stack and nested stacks (`AWS::CloudFormation::Stack`).

Limits are AWS's ("AWS CloudFormation quotas", CloudFormation User Guide): 500 resources, 200
parameters and 200 outputs per stack, and a template body of 1 MB given by S3 URL.

How the split is made:
- the resources of one config resource stay together (a unit); so do units that refer to each other
  both ways (they would otherwise make two stacks wait on each other); resources no config resource owns
  (the bootstrap's bucket and repository, `cloudformationResources` that no type owns) stay in the root;
- units are placed in order of their references (what a unit refers to first, then config order), each
  into the first nested stack at or after every stack it refers to that has room (`NESTED_RESOURCES`
  resources, `NESTED_BYTES` bytes), so nested stacks only refer to earlier ones; a unit stays in the stack
  it was in last time (`previous`) while that stays possible, so a deploy moves nothing it need not move;
- a reference to a resource of another stack becomes a parameter (`Ref`, `Fn::GetAtt`, and `${...}` in
  `Fn::Sub`), given by the root: the resource itself when it is in the root, else the other nested
  stack's output; a `DependsOn` across stacks becomes one between the nested stacks; the conditions,
  mappings and root parameters a nested stack uses are given to it too.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from stackwright.artifacts import DEPLOYMENT_BUCKET_ID
from stackwright.errors import StackwrightError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from stackwright.context import StackContext

#: Per stack: resources, parameters, outputs; template bytes (by S3 URL).
MAX_RESOURCES = 500
MAX_PARAMETERS = 200
MAX_OUTPUTS = 200
MAX_TEMPLATE_BYTES = 1_000_000
#: What a nested stack is filled to, leaving room for growth without moving anything.
NESTED_RESOURCES = 400
NESTED_BYTES = 700_000
#: Nested stacks are named `{NESTED_PREFIX}{n}` in the root.
NESTED_PREFIX = "StpNested"
#: Where the root records which nested stack each config resource went to (its `Metadata`).
METADATA_KEY = "StackwrightNesting"

#: `${Name}` or `${Name.Attribute}` in an `Fn::Sub` string (not `${!Literal}`).
SUB_REFERENCE = re.compile(r"\$\{([A-Za-z0-9:]+)(?:\.([A-Za-z0-9.]+))?\}")


@dataclass
class Split:
    """The root template, the nested templates by their logical id in the root, and where each
    resource went (logical id → nested stack, "" for the root)."""

    root: dict[str, Any]
    nested: dict[str, dict[str, Any]] = field(default_factory=dict)
    placed: dict[str, str] = field(default_factory=dict)


def size_of(template: dict[str, Any]) -> int:
    return len(json.dumps(template, separators=(",", ":"), default=str).encode())


def needs_split(template: dict[str, Any]) -> bool:
    """More resources, or more bytes, than one stack takes."""
    return len(template.get("Resources", {})) > MAX_RESOURCES or size_of(template) > MAX_TEMPLATE_BYTES


def references(value: Any, ids: set[str]) -> Iterator[tuple[str, str]]:
    """(logical id, attribute or "") of every resource of `ids` that `value` refers to."""
    if isinstance(value, dict):
        if len(value) == 1:
            key, arg = next(iter(value.items()))
            if key == "Ref" and arg in ids:
                yield arg, ""
                return
            if key == "Fn::GetAtt":
                target, attribute = ([*arg.split(".", 1), ""] if isinstance(arg, str) else [*arg, ""])[:2]
                if target in ids:
                    yield str(target), str(attribute)
                    return
            if key == "Fn::Sub":
                text, names = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1] if len(arg) > 1 else {})
                for match in SUB_REFERENCE.finditer(str(text)):
                    if match.group(1) in ids and match.group(1) not in names:
                        yield match.group(1), match.group(2) or ""
                yield from references(names, ids)
                return
        for item in value.values():
            yield from references(item, ids)
    elif isinstance(value, list):
        for item in value:
            yield from references(item, ids)


def depends_on(body: dict[str, Any]) -> list[str]:
    """A resource's `DependsOn`, as a list."""
    given = body.get("DependsOn") or []
    return [given] if isinstance(given, str) else [str(d) for d in given]


def _units(resources: dict[str, Any], owners: dict[str, str], root_ids: set[str]) -> list[list[str]]:
    """The logical ids of each unit, what a unit refers to before it and otherwise in template order;
    units that refer to each other both ways merged into one."""
    ids = set(resources)
    unit_of: dict[str, str] = {}
    order: list[str] = []
    for lid in resources:
        if lid in root_ids or lid not in owners:
            continue
        unit_of[lid] = owners[lid]
        if owners[lid] not in order:
            order.append(owners[lid])
    edges: dict[str, set[str]] = {u: set() for u in order}
    for lid, unit in unit_of.items():
        body = resources[lid]
        for target in [t for t, _ in references(body, ids)] + depends_on(body):
            other = unit_of.get(target)
            if other and other != unit:
                edges[unit].add(other)
    merged = _strongly_connected(order, edges)
    groups: dict[str, list[str]] = {}
    for lid, unit in unit_of.items():
        groups.setdefault(merged[unit], []).append(lid)
    needs: dict[str, set[str]] = {merged[u]: set() for u in order}
    for unit, targets in edges.items():
        needs[merged[unit]] |= {merged[t] for t in targets} - {merged[unit]}
    return [groups[u] for u in _dependencies_first(list(needs), needs)]


def _dependencies_first(order: list[str], needs: dict[str, set[str]]) -> list[str]:
    """`order` sorted so that each comes after what it needs (`needs` has no cycle), otherwise as in
    `order` (Kahn's algorithm, the earliest ready one first)."""
    import heapq

    position = {name: i for i, name in enumerate(order)}
    waiting = {name: len(needs[name]) for name in order}
    needed_by: dict[str, list[str]] = {name: [] for name in order}
    for name in order:
        for other in needs[name]:
            needed_by[other].append(name)
    ready = [position[name] for name in order if not waiting[name]]
    heapq.heapify(ready)
    found = []
    while ready:
        name = order[heapq.heappop(ready)]
        found.append(name)
        for other in needed_by[name]:
            waiting[other] -= 1
            if not waiting[other]:
                heapq.heappush(ready, position[other])
    return found


def _strongly_connected(order: list[str], edges: dict[str, set[str]]) -> dict[str, str]:
    """Each unit → the first unit (in `order`) of its strongly connected component (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: dict[str, str] = {}
    for start in order:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                first = min(members, key=order.index)
                found.update({m: first for m in members})
    return found


def split(
    template: dict[str, Any],
    owners: dict[str, str],
    root_ids: set[str],
    url: Callable[[dict[str, Any]], Any],
    previous: dict[str, str] | None = None,
) -> Split:
    """Split `template` (owners: logical id → config resource; `root_ids`: kept in the root; `url(body)`:
    the `TemplateURL` of a nested template; `previous`: config resource → nested stack of the last
    deploy, "" for one that was in the root: it stays where it was while that stack has room and no
    two stacks would wait on each other, so a stack that grows, shrinks or gains references moves
    nothing it need not move). Raises StackwrightError when a stack would still be past a limit."""
    resources: dict[str, Any] = template.get("Resources", {})
    units = _units(resources, owners, root_ids)
    sizes = [(len(unit), sum(size_of(resources[lid]) for lid in unit)) for unit in units]
    from stackwright.nesting_place import Cyclic, place, staying_in_root
    from stackwright.nesting_rewrite import assemble

    staying = staying_in_root(resources, units, sizes, previous or {}, owners)
    while True:
        try:
            placed, order = place(resources, owners, units, sizes, staying, previous or {})
            break
        except Cyclic as cyclic:
            if not cyclic.units & staying:  # only resources no config resource owns: nothing can move
                raise StackwrightError(
                    "the split would make nested stacks and the root wait on each other",
                    hint="a `cloudformationResources` entry refers to a resource of a config resource that "
                    "refers back to it: remove one of the references",
                ) from None
            staying -= cyclic.units

    found = assemble(template, owners, placed, order, url)
    _check(found)
    return found


def _check(found: Split) -> None:
    problems = []
    for name, body in {"root stack": found.root, **found.nested}.items():
        counts = (
            (len(body.get("Resources", {})), MAX_RESOURCES, "resources"),
            (len(body.get("Parameters", {})), MAX_PARAMETERS, "parameters"),
            (len(body.get("Outputs", {})), MAX_OUTPUTS, "outputs"),
            (size_of(body), MAX_TEMPLATE_BYTES, "template bytes"),
        )
        problems += [
            f"{name}: {count} {what} (CloudFormation takes {limit})"
            for count, limit, what in counts
            if count > limit
        ]
    if problems:
        raise StackwrightError(
            "the stack is too large for CloudFormation even split into nested stacks",
            details=problems,
            hint="split the config into several stacks (projects or stages of their own)",
        )


def template_key(body: dict[str, Any]) -> str:
    """The deployment bucket key of a nested template: by its content, so an unchanged nested stack keeps
    its `TemplateURL` and CloudFormation leaves it alone."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return f"cf-template/nested/{hashlib.sha256(text.encode()).hexdigest()}.json"


def nested_url(local: bool) -> Callable[[dict[str, Any]], Any]:
    """`TemplateURL` of a nested template in the stack's deployment bucket (`template_key`):
    virtual-hosted on AWS, path-style on the local engine (which takes a host beginning with `s3` for
    the path-style form)."""

    def url(body: dict[str, Any]) -> Any:
        key = template_key(body)
        bucket = "${" + DEPLOYMENT_BUCKET_ID + "}"
        if local:
            return {"Fn::Sub": f"https://s3.amazonaws.com/{bucket}/{key}"}
        return {"Fn::Sub": f"https://{bucket}.s3.${{AWS::Region}}.${{AWS::URLSuffix}}/{key}"}

    return url


def owners_of(template: dict[str, Any]) -> dict[str, str]:
    """Logical id → config resource, from the template's own config paths (`CONFIG_PATHS_KEY`), so a kept
    template (a rollback's) splits as the compile that made it did; `cloudformationResources` stay in
    the root."""
    from stackwright.template import CONFIG_PATHS_KEY

    paths = (template.get("Metadata") or {}).get(CONFIG_PATHS_KEY) or {}
    return {
        str(lid): str(path).removeprefix("resources.")
        for lid, path in paths.items()
        if str(path).startswith("resources.")
    }


def split_stack(
    ctx: StackContext, template: dict[str, Any], previous: dict[str, str] | None = None, always: bool = False
) -> Split | None:
    """The split of the compiled `template` of `ctx` (None when one stack takes it, unless `always`: a
    stack deployed split stays split, as merging it back would move every resource), the units by config
    resource. Raises StackwrightError when even split it is past a limit."""
    if not needs_split(template) and not always:
        return None
    return split(
        template,
        owners_of(template) or dict(ctx.template.owners),
        set(),
        nested_url(ctx.project.target == "local"),
        previous,
    )
