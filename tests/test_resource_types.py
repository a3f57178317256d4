"""One test per `ResourceType` method (test_meta.py checks that each has a `test_type_<method>`): the core
dispatches to the registered class by `resource.type`, for built-in and installed types alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright import (
    CannotConnect,
    Change,
    Connection,
    HotswapResult,
    ProviderExtension,
    Resource,
    ResourceType,
    StackContext,
    get_att,
    hookimpl,
    pipeline,
    ref,
)
from stackwright.builtin_plugins.functions import Function
from stackwright.config.load import Options
from stackwright.plugins import load_plugins

from tests.helpers import FUNCTION_CONFIG, Result, function_config, write


class Counter(ResourceType):
    """An in-house type: a DynamoDB table of counters other resources may increment."""

    name = "counter"
    schema = {"type": "object", "additionalProperties": False, "properties": {"start": {"type": "integer"}}}
    properties_required = False

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        if resource.properties.get("start", 0) < 0:
            ctx.fail(("resources", resource.name, "properties", "start"), "a counter starts at 0 or more")
        ctx.template.add_resource(
            ctx.logical_id(resource.name, "Table"),
            "AWS::DynamoDB::Table",
            {
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            },
            owner=resource.name,
        )

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        table = ctx.logical_id(resource.name, "Table")
        return {"tableName": ref(table), "arn": get_att(table, "Arn")}

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        if source.type != "function":
            raise CannotConnect("only functions may increment counters")
        arn = self.params(ctx, resource)["arn"]
        return Connection(
            resource,
            statements=[{"Effect": "Allow", "Action": ["dynamodb:UpdateItem"], "Resource": [arn]}],
            environment={"TABLE": self.params(ctx, resource)["tableName"]},
        )

    def extensions(self, ctx: StackContext, resource: Resource) -> list[ProviderExtension]:
        return [ProviderExtension("Acme::Counter::Alarm", publisher_id="a" * 40)]


class Counters:
    @hookimpl
    def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
        return [Counter]


def compile_with(root: Path, *plugins: tuple[str, object]) -> StackContext:
    ctx = pipeline.open_stack(Options(directory=root), load_plugins(extra=plugins))
    pipeline.compile_stack(ctx)
    return ctx


def project(tmp_path: Path, config: str) -> Path:
    return write(tmp_path, {"stackwright.yml": config, "src/app.py": "def handler(e, c):\n    pass\n"})


def test_type_compile(tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = compile_with(project(tmp_path, FUNCTION_CONFIG + "  hits:\n    type: counter\n"), ("c", Counters()))
    assert ctx.template.resources["HitsTable"]["Type"] == "AWS::DynamoDB::Table"
    assert ctx.template.owners["HitsTable"] == "hits"
    # a config mistake found while compiling is a user error pointing at the value
    root = project(
        tmp_path / "bad", FUNCTION_CONFIG + "  hits:\n    type: counter\n    properties: {start: -1}\n"
    )
    from stackwright import ConfigError

    with pytest.raises(ConfigError) as raised:
        compile_with(root, ("c", Counters()))
    assert (
        "stackwright.yml:12:25:" in raised.value.render() and "starts at 0 or more" in raised.value.render()
    )


def test_type_check(tmp_path: Path, compiled_templates: list[Any]) -> None:
    """`check` runs after the whole template compiled, for validate and deploy: its problems join cfn-lint's
    in one report, at the config value each names; a wrong return value is the plugin's bug."""
    from stackwright import ConfigError, ConfigProblem, PluginError

    class Limited(Counter):
        def check(self, ctx: StackContext, resource: Resource) -> list[ConfigProblem]:
            table = ctx.template.resources[ctx.logical_id(resource.name, "Table")]
            if resource.properties.get("start", 0) > 1000 and "Properties" in table:
                return [
                    ctx.problem(f"resources.{resource.name}.properties.start", "over the account's limit")
                ]
            return []

    class Plugin:
        @hookimpl
        def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
            return [Limited]

    config = FUNCTION_CONFIG + "  hits:\n    type: counter\n    properties: {start: 5000}\n"
    config += "cloudformationResources:\n  Extra:\n    Type: AWS::SQS::Queu\n"
    ctx = pipeline.open_stack(
        Options(directory=project(tmp_path, config)), load_plugins(extra=[("c", Plugin())])
    )
    with pytest.raises(ConfigError) as raised:
        pipeline.compile_stack(ctx, check=True)
    text = raised.value.render()
    assert "stackwright.yml:12:25: resources.hits.properties.start: over the account's limit" in text
    assert "stackwright.yml:15:11:" in text and "AWS::SQS::Queu" in text
    # synth (no check) still compiles the same config
    ctx = pipeline.open_stack(Options(directory=tmp_path), load_plugins(extra=[("c", Plugin())]))
    assert "HitsTable" in pipeline.compile_stack(ctx).resources

    class Broken(Counter):
        def check(self, ctx: StackContext, resource: Resource) -> Any:
            return "over the limit"

    class BrokenPlugin:
        @hookimpl
        def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
            return [Broken]

    ctx = pipeline.open_stack(
        Options(directory=project(tmp_path / "b", FUNCTION_CONFIG + "  hits:\n    type: counter\n")),
        load_plugins(extra=[("broken", BrokenPlugin())]),
    )
    with pytest.raises(PluginError, match=r"plugin 'broken'.*Broken\.check returned str"):
        pipeline.compile_stack(ctx, check=True)
    compiled_templates.clear()  # the misspelt type is the point: not linted again


