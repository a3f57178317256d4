"""One test per hook (the meta-test in test_meta.py checks that each hook has a `test_hook_<name>`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright import (
    Artifact,
    ConfigError,
    Directive,
    NameRequest,
    Phase,
    PluginError,
    Resource,
    ResourceType,
    StackContext,
    StackwrightError,
    Template,
    hookimpl,
    pipeline,
)
from stackwright.config.load import Options
from stackwright.plugins import load_plugins

from tests.helpers import FUNCTION_CONFIG, Result, function_config, write


def compile_with(root: Path, *plugins: tuple[str, object]) -> StackContext:
    ctx = pipeline.open_stack(Options(directory=root), load_plugins(extra=plugins))
    pipeline.compile_stack(ctx)
    return ctx


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write(
        tmp_path, {"stackwright.yml": FUNCTION_CONFIG, "src/app.py": "def handler(e, c):\n    pass\n"}
    )


class NotificationTopic(ResourceType):
    name = "notification-topic"
    schema = {"type": "object", "additionalProperties": False, "properties": {"fifo": {"type": "boolean"}}}
    properties_required = False

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        fifo = bool(resource.properties.get("fifo"))
        name = ctx.physical_name(resource.name, "sns") + (".fifo" if fifo else "")
        ctx.template.add_resource(
            ctx.logical_id(resource.name, "Topic"),
            "AWS::SNS::Topic",
            {"TopicName": name, **({"FifoTopic": True} if fifo else {})},
            owner=resource.name,
        )


class TopicTypes:
    @hookimpl
    def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
        return [NotificationTopic]


def test_hook_stackwright_register_resource_types(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "stackwright.yml": "serviceName: demo\nresources:\n  alerts:\n    type: notification-topic\n"
            "    properties: {fifo: true}\n"
        },
    )
    ctx = compile_with(tmp_path, ("topics", TopicTypes()))
    assert ctx.template.resources["AlertsTopic"]["Properties"]["TopicName"] == "demo-dev-alerts.fifo"
    types = load_plugins(extra=[("topics", TopicTypes())]).resource_types()
    assert types["notification-topic"][1] == "topics" and types["function"][1] == "functions"
    assert isinstance(types["notification-topic"][0], NotificationTopic)
    with pytest.raises(StackwrightError, match="offered by two plugins"):
        load_plugins(extra=[("topics", TopicTypes()), ("again", TopicTypes())]).resource_types()

    class NotAClass:
        @hookimpl
        def stackwright_register_resource_types(self) -> list[Any]:
            return [NotificationTopic()]

    with pytest.raises(PluginError, match="where ResourceType subclasses belong"):
        load_plugins(extra=[("broken", NotAClass())]).resource_types()


def test_hook_stackwright_register_resource_types_replaces_a_builtin(root: Path) -> None:
    """Precedence: an installed plugin's type of a built-in's name replaces the built-in's."""

    class InHouseFunction(ResourceType):
        name = "function"
        schema = {"type": "object"}

        def compile(self, ctx: StackContext, resource: Resource) -> None:
            ctx.template.add_resource(
                ctx.logical_id(resource.name, "Queue"), "AWS::SQS::Queue", owner=resource.name
            )

    class Plugin:
        @hookimpl
        def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
            return [InHouseFunction]

    plugins = load_plugins(extra=[("in-house", Plugin())])
    assert plugins.resource_types()["function"][1] == "in-house"
    assert plugins.replaced == {("resource type", "function"): "functions"}
    ctx = compile_with(root, ("in-house", Plugin()))
    assert "ApiQueue" in ctx.template.resources and "ApiFunction" not in ctx.template.resources


def test_hook_stackwright_register_targets(root: Path) -> None:
    from stackwright import Clients, Endpoint, Target

    class Elsewhere(Target):
        name = "elsewhere"
        summary = "somewhere else"

        def connect(self, ctx: StackContext) -> Clients:
            return Clients(Endpoint(ctx.project.region, endpoint_url="http://127.0.0.1:9"))

    class Plugin:
        @hookimpl
        def stackwright_register_targets(self) -> list[type[Target]]:
            return [Elsewhere]

    plugins = load_plugins(extra=[("elsewhere", Plugin())])
    assert sorted(plugins.targets()) == ["aws", "elsewhere", "local"]
    assert plugins.targets()["aws"][1] == "aws_target" and plugins.targets()["local"][1] == "local_engine"
    assert isinstance(plugins.target("elsewhere"), Elsewhere)
    with pytest.raises(StackwrightError, match="no installed plugin provides target 'nowhere'") as raised:
        plugins.target("nowhere")
    assert raised.value.hint == "installed targets: aws, elsewhere, local"


