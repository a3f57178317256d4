"""Checks run once the plugins are loaded: a hook implemented under a name no spec has is an error."""

from __future__ import annotations

import pluggy
from stackwright.errors import StackwrightError

#: Hooks of the first plugin contract, and where their job went.
RETIRED_HOOKS = {
    **dict.fromkeys(
        (
            "stackwright_compile_resource",
            "stackwright_resource_params",
            "stackwright_provider_resources",
            "stackwright_hotswap",
            "stackwright_diagnose",
        ),
        "resource types are registered classes now: subclass `stackwright.ResourceType` and return it "
        "from `stackwright_register_resource_types` (docs/how-to/write-a-resource-type.md)",
    ),
    **dict.fromkeys(
        (
            "stackwright_connect",
            "stackwright_stack_state",
            "stackwright_deploy_template",
            "stackwright_deployed_template",
            "stackwright_hotswap_record",
        ),
        "targets are registered classes now: subclass `stackwright.Target` and return it from "
        "`stackwright_register_targets`",
    ),
}


def check_pending(pm: pluggy.PluginManager, distributions: dict[str, tuple[str, str]]) -> None:
    """Fail loudly when a plugin implements a hook that does not exist (a typo, or a hook of the first
    contract): names the plugin, its distribution, and the likely intended hook."""
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
            import difflib

            close = difflib.get_close_matches(name, known, n=1)
            raise StackwrightError(
                f"plugin {impl.plugin_name!r}"
                + (f" (distribution {dist})" if dist else "")
                + f" implements unknown hook {name!r}",
                hint=(
                    f"{RETIRED_HOOKS[name]}; until it is updated, run with -p no:{impl.plugin_name}"
                    if name in RETIRED_HOOKS
                    else (
                        f"did you mean {close[0]!r}?" if close else "see `stackwright plugins` for the hooks"
                    )
                ),
            )
