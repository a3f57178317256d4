"""The context object hooks receive while a stack is compiled, packaged and deployed."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

from stackwright.artifacts import Artifact
from stackwright.errors import ConfigError, ConfigProblem, StackwrightError
from stackwright.models import Config, Project, Resource
from stackwright.naming import NameKind, NameRequest
from stackwright.report import Reporter
from stackwright.template import Template

if TYPE_CHECKING:
    from stackwright.aws import Clients
    from stackwright.plugins import Plugins
    from stackwright.records import InProgress, ProviderExtension, StackState
    from stackwright.stack_config import StackSettings
    from stackwright.targets import Target


@dataclass
class StackContext:
    """Everything known about the stack being worked on. New fields may be added; none will be removed."""

    project: Project
    config: Config
    plugins: Plugins
    template: Template = field(default_factory=Template)
    artifacts: dict[str, Artifact] = field(default_factory=dict)
    extensions: list[ProviderExtension] = field(default_factory=list)
    version: str = "v000001"
    stack_name: str = ""
    use_cache: bool = True
    aws: Clients | None = None
    state: StackState | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)
    report: Reporter = field(default_factory=Reporter)

    def __post_init__(self) -> None:
        if not self.stack_name:
            self.stack_name = self.plugins.name(
                NameRequest(
                    kind="stack",
                    project=self.project.name,
                    stage=self.project.stage,
                    region=self.project.region,
                )
            )

    @property
    def stack_settings(self) -> StackSettings:
        """What a deploy passes CloudFormation besides the template (`stackConfig`, `deploymentConfig`)."""
        from stackwright.stack_config import stack_settings

        return stack_settings(self.project, self.config.data)

    def _request(self, kind: NameKind, resource: str, suffix: str, service: str = "generic") -> NameRequest:
        return NameRequest(
            kind=kind,
            project=self.project.name,
            stage=self.project.stage,
            resource=resource,
            suffix=suffix,
            service=service,
            stack_name=self.stack_name,
            region=self.project.region,
            account=self.project.account,
        )

    def logical_id(self, resource: str, suffix: str = "") -> str:
        """The template key for part `suffix` of config resource `resource` (`api`, `Role` → `ApiRole`)."""
        return self.plugins.name(self._request("logical_id", resource, suffix))

    def physical_name(self, resource: str, service: str, suffix: str = "") -> str:
        """The AWS name for part `suffix` of `resource`, within `service`'s length and character rules."""
        return self.plugins.name(self._request("physical", resource, suffix, service))

    @property
    def target(self) -> Target | None:
        """The registered target stacks go to (`project.target`), or None when no plugin offers it."""
        found = self.plugins.targets().get(self.project.target)
        return found[0] if found else None

    def require_target(self) -> Target:
        """The target, or a StackwrightError listing the installed ones."""
        return self.plugins.target(self.project.target)

    def blame_target(self) -> AbstractContextManager[None]:
        """`with ctx.blame_target(): ...` around a call into the target: an unexpected exception names the
        plugin that registered it."""
        return self.plugins.blame(self.plugins.owner_of_target(self.project.target))

    def params_of(self, resource: Resource) -> dict[str, Any]:
        """What `resource` exposes to `$ResourceParam` and to other plugins, asked of its registered type
        (param name → CloudFormation value)."""
        with self.plugins.blame(self.plugins.owner_of_type(resource.type)):
            return dict(self.plugins.type_of(resource).params(self, resource))

    def diagnose(self, progress: InProgress) -> str | None:
        """The root cause a resource type finds for a template resource it created that is still in
        progress during a deploy (see `ResourceType.diagnose`); None when its owner sees nothing wrong."""
        owner = self.template.owners.get(progress.logical_id)
        resource = self.config.resource(owner) if owner else None
        if resource is None or resource.type not in self.plugins.resource_types():
            return None
        with self.plugins.blame(self.plugins.owner_of_type(resource.type)):
            return self.plugins.type_of(resource).diagnose(self, resource, progress)

    @property
    def clients(self) -> Clients:
        """The target's boto3 client factory (commands that talk to AWS set it)."""
        if self.aws is None:
            raise StackwrightError("this command does not talk to AWS")
        return self.aws

    def add_artifact(self, artifact: Artifact) -> Artifact:
        """Register an artifact and compute its digest now, from its inputs, through its packager."""
        if artifact.name in self.artifacts:
            raise StackwrightError(f"two artifacts are named {artifact.name!r}")
        artifact.version = self.version
        packager = self.plugins.get_packager(self, artifact)
        artifact.digest = packager.digest(artifact)
        self.artifacts[artifact.name] = artifact
        return artifact

    def problem(
        self, path: tuple[str | int, ...] | str, message: str, hint: str | None = None
    ) -> ConfigProblem:
        """A user mistake about the config value at `path` (`("resources", "api", "properties",
        "memory")`, or the same dotted: `"resources.api.properties.memory"`), pointing at its file and
        line (or at its nearest written parent). What `ResourceType.check` returns; raises nothing."""
        if isinstance(path, str):
            path = tuple(int(p) if p.isdigit() else p for p in path.split("."))
        resource = str(path[1]) if len(path) > 1 and path[0] == "resources" else None
        return ConfigProblem(
            path=".".join(map(str, path)),
            message=message,
            position=self.config.position_of(*path),
            hint=hint,
            resource=resource,
        )

    def fail(self, path: tuple[str | int, ...] | str, message: str, hint: str | None = None) -> NoReturn:
        """Stop with a user error about the config value at `path` (see `problem`). Raises ConfigError."""
        raise ConfigError([self.problem(path, message, hint)], self.source)

    @property
    def source(self) -> str:
        """The config file's name, as problems are headed (`stackwright.yml`)."""
        return str(self.config.path.name if self.config.path else "config")