def test_hook_stackwright_register_directives(tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def stackwright_register_directives(self) -> list[Directive]:
            return [Directive("Upper", lambda env, value: str(value).upper(), min_args=1, max_args=1)]

    directives = load_plugins(extra=[("upper", Plugin())]).directives()
    assert "Stage" in directives and "Secret" in directives
    root = write(
        tmp_path,
        {
            "stackwright.yml": function_config("environment: [{name: STAGE, value: $Upper($Stage())}]"),
            "src/app.py": "def handler(e, c):\n    pass\n",
        },
    )
    ctx = compile_with(root, ("upper", Plugin()))
    assert ctx.template.resources["ApiFunction"]["Properties"]["Environment"]["Variables"] == {"STAGE": "DEV"}


def test_hook_stackwright_bootstrap_resources(root: Path) -> None:
    class Extra:
        @hookimpl
        def stackwright_bootstrap_resources(self, ctx: StackContext, template: Template) -> None:
            template.add_resource("AuditTopic", "AWS::SNS::Topic", {"TopicName": ctx.stack_name + "-audit"})

    ctx = compile_with(root, ("extra", Extra()))
    assert ctx.template.resources["AuditTopic"]["Properties"]["TopicName"] == "demo-dev-audit"
    assert "StpDeploymentBucket" in ctx.template.resources


def test_hook_stackwright_name(root: Path) -> None:
    class LambdaOnly:
        @hookimpl
        def stackwright_name(self, request: NameRequest) -> str | None:
            if request.kind == "physical" and request.service == "lambda":
                return f"fn-{request.resource}"
            return None

    ctx = compile_with(root, ("lambda-only", LambdaOnly()))
    fn = ctx.template.resources["ApiFunction"]["Properties"]
    assert fn["FunctionName"] == "fn-api"
    assert ctx.template.resources["ApiLogGroup"]["Properties"]["LogGroupName"] == "/aws/lambda/fn-api"
    assert ctx.template.resources["ApiRole"]["Properties"]["RoleName"] == "demo-dev-api-us-east-1"


def test_hook_stackwright_get_packager(root: Path) -> None:
    class Fixed:
        def digest(self, artifact: Artifact) -> str:
            return "f" * 64

        def build(self, artifact: Artifact, output_dir: Path) -> Path:
            return output_dir / "x.zip"

    class Plugin:
        @hookimpl
        def stackwright_get_packager(self, ctx: StackContext, artifact: Artifact) -> Fixed:
            return Fixed()

    ctx = compile_with(root, ("fixed", Plugin()))
    assert (
        ctx.template.resources["ApiFunction"]["Properties"]["Code"]["S3Key"] == f"lambda-zip/{'f' * 64}.zip"
    )
    assert ctx.artifacts["api"].digest == "f" * 64


def test_hook_stackwright_get_artifact_store(root: Path) -> None:
    stored: list[str] = []

    class Memory:
        def find(self, artifact: Artifact) -> str | None:
            return "v000007" if artifact.digest in stored else None

        def upload(self, artifact: Artifact) -> int:
            stored.append(artifact.digest)
            return 0

        def delete(self, artifact: Artifact) -> None:
            stored.remove(artifact.digest)

    class Plugin:
        @hookimpl
        def stackwright_get_artifact_store(self, ctx: StackContext, artifact: Artifact) -> Memory:
            return Memory()

    ctx = compile_with(root, ("memory", Plugin()))
    artifact = ctx.artifacts["api"]
    store = ctx.plugins.get_artifact_store(ctx, artifact)
    assert store.find(artifact) is None
    store.upload(artifact)
    assert store.find(artifact) == "v000007"
    # packaging asks the store first: a stored artifact is not built, and takes the stored version
    from stackwright.packaging import package_stack

    (result,) = package_stack(ctx)
    assert result.status == "stored" and artifact.path is None and artifact.version == "v000007"
    assert (
        ctx.template.resources["ApiFunction"]["Properties"]["Code"]["S3Key"]
        == f"lambda-zip/{artifact.digest}.zip"
    )
    store.delete(artifact)
    assert store.find(artifact) is None


def test_hook_stackwright_add_commands(
    cli: Callable[..., Result], root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).parent / "plugins"))
    result = cli("-p", "hello_command", "hello", "--name", "world", cwd=root)
    assert result.code == 0 and result.out == "hello world from demo-dev\n"
    assert "From plugins" in cli("-p", "hello_command", "--help").out


