"""Phase 2: build every artifact whose digest is neither stored nor cached, in parallel, each once."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from stackwright.artifacts import Artifact
from stackwright.cache import cache_dir
from stackwright.context import StackContext
from stackwright.errors import PluginError, StackwrightError
from stackwright.phases import Phase

Status = Literal["built", "cached", "shared", "stored"]


@dataclass
class Packaged:
    artifact: Artifact
    status: Status
    seconds: float
    size: int


def package_stack(
    ctx: StackContext,
    jobs: int | None = None,
    on_done: Callable[[Packaged], None] | None = None,
) -> list[Packaged]:
    """Artifacts with equal digests are built once (the others are `shared`); an artifact already in the
    store (`stored`) or the local cache (`cached`) is not built at all."""
    plugins = ctx.plugins
    plugins.before_phase(ctx, Phase.PACKAGE)
    groups: dict[str, list[Artifact]] = {}
    for artifact in ctx.artifacts.values():
        groups.setdefault(f"{artifact.kind}:{artifact.digest}", []).append(artifact)
    results: list[Packaged] = []
    errors: list[str] = []

    def lead(artifact: Artifact) -> Packaged:
        started = time.perf_counter()
        store = plugins.find_artifact_store(ctx, artifact)
        if store is not None:
            with plugins.blame():
                stored = store.exists(artifact)
            if stored:
                return Packaged(artifact, "stored", time.perf_counter() - started, 0)
        output = cache_dir("artifacts")
        cached = output / f"{artifact.digest}.zip"
        if artifact.kind == "lambda-zip" and ctx.use_cache and cached.exists():
            artifact.path = cached
            return Packaged(artifact, "cached", time.perf_counter() - started, cached.stat().st_size)
        packager = plugins.get_packager(ctx, artifact)
        with plugins.blame():
            artifact.path = packager.build(artifact, output)
        size = artifact.path.stat().st_size if artifact.path.exists() else 0
        return Packaged(artifact, "built", time.perf_counter() - started, size)

    workers = max(1, min(jobs or os.cpu_count() or 1, len(groups) or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="package") as pool:
        futures = {pool.submit(lead, members[0]): members for members in groups.values()}
        for future in as_completed(futures):
            members = futures[future]
            try:
                first = future.result()
            except StackwrightError as error:
                errors.append(error.render())
                continue
            except PluginError:
                raise
            done = [first] + [_share(first, other) for other in members[1:]]
            for item in done:
                results.append(item)
                if on_done:
                    on_done(item)
    if errors:
        raise StackwrightError(
            f"{len(errors)} artifact{'s' if len(errors) > 1 else ''} could not be packaged", details=errors
        )
    order = list(ctx.artifacts)
    results.sort(key=lambda r: order.index(r.artifact.name))
    plugins.after_phase(ctx, Phase.PACKAGE, results)
    return results


def _share(first: Packaged, other: Artifact) -> Packaged:
    other.path = first.artifact.path
    status: Status = "stored" if first.status == "stored" else "shared"
    return Packaged(other, status, 0.0, first.size)


def artifact_file(artifact: Artifact) -> Path:
    if artifact.path is None:
        raise StackwrightError(f"artifact {artifact.name!r} was not packaged")
    return artifact.path
