"""Phases of a deploy and the small records that pass between them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Literal

from stackwright.artifacts import Artifact


class Phase(enum.StrEnum):
    COMPILE = "compile"
    PACKAGE = "package"
    BOOTSTRAP = "bootstrap"
    UPLOAD = "upload"
    DEPLOY = "deploy"
    HOTSWAP = "hotswap"


@dataclass(frozen=True)
class ProviderExtension:
    """A CloudFormation registry extension a resource needs.

    mode `activate`: a public third-party type (by `publisher_id`); `register`: a private type from
    `schema_handler_package` (an S3 URL).
    """

    type_name: str
    mode: Literal["activate", "register"] = "activate"
    publisher_id: str = ""
    schema_handler_package: str = ""
    execution_role_arn: str = ""
    major_version: int | None = None


@dataclass
class Change:
    """A code-only change to one resource: the artifact that changed and the compiled resource body."""

    resource: str
    logical_id: str
    resource_type: str
    artifact: Artifact
    previous_digest: str = ""
    definition: dict[str, Any] = field(default_factory=dict)


@dataclass
class HotswapResult:
    """What a hot-swap did: the physical id updated and a one-line description."""

    resource: str
    physical_id: str
    detail: str = ""