def test_hook_stackwright_before_phase(root: Path) -> None:
    class Guard:
        @hookimpl
        def stackwright_before_phase(self, ctx: StackContext, phase: Phase) -> None:
            if phase is Phase.COMPILE and ctx.project.stage == "dev":
                raise StackwrightError("compiling is frozen today")

    with pytest.raises(StackwrightError, match="frozen"):
        compile_with(root, ("guard", Guard()))


def test_hook_stackwright_after_phase(root: Path) -> None:
    seen: list[tuple[Phase, int]] = []

    class Watcher:
        @hookimpl
        def stackwright_after_phase(self, ctx: StackContext, phase: Phase, outcome: Any) -> None:
            seen.append((phase, len(outcome.resources)))

    ctx = compile_with(root, ("watcher", Watcher()))
    assert seen == [(Phase.COMPILE, len(ctx.template.resources))]


def test_hook_stackwright_finalize_template(tmp_path: Path) -> None:
    seen: list[str] = []

    class Tagger:
        @hookimpl
        def stackwright_finalize_template(self, ctx: StackContext, template: Template) -> None:
            # runs after connectTo wiring and cloudformationResources: both are visible here
            seen.extend(sorted(template.resources))
            for body in template.resources.values():
                if body["Type"] == "AWS::Lambda::Function":
                    body["Properties"]["Tags"] = [{"Key": "owner", "Value": "platform"}]

    root = write(
        tmp_path,
        {
            "stackwright.yml": function_config("connectTo: [jobs]")
            + "  jobs:\n    type: sqs-queue\n"
            + "cloudformationResources:\n  Extra:\n    Type: AWS::SNS::Topic\n",
            "src/app.py": "def handler(e, c):\n    pass\n",
        },
    )
    ctx = compile_with(root, ("tagger", Tagger()))
    assert "Extra" in seen and "JobsQueue" in seen
    function = ctx.template.resources["ApiFunction"]["Properties"]
    assert function["Tags"] == [{"Key": "owner", "Value": "platform"}]
    assert "STP_JOBS_URL" in function["Environment"]["Variables"]


def test_hook_stackwright_register_config_sections(tmp_path: Path) -> None:
    from stackwright import ConfigSection

    class Acme:
        @hookimpl
        def stackwright_register_config_sections(self) -> list[ConfigSection]:
            return [
                ConfigSection(
                    "providerConfig.acme",
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["apiKey"],
                        "properties": {"apiKey": {"type": "string"}, "region": {"type": "string"}},
                    },
                )
            ]

    files = {"src/app.py": "def handler(e, c):\n    pass\n"}
    good = write(
        tmp_path / "good",
        {**files, "stackwright.yml": FUNCTION_CONFIG + "providerConfig:\n  acme:\n    apiKey: k\n"},
    )
    ctx = compile_with(good, ("acme", Acme()))
    assert ctx.config.data["providerConfig"] == {"acme": {"apiKey": "k"}}
    bad = write(
        tmp_path / "bad",
        {
            **files,
            "stackwright.yml": FUNCTION_CONFIG + "providerConfig:\n  acme:\n    regoin: eu\n  acmee: {}\n",
        },
    )
    with pytest.raises(ConfigError) as raised:
        compile_with(bad, ("acme", Acme()))
    text = raised.value.render()
    assert "stackwright.yml:" in text and "apiKey" in text and "regoin" in text and "'region'" in text
    assert "acmee" in text
    with pytest.raises(StackwrightError, match="offered by two plugins"):
        load_plugins(extra=[("acme", Acme()), ("again", Acme())]).config_sections()


