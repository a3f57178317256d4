"""Loading, blocking and validating plugins, and naming the plugin behind a bug."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright import NameRequest, PluginError, StackwrightError, hookimpl
from stackwright.plugins import BUILTIN_PLUGINS, load_plugins

from tests.helpers import FUNCTION_CONFIG, Result

PLUGINS = str(Path(__file__).parent / "plugins")


def test_builtins_are_registered_by_name_in_order() -> None:
    plugins = load_plugins(autoload=False)
    names = [info.name for info in plugins.info()]
    assert names[: len(BUILTIN_PLUGINS)] == list(BUILTIN_PLUGINS)
    assert all(info.distribution == "stackwright" for info in plugins.info())


def test_blocking_a_builtin_with_p_no(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": FUNCTION_CONFIG})
    result = cli("-p", "no:functions", "validate", cwd=root)
    assert result.code == 2
    assert "resource type `function` is not supported by the installed plugins" in result.err
    names = [
        line.split()[0] for line in cli("-p", "no:functions", "plugins").out.splitlines() if line[:1] != " "
    ]
    assert "functions" not in names and "naming" in names


def test_misspelt_hook_fails_at_load_naming_plugin_and_hook(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(PLUGINS)
    result = cli("-p", "misspelt_hook", "plugins")
    assert result.code == 1
    assert "plugin 'misspelt_hook' implements unknown hook 'stackwright_finalize_templat'" in result.err
    assert "did you mean 'stackwright_finalize_template'?" in result.err
    assert "Traceback" not in result.err


def test_a_hook_of_the_first_contract_says_where_its_job_went() -> None:
    class OldStyle:
        @hookimpl
        def stackwright_compile_resource(self, ctx: Any, resource: Any) -> bool:
            return True

    with pytest.raises(StackwrightError, match="unknown hook 'stackwright_compile_resource'") as raised:
        load_plugins(autoload=False, extra=[("old", OldStyle())])
    assert raised.value.hint and "subclass `stackwright.ResourceType`" in raised.value.hint


def test_optional_hooks_may_be_unknown() -> None:
    class Future:
        @hookimpl(optionalhook=True)
        def stackwright_from_the_future(self) -> None: ...

    load_plugins(autoload=False, extra=[("future", Future())])


def test_invalid_hook_arguments_are_reported() -> None:
    class Wrong:
        @hookimpl
        def stackwright_name(self, request: object, extra: object) -> None: ...

    with pytest.raises(StackwrightError, match="plugin 'wrong' is invalid"):
        load_plugins(autoload=False, extra=[("wrong", Wrong())])


def test_a_bug_in_a_plugin_names_the_plugin(
    cli: Callable[..., Result], project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(PLUGINS)
    root = project({"stackwright.yml": FUNCTION_CONFIG})
    result = cli("-p", "buggy_plugin", "synth", cwd=root)
    assert result.code == 3
    assert "plugin 'buggy_plugin' failed: KeyError: 'doesNotExist'" in result.err
    assert "Traceback" not in result.err
    monkeypatch.setenv("STACKWRIGHT_DEBUG", "1")
    result = cli("-p", "buggy_plugin", "synth", cwd=root)
    assert "Traceback" in result.err and "_lookup" in result.err


def test_plugin_error_carries_the_original() -> None:
    class Broken:
        @hookimpl(tryfirst=True)
        def stackwright_name(self, request: object) -> str:
            raise ValueError("boom")

    plugins = load_plugins(autoload=False, extra=[("broken", Broken())])
    with pytest.raises(PluginError) as info:
        plugins.name(NameRequest(kind="stack", project="a", stage="b"))
    assert info.value.plugin == "broken" and isinstance(info.value.error, ValueError)


def test_unimportable_plugin_module_is_a_user_error(cli: Callable[..., Result]) -> None:
    result = cli("-p", "no_such_plugin_module", "plugins")
    assert result.code == 1 and "plugin module 'no_such_plugin_module' cannot be imported" in result.err


def test_plugins_command_lists_hooks_and_types_as_json(cli: Callable[..., Result]) -> None:
    records = {r["name"]: r for r in cli("--output", "json", "plugins").json_lines()}
    assert records["functions"]["resource_types"] == ["function"]
    assert "stackwright_register_resource_types" in records["functions"]["hooks"]
    assert records["aws_target"]["targets"] == ["aws"] and records["local_engine"]["targets"] == ["local"]
    assert records["messaging"]["resource_types"] == ["sns-topic", "sqs-queue"]
    assert records["naming"]["hooks"] == ["stackwright_name"]
