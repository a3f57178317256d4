"""stackwright: a Stacktape-compatible deployment engine built as a pluggy plugin framework.

This module is the public API for plugins, and the only module they import from (a meta-test enforces
it for the built-ins, the examples and the providers): the `hookimpl` marker, the `ResourceType` and
`Target` base classes, the records hooks and those classes receive, the template, schema and packaging
helpers, and the error type for user mistakes. `docs/reference/api.md` lists every name.
"""

from __future__ import annotations

import importlib as _importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing

__version__ = "0.1.0"

if TYPE_CHECKING:
    from typing import Any

    from stackwright import (
        nesting,
        property_diff,
        pydeps,
        schema,
        versions,
    )
    from stackwright.access_logs import access_log_format
    from stackwright.approval import approve
    from stackwright.archives import Entry, entry_from_bytes, entry_from_file, read_entries, write_zip
    from stackwright.artifacts import (
        DEPLOYMENT_BUCKET_ID,
        EXCLUDED_DIRS,
        IMAGE_REPOSITORY_ID,
        Artifact,
        ArtifactStore,
        Packager,
        digest_named,
        iter_files,
    )
    from stackwright.aws import Clients, Endpoint
    from stackwright.builtin_plugins.cloudformation import CloudFormationTarget
    from stackwright.cache import cache_dir
    from stackwright.config.directives import DirectiveEnv
    from stackwright.config.suggest import did_you_mean
    from stackwright.console import ConsolePage, ConsolePanel, PanelContent, PanelLink, panel_time
    from stackwright.context import StackContext
    from stackwright.deploy import connected_stack, locked
    from stackwright.docker import docker_client
    from stackwright.domains import domain_certificates
    from stackwright.errors import ConfigError, ConfigProblem, PluginError, Position, StackwrightError
    from stackwright.models import Config, ConfigSection, Directive, Project, Resource
    from stackwright.named import named_resource
    from stackwright.naming import (
        BOOTSTRAP_DESCRIPTION,
        DEPLOYMENT_BUCKET,
        IMAGE_REPOSITORY,
        LIMITS,
        NameRequest,
        default_name,
        fit,
    )
    from stackwright.pending import compiled_stack, pending_diffs
    from stackwright.plugins import hookimpl
    from stackwright.records import (
        Change,
        DeployResult,
        ExtensionStatus,
        HotswapResult,
        InProgress,
        KeptArtifact,
        KeptVersion,
        Phase,
        ProviderExtension,
        ProviderSecret,
        StackEvent,
        StackResource,
        StackState,
        StackView,
    )
    from stackwright.regions import nearest_region
    from stackwright.report import Reporter, human_size, plural
    from stackwright.resource_types import (
        CONNECT_TO_POLICY,
        CannotConnect,
        Connection,
        Ingress,
        ResourceType,
        env_name,
        schema_only_types,
    )
    from stackwright.routing import cidr_block, event_target_input, http_api_route, listener_rule, route_key
    from stackwright.scripts import hooked, run_hooks
    from stackwright.sources import (
        MANIFESTS,
        NODE_MANIFESTS,
        Sources,
        collect,
        included_files,
        manifest_problem,
        prebuilt,
        shipped_anyway,
    )
    from stackwright.targets import Target
    from stackwright.template import CONFIG_PATHS_KEY, Template, get_att, number, ref, sub

