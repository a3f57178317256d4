"""The registered classes and offerings of the loaded plugins: resource types, targets, config
sections and directives, each checked as it is collected (a wrong return value names its plugin)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, cast

import pluggy
from stackwright.errors import PluginError, StackwrightError

if TYPE_CHECKING:
    from stackwright.console import ConsolePanel
    from stackwright.models import ConfigSection, Directive, Resource
    from stackwright.resource_types import ResourceType
    from stackwright.targets import Target


class Registry:
    """Mixed into `Plugins`: what the plugins register, by name, with the plugin that offers it."""

    pm: pluggy.PluginManager
    builtin_names: tuple[str, ...] = ()
    _types: dict[str, tuple[ResourceType, str]] | None
    _targets: dict[str, tuple[Target, str]] | None
    replaced: dict[tuple[str, str], str]
    _sections: dict[str, tuple[ConfigSection, str]] | None

    def blame(self, owner: str | None = None) -> AbstractContextManager[None]:
        raise NotImplementedError

    def distribution_of(self, name: str) -> str | None:
        raise NotImplementedError

    # --- registered classes -------------------------------------------------------------------------
    def resource_types(self) -> dict[str, tuple[ResourceType, str]]:
        """Every registered resource type (one instance each) with the name of the plugin that offers it.

        Precedence: a full registration replaces a `schema_only` one; an installed plugin's type replaces
        a built-in's of the same name; two installed plugins offering one name is an error."""
        if self._types is None:
            from stackwright.resource_types import ResourceType

            self._types = self._collect(
                self.pm.hook.stackwright_register_resource_types,
                ResourceType,
                "resource type",
                self._type_wins,
            )
        return self._types

    def targets(self) -> dict[str, tuple[Target, str]]:
        """Every registered target (one instance each) by name, with the plugin that offers it."""
        if self._targets is None:
            from stackwright.targets import Target

            self._targets = self._collect(self.pm.hook.stackwright_register_targets, Target, "target", None)
        return self._targets

    def console_panels(self) -> list[tuple[ConsolePanel, str]]:
        """Every registered console panel (one instance each) with the plugin that offers it, in `order`
        (then by name); an installed plugin's panel replaces a built-in's of the same name."""
        import re

        from stackwright.console import ConsolePanel

        found = self._collect(self.pm.hook.stackwright_console_panels, ConsolePanel, "console panel", None)
        import math

        for name, (panel, plugin) in found.items():
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
                self._wrong(plugin, f"console panel name {name!r} is not lowercase letters, digits and '-'")
            refresh = panel.refresh
            if not isinstance(refresh, int | float) or not math.isfinite(refresh) or refresh < 0:
                self._wrong(plugin, f"console panel {name!r}: refresh {refresh!r} is not a number of seconds")
            if not isinstance(panel.order, int):
                self._wrong(plugin, f"console panel {name!r}: order {panel.order!r} is not a whole number")
        return sorted(found.values(), key=lambda item: (item[0].order, item[0].name))

    def _type_wins(self, new: Any, old: Any) -> bool | None:
        if new.schema_only != old.schema_only:
            return bool(old.schema_only)
        return None

    def returned(self, plugin: str, hook: str, value: Any, kind: type, classes: bool = False) -> list[Any]:
        """What a `register_*` hook returned, checked: a list of `kind` instances (of subclasses of `kind`
        with `classes`). Raises PluginError naming the plugin otherwise."""
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self._wrong(plugin, f"{hook} returned {type(value).__name__}, not a list")
        want = f"{kind.__name__} subclasses" if classes else f"{kind.__name__} objects"
        for item in value:
            ok = isinstance(item, type) and issubclass(item, kind) if classes else isinstance(item, kind)
            if not ok:
                self._wrong(plugin, f"{hook} returned {item!r} in its list, where {want} belong")
        return list(value)

    def _wrong(self, plugin: str, message: str) -> None:
        raise PluginError(plugin, self.distribution_of(plugin), TypeError(message))

    def _collect(self, caller: Any, kind: type, what: str, decide: Any) -> dict[str, Any]:
        from collections.abc import Mapping

        result: dict[str, Any] = {}
        # get_hookimpls() lists in registration order (built-ins first), trylast ones before the rest
        for impl in caller.get_hookimpls():
            with self.blame(impl.plugin_name):
                classes = self.returned(impl.plugin_name, caller.name, impl.function(), kind, classes=True)
            for cls in classes:
                name = getattr(cls, "name", "")
                if not isinstance(name, str) or not name:
                    self._wrong(impl.plugin_name, f"{what} class {cls.__name__} has no `name`")
                if kind.__name__ == "ResourceType" and not isinstance(getattr(cls, "schema", None), Mapping):
                    self._wrong(impl.plugin_name, f"the `schema` of {what} {name!r} is not a mapping")
                with self.blame(impl.plugin_name):
                    instance = cls()
                if name in result:
                    other = result[name][1]
                    wins = decide(instance, result[name][0]) if decide else None
                    if wins is None:
                        if other in self.builtin_names and impl.plugin_name not in self.builtin_names:
                            wins = True  # an installed plugin replaces a built-in
                        else:
                            raise StackwrightError(
                                f"{what} {name!r} is offered by two plugins: {other!r} and "
                                f"{impl.plugin_name!r}",
                                hint=f"block one with -p no:{impl.plugin_name}",
                            )
                    if not wins:
                        continue
                    self.replaced[(what, name)] = other
                result[name] = (instance, impl.plugin_name)
        return result

    def owner_of_type(self, name: str) -> str | None:
        """The plugin that registered resource type `name`."""
        found = self.resource_types().get(name)
        return found[1] if found else None

    def owner_of_target(self, name: str) -> str | None:
        """The plugin that registered target `name`."""
        found = self.targets().get(name)
        return found[1] if found else None

    def type_of(self, resource: Resource) -> ResourceType:
        """The registered type of `resource`; StackwrightError when none is installed."""
        found = self.resource_types().get(resource.type)
        if found is None:
            raise StackwrightError(
                f"resource {resource.name!r}: no installed plugin offers type `{resource.type}`",
                hint="run `stackwright plugins` to see what is installed",
            )
        return found[0]

    def target(self, name: str) -> Target:
        """The registered target `name`; StackwrightError listing the installed ones otherwise."""
        found = self.targets().get(name)
        if found is None:
            raise StackwrightError(
                f"no installed plugin provides target {name!r}",
                hint="installed targets: " + (", ".join(sorted(self.targets())) or "none"),
            )
        return found[0]

    def config_sections(self) -> list[ConfigSection]:
        """Every config section plugins add. Raises StackwrightError for a path offered twice, or one
        that is not a new root key or a key under `providerConfig`."""
        return [section for section, _ in self._offered_sections().values()]

    @property
    def section_owners(self) -> dict[str, str]:
        """Config section path → the plugin that offers it."""
        return {path: plugin for path, (_, plugin) in self._offered_sections().items()}

    def _offered_sections(self) -> dict[str, tuple[ConfigSection, str]]:
        if self._sections is not None:
            return self._sections
        from stackwright.config.root_schema import ROOT_KEYS
        from stackwright.models import ConfigSection

        sections: dict[str, tuple[ConfigSection, str]] = {}

        for impl in self.pm.hook.stackwright_register_config_sections.get_hookimpls():
            with self.blame(impl.plugin_name):
                offered = cast(
                    "list[ConfigSection]",
                    self.returned(
                        impl.plugin_name,
                        "stackwright_register_config_sections",
                        impl.function(),
                        ConfigSection,
                    ),
                )
            for section in offered:
                parts = section.path.split(".")
                allowed = (len(parts) == 1 and parts[0] not in ROOT_KEYS) or (
                    len(parts) == 2 and parts[0] == "providerConfig"
                )
                if not allowed or not all(parts):
                    raise StackwrightError(
                        f"plugin {impl.plugin_name!r} offers the config section {section.path!r}: a plugin "
                        "may add a new root key (`acme`) or one key under `providerConfig` "
                        "(`providerConfig.acme`), not a core key or a deeper path",
                        hint=f"uninstall it, or run with -p no:{impl.plugin_name}",
                    )
                if section.path in sections:
                    raise StackwrightError(
                        f"config section {section.path!r} is offered by two plugins: "
                        f"{sections[section.path][1]!r} and {impl.plugin_name!r}",
                        hint=f"block one with -p no:{impl.plugin_name}",
                    )
                sections[section.path] = (section, impl.plugin_name)
        self._sections = sections
        return sections

    def directives(self) -> dict[str, Directive]:
        from stackwright.models import Directive

        result: dict[str, Directive] = {}
        for impl in self.pm.hook.stackwright_register_directives.get_hookimpls():
            with self.blame(impl.plugin_name):
                group = self.returned(
                    impl.plugin_name, "stackwright_register_directives", impl.function(), Directive
                )
            for directive in group:
                result[directive.name] = directive
        return result
