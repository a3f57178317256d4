"""No silent keys: every property the assembled schema accepts either changes what a deploy uses, or is
refused by name (an `x-refused` mark), or is one of the few keys that rightly change nothing.

Each resource type's properties go through the probe of `tests/effects/probe.py` (set the key, compile,
compare with the key left out); the root sections, whose effects are in what commands do rather than
in the template, each name the test that shows their effect. A new type, or a new property of one,
cannot be accepted silently: the test names the key and what the probe found."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from stackwright import hookimpl
from stackwright.config.root_schema import root_schema
from stackwright.config.schema import standalone
from stackwright.plugins import load_plugins
from stackwright.refusals import REFUSED, walk

from .effects import probe

HERE = Path(__file__).parent
REPO = HERE.parent
#: Keys that rightly change nothing in a deploy, by the end of their dotted path, with why.
NO_OP: dict[str, str] = probe.WITNESSES.get("no_op") or {}

#: Root keys (dotted; `*` any name, `[tag]` a variant) → the test that shows their effect.
ROOT_EFFECTS = {
    "serviceName": "tests/test_stack_config.py::test_outputs_tags_and_termination_protection_reach_the_stack",
    "providerConfig": "tests/test_plugins.py::test_config_sections_keep_stacktape_s_provider_keys_and_the_core_s_own",
    "providerConfig.mongoDbAtlas": "providers/mongodb-atlas/tests/test_mongodb_atlas.py::"
    "test_a_shared_tier_is_a_flex_cluster_and_a_connected_function_gets_an_iam_user",
    "providerConfig.upstash": "providers/upstash/tests/test_upstash.py::"
    "test_the_database_and_what_a_connected_function_gets",
    "variables": "tests/test_directives.py::test_load_time_directives",
    "directives": "tests/test_directives.py::test_config_defined_directive",
    "directives.name": "tests/test_directives.py::test_config_defined_directive",
    "directives.filePath": "tests/test_directives.py::test_config_defined_directive",
    "requiredPlugins": "tests/test_config_errors.py::test_required_plugins",
    "hooks.beforeDeploy": "tests/test_scripts.py::test_hooks_run_around_deploy_with_the_stack_parameters",
    "hooks.afterDeploy": "tests/test_scripts.py::test_hooks_run_around_deploy_with_the_stack_parameters",
    "hooks.beforeDelete": "tests/test_scripts.py::test_delete_hooks_run_around_the_delete",
    "hooks.afterDelete": "tests/test_scripts.py::test_delete_hooks_run_around_the_delete",
    "scriptName": "tests/test_scripts.py::test_hooks_run_around_deploy_with_the_stack_parameters",
    "skipOnCI": "tests/test_scripts.py::test_skip_on_ci_and_skip_on_local",
    "skipOnLocal": "tests/test_scripts.py::test_skip_on_ci_and_skip_on_local",
    "executeCommand": "tests/test_scripts.py::test_a_failing_before_deploy_script_stops_the_deploy",
    "executeCommands": "tests/test_scripts.py::test_hooks_run_around_deploy_with_the_stack_parameters",
    "executeScript": "tests/test_scripts.py::test_hooks_run_around_deploy_with_the_stack_parameters",
    "executeScripts": "tests/test_scripts.py::test_execute_scripts_run_in_order_with_their_interpreter",
    "cwd": "tests/test_scripts.py::test_hooks_run_around_deploy_with_the_stack_parameters",
    "pipeStdio": "tests/test_scripts.py::test_quiet_scripts_show_their_output_when_they_fail",
    "connectTo": "tests/test_scripts.py::test_hooks_run_around_deploy_with_the_stack_parameters",
    "environment": "tests/test_scripts.py::test_hooks_run_around_deploy_with_the_stack_parameters",
    "environment.name": "tests/test_scripts.py::test_hooks_run_around_deploy_with_the_stack_parameters",
    "environment.value": "tests/test_scripts.py::test_hooks_run_around_deploy_with_the_stack_parameters",
    "deploymentConfig.previousVersionsToKeep": "tests/test_deploy.py::test_old_versions_are_cleaned_up",
    "deploymentConfig.hotswap": "tests/test_hotswap.py::test_hotswap_default_from_config_per_stage",
    "deploymentConfig.disableAutoRollback": "tests/test_stack_config.py::"
    "test_the_deploy_call_carries_role_topics_and_rollback_alarms",
    "deploymentConfig.terminationProtection": "tests/test_stack_config.py::"
    "test_outputs_tags_and_termination_protection_reach_the_stack",
    "deploymentConfig.cloudformationRoleArn": "tests/test_stack_config.py::"
    "test_the_deploy_call_carries_role_topics_and_rollback_alarms",
    "deploymentConfig.monitoringTimeAfterDeploymentInMinutes": "tests/test_stack_config.py::"
    "test_the_deploy_call_carries_role_topics_and_rollback_alarms",
    "deploymentConfig.triggerRollbackOnAlarms": "tests/test_stack_config.py::"
    "test_the_deploy_call_carries_role_topics_and_rollback_alarms",
    "deploymentConfig.publishEventsToArn": "tests/test_stack_config.py::"
    "test_the_deploy_call_carries_role_topics_and_rollback_alarms",
    "stackConfig.outputs": "tests/test_stack_config.py::test_outputs_tags_and_termination_protection_reach_the_stack",
    "stackConfig.outputs.name": "tests/test_stack_config.py::test_outputs_tags_and_termination_protection_reach_the_stack",
    "stackConfig.outputs.value": "tests/test_stack_config.py::test_outputs_tags_and_termination_protection_reach_the_stack",
    "stackConfig.outputs.description": "tests/test_stack_config.py::"
    "test_outputs_tags_and_termination_protection_reach_the_stack",
    "stackConfig.outputs.export": "tests/test_stack_config.py::test_outputs_tags_and_termination_protection_reach_the_stack",
    "stackConfig.tags": "tests/test_stack_config.py::test_outputs_tags_and_termination_protection_reach_the_stack",
    "stackConfig.tags.name": "tests/test_stack_config.py::test_outputs_tags_and_termination_protection_reach_the_stack",
    "stackConfig.tags.value": "tests/test_stack_config.py::test_outputs_tags_and_termination_protection_reach_the_stack",
    "cloudformationResources": "tests/test_function.py::test_overrides_and_cloudformation_resources",
    "cloudformationResources.*.Type": "tests/test_function.py::test_overrides_and_cloudformation_resources",
    "cloudformationResources.*.Properties": "tests/test_function.py::test_overrides_and_cloudformation_resources",
}
#: Root keys that only group others (their own effect is their children's).
ROOT_PARENTS = {"hooks", "scripts", "deploymentConfig", "stackConfig"}


def root_keys() -> Iterator[str]:
    schema = root_schema()
    for path, node in walk(schema, schema.get("$defs") or {}):
        if path[0] == "resources" or REFUSED in node:
            continue
        dotted = ".".join(path)
        if dotted in ROOT_PARENTS or (path[-1].startswith("[") or path[-1] == "properties"):
            continue
        yield dotted


def test_every_root_key_names_the_test_of_its_effect() -> None:
    missing = []
    for dotted in root_keys():
        ending = next((e for e in sorted(ROOT_EFFECTS, key=len, reverse=True) if dotted.endswith(e)), None)
        if ending is None:
            missing.append(f"{dotted}: no test of its effect (add it to ROOT_EFFECTS, or refuse it)")
            continue
        file, name = ROOT_EFFECTS[ending].split("::")
        source = function_source(REPO / file, name)
        word = ending.rsplit(".", 1)[-1]
        if source is None:
            missing.append(f"{dotted}: {ROOT_EFFECTS[ending]} does not exist")
        elif word not in source and word not in module_text(REPO / file):
            missing.append(f"{dotted}: {ROOT_EFFECTS[ending]} does not use `{word}`")
    assert not missing, "\n".join(missing)


def function_source(file: Path, name: str) -> str | None:
    tree = ast.parse(file.read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.get_source_segment(file.read_text(), node)
    return None


def module_text(file: Path) -> str:
    """The module's text outside its test functions (the configs the tests share)."""
    text = file.read_text()
    tree = ast.parse(text)
    return "\n".join(
        ast.get_source_segment(text, node) or ""
        for node in tree.body
        if not (isinstance(node, ast.FunctionDef) and node.name.startswith("tests/test_"))
    )