def test_type_params(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        function_config("environment:\n  - name: HITS\n    value: $ResourceParam('hits', 'tableName')")
        + "  hits:\n    type: counter\n",
    )
    ctx = compile_with(root, ("c", Counters()))
    variables = ctx.template.resources["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert variables == {"HITS": {"Ref": "HitsTable"}}
    assert ctx.params_of(ctx.config.resources["api"])["arn"] == {"Fn::GetAtt": ["ApiFunction", "Arn"]}


def test_type_connections(tmp_path: Path) -> None:
    root = project(tmp_path, function_config("connectTo: [hits]") + "  hits:\n    type: counter\n")
    ctx = compile_with(root, ("c", Counters()))
    function = ctx.template.resources["ApiFunction"]["Properties"]
    assert function["Environment"]["Variables"] == {"STP_HITS_TABLE": {"Ref": "HitsTable"}}
    role = ctx.template.resources["ApiRole"]["Properties"]["Policies"][-1]
    assert role["PolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["dynamodb:UpdateItem"],
            "Resource": [{"Fn::GetAtt": ["HitsTable", "Arn"]}],
        }
    ]


def test_type_connect(tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    """The source's type applies the connection; a type that cannot use connectTo says so by name."""
    config = (
        "serviceName: demo\nresources:\n  hits:\n    type: counter\n"
        "  jobs:\n    type: sqs-queue\n  other:\n    type: counter\n"
    )
    root = project(tmp_path, config)

    class Connecting(Counter):
        def connect(self, ctx: StackContext, resource: Resource, connection: Connection) -> None:
            raise CannotConnect("a counter connects to nothing")

    assert Counter().connections is not None
    with pytest.raises(CannotConnect, match="the installed `counter` type cannot use connectTo"):
        Counter().connect(None, None, None)  # type: ignore[arg-type]
    with pytest.raises(CannotConnect, match="a counter connects to nothing"):
        Connecting().connect(None, None, None)  # type: ignore[arg-type]
    ctx = compile_with(root, ("c", Counters()))
    with pytest.raises(CannotConnect, match="only functions may increment counters"):
        Counter().connections(ctx, ctx.config.resources["hits"], ctx.config.resources["jobs"])


def test_type_extensions(tmp_path: Path) -> None:
    root = project(tmp_path, FUNCTION_CONFIG + "  hits:\n    type: counter\n  more:\n    type: counter\n")
    ctx = compile_with(root, ("c", Counters()))
    assert ctx.extensions == [ProviderExtension("Acme::Counter::Alarm", publisher_id="a" * 40, plugin="c")]


def test_type_hotswap(
    cli: Callable[..., Result], engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A code-only change is handed to the type of the resource that owns it: here an installed plugin
    that replaces the built-in `function` type (and so its hot-swap) by registering the same name."""
    seen: list[tuple[str, str, bool]] = []

    class AuditedFunction(Function):
        def hotswap(self, ctx: StackContext, change: Change) -> HotswapResult | None:
            seen.append((change.resource, change.logical_id, change.plan_only))
            return super().hotswap(ctx, change)

    class Plugin:
        @hookimpl
        def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
            return [AuditedFunction]

    import stackwright.plugins

    real = stackwright.plugins.load_plugins
    monkeypatch.setattr(
        stackwright.plugins, "load_plugins", lambda **kw: real(**{**kw, "extra": [("audited", Plugin())]})
    )
    root = project(tmp_path, FUNCTION_CONFIG)
    assert cli("--local", "deploy", cwd=root).code == 0
    (root / "src/app.py").write_text("def handler(e, c):\n    return 2\n")
    result = cli("--local", "deploy", "--hotswap", cwd=root)
    assert result.code == 0, result.err
    assert "hot-swapped 1 resource " in result.out
    assert seen == [("api", "ApiFunction", True), ("api", "ApiFunction", False)]


def test_type_diagnose_is_asked_of_the_owning_type(tmp_path: Path) -> None:
    """The full replay is test_container_failures.test_type_diagnose; here: dispatch by owner."""
    from datetime import UTC, datetime

    from stackwright import InProgress

    asked: list[str] = []

    class Watching(Counter):
        def diagnose(self, ctx: StackContext, resource: Resource, progress: InProgress) -> str | None:
            asked.append(f"{resource.name}:{progress.logical_id}")
            return "the table is on fire"

    class Plugin:
        @hookimpl
        def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
            return [Watching]

    ctx = compile_with(project(tmp_path, FUNCTION_CONFIG + "  hits:\n    type: counter\n"), ("w", Plugin()))
    now = datetime.now(UTC)
    assert ctx.diagnose(InProgress("HitsTable", "AWS::DynamoDB::Table", "t", now)) == "the table is on fire"
    assert ctx.diagnose(InProgress("ApiFunction", "AWS::Lambda::Function", "f", now)) is None
    assert ctx.diagnose(InProgress("StpDeploymentBucket", "AWS::S3::Bucket", "b", now)) is None
    assert asked == ["hits:HitsTable"]


def test_ctx_fail_takes_a_dotted_path(tmp_path: Path) -> None:
    from stackwright import ConfigError

    class Strict(Counter):
        def compile(self, ctx: StackContext, resource: Resource) -> None:
            ctx.fail(f"resources.{resource.name}.properties.start", "starts too high")

    class Plugin:
        @hookimpl
        def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
            return [Strict]

    root = project(tmp_path, FUNCTION_CONFIG + "  hits:\n    type: counter\n    properties: {start: 9}\n")
    with pytest.raises(ConfigError) as raised:
        compile_with(root, ("s", Plugin()))
    assert "stackwright.yml:12:25: resources.hits.properties.start: starts too high" in raised.value.render()


def test_synth_of_the_testing_plugin_can_ignore_a_rule(
    stackwright_project: Callable[..., Path],
    stackwright_synth: Callable[..., dict[str, Any]],
    compiled_templates: list[Any],
) -> None:
    """A registry type whose schema no plugin ships is unknown to cfn-lint (E3006)."""

    class Cluster(ResourceType):
        name = "atlas-cluster"
        properties_required = False

        def compile(self, ctx: StackContext, resource: Resource) -> None:
            ctx.template.add_resource("Cluster", "Acme::Search::Cluster", {"Name": "c"}, owner=resource.name)

    class Plugin:
        @hookimpl
        def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
            return [Cluster]

    root = stackwright_project({"resources": {"db": {"type": "atlas-cluster"}}})
    with pytest.raises(pytest.fail.Exception, match="E3006"):
        stackwright_synth(root, Plugin())
    assert (
        stackwright_synth(root, Plugin(), ignore=("E3006",))["Resources"]["Cluster"]["Type"]
        == "Acme::Search::Cluster"
    )
    compiled_templates.clear()  # linted above, with the rule ignored
