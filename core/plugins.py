"""The plugin manager: built-ins by name, then entry points; blocking; typed hook calls.

Built-in plugins are ordinary modules under `stackwright.builtin_plugins`, registered by name before
third-party plugins from the `stackwright` entry-point group. `-p no:NAME` or
`STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD` keep plugins out. An exception escaping a plugin is re-raised as
a `PluginError` naming the plugin and its distribution.
"""

from __future__ import annotations

import difflib
import importlib
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, cast

import pluggy
from stackwright import hookspecs
from stackwright.errors import PluginError, StackwrightError

if TYPE_CHECKING:
    import click
    from stackwright.artifacts import Artifact, ArtifactStore, Packager
    from stackwright.aws import Clients
    from stackwright.context import StackContext
    from stackwright.models import Directive, Resource, ResourceType
    from stackwright.naming import NameRequest
    from stackwright.phases import (
        Change,
        DeployResult,
        HotswapResult,
        InProgress,
        Phase,
        ProviderExtension,
        StackState,
    )
    from stackwright.template import Template

PROJECT = "stackwright"
ENTRY_POINT_GROUP = "stackwright"
AUTOLOAD_ENV = "STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD"
PLUGINS_ENV = "STACKWRIGHT_PLUGINS"

#: Built-in plugins, registered in this order before any entry point.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "naming",
    "directives",
    "local_engine",
    "cloudformation",
    "artifact_store",
    "aws_bootstrap",
    "functions",
    "containers",
    "databases",
    "storage",
    "api",
    "messaging",
)

hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True)
class PluginInfo:
    name: str
    distribution: str
    version: str
    hooks: tuple[str, ...]


