"""The phases of a deploy and the small records that pass between them and the target."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from stackwright.artifacts import Artifact


class Phase(enum.StrEnum):
    COMPILE = "compile"
    PACKAGE = "package"
    EXTENSIONS = "extensions"
    BOOTSTRAP = "bootstrap"
    UPLOAD = "upload"
    DEPLOY = "deploy"
    HOTSWAP = "hotswap"


@dataclass(frozen=True)
class ProviderSecret:
    """A Secrets Manager secret the handlers of a registry extension read (MongoDB Atlas's profile
    `cfn/atlas/profile/<name>`), or that a template reads by dynamic reference, kept by the target in the
    extensions phase, before the change set.

    `values` (JSON key, value) become the secret's JSON string; a value may be a Secrets Manager dynamic
    reference (`{{resolve:secretsmanager:name:SecretString:key}}`, what `$Secret` compiles to), which the
    target resolves. Written only when it changed, never printed, deleted after its stack (its tag
    `stackwright:stack`). A target without Secrets Manager skips it.
    """

    name: str
    values: tuple[tuple[str, str], ...] = field(repr=False)

    @property
    def reference(self) -> str:
        """The secret as a dynamic reference, for a template."""
        return "{{resolve:secretsmanager:" + self.name + "}}"

    def key_reference(self, key: str) -> str:
        """One key of the secret as a dynamic reference (`{{resolve:secretsmanager:N:SecretString:K}}`)."""
        return "{{resolve:secretsmanager:" + self.name + ":SecretString:" + key + "}}"


@dataclass(frozen=True)
class ProviderExtension:
    """A CloudFormation registry extension a resource needs.

    mode `activate`: a public third-party type (by `publisher_id`, at `major_version`, minor versions
    updated automatically); `register`: a private type from `schema_handler_package` (a local file the
    target uploads to the deployment bucket, or an s3:// URL) at `version`.
    """

    type_name: str
    mode: Literal["activate", "register"] = "activate"
    publisher_id: str = ""
    schema_handler_package: str = ""
    execution_role_arn: str = ""
    major_version: int | None = None
    #: For `register`: the version of the handler package; a different registered version re-registers.
    version: str = ""
    #: The plugin that asked for it (set by the core), for messages.
    plugin: str = ""
    #: IAM policy statements of the execution role the type's handlers run with, when
    #: `execution_role_arn` is not given: the target creates or updates the role (trusted only by
    #: CloudFormation's resource handlers for this type, in this account). `${AWS::AccountId}`,
    #: `${AWS::Region}` and `${AWS::Partition}` in them are filled in.
    execution_role_statements: tuple[dict[str, Any], ...] = ()
    #: Secrets the type's handlers or the template read, kept by the target before the change set.
    secrets: tuple[ProviderSecret, ...] = ()
    #: For `register` without `schema_handler_package`: makes the package (a local path) when the target
    #: registers `version`, so a deploy that finds it registered builds nothing.
    package_builder: Callable[[], str] | None = field(default=None, compare=False)


@dataclass
class ExtensionStatus:
    """What the extensions phase did for one extension: `activated`, `registered`, `in-place`, or
    `skipped` (a target without a registry says so); or, read by `Target.describe_extensions`, whether
    it is `in-place` or `missing`."""

    type_name: str
    status: Literal["activated", "registered", "in-place", "skipped", "missing"]
    arn: str = ""
    detail: str = ""
    #: The version in place, as the registry names it (`00000003`, or a public type's `2.0.1`), when known.
    version: str = ""


@dataclass
class StackState:
    """What the target knows of the stack: None `status` when it does not exist yet."""

    name: str
    status: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    last_version: int = 0
    reason: str = ""
    resources: dict[str, str] = field(default_factory=dict)
    #: Resources whose code was hot-swapped since the last full deploy: logical id → {digest, at}.
    hotswapped: dict[str, dict[str, str]] = field(default_factory=dict)
    #: The stack's id as the target names it (an ARN on CloudFormation), once it exists.
    stack_id: str = ""
    #: Whether the stack refuses to be deleted (CloudFormation's termination protection).
    termination_protection: bool = False
    #: The stack's tags: key → value.
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def bucket(self) -> str | None:
        """The deployment bucket's name, once the stack has one."""
        from stackwright.artifacts import DEPLOYMENT_BUCKET_ID

        return self.resources.get(DEPLOYMENT_BUCKET_ID)

    @property
    def exists(self) -> bool:
        return self.status is not None

    @property
    def next_version(self) -> str:
        return f"v{self.last_version + 1:06d}"


@dataclass
class DeployResult:
    """How a template deploy ended: the final stack status, the number of changes, whether it ran."""

    status: str
    changes: int = 0
    executed: bool = False
    hotswapped: bool = False


@dataclass(frozen=True)
class InProgress:
    """A stack resource still being created or updated, as a deploy sees it."""

    logical_id: str
    resource_type: str
    physical_id: str
    since: datetime


@dataclass
class Change:
    """A code-only change to one resource: the artifact that changed and the compiled resource body."""

    resource: str
    logical_id: str
    resource_type: str
    artifact: Artifact
    previous_digest: str = ""
    definition: dict[str, Any] = field(default_factory=dict)
    physical_id: str = ""
    #: Every artifact of this deploy the resource now uses that the running one does not (several for a
    #: task definition whose containers changed images); `artifact` is the first.
    artifacts: list[Artifact] = field(default_factory=list)
    #: True on the planning pass: say whether you can hot-swap it (return a result) without acting.
    plan_only: bool = False
    #: How many changes of this hot-swap put `artifact`'s content in place (functions sharing one zip):
    #: a type that could send the bytes in its update call sends them once through the store instead.
    sharing: int = 1


@dataclass
class HotswapResult:
    """What a hot-swap did: the physical id updated and a one-line description."""

    resource: str
    physical_id: str
    detail: str = ""
    logical_id: str = ""
    digest: str = ""
    #: On the planning pass: the type sends the artifacts' bytes itself in its update call (Lambda's
    #: `ZipFile`), so they need not be uploaded to their store first; False (the default) has them
    #: uploaded before the hot-swap runs.
    sends_code: bool = False


@dataclass
class StackResource:
    """One resource of a deployed stack."""

    logical_id: str
    resource_type: str
    physical_id: str
    status: str
    reason: str = ""
    #: The nested stack that holds it, by its logical id in the root ("" in the root itself): a stack past
    #: CloudFormation's limits is deployed as nested stacks (`stackwright.nesting`).
    stack: str = ""


@dataclass
class StackEvent:
    """One stack event, newest first in `StackView.events`."""

    at: datetime
    logical_id: str
    resource_type: str
    status: str
    reason: str = ""


@dataclass
class KeptArtifact:
    """An artifact a kept version uses: a deployment-bucket key (`location`, with its `size` in bytes) or
    an image (its reference; `size` None when the registry does not say)."""

    location: str
    digest: str
    size: int | None = None
    kind: Literal["zip", "image"] = "zip"


@dataclass
class KeptVersion:
    """A version kept for rollback: its number and the artifacts its template uses."""

    number: int
    artifacts: list[KeptArtifact] = field(default_factory=list)


@dataclass
class StackView:
    """Everything a target can tell about a deployed stack, for `info` and the console."""

    state: StackState
    resources: list[StackResource] = field(default_factory=list)
    events: list[StackEvent] = field(default_factory=list)
    template: dict[str, Any] = field(default_factory=dict)
    #: Versions that deployed successfully and whose templates are kept (oldest first), as numbers;
    #: the last one is the version the stack runs.
    kept_versions: list[int] = field(default_factory=list)
    #: The same versions with the artifacts each one's template uses.
    versions: list[KeptVersion] = field(default_factory=list)
    #: The stack's parameters as the target reports them (NoEcho values are `****`).
    parameters: dict[str, str] = field(default_factory=dict)
    #: The stack's id (an ARN on CloudFormation) and when it last changed, when the target says.
    stack_id: str = ""
    updated_at: datetime | None = None
