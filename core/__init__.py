"""stackwright: a Stacktape-compatible deployment engine built as a pluggy plugin framework.

This module is the public API for plugins, and the only module they import from (a meta-test enforces
it for the built-ins, the examples and the providers): the `hookimpl` marker, the `ResourceType` and
`Target` base classes, the records hooks and those classes receive, the template, schema and packaging
helpers, and the error type for user mistakes. `docs/reference/api.md` lists every name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stackwright import (
    property_diff,
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
from stackwright.cache import cache_dir
from stackwright.config.directives import DirectiveEnv
from stackwright.config.suggest import did_you_mean
from stackwright.console import ConsolePage, ConsolePanel, PanelContent, PanelLink, panel_time
from stackwright.context import StackContext
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

if TYPE_CHECKING:
    from stackwright import pydeps
    from stackwright.builtin_plugins.cloudformation import CloudFormationTarget
    from stackwright.deploy import connected_stack, locked
    from stackwright.pending import compiled_stack, pending_diffs
    from stackwright.scripts import hooked, run_hooks

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # deferred: the deploy orchestration and the dependency installer are only needed by the commands
    # that use them, and `stackwright --help` stays fast
    if name in ("connected_stack", "locked"):
        from stackwright import deploy

        return getattr(deploy, name)
    if name in ("hooked", "run_hooks"):
        from stackwright import scripts

        return getattr(scripts, name)
    if name in ("compiled_stack", "pending_diffs"):
        from stackwright import pending

        return getattr(pending, name)
    if name == "CloudFormationTarget":  # the base of the targets that deploy through CloudFormation
        from stackwright.builtin_plugins.cloudformation import CloudFormationTarget

        return CloudFormationTarget
    if name == "pydeps":
        import importlib

        return importlib.import_module("stackwright.pydeps")
    raise AttributeError(f"module 'stackwright' has no attribute {name!r}")


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