class Plugins:
    """A loaded set of plugins with typed calls for every hook."""

    def __init__(self, pm: pluggy.PluginManager, distributions: dict[str, tuple[str, str]]) -> None:
        self.pm = pm
        self._distributions = distributions

    # --- introspection -------------------------------------------------------------------------------
    def info(self) -> list[PluginInfo]:
        result = []
        for name, plugin in self.pm.list_name_plugin():
            if plugin is None:
                continue
            dist, version = self._distributions.get(name, ("", ""))
            hooks = tuple(sorted(h.name for h in self.pm.get_hookcallers(plugin) or []))
            result.append(PluginInfo(name, dist, version, hooks))
        return result

    def distribution_of(self, name: str) -> str | None:
        dist, version = self._distributions.get(name, ("", ""))
        return f"{dist} {version}".strip() or None

    @contextmanager
    def blame(self) -> Iterator[None]:
        """Turn an unexpected exception from plugin code into a PluginError naming the plugin."""
        try:
            yield
        except (StackwrightError, PluginError, KeyboardInterrupt):
            raise
        except Exception as error:
            name = self._culprit(error.__traceback__)
            if name is None:
                raise
            raise PluginError(name, self.distribution_of(name), error) from error

    def _culprit(self, tb: TracebackType | None) -> str | None:
        """The plugin whose code is innermost in the traceback: its module, or for a third-party plugin
        its whole top-level package (a built-in's home is its own package)."""
        homes: list[tuple[str, str]] = []
        for name, plugin in self.pm.list_name_plugin():
            module = plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__
            home = module if module.startswith("stackwright.") else module.split(".")[0]
            homes.append((home, name))
        found = None
        while tb is not None:
            module_name = str(tb.tb_frame.f_globals.get("__name__", ""))
            for home, name in homes:
                if module_name == home or module_name.startswith(home + "."):
                    found = name
            tb = tb.tb_next
        return found

    # --- typed hook calls ---------------------------------------------------------------------------
    def resource_types(self) -> dict[str, tuple[ResourceType, str]]:
        """Every registered resource type with the name of the plugin that offers it."""
        result: dict[str, tuple[ResourceType, str]] = {}
        caller = self.pm.hook.stackwright_register_resource_types
        for impl in caller.get_hookimpls():
            with self.blame():
                types = cast("list[ResourceType]", impl.function() or [])
            for rtype in types:
                if rtype.name in result and (rtype.schema_only or result[rtype.name][0].schema_only):
                    if rtype.schema_only:
                        continue  # a full registration wins over a schema-only one
                elif rtype.name in result:
                    other = result[rtype.name][1]
                    raise StackwrightError(
                        f"resource type {rtype.name!r} is offered by two plugins: {other!r} and "
                        f"{impl.plugin_name!r}",
                        hint=f"block one with -p no:{impl.plugin_name}",
                    )
                result[rtype.name] = (rtype, impl.plugin_name)
        return result

    def directives(self) -> dict[str, Directive]:
        result: dict[str, Directive] = {}
        with self.blame():
            for group in self.pm.hook.stackwright_register_directives():
                for directive in group or []:
                    result[directive.name] = directive
        return result

    def compile_resource(self, ctx: StackContext, resource: Resource) -> bool:
        with self.blame():
            return bool(self.pm.hook.stackwright_compile_resource(ctx=ctx, resource=resource))

    def resource_params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        with self.blame():
            params = self.pm.hook.stackwright_resource_params(ctx=ctx, resource=resource)
        return dict(params or {})

    def provider_resources(self, ctx: StackContext, resource: Resource) -> list[ProviderExtension]:
        with self.blame():
            groups = self.pm.hook.stackwright_provider_resources(ctx=ctx, resource=resource)
        return [ext for group in groups for ext in group or []]

    def bootstrap_resources(self, ctx: StackContext, template: Template) -> None:
        with self.blame():
            self.pm.hook.stackwright_bootstrap_resources(ctx=ctx, template=template)

    def name(self, request: NameRequest) -> str:
        with self.blame():
            result = self.pm.hook.stackwright_name(request=request)
        if not isinstance(result, str) or not result:
            raise StackwrightError(f"no plugin produced a {request.kind} name for {request}")
        return result

    def get_packager(self, ctx: StackContext, artifact: Artifact) -> Packager:
        with self.blame():
            packager = self.pm.hook.stackwright_get_packager(ctx=ctx, artifact=artifact)
        if packager is None:
            raise StackwrightError(
                f"no installed plugin can package {artifact.name!r} "
                f"(packaging type {artifact.packaging_type!r}, {artifact.kind})"
            )
        return packager  # type: ignore[no-any-return]

    def find_artifact_store(self, ctx: StackContext, artifact: Artifact) -> ArtifactStore | None:
        """The store for `artifact`, or None when no plugin offers one (packaging offline)."""
        with self.blame():
            return self.pm.hook.stackwright_get_artifact_store(ctx=ctx, artifact=artifact)  # type: ignore[no-any-return]

    def get_artifact_store(self, ctx: StackContext, artifact: Artifact) -> ArtifactStore:
        with self.blame():
            store = self.pm.hook.stackwright_get_artifact_store(ctx=ctx, artifact=artifact)
        if store is None:
            raise StackwrightError(f"no installed plugin can store artifact {artifact.name!r}")
        return store  # type: ignore[no-any-return]

    def connect(self, ctx: StackContext) -> Clients | None:
        with self.blame():
            return self.pm.hook.stackwright_connect(ctx=ctx)  # type: ignore[no-any-return]

    def stack_state(self, ctx: StackContext) -> StackState:
        with self.blame():
            state = self.pm.hook.stackwright_stack_state(ctx=ctx)
        if state is None:
            raise StackwrightError(f"no installed plugin can reach target {ctx.project.target!r}")
        return state  # type: ignore[no-any-return]

    def deploy_template(self, ctx: StackContext, template: Template, phase: Phase) -> DeployResult:
        with self.blame():
            result = self.pm.hook.stackwright_deploy_template(ctx=ctx, template=template, phase=phase)
        if result is None:
            raise StackwrightError(f"no installed plugin can deploy to target {ctx.project.target!r}")
        return result  # type: ignore[no-any-return]

    def diagnose(self, ctx: StackContext, resource: InProgress) -> str | None:
        with self.blame():
            return self.pm.hook.stackwright_diagnose(ctx=ctx, resource=resource)  # type: ignore[no-any-return]

    def deployed_template(self, ctx: StackContext) -> dict[str, Any] | None:
        with self.blame():
            return self.pm.hook.stackwright_deployed_template(ctx=ctx)  # type: ignore[no-any-return]

    def hotswap_record(self, ctx: StackContext, results: list[HotswapResult]) -> None:
        with self.blame():
            self.pm.hook.stackwright_hotswap_record(ctx=ctx, results=results)

    def hotswap(self, ctx: StackContext, change: Change) -> HotswapResult | None:
        with self.blame():
            return self.pm.hook.stackwright_hotswap(ctx=ctx, change=change)  # type: ignore[no-any-return]

    def add_commands(self, cli: click.Group) -> None:
        with self.blame():
            self.pm.hook.stackwright_add_commands(cli=cli)

    def before_phase(self, ctx: StackContext, phase: Phase) -> None:
        with self.blame():
            self.pm.hook.stackwright_before_phase(ctx=ctx, phase=phase)

    def after_phase(self, ctx: StackContext, phase: Phase, outcome: Any) -> None:
        with self.blame():
            self.pm.hook.stackwright_after_phase(ctx=ctx, phase=phase, outcome=outcome)


