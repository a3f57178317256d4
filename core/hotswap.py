"""Hot-swap: when the only differences from the running stack are code (Lambda zips, container images),
update those resources through their own APIs and skip CloudFormation. Anything else needs CloudFormation,
and then the whole deploy goes through it: never a partial hot-swap that drops an infrastructure change."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from stackwright.artifacts import Artifact
from stackwright.context import StackContext
from stackwright.deploy import record_hotswap
from stackwright.errors import StackwrightError
from stackwright.records import Change, HotswapResult, Phase


@dataclass
class Decision:
    changes: list[Change] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def possible(self) -> bool:
        return not self.reasons


def code_path(ctx: StackContext, logical_id: str, body: dict[str, Any]) -> tuple[str, ...]:
    """Where the code of template resource `logical_id` sits, as declared by the type of the config
    resource that owns it (`ResourceType.code_locations`); empty when it has no hot-swappable code."""
    owner = ctx.template.owners.get(logical_id)
    resource = ctx.config.resources.get(owner) if owner else None
    if resource is None:
        return ()
    found = ctx.plugins.resource_types().get(resource.type)
    return tuple(found[0].code_locations.get(str(body.get("Type")), ())) if found else ()


def _strip(body: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    body = copy.deepcopy(body)
    if path:
        _drop(body.get("Properties", {}), list(path))
    return body


def _drop(node: Any, path: list[str]) -> None:
    if not path or node is None:
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for item in node if isinstance(node, list) else []:
            _drop(item, rest)
    elif isinstance(node, dict):
        if rest:
            _drop(node.get(head), rest)
        else:
            node.pop(head, None)


def _changed_artifacts(ctx: StackContext, old: dict[str, Any], current: dict[str, Any]) -> list[Artifact]:
    """The artifacts `current` uses that `old` does not (by digest)."""
    before, after = str(old), str(current)
    return [a for a in ctx.artifacts.values() if a.digest and a.digest in after and a.digest not in before]


def combined_digest(artifacts: list[Artifact]) -> str:
    return ",".join(sorted(a.digest for a in artifacts))


def decide(ctx: StackContext, deployed: dict[str, Any]) -> Decision:
    decision = Decision()
    new = ctx.template.to_dict()
    old_resources: dict[str, Any] = deployed.get("Resources", {})
    new_resources: dict[str, Any] = new.get("Resources", {})
    for logical_id in sorted(set(old_resources) | set(new_resources)):
        owner = ctx.template.owners.get(logical_id)
        where = f"{logical_id}" + (f" (resources.{owner})" if owner else "")
        if logical_id not in old_resources:
            decision.reasons.append(f"{where} is new: needs CloudFormation")
            continue
        if logical_id not in new_resources:
            decision.reasons.append(f"{where} was removed: needs CloudFormation")
            continue
        old, current = old_resources[logical_id], new_resources[logical_id]
        path = code_path(ctx, logical_id, current)
        if _strip(old, path) != _strip(current, path):
            props = sorted(
                key
                for key in set(old.get("Properties", {})) | set(current.get("Properties", {}))
                if _strip({**old, "Properties": {key: old.get("Properties", {}).get(key)}}, path)
                != _strip({**current, "Properties": {key: current.get("Properties", {}).get(key)}}, path)
            ) or ["its attributes"]
            decision.reasons.append(f"{where}: {', '.join(props)} changed: needs CloudFormation")
            continue
        if old == current:
            continue
        changed = _changed_artifacts(ctx, old, current)
        if not changed:
            decision.reasons.append(f"{where}: its code changed, but no artifact of this deploy produced it")
            continue
        recorded = ctx.state.hotswapped.get(logical_id, {}) if ctx.state else {}
        if recorded.get("digest") == combined_digest(changed):
            continue  # hot-swapped already: nothing to redo
        decision.changes.append(
            Change(
                resource=owner or logical_id,
                logical_id=logical_id,
                resource_type=str(current["Type"]),
                artifact=changed[0],
                artifacts=changed,
                definition=current,
                physical_id=ctx.state.resources.get(logical_id, "") if ctx.state else "",
            )
        )
    for section in ("Parameters", "Conditions", "Mappings", "Outputs"):
        if deployed.get(section, {}) != new.get(section, {}):
            decision.reasons.append(f"template {section} changed: needs CloudFormation")
    return decision


def _swap(ctx: StackContext, change: Change) -> HotswapResult | None:
    """Ask the type of the config resource that owns the change."""
    resource = ctx.config.resources.get(change.resource)
    if resource is None:
        return None
    with ctx.plugins.blame(ctx.plugins.owner_of_type(resource.type)):
        return ctx.plugins.type_of(resource).hotswap(ctx, change)


def plan(ctx: StackContext, decision: Decision) -> None:
    """Ask every change's type first: if one cannot hot-swap, nothing is hot-swapped."""
    for change in decision.changes:
        change.plan_only = True
        if _swap(ctx, change) is None:
            decision.reasons.append(
                f"{change.logical_id} ({change.resource_type}): its type cannot hot-swap it: "
                "needs CloudFormation"
            )
        change.plan_only = False


def run(ctx: StackContext, decision: Decision) -> list[HotswapResult]:
    plugins = ctx.plugins
    plugins.before_phase(ctx, Phase.HOTSWAP)
    done: list[HotswapResult] = []
    for change in decision.changes:
        try:
            result = _swap(ctx, change)
        except StackwrightError as error:
            record_hotswap(ctx, done)
            updated = ", ".join(r.logical_id for r in done) or "none"
            left = ", ".join(
                c.logical_id for c in decision.changes if c.logical_id not in {r.logical_id for r in done}
            )
            raise StackwrightError(
                f"hot-swap of {change.logical_id} failed: {error.message}",
                details=[f"updated: {updated}", f"not updated: {left}"],
                hint="deploy again: what was updated is recorded and skipped, the rest is retried",
            ) from None
        if result is None:
            raise StackwrightError(f"hot-swap of {change.logical_id}: its type refused after planning it")
        result.logical_id = result.logical_id or change.logical_id
        result.digest = combined_digest(change.artifacts) if change.artifacts else change.artifact.digest
        done.append(result)
        ctx.report.event(
            "hotswapped",
            f"hot-swapped {change.logical_id}: {result.detail}",
            resource=change.logical_id,
            physical_id=result.physical_id,
            detail=result.detail,
        )
    record_hotswap(ctx, done)
    plugins.after_phase(ctx, Phase.HOTSWAP, done)
    return done
