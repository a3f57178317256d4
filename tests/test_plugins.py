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
    assert records["messaging"]["resource_types"] == ["event-bus", "kinesis-stream", "sns-topic", "sqs-queue"]
    assert records["naming"]["hooks"] == ["stackwright_name"]


def _compile(root: Path, *plugins: tuple[str, object]) -> Any:
    from stackwright import pipeline
    from stackwright.config.load import Options

    ctx = pipeline.open_stack(Options(directory=root), load_plugins(autoload=False, extra=plugins))
    return pipeline.compile_stack(ctx)


def _types(*classes: type) -> object:
    class Plugin:
        @hookimpl
        def stackwright_register_resource_types(self) -> list[type]:
            return list(classes)

    return Plugin()


def test_mistakes_in_a_plugin_class_name_the_plugin(tmp_path: Path) -> None:
    """A method left out, a wrong signature, a wrong return value or an invalid schema is a bug in the
    plugin that registered the class (exit 3), never a bare traceback or the built-in's fault."""
    from stackwright import Connection, Resource, ResourceType, StackContext
    from stackwright.testing import write_files

    class NoCompile(ResourceType):
        name = "no-compile"
        properties_required = False

    class WrongSignature(ResourceType):
        name = "wrong-signature"
        properties_required = False

        def compile(self, ctx: StackContext) -> None:  # type: ignore[override]
            pass

    class DictConnections(ResourceType):
        name = "dict-connections"
        properties_required = False

        def compile(self, ctx: StackContext, resource: Resource) -> None:
            ctx.template.add_resource(
                ctx.logical_id(resource.name, "Topic"), "AWS::SNS::Topic", owner=resource.name
            )

        def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
            return {"environment": {}}  # type: ignore[return-value]

    class BadSchema(ResourceType):
        name = "bad-schema"
        schema = {"type": "objekt"}

    cases = {
        "no-compile": "NotImplementedError: NoCompile does not implement ResourceType.compile",
        "wrong-signature": "TypeError",
        "dict-connections": "DictConnections.connections returned dict, not a Connection",
        "bad-schema": "the schema of resource type 'bad-schema' is invalid",
    }
    plugin = ("mine", _types(NoCompile, WrongSignature, DictConnections, BadSchema))
    for name, message in cases.items():
        config = FUNCTION_CONFIG + f"  thing:\n    type: {name}\n"
        if name == "dict-connections":
            config = config.replace(
                "entryfilePath: src/app.py", "entryfilePath: src/app.py\n      connectTo: [thing]"
            )
        if name == "bad-schema":
            config += "    properties: {}\n"
        root = write_files(
            tmp_path / name, {"stackwright.yml": config, "src/app.py": "def handler(e, c):\n    pass\n"}
        )
        with pytest.raises(PluginError) as raised:
            _compile(root, plugin)
        assert raised.value.plugin == "mine", name
        assert message in str(raised.value), (name, str(raised.value))


