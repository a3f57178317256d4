"""The plugin manager: built-ins by name, then entry points; blocking; typed hook calls.

Built-in plugins are ordinary modules under `stackwright.builtin_plugins`, registered by name before
third-party plugins from the `stackwright` entry-point group. `-p no:NAME` or
`STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD` keep plugins out. An exception escaping a plugin is re-raised as
a `PluginError` naming the plugin and its distribution.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any

import pluggy
from stackwright import hookspecs
from stackwright.errors import PluginError, StackwrightError
from stackwright.plugin_checks import check_pending
from stackwright.registry import Registry

if TYPE_CHECKING:
    from pathlib import Path

    import click
    from stackwright.artifacts import Artifact, ArtifactStore, Packager
    from stackwright.context import StackContext
    from stackwright.models import ConfigSection
    from stackwright.naming import NameRequest
    from stackwright.records import Phase
    from stackwright.resource_types import ResourceType
    from stackwright.targets import Target
    from stackwright.template import Template

PROJECT = "stackwright"
ENTRY_POINT_GROUP = "stackwright"
AUTOLOAD_ENV = "STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD"
PLUGINS_ENV = "STACKWRIGHT_PLUGINS"

#: Built-in plugins, registered in this order before any entry point.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "naming",
    "directives",
    "cloudformation",
    "aws_target",
    "local_engine",
    "artifact_store",
    "aws_bootstrap",
    "functions",
    "containers",
    "databases",
    "storage",
    "api",
    "messaging",
    "workflows",
    "auth",
    "console",
)

hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True)
class PluginInfo:
    name: str
    distribution: str
    version: str
    hooks: tuple[str, ...]


class Plugins(Registry):
    """A loaded set of plugins with typed calls for every hook."""

    def __init__(self, pm: pluggy.PluginManager, distributions: dict[str, tuple[str, str]]) -> None:
        self.pm = pm
        self._distributions = distributions
        self._types: dict[str, tuple[ResourceType, str]] | None = None
        self._targets: dict[str, tuple[Target, str]] | None = None
        self._registry_schemas: dict[str, tuple[Path, dict[str, Any]]] | None = None
        #: (what, name) → the plugin whose registration an installed plugin replaced.
        self.replaced: dict[tuple[str, str], str] = {}
        self._sections: dict[str, tuple[ConfigSection, str]] | None = None
        self.builtin_names = BUILTIN_PLUGINS
        #: names given to `-p no:NAME` that match no plugin, entry point or module.
        self.unknown_blocks: list[str] = []

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
    def blame(self, owner: str | None = None) -> Iterator[None]:
        """Turn an unexpected exception from plugin code into a PluginError naming the plugin: the one
        whose code is innermost in the traceback, else `owner` (the plugin whose class was called, for a
        method it left out or defined with the wrong arguments)."""
        try:
            yield
        except (StackwrightError, PluginError, KeyboardInterrupt):
            raise
        except Exception as error:
            from stackwright.aws import target_error

            lost = target_error(error)
            if lost is not None:
                raise lost from None
            name = self._culprit(error.__traceback__) or owner
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
    def bootstrap_resources(self, ctx: StackContext, template: Template) -> None:
        with self.blame():
            self.pm.hook.stackwright_bootstrap_resources(ctx=ctx, template=template)

    def name(self, request: NameRequest) -> str:
        with self.blame():
            result = self.pm.hook.stackwright_name(request=request)
        if not isinstance(result, str) or not result:
            what = f"{request.resource} {request.suffix}".strip() or f"{request.project}-{request.stage}"
            raise StackwrightError(
                f"no plugin produced a {request.kind.replace('_', ' ')} name for {what}",
                hint="is the built-in naming plugin blocked with -p no:naming?",
            )
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

    def finalize_template(self, ctx: StackContext, template: Template) -> None:
        with self.blame():
            self.pm.hook.stackwright_finalize_template(ctx=ctx, template=template)

    def data_resource_types(self) -> frozenset[str]:
        with self.blame():
            found = self.pm.hook.stackwright_data_resource_types()
        return frozenset(name for names in found for name in names or ())

    def registry_schemas(self) -> dict[str, tuple[Path, dict[str, Any]]]:
        """The registry schemas in the directories the plugins name (`stackwright_registry_schemas`):
        `typeName` → (directory, schema). Raises PluginError naming the plugin when a directory is
        missing or a file in it is not JSON with a `typeName`."""
        import json
        from pathlib import Path

        if self._registry_schemas is not None:
            return self._registry_schemas
        schemas: dict[str, tuple[Path, dict[str, Any]]] = {}
        for impl in self.pm.hook.stackwright_registry_schemas.get_hookimpls():
            with self.blame(impl.plugin_name):
                found: Any = impl.function()
                directories = [Path(d) for d in found or ()]
            for directory in directories:
                try:
                    if not directory.is_dir():
                        raise OSError("not a directory")
                    for path in sorted(directory.rglob("*.json")):
                        schema = json.loads(path.read_text())
                        schemas[str(schema["typeName"])] = (directory, schema)
                except (OSError, ValueError, KeyError, TypeError) as error:
                    name = impl.plugin_name
                    raise PluginError(
                        name, self.distribution_of(name), ValueError(f"registry schemas {directory}: {error}")
                    ) from None
        self._registry_schemas = schemas
        return schemas

    def preflight(self, ctx: StackContext) -> list[str]:
        with self.blame():
            found = self.pm.hook.stackwright_preflight(ctx=ctx)
        return [problem for problems in found for problem in problems or ()]

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
    """The installed plugins' entry points, sorted by name (the scan is kept between runs:
    `stackwright.startup`)."""
    from stackwright.startup import entry_points

    return entry_points(ENTRY_POINT_GROUP)


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
    known: set[str] = set()  # every plugin name and module `blocked` could mean
    for name in blocked:
        pm.set_blocked(name)
    distributions: dict[str, tuple[str, str]] = {}

    def register(plugin: object, name: str) -> None:
        try:
            pm.register(plugin, name=name)
        except ValueError:  # the same module or name registered twice
            other = next((n for n, p in pm.list_name_plugin() if p is plugin), name)
            raise StackwrightError(
                f"plugin {name!r} is loaded already"
                + (f" (as the installed plugin {other!r})" if other != name else ""),
                hint=f"leave {name!r} out of -p and STACKWRIGHT_PLUGINS: installed plugins load themselves",
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
            known.update({ep.name, str(getattr(ep, "module", "") or "")})
            if pm.is_blocked(ep.name) or pm.is_blocked(str(getattr(ep, "module", "") or "")):
                continue
            if pm.get_plugin(ep.name) is not None:
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

    check_pending(pm, distributions)
    loaded = Plugins(pm, distributions)
    known.update(BUILTIN_PLUGINS)
    known.update(name for name, plugin in pm.list_name_plugin() if plugin is not None)
    known.update(m.strip() for m in os.environ.get(PLUGINS_ENV, "").split(","))
    loaded.unknown_blocks = [name for name in blocked if name not in known]
    return loaded