#: The built-in plugins, and this repository's provider and example plugins when they are installed (as
#: `make unit` does): their types are held to the same rule.
PLUGINS = load_plugins()


def _ours(rtype: type) -> bool:
    module = sys.modules.get(rtype.__module__)
    where = Path(getattr(module, "__file__", None) or "/").resolve()
    return REPO in where.parents


TYPES = sorted(
    name for name, (rtype, _) in PLUGINS.resource_types().items() if not rtype.schema_only and _ours(rtype)
)


@pytest.mark.parametrize("type_name", TYPES)
def test_every_key_of_a_type_has_its_effect_or_is_refused(type_name: str, tmp_path: Path) -> None:
    rtype = PLUGINS.resource_types()[type_name][0]
    schema = standalone(rtype)
    defs = schema.get("$defs") or {}
    for relative, text in probe.WITNESSES["files"].items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    assert type_name in probe.WITNESSES["types"], f"tests/effects/witnesses.yml: add `types.{type_name}`"
    configs = probe.bases(type_name)
    check = probe.checker(schema)
    silent: list[str] = []
    for key in probe.keys(schema, defs):
        dotted = key.dotted
        if any(dotted == e or dotted.endswith("." + e) for e in NO_OP):
            continue
        outcome = probe.judge(tmp_path, configs, key, defs, PLUGINS, check)
        if outcome not in ("effect", "parent"):
            silent.append(f"{dotted}: {outcome}")
    assert not silent, (
        f"{type_name}: keys accepted without an effect (compile them, refuse them with `schema.refuse`, "
        "or give the probe a witness value in tests/effects/witnesses.yml):\n" + "\n".join(silent)
    )


