"""Approval before a command destroys data: asked in a terminal, refused without one unless `--yes`."""

from __future__ import annotations

from stackwright.errors import StackwrightError


def approve(question: str, yes: bool, needs: str, flag: str = "--yes") -> None:
    """Go on when `yes` (the user passed `flag`), or when the user answers yes to `question` in an
    interactive terminal (standard input and error are terminals and CI is not set). `needs` says what
    needs approval, for the refusal (`delete quickstart-dev needs approval`).

    Raises StackwrightError (exit code 1, "nothing was changed") when the user declines, or when there
    is no terminal to ask in and `flag` was not given."""
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
    except click.Abort:  # Ctrl-D or Ctrl-C at the prompt
        agreed = False
    if not agreed:
        raise StackwrightError("declined: nothing was changed")
