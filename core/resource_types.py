"""The resource-type contract: a plugin registers `ResourceType` subclasses, one per Stacktape `type`.

The core dispatches by `resource.type` to the registered class and calls the methods that apply; a type
implements only what it supports. Every method receives the `StackContext` and the config `Resource`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from stackwright.errors import ConfigProblem, StackwrightError

if TYPE_CHECKING:
    from stackwright.context import StackContext
    from stackwright.models import Resource
    from stackwright.records import Change, HotswapResult, InProgress, ProviderExtension


@dataclass(frozen=True)
class Ingress:
    """A security-group rule a connection needs: the target's security group (`security_group`, a
    CloudFormation value such as `{"Fn::GetAtt": [...]}`) admits the connecting resource on `port`."""

    security_group: Any
    port: int
    protocol: str = "tcp"


@dataclass
class Connection:
    """What a `connectTo` from another resource receives from its target.

    statements: IAM policy statements scoped to the target's ARNs (least privilege, never `*` on another
    service); environment: parameter name → value, injected as `STP_<TARGET>_<PARAM>` (see `env_name`);
    ingress: security-group rules the source must be given to reach the target over the network.
    """

    target: Resource
    statements: list[dict[str, Any]] = field(default_factory=list)
    environment: dict[str, Any] = field(default_factory=dict)
    ingress: list[Ingress] = field(default_factory=list)

    def variables(self) -> dict[str, Any]:
        """The environment variables by their full names (`STP_MY_QUEUE_URL`)."""
        return {env_name(self.target.name, param): value for param, value in self.environment.items()}


#: The inline role policy that holds a resource's connectTo statements (Stacktape's name for it).
CONNECT_TO_POLICY = "custom-allow-access-to-policy-statements"

_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def env_name(resource: str, param: str) -> str:
    """Stacktape's variable name for a connected resource's parameter: `STP_` + the resource name in
    upper snake case + `_` + the parameter (`myQueue`, `url` → `STP_MY_QUEUE_URL`)."""
    words = [w for part in re.split(r"[^A-Za-z0-9]+", resource) for w in _WORD.findall(part)]
    return "_".join(["STP", *(w.upper() for w in words), param.upper()])


class CannotConnect(StackwrightError):
    """Raised by `ResourceType.connections`/`connect` when a pair cannot be connected; the core turns it
    into a config error at the `connectTo` entry, with this message as the reason."""


class ResourceType:
    """Base class of every resource type. Subclass it, set `name` and `schema`, override what applies.

    Class attributes:
      name: the Stacktape `type` (`function`, `sqs-queue`, ...).
      schema: JSON Schema of the resource's `properties`; `definitions` go into the assembled `$defs`.
      summary: one line for `stackwright plugins` and the schema's description.
      properties_required: whether `properties` must be given.
      schema_only: the config is checked but not compiled yet (refused by name); a full registration of
        the same name replaces it.
      code_locations: CloudFormation type → path of its code inside `Properties` (`"*"` stands for each
        list item) for the resources this type creates whose code can be hot-swapped.
    """

    name: ClassVar[str] = ""
    schema: ClassVar[Mapping[str, Any]] = {"type": "object"}
    summary: ClassVar[str] = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:  # `ResourceType(name, schema)` was the first plugin contract
            raise StackwrightError(
                "resource types are classes now: `ResourceType(...)` takes no arguments",
                hint="subclass stackwright.ResourceType, set `name` and `schema`, implement `compile`, and "
                "return the class from stackwright_register_resource_types "
                "(docs/how-to/write-a-resource-type.md)",
            )

    definitions: ClassVar[Mapping[str, Any]] = {}
    properties_required: ClassVar[bool] = True
    schema_only: ClassVar[bool] = False
    code_locations: ClassVar[Mapping[str, tuple[str, ...]]] = {}

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        """Add `resource`'s CloudFormation resources to `ctx.template` (with `owner=resource.name`) and
        its artifacts with `ctx.add_artifact`. Raises `ConfigError` (through `ctx.fail`) for a config
        mistake. Runs in the compile phase, once per resource, in config order."""
        raise NotImplementedError(f"{type(self).__name__} does not implement ResourceType.compile")

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        """What `$ResourceParam(name, param)` and other types can read of `resource`: param name →
        CloudFormation value (an intrinsic such as `{"Fn::GetAtt": [...]}`). Raises nothing: a param that
        does not apply is left out. Runs in the compile phase when a directive or a type asks."""
        return {}

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        """What a `connectTo` from `source` to this `resource` receives: IAM statements scoped to this
        resource, environment parameters and security-group rules. Raises `CannotConnect` (with the
        reason) when `source` cannot connect to it. Runs after every resource compiled."""
        raise CannotConnect(f"the installed `{self.name}` type offers nothing to connectTo")

    def connect(self, ctx: StackContext, resource: Resource, connection: Connection) -> None:
        """Give `resource` (the source of a `connectTo`) what `connection` grants: add the statements to
        its role, the variables to its environment, the ingress rules to the template. Raises
        `CannotConnect` when this type cannot use that connection. Runs after every resource compiled."""
        raise CannotConnect(f"the installed `{self.name}` type cannot use connectTo")

    def extensions(self, ctx: StackContext, resource: Resource) -> list[ProviderExtension]:
        """The CloudFormation registry extensions the compiled `resource` needs (public types to activate,
        private ones to register); the extensions phase puts them in place. Raises nothing. Runs in the
        compile phase right after `compile`."""
        return []

    def check(self, ctx: StackContext, resource: Resource) -> list[ConfigProblem]:
        """What AWS would refuse at deploy time about `resource`, found before anything is deployed: rules
        across resources (an SQS queue's visibility timeout against the timeout of the function consuming
        it) and limits the schema cannot express, each made with `ctx.problem` at the config value that
        causes it. Reads only the config and the compiled `ctx.template` (results are cached by both).
        Raises nothing. Runs in `validate` and in `deploy` after the template is compiled, before any
        upload."""
        return []

    def hotswap(self, ctx: StackContext, change: Change) -> HotswapResult | None:
        """Apply a code-only `change` (one of this type's `code_locations`) through the service's API, or
        with `change.plan_only` only say whether it can; None when it cannot (CloudFormation then deploys
        everything). Raises `StackwrightError` when the update fails. Runs in the hot-swap phase."""
        return None

    def diagnose(self, ctx: StackContext, resource: Resource, progress: InProgress) -> str | None:
        """The root cause when a CloudFormation resource this type created for `resource` (`progress`,
        still in progress) has in fact already failed, so the deploy rolls back instead of waiting for
        CloudFormation's timeout; None when nothing is wrong yet. Raises nothing: a failure to look is
        None. Runs every few polls while a deploy waits."""
        return None


def schema_only_types(
    schemas: Mapping[str, Mapping[str, Any]],
    definitions: Mapping[str, Any],
    requires_properties: Mapping[str, bool],
) -> list[type[ResourceType]]:
    """ResourceType classes for Stacktape types whose config is checked but not compiled yet."""
    return [
        type(
            "SchemaOnly" + "".join(p.title() for p in name.split("-")),
            (ResourceType,),
            {
                "name": name,
                "schema": schema,
                "definitions": definitions,
                "properties_required": requires_properties.get(name, True),
                "schema_only": True,
                "summary": "checked against Stacktape's schema; not deployable yet",
            },
        )
        for name, schema in schemas.items()
    ]
