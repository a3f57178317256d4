"""`stackwright package`: build every artifact (or find it built), with a table of what happened."""

from __future__ import annotations

import click
from stackwright.cli.state import State, pass_state
from stackwright.report import plural


@click.command("package")
@click.option("--no-cache", is_flag=True, help="Rebuild everything, dependencies included.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), help="Parallel builds (default: all cores).")
@pass_state
def package(state: State, no_cache: bool, jobs: int | None) -> None:
    """Package every function and container: digest first, build only what changed."""
    import time

    from stackwright.cli.output import progress, table
    from stackwright.packaging import package_stack
    from stackwright.pipeline import compile_stack, open_stack
    from stackwright.report import human_size

    started = time.perf_counter()
    ctx = open_stack(state.options(), state.plugins)
    ctx.use_cache = not no_cache
    compile_stack(ctx)
    with progress(len(ctx.artifacts), "packaging", quiet=state.json) as bar:
        results = package_stack(ctx, jobs, on_done=lambda r: bar.advance(r.artifact.name))
    elapsed = time.perf_counter() - started
    if state.json:
        for r in results:
            state.emit(
                {
                    "event": "artifact",
                    "artifact": r.artifact.name,
                    "digest": r.artifact.digest,
                    "status": r.status,
                    "size": r.size,
                    "seconds": round(r.seconds, 3),
                    "path": str(r.artifact.path) if r.artifact.path else None,
                }
            )
        state.emit({"event": "packaged", "artifacts": len(results), "seconds": round(elapsed, 3)})
        return
    rows = [
        [r.artifact.name, r.artifact.digest[:12], human_size(r.size), r.status, f"{r.seconds:.2f}"]
        for r in results
    ]
    table(["artifact", "digest", "size", "status", "seconds"], rows)
    counts = {s: sum(1 for r in results if r.status == s) for s in ("built", "cached", "shared", "stored")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    click.echo(f"{plural(len(results), 'artifact')} ({summary or 'none'}) in {elapsed:.2f} s")