def _import_builtin(name: str) -> ModuleType:
    return importlib.import_module(f"stackwright.builtin_plugins.{name}")


def _entry_points() -> list[Any]:
    from importlib.metadata import entry_points

    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def _check_pending(pm: pluggy.PluginManager, distributions: dict[str, tuple[str, str]]) -> None:
    known = [
        name
        for name in dir(pm.hook)
        if isinstance(getattr(pm.hook, name), pluggy.HookCaller) and getattr(pm.hook, name).has_spec()
    ]
    for name in dir(pm.hook):
        caller = getattr(pm.hook, name)
        if name.startswith("_") or not isinstance(caller, pluggy.HookCaller) or caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if impl.optionalhook:
                continue
            dist = " ".join(distributions.get(impl.plugin_name, ("", ""))).strip()
            close = difflib.get_close_matches(name, known, n=1)
            raise StackwrightError(
                f"plugin {impl.plugin_name!r}"
                + (f" (distribution {dist})" if dist else "")
                + f" implements unknown hook {name!r}",
                hint=f"did you mean {close[0]!r}?" if close else "see `stackwright plugins` for the hooks",
            )


def load_plugins(
    blocked: Sequence[str] = (),
    autoload: bool | None = None,
    extra: Sequence[tuple[str, object]] = (),
) -> Plugins:
    """Make a plugin manager: built-ins, then entry points (unless disabled), then `extra` plugins.

    `blocked` names plugins to keep out (`-p no:NAME`). `STACKWRIGHT_PLUGINS` (comma-separated module
    names) adds plugins by import path, useful when autoload is disabled.
    """
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in blocked:
        pm.set_blocked(name)
    distributions: dict[str, tuple[str, str]] = {}

    def register(plugin: object, name: str) -> None:
        try:
            pm.register(plugin, name=name)
        except ValueError as error:  # the same module or name registered twice
            raise StackwrightError(
                f"plugin {name!r} cannot be loaded twice: {error}",
                hint="drop the -p option: it is installed already",
            ) from None
        except pluggy.PluginValidationError as error:
            dist = " ".join(distributions.get(name, ("", ""))).strip()
            raise StackwrightError(
                f"plugin {name!r}" + (f" (distribution {dist})" if dist else "") + f" is invalid: {error}"
            ) from None

    from stackwright import __version__

    for name in BUILTIN_PLUGINS:
        if not pm.is_blocked(name):
            distributions[name] = ("stackwright", __version__)
            register(_import_builtin(name), name)

    if autoload is None:
        autoload = not os.environ.get(AUTOLOAD_ENV)
    if autoload:
        for ep in _entry_points():
            if pm.is_blocked(ep.name) or pm.get_plugin(ep.name) is not None:
                continue
            dist = (ep.dist.name, ep.dist.version) if ep.dist else ("", "")
            distributions[ep.name] = dist
            try:
                plugin = ep.load()
            except Exception as error:
                raise StackwrightError(
                    f"plugin {ep.name!r} (distribution {' '.join(dist).strip()}) failed to load: "
                    f"{type(error).__name__}: {error}",
                    hint=f"uninstall it, or run with -p no:{ep.name}",
                ) from None
            register(plugin, ep.name)

    for module_name in filter(None, (m.strip() for m in os.environ.get(PLUGINS_ENV, "").split(","))):
        if not pm.is_blocked(module_name) and pm.get_plugin(module_name) is None:
            try:
                module = importlib.import_module(module_name)
            except ImportError as error:
                raise StackwrightError(f"plugin module {module_name!r} cannot be imported: {error}") from None
            register(module, module_name)

    for name, plugin in extra:
        if not pm.is_blocked(name):
            register(plugin, name)

    _check_pending(pm, distributions)
    return Plugins(pm, distributions)
