"""The target contract: where stacks go. A plugin registers `Target` subclasses by name (`aws`, `local`,
or its own); `--target NAME` picks one. `info`, deploys and the console talk to a stack only through it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from stackwright.aws import Clients
    from stackwright.context import StackContext
    from stackwright.records import (
        DeployResult,
        ExtensionStatus,
        HotswapResult,
        Phase,
        ProviderExtension,
        StackState,
        StackView,
    )
    from stackwright.template import Template


class Target:
    """Base class of every target. Subclass it, set `name`, implement the methods.

    Class attributes:
      name: what `--target` takes.
      summary: one line for `--help` and `stackwright plugins`.
      interactive_default: chosen when no target is given, no AWS credentials are configured and the
        terminal is interactive (the embedded engine).
    """

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    interactive_default: ClassVar[bool] = False

    def connect(self, ctx: StackContext) -> Clients:
        """The boto3 client factory for this target (start what it needs first). Raises
        `StackwrightError` when the target cannot be reached. Runs once per command that talks to it."""
        raise NotImplementedError

    def account(self, ctx: StackContext) -> str:
        """The 12-digit account id stacks go to. Runs right after `connect`."""
        raise NotImplementedError

    def stack_state(self, ctx: StackContext) -> StackState:
        """What the target knows of `ctx.stack_name` (status None when it does not exist); waits for a
        busy stack or refuses it (`ctx.settings["wait"]`). Runs at the start of every stack command."""
        raise NotImplementedError

    def deploy_template(self, ctx: StackContext, template: Template, phase: Phase) -> DeployResult:
        """Deploy `template` (phase BOOTSTRAP: the initial template of a new stack; DEPLOY: the full one)
        and wait for the outcome; with `ctx.settings["execute"]` false only show the changes. Raises
        `StackwrightError` with the root cause when the deploy fails."""
        raise NotImplementedError

    def deployed_template(self, ctx: StackContext) -> dict[str, Any] | None:
        """The template the stack runs now, or None when there is none."""
        raise NotImplementedError

    def read_stack(self, ctx: StackContext) -> StackView:
        """Resources with physical ids, recent events, outputs, template, kept versions and the hot-swap
        record of an existing stack. Raises `StackwrightError` when it does not exist."""
        raise NotImplementedError

    def record_hotswap(self, ctx: StackContext, results: list[HotswapResult]) -> None:
        """Keep what a hot-swap changed behind CloudFormation's back (an empty list clears the record).
        Runs after a hot-swap, and after a full deploy or rollback that made the record obsolete."""
        raise NotImplementedError

    def ensure_extensions(
        self,
        ctx: StackContext,
        extensions: list[ProviderExtension],
        on_done: Callable[[ExtensionStatus], None] | None = None,
    ) -> list[ExtensionStatus]:
        """Activate or register every extension not yet in place at the right version; skip the others.
        Raises `StackwrightError` naming the extension that failed. Runs in the extensions phase, beside
        packaging."""
        raise NotImplementedError

    def prepare_template(self, ctx: StackContext, template: Template) -> None:
        """Adapt the compiled template to this target in place (the embedded engine swaps what it cannot
        run), or refuse it with a `StackwrightError`. Runs right after compile."""

    def check_deploy(self, ctx: StackContext, template: Template) -> None:
        """Refuse (`StackwrightError`) or warn about a template this target cannot deploy. Runs before the
        deploy phase."""
