"""Apply, through the service APIs, the settings of `appliers.APPLY` that the engine's CloudFormation
drops, right after a deploy, to the resources it added or changed. A value built from something the
engine cannot tell before the deploy (an attribute, a condition) is not applied but named instead."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from stackwright import StackContext

from .appliers import (
    APPLIED_TO,
    HONOURED,
    PARTLY_KEPT,
    Applier,
    Unknown,
    cors_rules,
    lifecycle_rules,
    notifications,
    tag_map,
)

Names = Callable[[str], str]


def evaluate(value: Any, names: Names) -> Any:
    """`value` with `Ref`, `Fn::Sub` and `Fn::Join` worked out by `names` (a logical id or pseudo
    parameter → its value). Raises Unknown for any other intrinsic."""
    if isinstance(value, list):
        return [evaluate(v, names) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, arg),) = value.items()
        if key == "Ref":
            return names(str(arg))
        if key == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            bound = {k: str(evaluate(v, names)) for k, v in variables.items()}

            def variable(match: re.Match[str]) -> str:
                name = match.group(1)
                if name.startswith("!"):
                    return "${" + name[1:] + "}"
                return bound[name] if name in bound else names(name)

            return re.sub(r"\$\{([^}]*)\}", variable, str(text))
        if key == "Fn::GetAtt":
            target, attribute = arg if isinstance(arg, list) else str(arg).split(".", 1)
            return names(f"{evaluate(target, names)}.{attribute}")
        if key == "Fn::Join":
            return str(arg[0]).join(str(evaluate(part, names)) for part in evaluate(arg[1], names))
        if key.startswith("Fn::") or key == "Condition":
            raise Unknown(key)
    return {k: evaluate(v, names) for k, v in value.items()}


PSEUDO = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
#: Attributes worked out from a resource's physical id (`{id}`, its last part `{name}`), its properties
#: (`{prop:Name}`) and the pseudo parameters.
ATTRIBUTES = {
    ("AWS::Lambda::Function", "Arn"): "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:{id}",
    ("AWS::S3::Bucket", "Arn"): "arn:aws:s3:::{id}",
    ("AWS::SQS::Queue", "Arn"): "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:{name}",  # the id is its URL
    # `{bus/}`: the name of the rule's event bus and `/`, or nothing for the default bus
    ("AWS::Events::Rule", "Arn"): "arn:aws:events:${AWS::Region}:${AWS::AccountId}:rule/{bus/}{id}",
    # `{prop:Name}`: the resource's own `Name` property (the engine gives a bus no physical id)
    ("AWS::Events::EventBus", "Arn"): "arn:aws:events:${AWS::Region}:${AWS::AccountId}:event-bus/{prop:Name}",
}


def _names(ctx: StackContext, resources: dict[str, Any], physical: dict[str, str] | None) -> Names:
    """Values for `Ref` and `${...}`: pseudo parameters, and (after the deploy) physical ids; before it
    (`physical` None) a stand-in for every resource of the template, to tell what can be worked out."""
    pseudo = {
        **PSEUDO,
        "AWS::Region": ctx.project.region,
        "AWS::AccountId": ctx.project.account,
        "AWS::StackName": ctx.stack_name,
    }

    def names(name: str) -> str:
        if name in pseudo:
            return pseudo[name]
        lid, dot, attribute = name.partition(".")
        if dot:  # an attribute (`${Fn.Arn}`, `Fn::GetAtt`): those whose value follows from the physical id
            kind = str((resources.get(lid) or {}).get("Type"))
            if (kind, attribute) not in ATTRIBUTES:
                raise Unknown(name)
            props = (resources.get(lid) or {}).get("Properties") or {}
            text = re.sub(
                r"\{prop:(\w+)\}",
                lambda m: str(evaluate(props[m.group(1)], names)),
                ATTRIBUTES[(kind, attribute)],
            )
            physical_id = names(lid) if "{id}" in text or "{name}" in text else ""
            text = text.replace("{id}", physical_id)
            text = text.replace("{name}", physical_id.rsplit("/", 1)[-1])
            bus = props.get("EventBusName")
            text = text.replace("{bus/}", str(evaluate(bus, names)).rsplit("/", 1)[-1] + "/" if bus else "")
            return re.sub(r"\$\{([^}]*)\}", lambda m: pseudo[m.group(1)], text)
        if physical is None and name in resources:
            return name
        if physical is not None and physical.get(name):
            return physical[name]
        raise Unknown(name)

    return names


def _work(resources: dict[str, Any], before: dict[str, Any]) -> list[tuple[str, str, str, Any, bool]]:
    """(logical id, type, property, value, set) for each honoured setting to put in place or take away:
    of the resources that are new or changed."""
    todo = []
    for lid, body in resources.items():
        kind = str(body.get("Type"))
        if kind not in HONOURED or before.get(lid) == body:
            continue
        props = body.get("Properties") or {}
        old = before.get(lid) or {}
        previous = (old.get("Properties") or {}) if old.get("Type") == kind else {}
        for prop in HONOURED[kind]:
            if prop in props or prop in previous:
                todo.append((lid, kind, prop, props.get(prop), prop in props))
    return todo


def unknown(ctx: StackContext, template: dict[str, Any], deployed: dict[str, Any] | None) -> list[str]:
    """`LogicalId.Property` of each honoured setting whose value cannot be worked out locally."""
    resources = template.get("Resources") or {}
    names = _names(ctx, resources, None)
    found = []
    for lid, kind, prop, value, present in _work(resources, (deployed or {}).get("Resources") or {}):
        try:
            if present:
                _prepare(kind, prop, evaluate(value, names))
            _targets(lid, kind, resources, {}, names)
        except (Unknown, KeyError, TypeError, AttributeError, IndexError):
            found.append(f"{lid}.{prop}")
            continue
        part = PARTLY_KEPT.get((kind, prop))
        if present and part and isinstance(value, dict) and part in value:
            found.append(f"{lid}.{prop}.{part}")
    return found


def _prepare(kind: str, prop: str, value: Any) -> Any:
    """Check the shape of a value the way its applier reads it (raises when it cannot)."""
    if prop == "Tags":
        tag_map(value)
    elif prop == "LifecycleConfiguration":
        lifecycle_rules(value)
    elif prop == "LifecyclePolicy":
        str(value["LifecyclePolicyText"])
    elif prop == "VersioningConfiguration":
        str(value["Status"])
    elif prop == "CorsConfiguration":
        cors_rules(value)
    elif prop == "NotificationConfiguration":
        notifications(value)
    elif prop == "OwnershipControls":
        list(value["Rules"])
    return value


def _targets(
    lid: str, kind: str, resources: dict[str, Any], physical: dict[str, str], names: Names
) -> list[str]:
    """What a setting is applied to: the resource's physical id, or (`APPLIED_TO`) the resources one of
    its properties names."""
    if kind in APPLIED_TO:
        named = evaluate((resources[lid].get("Properties") or {})[APPLIED_TO[kind]], names)
        return [str(n) for n in (named if isinstance(named, list) else [named])]
    return [physical[lid]] if physical.get(lid) else []


def honour(ctx: StackContext, template: dict[str, Any], deployed: dict[str, Any] | None) -> list[str]:
    """Apply the honoured settings of what this deploy added or changed; returns `LogicalId.Property
    (why)` for each the engine refused."""
    from botocore.exceptions import BotoCoreError, ClientError

    resources = template.get("Resources") or {}
    todo = _work(resources, (deployed or {}).get("Resources") or {})
    if not todo:
        return []
    cf = ctx.clients.client("cloudformation")
    physical = {
        str(r["LogicalResourceId"]): str(r.get("PhysicalResourceId") or "")
        for page in cf.get_paginator("list_stack_resources").paginate(StackName=ctx.stack_name)
        for r in page["StackResourceSummaries"]
        if r.get("LogicalResourceId")
    }
    names = _names(ctx, resources, physical)
    apply = Applier(ctx)
    refused = []
    for lid, kind, prop, value, present in todo:
        try:
            targets = _targets(lid, kind, resources, physical, names)
            given = _prepare(kind, prop, evaluate(value, names)) if present else None
        except (Unknown, KeyError, TypeError, AttributeError, IndexError):
            continue  # named before the deploy
        try:
            for target in targets:
                apply(kind, prop, target, given)
        except (ClientError, BotoCoreError) as error:
            refused.append(f"{lid}.{prop} ({error})")
    return refused
