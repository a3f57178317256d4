"""`stackwright script:run NAME`: run a script of the config's `scripts` (Stacktape's
`script:run --scriptName NAME` works too)."""

from __future__ import annotations

import click
from stackwright.cli.state import State, pass_state


@click.command("script:run")
@click.argument("name", required=False)
@click.option("--scriptName", "--script-name", "script_name", help="The script to run (instead of NAME).")
@pass_state
def script_run(state: State, name: str | None, script_name: str | None) -> None:
    """Run a script of `scripts`, with the deployed stack's parameters in its environment."""
    import time

    from stackwright.config.suggest import did_you_mean
    from stackwright.deploy import connect, stack_state
    from stackwright.errors import StackwrightError
    from stackwright.pipeline import open_stack
    from stackwright.scripts import resolve_directives, run_script, scripts_of

    started = time.perf_counter()
    ctx = open_stack(state.options(target=state.target), state.plugins)
    ctx.report.json = state.json
    scripts = scripts_of(ctx.config.data)
    chosen = name or script_name
    if not chosen or chosen not in scripts:
        known = ", ".join(scripts) or "none (define them under `scripts`)"
        raise StackwrightError(
            f"no script is named {chosen!r}" if chosen else "which script? give its name",
            hint=(did_you_mean(chosen, list(scripts)) if chosen else None) or f"scripts: {known}",
        )
    connect(ctx, state.profile)
    ctx.state = stack_state(ctx)
    resolve_directives(ctx)
    run_script(ctx, chosen, ctx.state.outputs if ctx.state.exists else None)
    elapsed = time.perf_counter() - started
    ctx.report.result(
        f"script {chosen} finished in {elapsed:.1f} s", script=chosen, seconds=round(elapsed, 2)
    )