def test_every_no_op_names_a_key_there_is() -> None:
    """A `no_op` entry of witnesses.yml that no type's key ends with any more is stale."""
    dotted = {
        key.dotted
        for name in TYPES
        for schema in [standalone(PLUGINS.resource_types()[name][0])]
        for key in probe.keys(schema, schema.get("$defs") or {})
    }
    stale = [e for e in NO_OP if not any(d == e or d.endswith("." + e) for d in dotted)]
    assert not stale, f"tests/effects/witnesses.yml: no key is named {stale} any more"


def test_the_probe_tells_a_silent_key() -> None:
    """The probe itself: a key the compiler ignores is reported as silent, one it uses as an effect."""
    from stackwright import ResourceType
    from stackwright import schema as schemas

    class Echo(ResourceType):
        name = "echo"
        schema = schemas.obj({"used": {"type": "string"}, "ignored": {"type": "string"}})

        def compile(self, ctx: Any, resource: Any) -> None:
            used = (resource.properties or {}).get("used", "x")
            ctx.template.add_resource(
                "EchoTopic", "AWS::SNS::Topic", {"TopicName": used}, owner=resource.name
            )

    plugins = load_plugins(autoload=False, extra=[("echo", _Register(Echo))])
    rtype = plugins.resource_types()["echo"][0]
    found = {key.dotted: key for key in probe.keys(standalone(rtype), {})}
    outcomes = {}
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        base = {"serviceName": "probe", "resources": {probe.PROBE: {"type": "echo", "properties": {}}}}
        for dotted, key in found.items():
            outcomes[dotted] = probe.effect(Path(folder), base, key, {}, plugins)
    assert outcomes == {"used": "effect", "ignored": "silent"}


class _Register:
    def __init__(self, rtype: type) -> None:
        self.rtype = rtype

    @hookimpl
    def stackwright_register_resource_types(self) -> list[type]:
        return [self.rtype]
