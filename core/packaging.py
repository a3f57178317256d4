"""Phase 2: build every artifact whose digest is neither stored nor cached, in parallel, each once."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from stackwright.artifacts import Artifact, changed_since_digest
from stackwright.cache import cache_dir, evict_if_due, used
from stackwright.context import StackContext
from stackwright.errors import StackwrightError
from stackwright.records import Phase

Status = Literal["built", "cached", "shared", "stored"]


@dataclass
class Packaged:
    artifact: Artifact
    status: Status
    seconds: float
    size: int


def cached_file(folder: Path, digest: str) -> Path | None:
    """A file a packager built earlier for this digest, of any kind: packagers that build files write
    them into the folder they are given (one per artifact kind) as `{digest}.{suffix}`."""
    found = sorted(p for p in folder.glob(f"{digest}.*") if p.is_file() and not p.name.endswith(".tmp"))
    return used(found[0]) if found else None


def notes(ctx: StackContext, artifact: Artifact) -> None:
    """Say what a packager left out of `artifact` or shipped that it would otherwise leave out, from its
    details: `withheld` (secrets-looking files), `outside` (symbolic links that lead outside the
    project), `ship_hint` (how to ship them after all) and `shipped` (what `includeFiles` ships of both
    because a wildcard or folder matched it)."""
    hint = artifact.details.get("ship_hint")
    made = "image" if artifact.kind == "image" else "zip"
    left_out = artifact.details.get("withheld")
    if left_out:
        ctx.report.note(
            f"{artifact.name}: left out of the {made} as secrets-looking files: {', '.join(left_out)} "
            f"({hint or 'list them in includeFiles to ship them'})"
        )
    leads_out = artifact.details.get("outside")
    if leads_out:
        ctx.report.note(
            f"{artifact.name}: left out symbolic links that lead outside the project: "
            f"{', '.join(leads_out)} ({hint or 'list them in includeFiles to ship what they point at'})"
        )
    shipped = artifact.details.get("shipped")
    if shipped:
        ctx.report.note(
            f"{artifact.name}: includeFiles ships secrets-looking or outside files a wildcard or folder "
            f"matched: {', '.join(shipped)} (name each in includeFiles to ship it, or leave it out with "
            "excludeFiles)"
        )


def unchanged(artifact: Artifact) -> None:
    """Refuse a build of `artifact` when a file its digest was computed from changed since (saved while
    it was being packaged): what was built may hold the new content under the old digest, and the cache
    and the bucket would keep it under that name. The build is removed; packaging again builds the files
    as they are then. Raises StackwrightError."""
    changed = changed_since_digest(artifact.digest)
    if not changed:
        return
    if artifact.path is not None and artifact.path.is_file():
        artifact.path.unlink(missing_ok=True)
    more = f" (and {len(changed) - 1} more)" if len(changed) > 1 else ""
    raise StackwrightError(
        f"{artifact.name}: {changed[0]}{more} changed while it was being packaged",
        hint="run the command again: it packages the files as they are then",
    )


def package_stack(
    ctx: StackContext,
    jobs: int | None = None,
    on_done: Callable[[Packaged], None] | None = None,
) -> list[Packaged]:
    """Each artifact already in the store is `stored` (and takes the stored version); of the rest, those
    with equal digests are built once (the others are `shared`), or found in the local cache (`cached`)."""
    plugins = ctx.plugins
    plugins.before_phase(ctx, Phase.PACKAGE)
    for artifact in ctx.artifacts.values():
        notes(ctx, artifact)
    groups: dict[str, list[Artifact]] = {}
    for artifact in ctx.artifacts.values():
        groups.setdefault(f"{artifact.kind}:{artifact.digest}", []).append(artifact)

    def stored(artifact: Artifact) -> bool:
        if artifact.after_deploy:
            return False
        store = plugins.find_artifact_store(ctx, artifact)
        if store is None:
            return False
        with plugins.blame():
            version = store.find(artifact)
        if version:
            artifact.version = version
            artifact.refresh()
        return bool(version)

    def run_group(members: list[Artifact]) -> list[Packaged]:
        started = time.perf_counter()
        done: list[Packaged] = []
        pending = []
        for artifact in members:
            if stored(artifact):
                done.append(Packaged(artifact, "stored", time.perf_counter() - started, 0))
            else:
                pending.append(artifact)
        if not pending:
            return done
        leader, *others = pending
        output = cache_dir("artifacts", leader.kind)
        cached = cached_file(output, leader.digest) if ctx.use_cache else None
        if cached is not None:
            leader.path, status = cached, "cached"
        else:
            packager = plugins.get_packager(ctx, leader)
            with plugins.blame():
                leader.path = packager.build(leader, output)
            status = "cached" if leader.details.get("cached") else "built"
            if status == "built":
                unchanged(leader)
        size = (
            leader.path.stat().st_size
            if leader.path and leader.path.exists()
            else int(leader.details.get("size", 0))
        )
        done.append(Packaged(leader, status, time.perf_counter() - started, size))  # type: ignore[arg-type]
        for other in others:
            other.path = leader.path
            other.details.setdefault("image", leader.details.get("image"))
            done.append(Packaged(other, "shared", 0.0, size))
        return done

    results: list[Packaged] = []
    errors: list[str] = []

    def finish(finished: list[Packaged]) -> None:
        for item in finished:
            results.append(item)
            if on_done:
                on_done(item)

    waiting = list(groups.values())
    if ctx.use_cache and not any(plugins.find_artifact_store(ctx, a) for a in ctx.artifacts.values()):
        # offline (`package`): what was built before is one look at the local cache each, no builders
        built = [m for m in waiting if cached_file(cache_dir("artifacts", m[0].kind), m[0].digest)]
        waiting = [m for m in waiting if not any(m is b for b in built)]
        for members in built:
            finish(run_group(members))
    if waiting:
        from concurrent.futures import ThreadPoolExecutor, as_completed

        workers = max(1, min(jobs or os.cpu_count() or 1, len(waiting)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="package") as pool:
            futures = [pool.submit(run_group, members) for members in waiting]
            for future in as_completed(futures):
                try:
                    finish(future.result())
                except StackwrightError as error:
                    errors.append(error.render())
    if errors:
        raise StackwrightError(
            f"{len(errors)} artifact{'s' if len(errors) > 1 else ''} could not be packaged", details=errors
        )
    order = list(ctx.artifacts)
    results.sort(key=lambda r: order.index(r.artifact.name))
    keep = frozenset(r.artifact.path for r in results if r.artifact.path)
    evicted, freed = evict_if_due(keep, grew=any(r.status == "built" for r in results))
    if evicted:
        ctx.report.note(f"removed {evicted} least recently used cache files ({freed / 1024**2:.1f} MiB)")
    plugins.after_phase(ctx, Phase.PACKAGE, results)
    return results
