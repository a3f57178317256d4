"""One test per hook (the meta-test in test_meta.py checks that each hook has a `test_hook_<name>`)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest
from stackwright import (
    Artifact,
    Change,
    Directive,
    HotswapResult,
    NameRequest,
    Phase,
    ProviderExtension,
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


class TopicType:
    @hookimpl
    def stackwright_register_resource_types(self) -> list[ResourceType]:
        schema = {
            "type": "object",
            "additionalProperties": False,
            "properties": {"fifo": {"type": "boolean"}},
        }
        return [ResourceType("notification-topic", schema, properties_required=False)]

    @hookimpl
    def stackwright_compile_resource(self, ctx: StackContext, resource: Resource) -> bool | None:
        if resource.type != "notification-topic":
            return None
        fifo = bool(resource.properties.get("fifo"))
        name = ctx.physical_name(resource.name, "sns") + (".fifo" if fifo else "")
        ctx.template.add_resource(
            ctx.logical_id(resource.name, "Topic"),
            "AWS::SNS::Topic",
            {"TopicName": name, **({"FifoTopic": True} if fifo else {})},
            owner=resource.name,
        )
        return True


def test_hook_stackwright_register_resource_types(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "stackwright.yml": "serviceName: demo\nresources:\n  alerts:\n    type: notification-topic\n"
            "    properties: {fifo: true}\n"
        },
    )
    ctx = compile_with(tmp_path, ("topics", TopicType()))
    assert ctx.template.resources["AlertsTopic"]["Properties"]["TopicName"] == "demo-dev-alerts.fifo"
    types = load_plugins(extra=[("topics", TopicType())]).resource_types()
    assert types["notification-topic"][1] == "topics" and types["function"][1] == "functions"
    with pytest.raises(StackwrightError, match="offered by two plugins"):
        load_plugins(extra=[("topics", TopicType()), ("again", TopicType())]).resource_types()


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


def test_hook_stackwright_compile_resource(root: Path) -> None:
    class Takeover:
        @hookimpl(tryfirst=True)
        def stackwright_compile_resource(self, ctx: StackContext, resource: Resource) -> bool | None:
            ctx.template.add_resource(
                ctx.logical_id(resource.name, "Queue"), "AWS::SQS::Queue", owner=resource.name
            )
            return True

    class Adjust:
        @hookimpl(wrapper=True)
        def stackwright_compile_resource(
            self, ctx: StackContext, resource: Resource
        ) -> Generator[None, bool | None, bool | None]:
            handled = yield
            ctx.template.resources[ctx.logical_id(resource.name, "Function")]["Properties"]["Description"] = (
                "adjusted"
            )
            return handled

    taken = compile_with(root, ("takeover", Takeover()))
    assert "ApiQueue" in taken.template.resources and "ApiFunction" not in taken.template.resources
    adjusted = compile_with(root, ("adjust", Adjust()))
    assert adjusted.template.resources["ApiFunction"]["Properties"]["Description"] == "adjusted"


def test_hook_stackwright_resource_params(tmp_path: Path) -> None:
    class Params:
        @hookimpl
        def stackwright_resource_params(self, ctx: StackContext, resource: Resource) -> dict[str, Any] | None:
            if resource.name != "api":
                return None
            return {"answer": "42", "arn": {"Fn::GetAtt": [ctx.logical_id("api", "Function"), "Arn"]}}

    worker = """
      worker:
        type: function
        properties:
          packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}
          environment:
            - name: %s
              value: $ResourceParam('api', '%s')
            - name: API_ARN
              value: $ResourceParam(api, arn)
    """
    worker = textwrap.indent(textwrap.dedent(worker).strip("\n"), "  ") + "\n"
    root = write(
        tmp_path,
        {
            "stackwright.yml": FUNCTION_CONFIG + worker % ("ANSWER", "answer"),
            "src/app.py": "def handler(e, c):\n    pass\n",
        },
    )
    ctx = compile_with(root, ("params", Params()))
    variables = ctx.template.resources["WorkerFunction"]["Properties"]["Environment"]["Variables"]
    assert variables == {"ANSWER": "42", "API_ARN": {"Fn::GetAtt": ["ApiFunction", "Arn"]}}
    # without the plugin, the functions plugin answers for its own type
    (root / "stackwright.yml").write_text(FUNCTION_CONFIG + worker % ("API_NAME", "name"))
    builtin = compile_with(root)
    variables = builtin.template.resources["WorkerFunction"]["Properties"]["Environment"]["Variables"]
    assert variables == {
        "API_NAME": {"Ref": "ApiFunction"},
        "API_ARN": {"Fn::GetAtt": ["ApiFunction", "Arn"]},
    }


def test_hook_stackwright_provider_resources(root: Path) -> None:
    class Provider:
        @hookimpl
        def stackwright_provider_resources(
            self, ctx: StackContext, resource: Resource
        ) -> list[ProviderExtension]:
            return [ProviderExtension("Acme::Thing::Widget", publisher_id="abc123")]

    ctx = compile_with(root, ("provider", Provider()))
    assert ctx.extensions == [ProviderExtension("Acme::Thing::Widget", publisher_id="abc123")]


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
        ctx.template.resources["ApiFunction"]["Properties"]["Code"]["S3Key"] == f"api/v000001-{'f' * 64}.zip"
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
    assert result.status == "stored" and artifact.path is None
    assert (
        ctx.template.resources["ApiFunction"]["Properties"]["Code"]["S3Key"]
        == f"api/v000007-{artifact.digest}.zip"
    )
    store.delete(artifact)
    assert store.find(artifact) is None


def test_hook_stackwright_hotswap(root: Path) -> None:
    class Swapper:
        @hookimpl
        def stackwright_hotswap(self, ctx: StackContext, change: Change) -> HotswapResult | None:
            if change.resource_type != "AWS::Lambda::Function":
                return None
            return HotswapResult(change.resource, f"{ctx.stack_name}-{change.resource}", "code updated")

    ctx = compile_with(root, ("swapper", Swapper()))
    change = Change("api", "ApiFunction", "AWS::Lambda::Function", ctx.artifacts["api"])
    result = ctx.plugins.hotswap(ctx, change)
    assert result == HotswapResult("api", "demo-dev-api", "code updated")
    other = Change("api", "ApiRole", "AWS::IAM::Role", ctx.artifacts["api"])
    assert ctx.plugins.hotswap(ctx, other) is None


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

    class Tagger:
        @hookimpl
        def stackwright_after_phase(self, ctx: StackContext, phase: Phase, outcome: Any) -> None:
            seen.append((phase, len(outcome.resources)))
            for body in ctx.template.resources.values():
                if body["Type"] == "AWS::Lambda::Function":
                    body["Properties"]["Tags"] = [{"Key": "owner", "Value": "platform"}]

    ctx = compile_with(root, ("tagger", Tagger()))
    assert seen == [(Phase.COMPILE, len(ctx.template.resources))]
    assert ctx.template.resources["ApiFunction"]["Properties"]["Tags"] == [
        {"Key": "owner", "Value": "platform"}
    ]
