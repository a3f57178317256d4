"""Hot-swap: when the only differences from the running stack are code (Lambda zips, container images),
update those resources through their own APIs and skip CloudFormation. Anything else needs CloudFormation,
and then the whole deploy goes through it: never a partial hot-swap that drops an infrastructure change."""

from __future__ import annotations

import copy
import json
import re
from concurrent.futures import Future, ThreadPoolExecutor, as_completed, wait
from dataclasses import dataclass, field
from typing import Any, NoReturn

from stackwright.artifacts import Artifact
from stackwright.context import StackContext
from stackwright.deploy import record_hotswap
from stackwright.errors import StackwrightError
from stackwright.records import Change, HotswapResult, Phase
from stackwright.report import plural

#: Changes applied at once: each mostly waits on its service (a Lambda update, an ECS rollout).
WORKERS = 8


@dataclass
class Decision:
    changes: list[Change] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    #: logical id → the code digest of the deployed template (a change back to it ends the drift).
    deployed_code: dict[str, str] = field(default_factory=dict)
    #: logical id → the code digest each change puts in place (all its artifacts, changed or not).
    wanted: dict[str, str] = field(default_factory=dict)
    #: logical id → what its type answered on the planning pass.
    planned: dict[str, HotswapResult] = field(default_factory=dict)

    @property
    def possible(self) -> bool:
        return not self.reasons


def code_path(ctx: StackContext, logical_id: str, body: dict[str, Any]) -> tuple[str, ...]:
    """Where the code of template resource `logical_id` sits, as declared by the type of the config
    resource that owns it (`ResourceType.code_locations`); empty when it has no hot-swappable code."""
    owner = ctx.template.owners.get(logical_id)
    resource = ctx.config.resource(owner) if owner else None
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


_DIGEST = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")


def _pick(node: Any, path: list[str]) -> list[Any]:
    """The values at `path` in `node` (`"*"`: every list item)."""
    if not path:
        return [node]
    head, rest = path[0], path[1:]
    if head == "*":
        return [v for item in (node if isinstance(node, list) else []) for v in _pick(item, rest)]
    return _pick(node.get(head), rest) if isinstance(node, dict) and head in node else []


def code_digest(body: dict[str, Any], path: tuple[str, ...]) -> str:
    """The digests of the artifacts a resource's code locations name, exactly (whole 64-hex tokens in
    the values at its code path, never elsewhere in the resource), combined: `d1,d2`."""
    if not path:
        return ""
    text = json.dumps(_pick(body.get("Properties", {}), list(path)), sort_keys=True, default=str)
    return ",".join(sorted(set(_DIGEST.findall(text))))


def combined_digest(artifacts: list[Artifact]) -> str:
    return ",".join(sorted({a.digest for a in artifacts}))


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
        deployed_code, wanted = code_digest(old, path), code_digest(current, path)
        recorded = ctx.state.hotswapped.get(logical_id, {}) if ctx.state else {}
        running = recorded.get("digest") or deployed_code
        if running == wanted:
            continue  # what runs is what the files say (hot-swapped already, or never changed)
        change = _change(ctx, logical_id, current, wanted, running)
        if change is None:
            decision.reasons.append(f"{where}: its code changed, but no artifact of this deploy produced it")
            continue
        decision.deployed_code[logical_id] = deployed_code
        decision.wanted[logical_id] = wanted
        decision.changes.append(change)
    for section in ("Parameters", "Conditions", "Mappings", "Outputs"):
        if deployed.get(section, {}) != new.get(section, {}):
            decision.reasons.append(f"template {section} changed: needs CloudFormation")
    _count_sharing(decision.changes)
    return decision


def _count_sharing(changes: list[Change]) -> None:
    users: dict[str, int] = {}
    for change in changes:
        for digest in {a.digest for a in change.artifacts or [change.artifact]}:
            users[digest] = users.get(digest, 0) + 1
    for change in changes:
        change.sharing = users.get(change.artifact.digest, 1)


def to_store(decision: Decision) -> list[Artifact]:
    """The artifacts the hot-swap needs in their stores: those of every change whose type does not send
    the bytes itself (a planned result without `sends_code`), each once."""
    found: dict[int, Artifact] = {}
    for change in decision.changes:
        planned = decision.planned.get(change.logical_id)
        if planned is None or not planned.sends_code:
            for artifact in change.artifacts or [change.artifact]:
                found.setdefault(id(artifact), artifact)
    return list(found.values())


