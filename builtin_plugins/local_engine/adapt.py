"""Make a template deployable on the local engine: references to resources it does not create would make
it fail the whole deploy, so they become placeholder strings (and the user is told which)."""

from __future__ import annotations

import copy
from typing import Any

from stackwright import Template

from .unemulated import unemulated_type

PLACEHOLDER = "stackwright-local-engine-skipped"
#: Attributes of skipped resources that have a stand-in the engine does create: (type, attribute) → the
#: property of the skipped resource whose value takes its place. A mapping through a Kinesis stream
#: consumer reads the stream itself.
STAND_INS = {("AWS::Kinesis::StreamConsumer", "ConsumerARN"): "StreamARN"}


def _placeholder(value: Any, skipped: dict[str, Any]) -> Any:
    if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] in skipped:
        return f"{PLACEHOLDER}:{value['Ref']}"
    if isinstance(value, dict) and set(value) == {"Fn::GetAtt"}:
        target = value["Fn::GetAtt"]
        name = target[0] if isinstance(target, list) else str(target).split(".")[0]
        if name in skipped:
            attribute = target[1] if isinstance(target, list) else str(target).split(".", 1)[-1]
            body = skipped[name]
            stand_in = STAND_INS.get((str(body.get("Type")), attribute))
            if stand_in and stand_in in (body.get("Properties") or {}):
                return copy.deepcopy(body["Properties"][stand_in])
            if attribute.lower().endswith("arn"):  # shaped as an ARN, so what checks ARNs still accepts it
                return f"arn:aws:{PLACEHOLDER}:::{name}.{attribute}"
            return f"{PLACEHOLDER}:{name}.{attribute}"
    return None


def _rewrite(node: Any, skipped: dict[str, Any]) -> None:
    """In place: the template shares some dicts with artifacts (code locations) that must stay shared."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in list(items):
        replacement = _placeholder(value, skipped)
        if replacement is not None:
            node[key] = replacement
        else:
            _rewrite(value, skipped)


def adapt(template: Template) -> list[str]:
    """Rewrite `template` in place; return the logical ids of the resources the engine skips."""
    skipped = {lid: body for lid, body in template.resources.items() if unemulated_type(str(body["Type"]))}
    if not skipped:
        return []
    for lid, body in template.resources.items():
        if lid in skipped:
            continue
        depends = body.get("DependsOn")
        if isinstance(depends, list):
            kept = [d for d in depends if d not in skipped]
            if kept:
                body["DependsOn"] = kept
            else:
                body.pop("DependsOn")
        elif isinstance(depends, str) and depends in skipped:
            body.pop("DependsOn")
        if "Properties" in body:
            _rewrite(body["Properties"], skipped)
    _rewrite(template.outputs, skipped)
    return sorted(skipped)