def test_a_target_that_leaves_a_method_out_is_named(
    cli: Callable[..., Result], tmp_path: Path, engine: str
) -> None:
    from stackwright import Clients, Endpoint, StackContext, Target

    class Half(Target):
        name = "half"

        def connect(self, ctx: StackContext) -> Clients:
            return Clients(Endpoint(ctx.project.region, endpoint_url=engine, static_credentials=("a", "b")))

        def account(self, ctx: StackContext) -> str:
            return "123456789012"

    class Plugin:
        @hookimpl
        def stackwright_register_targets(self) -> list[type[Target]]:
            return [Half]

    from stackwright.testing import write_files

    root = write_files(
        tmp_path, {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    pass\n"}
    )
    from stackwright.config.load import Options
    from stackwright.deploy import connected_stack

    class State:
        plugins = load_plugins(autoload=False, extra=[("half", Plugin())])
        target, json, profile = "half", True, None

        def options(self, target: str, names_only: bool = False) -> Options:
            return Options(directory=root, target=target)

    with pytest.raises(PluginError) as raised:
        connected_stack(State())
    assert raised.value.plugin == "half" and "Half does not implement Target.stack_state" in str(raised.value)


def test_the_first_contract_s_resource_type_call_says_what_changed() -> None:
    from stackwright import ResourceType

    class OldStyle:
        @hookimpl
        def stackwright_register_resource_types(self) -> list[Any]:
            return [ResourceType("thing", {"type": "object"})]  # type: ignore[call-arg]

    with pytest.raises(StackwrightError, match="resource types are classes now") as raised:
        load_plugins(autoload=False, extra=[("old", OldStyle())]).resource_types()
    assert raised.value.hint and "subclass stackwright.ResourceType" in raised.value.hint


def test_config_sections_keep_stacktape_s_provider_keys_and_the_core_s_own(tmp_path: Path) -> None:
    from stackwright import ConfigSection
    from stackwright.testing import write_files

    def offering(path: str) -> object:
        class Plugin:
            @hookimpl
            def stackwright_register_config_sections(self) -> list[ConfigSection]:
                return [ConfigSection(path, {"type": "object"})]

        return Plugin()

    config = FUNCTION_CONFIG + "providerConfig:\n  mongoDbAtlas: {organizationId: abc}\n  acme: {}\n"
    root = write_files(tmp_path, {"stackwright.yml": config, "src/app.py": "def handler(e, c):\n    pass\n"})
    assert _compile(root, ("acme", offering("providerConfig.acme"))).resources
    for path in ("resources", "deploymentConfig.extra", "providerConfig.a.b", "providerConfig."):
        with pytest.raises(StackwrightError, match="may add a new root key"):
            load_plugins(autoload=False, extra=[("bad", offering(path))]).config_sections()


def test_an_installed_plugin_named_again_with_p_is_named_once(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    import stackwright.plugins

    monkeypatch.syspath_prepend(PLUGINS)

    class EntryPoint:
        name, dist = "hello", None

        def load(self) -> object:
            import hello_command

            return hello_command

    monkeypatch.setattr(stackwright.plugins, "_entry_points", lambda: [EntryPoint()])
    monkeypatch.delenv("STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD")
    assert cli("plugins").code == 0
    result = cli("-p", "hello_command", "plugins")
    assert result.code == 1
    assert "plugin 'hello_command' is loaded already (as the installed plugin 'hello')" in result.err
    assert "leave 'hello_command' out of -p and STACKWRIGHT_PLUGINS" in result.err and "{" not in result.err


def test_wrong_return_values_of_a_plugin_name_it(tmp_path: Path) -> None:
    from stackwright import ConfigSection, Connection, ProviderExtension, Resource, ResourceType, StackContext
    from stackwright.testing import write_files

    class Emits(ResourceType):
        name = "emits"
        properties_required = False

        def compile(self, ctx: StackContext, resource: Resource) -> None:
            ctx.template.add_resource(
                ctx.logical_id(resource.name, "Topic"), "AWS::SNS::Topic", owner=resource.name
            )

        def extensions(self, ctx: StackContext, resource: Resource) -> list[ProviderExtension]:
            return ["MongoDB::Atlas::Cluster"]  # type: ignore[list-item]

        def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
            return Connection(resource, environment="X=1")  # type: ignore[arg-type]

    class NoSchema(ResourceType):
        name = "no-schema"
        schema = None  # type: ignore[assignment]

    class Hooks:
        def __init__(self, returns: dict[str, Any]) -> None:
            self.returns = returns

        @hookimpl
        def stackwright_register_resource_types(self) -> Any:
            return self.returns.get("types", [Emits])

        @hookimpl
        def stackwright_register_config_sections(self) -> Any:
            return self.returns.get("sections", [])

        @hookimpl
        def stackwright_register_directives(self) -> Any:
            return self.returns.get("directives", [])

    config = FUNCTION_CONFIG + "  thing:\n    type: emits\n"
    root = write_files(tmp_path, {"stackwright.yml": config, "src/app.py": "def handler(e, c):\n    pass\n"})
    cases = [
        (
            {},
            "Emits.extensions returned 'MongoDB::Atlas::Cluster' in its list, where ProviderExtension objects belong",
        ),
        ({"types": Emits}, "stackwright_register_resource_types returned type, not a list"),
        ({"types": [NoSchema]}, "the `schema` of resource type 'no-schema' is not a mapping"),
        ({"sections": {"acme": {}}}, "stackwright_register_config_sections returned dict, not a list"),
        ({"directives": ["x"]}, "returned 'x' in its list, where Directive objects belong"),
    ]
    for returns, message in cases:
        with pytest.raises(PluginError) as raised:
            _compile(root, ("mine", Hooks(returns)))
        assert raised.value.plugin == "mine" and message in str(raised.value), (returns, str(raised.value))
    connected = root / "stackwright.yml"
    connected.write_text(
        config.replace("entryfilePath: src/app.py", "entryfilePath: src/app.py\n      connectTo: [thing]")
    )
    with pytest.raises(PluginError) as raised:
        _compile(
            root,
            ("mine", Hooks({"types": [type("Plain", (Emits,), {"extensions": ResourceType.extensions})]})),
        )
    assert raised.value.plugin == "mine" and "`environment` is not a mapping" in str(raised.value)
    assert isinstance(ConfigSection("x", {}), ConfigSection)


def test_blocking_a_plugin_that_does_not_exist_is_a_warning(cli: Callable[..., Result]) -> None:
    result = cli("-p", "no:fuctions", "plugins")
    assert (
        result.code == 0
        and "warning: -p no:fuctions matches no plugin (did you mean 'functions'?)" in result.err
    )


def test_without_the_bootstrap_plugin_a_first_deploy_says_what_is_missing(
    cli: Callable[..., Result], tmp_path: Path, engine: str, compiled_templates: list[Any]
) -> None:
    from stackwright.testing import write_files

    root = write_files(
        tmp_path, {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    pass\n"}
    )
    result = cli("-p", "no:aws_bootstrap", "--local", "deploy", cwd=root)
    assert result.code == 1 and "no plugin adds the bootstrap resources" in result.err
    assert "-p no:aws_bootstrap" in result.err and "Traceback" not in result.err
    compiled_templates.clear()  # without the bootstrap resources the template is incomplete: not linted