def _change(
    ctx: StackContext, logical_id: str, body: dict[str, Any], wanted: str, running: str
) -> Change | None:
    """A change from the code `running` to the code `wanted` (combined digests): its artifacts are those
    of `wanted` that do not run yet (a task definition swaps only the containers whose image changed).
    None when an artifact of this deploy does not produce all of `wanted`."""
    artifacts = [a for a in ctx.artifacts.values() if a.digest and a.digest in wanted.split(",")]
    if not artifacts or combined_digest(artifacts) != wanted:
        return None
    changed = [a for a in artifacts if a.digest not in running.split(",")] or artifacts
    owner = ctx.template.owners.get(logical_id)
    return Change(
        resource=owner or logical_id,
        logical_id=logical_id,
        resource_type=str(body["Type"]),
        artifact=changed[0],
        artifacts=changed,
        previous_digest=running,
        definition=body,
        physical_id=ctx.state.resources.get(logical_id, "") if ctx.state else "",
    )


def drift(ctx: StackContext) -> list[str]:
    """The logical ids of resources whose running code (hot-swapped, as recorded) is not the code the
    compiled template names."""
    found = []
    for logical_id, recorded in sorted((ctx.state.hotswapped if ctx.state else {}).items()):
        current = ctx.template.resources.get(logical_id)
        if current is not None and recorded.get("digest") != code_digest(
            current, code_path(ctx, logical_id, current)
        ):
            found.append(logical_id)
    return found


def converge(ctx: StackContext, deployed: dict[str, Any]) -> list[HotswapResult]:
    """Before a full deploy: CloudFormation leaves alone the code of resources whose template code does not
    change, so a resource hot-swapped to other code would still run it. Put the template's code in place
    through the types' hot-swap, then clear the record: what runs is what the template says."""
    old_resources: dict[str, Any] = deployed.get("Resources", {})
    decision = Decision()
    for logical_id, recorded in sorted((ctx.state.hotswapped if ctx.state else {}).items()):
        current, old = ctx.template.resources.get(logical_id), old_resources.get(logical_id)
        if current is None or old is None:
            continue
        path = code_path(ctx, logical_id, current)
        wanted = code_digest(current, path)
        if code_digest(old, path) != wanted or recorded.get("digest") == wanted:
            continue  # CloudFormation updated the code, or the recorded code is the template's
        change = _change(ctx, logical_id, current, wanted, str(recorded.get("digest", "")))
        if change is not None:
            decision.wanted[logical_id] = wanted
            decision.changes.append(change)
    _count_sharing(decision.changes)
    done: list[HotswapResult] = []
    if decision.changes:
        ctx.report.note("bringing back the code the template names, in place of hot-swapped code:")
        plan(ctx, decision)
        if decision.reasons:
            raise StackwrightError(
                "resources run hot-swapped code that this deploy cannot put back",
                details=decision.reasons,
                hint="delete and deploy the stack again, or hot-swap the right code with --hotswap",
            )
        ctx.settings["converging"] = True  # a CloudFormation deploy follows: what waits for it waits
        try:
            done = run(ctx, decision)
        finally:
            ctx.settings.pop("converging", None)
    record_hotswap(ctx, [])
    return done


def _swap(ctx: StackContext, change: Change) -> HotswapResult | None:
    """Ask the type of the config resource that owns the change."""
    resource = ctx.config.resource(change.resource)
    if resource is None:
        return None
    with ctx.plugins.blame(ctx.plugins.owner_of_type(resource.type)):
        return ctx.plugins.type_of(resource).hotswap(ctx, change)


def plan(ctx: StackContext, decision: Decision) -> None:
    """Ask every change's type first: if one cannot hot-swap, nothing is hot-swapped."""
    for change in decision.changes:
        change.plan_only = True
        planned = _swap(ctx, change)
        if planned is None:
            decision.reasons.append(
                f"{change.logical_id} ({change.resource_type}): its type cannot hot-swap it: "
                "needs CloudFormation"
            )
        else:
            decision.planned[change.logical_id] = planned
        change.plan_only = False


#: Names listed of what was or was not updated before "and N more".
NAMES_SHOWN = 20


def _names(ids: list[str]) -> str:
    if len(ids) > NAMES_SHOWN:
        return f"{', '.join(ids[:NAMES_SHOWN])} and {len(ids) - NAMES_SHOWN} more"
    return ", ".join(ids) or "none"


def _outcome(changes: list[Change], done: list[HotswapResult]) -> list[str]:
    """`updated: ...` and `not updated: ...`, in the order of `changes`."""
    ids = [c.logical_id for c in changes]
    updated = {r.logical_id for r in done}
    return [
        f"updated: {_names([i for i in ids if i in updated])}",
        f"not updated: {_names([i for i in ids if i not in updated])}",
    ]


def _raise_failed(
    change: Change, error: StackwrightError, changes: list[Change], done: list[HotswapResult]
) -> NoReturn:
    """Raise the failure of `change`, naming what was updated and what was not, in logical-id order."""
    if error.message.startswith("hot-swap of"):
        raise error
    raise StackwrightError(
        f"hot-swap of {change.logical_id} failed: {error.message}",
        details=_outcome(changes, done),
        hint="deploy again: what was updated is recorded and skipped, the rest is retried",
    ) from None


