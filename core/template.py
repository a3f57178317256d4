"""CloudFormation template model. Intrinsic functions are plain dicts (`ref("X")` is `{"Ref": "X"}`)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stackwright.errors import StackwrightError

LOGICAL_ID = re.compile(r"^[A-Za-z0-9]{1,255}$")
RESOURCE_ATTRIBUTES = (
    "DependsOn",
    "Condition",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "UpdatePolicy",
    "CreationPolicy",
    "Metadata",
)


def ref(logical_id: str) -> dict[str, Any]:
    """CloudFormation's `Ref` of a template resource or parameter."""
    return {"Ref": logical_id}


def get_att(logical_id: str, attribute: str) -> dict[str, Any]:
    """CloudFormation's `Fn::GetAtt` of a template resource's attribute."""
    return {"Fn::GetAtt": [logical_id, attribute]}


def sub(text: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """CloudFormation's `Fn::Sub`, with `variables` when given."""
    return {"Fn::Sub": [text, dict(variables)] if variables else text}


def join(delimiter: str, values: list[Any]) -> dict[str, Any]:
    return {"Fn::Join": [delimiter, values]}


def import_value(name: Any) -> dict[str, Any]:
    return {"Fn::ImportValue": name}


def number(value: Any) -> Any:
    """A config number as CloudFormation wants it: an int when it is a whole number (`512.0` → 512), any
    other number as is, and a CloudFormation value (`{"Fn::GetAtt": ...}`, from a compile-time
    directive) unchanged, for CloudFormation to resolve. Raises nothing."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return int(value) if float(value).is_integer() else value


def check_logical_id(logical_id: str) -> str:
    if not LOGICAL_ID.match(logical_id):
        raise StackwrightError(
            f"invalid CloudFormation logical id {logical_id!r}: use 1-255 letters and digits only"
        )
    return logical_id


#: The template Metadata key that maps each logical id to the config path of the config resource that
#: produced it (`resources.api`, `cloudformationResources.JobsQueue`), written at the end of the compile.
CONFIG_PATHS_KEY = "Stackwright::ConfigPaths"


@dataclass
class Template:
    """A CloudFormation template being assembled by the compile phase."""

    description: str = ""
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)
    mappings: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)

    def add_resource(
        self,
        logical_id: str,
        type: str,
        properties: Mapping[str, Any] | None = None,
        *,
        owner: str = "",
        **attributes: Any,
    ) -> dict[str, Any]:
        """Add a resource; `owner` names the config resource it belongs to (for messages and overrides)."""
        check_logical_id(logical_id)
        if logical_id in self.resources:
            raise StackwrightError(
                f"two resources compile to the same logical id {logical_id!r}"
                + (f" ({self.owners.get(logical_id)!r} and {owner!r})" if owner else ""),
                hint="rename one of the resources",
            )
        unknown = set(attributes) - set(RESOURCE_ATTRIBUTES)
        if unknown:
            raise TypeError(f"unknown resource attributes: {sorted(unknown)}")
        body: dict[str, Any] = {"Type": type}
        if properties:
            body["Properties"] = dict(properties)
        body.update({k: v for k, v in attributes.items() if v is not None})
        self.resources[logical_id] = body
        if owner:
            self.owners[logical_id] = owner
        return body

    def add_parameter(self, logical_id: str, type: str = "String", **fields: Any) -> None:
        self.parameters[check_logical_id(logical_id)] = {"Type": type, **fields}

    def add_condition(self, logical_id: str, expression: Any) -> None:
        self.conditions[check_logical_id(logical_id)] = expression

    def add_output(self, logical_id: str, value: Any, *, description: str = "", export: Any = None) -> None:
        body: dict[str, Any] = {"Value": value}
        if description:
            body["Description"] = description
        if export is not None:
            body["Export"] = {"Name": export}
        self.outputs[check_logical_id(logical_id)] = body

    def add_role_statements(self, role_id: str, statements: list[dict[str, Any]], policy: str) -> None:
        """Append IAM `statements` to inline policy `policy` of the `AWS::IAM::Role` `role_id`, creating
        the policy on first use. Raises StackwrightError when `role_id` is not a role of this template."""
        role = self.resources.get(role_id)
        if role is None or role.get("Type") != "AWS::IAM::Role":
            raise StackwrightError(f"{role_id!r} is not an IAM role of this template")
        policies = role.setdefault("Properties", {}).setdefault("Policies", [])
        found = next((p for p in policies if p.get("PolicyName") == policy), None)
        if found is None:
            found = {"PolicyName": policy, "PolicyDocument": {"Version": "2012-10-17", "Statement": []}}
            policies.append(found)
        found["PolicyDocument"]["Statement"].extend(statements)

    def add_policy_statements(
        self,
        logical_id: str,
        resource_type: str,
        target: Mapping[str, Any],
        statements: list[dict[str, Any]],
        owner: str = "",
    ) -> None:
        """Append `statements` to the resource policy `logical_id` (an `AWS::SQS::QueuePolicy`,
        `AWS::SNS::TopicPolicy`, ...), created on first use with the `target` properties (`{"Queues":
        [...]}`). A queue or topic has one policy, so every plugin that lets a service reach it adds to the
        same resource (named after the queue or topic) instead of replacing what another allowed. Raises
        StackwrightError when `logical_id` is a resource of another type."""
        found = self.resources.get(logical_id)
        if found is None:
            document = {"Version": "2012-10-17", "Statement": []}
            found = self.add_resource(
                logical_id, resource_type, {**target, "PolicyDocument": document}, owner=owner
            )
        elif found.get("Type") != resource_type:
            raise StackwrightError(f"{logical_id!r} is a {found.get('Type')}, not a {resource_type}")
        found["Properties"]["PolicyDocument"]["Statement"].extend(statements)

    def resources_of(self, owner: str) -> dict[str, dict[str, Any]]:
        return {lid: body for lid, body in self.resources.items() if self.owners.get(lid) == owner}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09"}
        if self.description:
            out["Description"] = self.description
        for key, value in (
            ("Metadata", self.metadata),
            ("Parameters", self.parameters),
            ("Mappings", self.mappings),
            ("Conditions", self.conditions),
            ("Resources", self.resources),
            ("Outputs", self.outputs),
        ):
            if value:
                out[key] = value
        return out

    def to_json(self, indent: int | None = 2) -> str:
        return dump_json(self.to_dict(), indent)

    def to_yaml(self) -> str:
        return dump_yaml(self.to_dict())


def dump_json(body: dict[str, Any], indent: int | None = 2) -> str:
    """A template as JSON text, in its own key order."""
    return json.dumps(body, indent=indent, sort_keys=False) + "\n"


def dump_yaml(body: dict[str, Any]) -> str:
    """A template as YAML text, in its own key order, without anchors."""
    import yaml  # deferred: only needed for YAML output

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    return yaml.dump(body, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=1000)


def deep_merge(target: dict[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """Merge `patch` into `target` in place: dicts merge key by key, anything else replaces."""
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            deep_merge(target[key], value)
        else:
            target[key] = value
    return target