#: Public name → the module that defines it (a name that is a module maps to itself); imported on
#: first use, so a plugin that names `ResourceType` does not pay for the deploy machinery, and
#: `stackwright --version` for nothing.
_HOMES: dict[str, str] = {
    "access_log_format": "stackwright.access_logs",
    "approve": "stackwright.approval",
    "Entry": "stackwright.archives",
    "entry_from_bytes": "stackwright.archives",
    "entry_from_file": "stackwright.archives",
    "read_entries": "stackwright.archives",
    "write_zip": "stackwright.archives",
    "Artifact": "stackwright.artifacts",
    "ArtifactStore": "stackwright.artifacts",
    "DEPLOYMENT_BUCKET_ID": "stackwright.artifacts",
    "EXCLUDED_DIRS": "stackwright.artifacts",
    "IMAGE_REPOSITORY_ID": "stackwright.artifacts",
    "Packager": "stackwright.artifacts",
    "digest_named": "stackwright.artifacts",
    "iter_files": "stackwright.artifacts",
    "Clients": "stackwright.aws",
    "Endpoint": "stackwright.aws",
    "CloudFormationTarget": "stackwright.builtin_plugins.cloudformation",
    "cache_dir": "stackwright.cache",
    "DirectiveEnv": "stackwright.config.directives",
    "did_you_mean": "stackwright.config.suggest",
    "ConsolePage": "stackwright.console",
    "ConsolePanel": "stackwright.console",
    "PanelContent": "stackwright.console",
    "PanelLink": "stackwright.console",
    "panel_time": "stackwright.console",
    "StackContext": "stackwright.context",
    "connected_stack": "stackwright.deploy",
    "locked": "stackwright.deploy",
    "docker_client": "stackwright.docker",
    "domain_certificates": "stackwright.domains",
    "ConfigError": "stackwright.errors",
    "ConfigProblem": "stackwright.errors",
    "PluginError": "stackwright.errors",
    "Position": "stackwright.errors",
    "StackwrightError": "stackwright.errors",
    "Config": "stackwright.models",
    "ConfigSection": "stackwright.models",
    "Directive": "stackwright.models",
    "Project": "stackwright.models",
    "Resource": "stackwright.models",
    "named_resource": "stackwright.named",
    "BOOTSTRAP_DESCRIPTION": "stackwright.naming",
    "DEPLOYMENT_BUCKET": "stackwright.naming",
    "IMAGE_REPOSITORY": "stackwright.naming",
    "LIMITS": "stackwright.naming",
    "NameRequest": "stackwright.naming",
    "default_name": "stackwright.naming",
    "fit": "stackwright.naming",
    "compiled_stack": "stackwright.pending",
    "pending_diffs": "stackwright.pending",
    "hookimpl": "stackwright.plugins",
    "nesting": "stackwright.nesting",
    "property_diff": "stackwright.property_diff",
    "pydeps": "stackwright.pydeps",
    "Change": "stackwright.records",
    "DeployResult": "stackwright.records",
    "ExtensionStatus": "stackwright.records",
    "HotswapResult": "stackwright.records",
    "InProgress": "stackwright.records",
    "KeptArtifact": "stackwright.records",
    "KeptVersion": "stackwright.records",
    "Phase": "stackwright.records",
    "ProviderExtension": "stackwright.records",
    "ProviderSecret": "stackwright.records",
    "StackEvent": "stackwright.records",
    "StackResource": "stackwright.records",
    "StackState": "stackwright.records",
    "StackView": "stackwright.records",
    "nearest_region": "stackwright.regions",
    "Reporter": "stackwright.report",
    "human_size": "stackwright.report",
    "plural": "stackwright.report",
    "CONNECT_TO_POLICY": "stackwright.resource_types",
    "CannotConnect": "stackwright.resource_types",
    "Connection": "stackwright.resource_types",
    "Ingress": "stackwright.resource_types",
    "ResourceType": "stackwright.resource_types",
    "env_name": "stackwright.resource_types",
    "schema_only_types": "stackwright.resource_types",
    "cidr_block": "stackwright.routing",
    "event_target_input": "stackwright.routing",
    "http_api_route": "stackwright.routing",
    "listener_rule": "stackwright.routing",
    "route_key": "stackwright.routing",
    "schema": "stackwright.schema",
    "hooked": "stackwright.scripts",
    "run_hooks": "stackwright.scripts",
    "MANIFESTS": "stackwright.sources",
    "NODE_MANIFESTS": "stackwright.sources",
    "Sources": "stackwright.sources",
    "collect": "stackwright.sources",
    "included_files": "stackwright.sources",
    "manifest_problem": "stackwright.sources",
    "prebuilt": "stackwright.sources",
    "shipped_anyway": "stackwright.sources",
    "Target": "stackwright.targets",
    "CONFIG_PATHS_KEY": "stackwright.template",
    "Template": "stackwright.template",
    "get_att": "stackwright.template",
    "number": "stackwright.template",
    "ref": "stackwright.template",
    "sub": "stackwright.template",
    "versions": "stackwright.versions",
}


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562) and keep it. Raises AttributeError for another name."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'stackwright' has no attribute {name!r}")
    module = _importlib.import_module(home)
    value = module if home == f"stackwright.{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))


__all__ = [
    "BOOTSTRAP_DESCRIPTION",
    "CONFIG_PATHS_KEY",
    "CONNECT_TO_POLICY",
    "DEPLOYMENT_BUCKET",
    "DEPLOYMENT_BUCKET_ID",
    "EXCLUDED_DIRS",
    "IMAGE_REPOSITORY",
    "IMAGE_REPOSITORY_ID",
    "LIMITS",
    "MANIFESTS",
    "NODE_MANIFESTS",
    "Artifact",
    "ArtifactStore",
    "CannotConnect",
    "Change",
    "Clients",
    "CloudFormationTarget",
    "Config",
    "ConfigError",
    "ConfigProblem",
    "ConfigSection",
    "Connection",
    "ConsolePage",
    "ConsolePanel",
    "DeployResult",
    "Directive",
    "DirectiveEnv",
    "Endpoint",
    "Entry",
    "ExtensionStatus",
    "HotswapResult",
    "InProgress",
    "Ingress",
    "KeptArtifact",
    "KeptVersion",
    "NameRequest",
    "Packager",
    "PanelContent",
    "PanelLink",
    "Phase",
    "PluginError",
    "Position",
    "Project",
    "ProviderExtension",
    "ProviderSecret",
    "Reporter",
    "Resource",
    "ResourceType",
    "Sources",
    "StackContext",
    "StackEvent",
    "StackResource",
    "StackState",
    "StackView",
    "StackwrightError",
    "Target",
    "Template",
    "__version__",
    "access_log_format",
    "approve",
    "cache_dir",
    "cidr_block",
    "collect",
    "compiled_stack",
    "connected_stack",
    "default_name",
    "did_you_mean",
    "digest_named",
    "docker_client",
    "domain_certificates",
    "entry_from_bytes",
    "entry_from_file",
    "env_name",
    "event_target_input",
    "fit",
    "get_att",
    "hooked",
    "hookimpl",
    "http_api_route",
    "human_size",
    "included_files",
    "iter_files",
    "listener_rule",
    "locked",
    "manifest_problem",
    "named_resource",
    "nearest_region",
    "nesting",
    "number",
    "panel_time",
    "pending_diffs",
    "plural",
    "prebuilt",
    "property_diff",
    "pydeps",
    "read_entries",
    "ref",
    "route_key",
    "run_hooks",
    "schema",
    "schema_only_types",
    "shipped_anyway",
    "sub",
    "versions",
    "write_zip",
]