def _finish(result: HotswapResult, change: Change, decision: Decision) -> HotswapResult:
    result.logical_id = result.logical_id or change.logical_id
    result.digest = decision.wanted.get(change.logical_id) or combined_digest(change.artifacts)
    return result


def _finished(
    futures: dict[Future[HotswapResult | None], Change],
    handled: set[Future[HotswapResult | None]],
    under_way: list[Future[HotswapResult | None]],
    decision: Decision,
) -> list[HotswapResult]:
    """Once `under_way` end: the results of the changes that succeeded and were not handled yet."""
    wait(under_way)
    found = []
    for future in futures:
        if future in handled or future.cancelled() or future.exception() is not None:
            continue
        result = future.result()
        if result is not None:
            found.append(_finish(result, futures[future], decision))
    return found


def run(ctx: StackContext, decision: Decision) -> list[HotswapResult]:
    """Apply every change at once (up to `WORKERS` in parallel), each through its type; the record says
    what ran. A failure or Ctrl-C starts no other change, lets those under way finish, records what
    was updated, then raises (StackwrightError naming what was and was not updated; KeyboardInterrupt)."""
    plugins = ctx.plugins
    plugins.before_phase(ctx, Phase.HOTSWAP)
    done: list[HotswapResult] = []
    failed: tuple[Change, StackwrightError] | None = None
    changes = decision.changes
    pool = ThreadPoolExecutor(max_workers=max(1, min(WORKERS, len(changes))), thread_name_prefix="hotswap")
    futures: dict[Future[HotswapResult | None], Change] = {}
    handled: set[Future[HotswapResult | None]] = set()
    try:
        for change in changes:  # inside the try: a Ctrl-C while submitting still records what started
            futures[pool.submit(_swap, ctx, change)] = change
        for future in as_completed(futures):
            handled.add(future)
            change = futures[future]
            try:
                result = future.result()
            except StackwrightError as error:
                failed = (change, error)
                break  # start no other change (as_completed is not told of the ones cancelled)
            if result is None:
                failed = (
                    change,
                    StackwrightError(f"hot-swap of {change.logical_id}: its type refused after planning it"),
                )
                break
            done.append(_finish(result, change, decision))
            ctx.report.event(
                "hotswapped",
                f"hot-swapped {change.logical_id}: {result.detail}",
                stack=ctx.stack_name,
                logical_id=change.logical_id,
                physical_id=result.physical_id,
                detail=result.detail,
            )
    except BaseException as error:  # Ctrl-C, or a plugin's bug: keep the record of what was updated
        pool.shutdown(wait=False, cancel_futures=True)
        under_way = [f for f in futures if not f.done()]
        if isinstance(error, KeyboardInterrupt) and under_way:
            ctx.report.note(
                "interrupted: waiting for the updates under way to end (Ctrl-C again to stop waiting)"
            )
        done += _finished(futures, handled, under_way, decision)
        if done:  # an empty record would clear what earlier hot-swaps put in place
            record_hotswap(ctx, done)
        if isinstance(error, KeyboardInterrupt):
            said = (
                f"interrupted: {len(done)} of {plural(len(changes), 'change')} hot-swapped and recorded "
                f"({'; '.join(_outcome(changes, done))}); deploy again for the rest"
            )
            ctx.report.note(said, updated=len(done), changes=len(changes))
            ctx.memo["interrupted-said"] = said  # not "unchanged": what was updated runs
        raise
    if failed is not None:
        pool.shutdown(wait=False, cancel_futures=True)  # those not started stay so
        done += _finished(futures, handled, [f for f in futures if not f.done()], decision)
        if done:  # an empty record would clear what earlier hot-swaps put in place
            record_hotswap(ctx, done)
        _raise_failed(*failed, changes, done)
    pool.shutdown(wait=True)
    position = {c.logical_id: i for i, c in enumerate(changes)}
    done.sort(key=lambda r: position.get(r.logical_id, len(position)))
    reverted = {r.logical_id for r in done if decision.deployed_code.get(r.logical_id) == r.digest}
    if reverted:  # back to the deployed template's code: no drift left for these
        kept = [
            HotswapResult(lid, str(entry.get("physical_id", "")), "", lid, str(entry.get("digest", "")))
            for lid, entry in (ctx.state.hotswapped if ctx.state else {}).items()
            if lid not in reverted and lid not in {r.logical_id for r in done}
        ]
        record_hotswap(ctx, [])
        done_kept = [r for r in done if r.logical_id not in reverted]
        if kept or done_kept:
            record_hotswap(ctx, kept + done_kept)
    else:
        record_hotswap(ctx, done)
    plugins.after_phase(ctx, Phase.HOTSWAP, done)
    return done
