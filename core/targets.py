"""The target contract: where stacks go. A plugin registers `Target` subclasses by name (`aws`, `local`,
or its own); `--target NAME` picks one. `info`, deploys and the console talk to a stack only through it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
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
        StackResource,
        StackState,
        StackView,
    )
    from stackwright.template import Template


class Target:
    """Base class of every target. Subclass it, set `name`, implement the methods.

    Class attributes:
      name: what `--target` takes.
      summary: one line for `--help` and `stackwright plugins`.
      interactive_default: chosen when no target is given and no AWS credentials are configured (the
        embedded engine).
      registry: whether it has a CloudFormation registry, so that `ensure_extensions` puts registry
        extensions in place (the embedded engine has none: it skips them, and what needs them).
    """

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    interactive_default: ClassVar[bool] = False
    registry: ClassVar[bool] = True

    def connect(self, ctx: StackContext) -> Clients:
        """The boto3 client factory for this target (start what it needs first). Raises
        `StackwrightError` when the target cannot be reached. Runs once per command that talks to it."""
        raise NotImplementedError(f"{type(self).__name__} does not implement Target.connect")

    def account(self, ctx: StackContext) -> str:
        """The 12-digit account id stacks go to. Raises `StackwrightError` when the credentials cannot
        be used. Runs right after `connect`."""
        raise NotImplementedError(f"{type(self).__name__} does not implement Target.account")

    def where(self, ctx: StackContext) -> str:
        """Where `ctx.stack_name` lives, in words, for the line that `deploy`, `diff`, `delete` and
        `rollback` start with (`AWS account 123456789012, eu-west-1`). Raises nothing. Runs after
        `account`. The default names the target, the account and the region."""
        return f"target {self.name}, account {ctx.project.account}, {ctx.project.region}"

    def stack_state(self, ctx: StackContext) -> StackState:
        """What the target knows of `ctx.stack_name` (status None when it does not exist); waits for a
        busy stack or refuses it (`ctx.settings["wait"]`). Raises `StackwrightError` for a busy or stuck
        stack it will not wait for. Runs at the start of every stack command."""
        raise NotImplementedError(f"{type(self).__name__} does not implement Target.stack_state")

    def deploy_template(self, ctx: StackContext, template: Template, phase: Phase) -> DeployResult:
        """Deploy `template` (`phase` BOOTSTRAP: the initial template of a new stack; DEPLOY: the full
        one) and wait for the outcome; with `ctx.settings["execute"]` false only show the changes. Set
        `ctx.settings["executing"] = True` as soon as the stack may run `template` (the change set
        executed): from then on nothing uploaded for it is removed, even if this raises. Raises
        `StackwrightError` with the root cause when the deploy fails. Runs in the bootstrap and deploy
        phases, and for `rollback`."""
        raise NotImplementedError(f"{type(self).__name__} does not implement Target.deploy_template")

    def deployed_template(self, ctx: StackContext) -> dict[str, Any] | None:
        """The template the stack runs now, or None when there is none. Raises nothing. Runs before a
        hot-swap decides whether the only changes are code."""
        raise NotImplementedError(f"{type(self).__name__} does not implement Target.deployed_template")

    def read_stack(self, ctx: StackContext) -> StackView:
        """Resources with physical ids, recent events, outputs, template, kept versions and the hot-swap
        record of an existing stack. Raises `StackwrightError` when it does not exist. Runs for `info`
        and the console."""
        raise NotImplementedError(f"{type(self).__name__} does not implement Target.read_stack")

    def record_hotswap(self, ctx: StackContext, results: list[HotswapResult]) -> None:
        """Keep what a hot-swap changed behind CloudFormation's back (`results`; an empty list clears
        the record). Raises nothing the user can fix. Runs after a hot-swap, and after a full deploy or
        rollback that made the record obsolete."""
        raise NotImplementedError(f"{type(self).__name__} does not implement Target.record_hotswap")

    def ensure_extensions(
        self,
        ctx: StackContext,
        extensions: list[ProviderExtension],
        on_done: Callable[[ExtensionStatus], None] | None = None,
    ) -> list[ExtensionStatus]:
        """Activate or register every one of `extensions` not yet in place at the right version; skip the
        others; call `on_done` as each finishes. Raises `StackwrightError` naming the extension that
        failed. Runs in the extensions phase, beside packaging."""
        raise NotImplementedError(f"{type(self).__name__} does not implement Target.ensure_extensions")

    def describe_extensions(self, ctx: StackContext, type_names: list[str]) -> list[ExtensionStatus]:
        """Whether each registry type of `type_names` (`MongoDB::Atlas::Cluster`) is in place, and at
        which version, read without changing anything (status `in-place`, `missing`, or `skipped` for a
        target without a registry). Raises `StackwrightError` when the target cannot be read. Runs for
        the console's extension panels. The default says `skipped` for each."""
        from stackwright.records import ExtensionStatus

        return [
            ExtensionStatus(name, "skipped", detail=f"target {self.name} has no registry")
            for name in type_names
        ]

    def console_url(self, ctx: StackContext, resource: StackResource) -> str | None:
        """A link to `resource` (a resource of `ctx.stack_name`) in the provider's own web console, or
        None when there is none. Raises nothing. Runs for every resource the console lists; the default
        is None."""
        return None

    def lock(self, ctx: StackContext, command: str) -> AbstractContextManager[None]:
        """A context manager holding the deploy lock of `ctx.stack_name` for `command` (`deploy`,
        `rollback`, `delete`), so that two deploys of one stack never run at once. It waits while another
        holder runs (`ctx.settings["wait"]` false: it refuses at once) and takes over a stale lock.
        Raises `StackwrightError` naming the holder when it refuses. The default holds nothing (a target
        without shared state to guard). Runs around `deploy` and `diff` (entered after the bootstrap; the
        core reads the stack state again inside it), `rollback` and `delete`."""
        from contextlib import nullcontext

        return nullcontext()

    def prepare_template(self, ctx: StackContext, template: Template) -> None:
        """Adapt the compiled `template` to this target in place (the embedded engine swaps what it
        cannot run). Raises `StackwrightError` to refuse it. Runs at the end of the compile phase."""

    def check_deploy(self, ctx: StackContext, template: Template) -> None:
        """Warn about what of `template` this target will not create. Raises `StackwrightError` to refuse
        a template it cannot deploy. Runs right after compile in `deploy` and `diff`, before anything is
        built or uploaded."""
