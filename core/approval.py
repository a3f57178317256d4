"""Approval before a command destroys data: asked in a terminal, refused without one unless `--yes`."""

from __future__ import annotations

from stackwright.errors import StackwrightError


def approve(question: str, yes: bool, needs: str, flag: str = "--yes") -> None:
    """Go on when `yes` (the user passed `flag`), or when the user answers yes to `question` in an
    interactive terminal (standard input and error are terminals and CI is not set). `needs` says what
    needs approval, for the refusal (`delete quickstart-dev needs approval`).

    Raises StackwrightError (exit code 1, "nothing was changed") when the user declines (no, Enter, or
    end of input), or when there is no terminal to ask in and `flag` was not given; KeyboardInterrupt
    for Ctrl-C at the question."""
    if yes:
        return
    import click
    from stackwright.cli.state import in_ci, interactive

    if not interactive():
        why = "CI is set" if in_ci() else "there is no terminal to ask in"
        raise StackwrightError(
            f"{needs}; {why} and {flag} was not given: nothing was changed",
            hint=f"pass {flag} to approve it",
        )
    try:
        agreed = click.confirm(question, default=False, err=True)
    except click.Abort as stopped:
        if isinstance(stopped.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None  # Ctrl-C: interrupted (exit code 130), nothing changed
        click.echo("", err=True)  # Ctrl-D: a declined answer, on a line of its own
        agreed = False
    if not agreed:
        raise StackwrightError("declined: nothing was changed")
