"""stackwright: a Stacktape-compatible deployment engine built as a pluggy plugin framework.

This module is the public API for plugins: the `hookimpl` marker, the models hooks receive, and the
error type for user mistakes.
"""

from __future__ import annotations

from stackwright.artifacts import Artifact, ArtifactStore, Packager
from stackwright.context import StackContext
from stackwright.errors import ConfigError, ConfigProblem, PluginError, Position, StackwrightError
from stackwright.models import Config, Directive, Project, Resource, ResourceType
from stackwright.naming import NameRequest
from stackwright.phases import Change, HotswapResult, Phase, ProviderExtension
from stackwright.plugins import hookimpl
from stackwright.template import Template

__version__ = "0.1.0"

__all__ = [
    "Artifact",
    "ArtifactStore",
    "Change",
    "Config",
    "ConfigError",
    "ConfigProblem",
    "Directive",
    "HotswapResult",
    "NameRequest",
    "Packager",
    "Phase",
    "PluginError",
    "Position",
    "Project",
    "ProviderExtension",
    "Resource",
    "ResourceType",
    "StackContext",
    "StackwrightError",
    "Template",
    "__version__",
    "hookimpl",
]