def test_a_plugin_artifact_kind_is_built_once_then_cached(tmp_path: Path) -> None:
    """The core caches built files of any kind by digest, not only the built-in Lambda zips."""
    from stackwright.packaging import package_stack

    builds: list[str] = []

    class BundlePackager:
        def digest(self, artifact: Artifact) -> str:
            return "b" * 64

        def build(self, artifact: Artifact, output_dir: Path) -> Path:
            builds.append(artifact.name)
            out = output_dir / f"{artifact.digest}.tar"
            out.write_bytes(b"bundle")
            return out

    class Bundled(ResourceType):
        name = "bundle"
        properties_required = False

        def compile(self, ctx: StackContext, resource: Resource) -> None:
            ctx.add_artifact(Artifact(resource.name, "acme-bundle", {"type": "acme"}, ctx.project.root))
            ctx.template.add_resource(
                ctx.logical_id(resource.name, "Topic"), "AWS::SNS::Topic", owner=resource.name
            )

    class Plugin:
        @hookimpl
        def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
            return [Bundled]

        @hookimpl
        def stackwright_get_packager(self, ctx: StackContext, artifact: Artifact) -> BundlePackager | None:
            return BundlePackager() if artifact.kind == "acme-bundle" else None

    root = write(tmp_path, {"stackwright.yml": "serviceName: demo\nresources:\n  site:\n    type: bundle\n"})
    first = package_stack(compile_with(root, ("bundles", Plugin())))
    second = package_stack(compile_with(root, ("bundles", Plugin())))
    assert [p.status for p in first] == ["built"] and [p.status for p in second] == ["cached"]
    assert (
        builds == ["site"] and second[0].artifact.path and second[0].artifact.path.read_bytes() == b"bundle"
    )


def test_hook_stackwright_registry_schemas(tmp_path: Path) -> None:
    import json

    from stackwright.checks import check_template

    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "acme-cache-widget.json").write_text(
        json.dumps(
            {
                "typeName": "Acme::Cache::Widget",
                "description": "A widget.",
                "additionalProperties": False,
                "properties": {"Size": {"type": "integer"}, "Id": {"type": "string"}},
                "required": ["Size"],
                "readOnlyProperties": ["/properties/Id"],
                "primaryIdentifier": ["/properties/Id"],
            }
        )
    )

    class Widget(ResourceType):
        name = "widget"
        schema = {"type": "object", "properties": {"size": {}}}
        properties_required = False

        def compile(self, ctx: StackContext, resource: Resource) -> None:
            ctx.template.add_resource(
                ctx.logical_id(resource.name, "Widget"),
                "Acme::Cache::Widget",
                {"Size": resource.properties.get("size", 1)},
                owner=resource.name,
            )

    class Acme:
        def __init__(self, directory: Path) -> None:
            self.directory = directory

        @hookimpl
        def stackwright_register_resource_types(self) -> list[type[ResourceType]]:
            return [Widget]

        @hookimpl
        def stackwright_registry_schemas(self) -> list[Path]:
            return [self.directory]

    def checked(size: Any, directory: Path = schemas) -> list[str]:
        root = write(
            tmp_path / "p",
            {
                "stackwright.yml": f"serviceName: w\nresources:\n  box:\n    type: widget\n    properties:\n      size: {size}\n"
            },
        )
        ctx = compile_with(root, ("acme", Acme(directory)))
        assert "Acme::Cache::Widget" in ctx.plugins.registry_schemas()
        return [f"{p.path}: {p.message}" for p in check_template(ctx)]

    assert checked(3) == []  # cfn-lint knows the type (no E3006) and the properties fit
    assert checked('"big"') == [
        "resources.box.properties.size: BoxWidget/Properties/Size: 'big' is not of type 'integer' "
        "(schema of Acme::Cache::Widget)"
    ]
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "x.json").write_text("{not json")
    with pytest.raises(PluginError, match=r"plugin 'acme'.*registry schemas"):
        checked(3, broken)
