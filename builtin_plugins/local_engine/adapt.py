"""Make a template deployable on the local engine: references to resources it does not create would make
it fail the whole deploy, so they become placeholder strings (and the user is told which)."""

from __future__ import annotations

from typing import Any

from stackwright import Template

from .unemulated import unemulated_type

PLACEHOLDER = "stackwright-local-engine-skipped"


def _placeholder(value: Any, skipped: set[str]) -> str | None:
    if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] in skipped:
        return f"{PLACEHOLDER}:{value['Ref']}"
    if isinstance(value, dict) and set(value) == {"Fn::GetAtt"}:
        target = value["Fn::GetAtt"]
        name = target[0] if isinstance(target, list) else str(target).split(".")[0]
        if name in skipped:
            attribute = target[1] if isinstance(target, list) else str(target).split(".", 1)[-1]
            return f"{PLACEHOLDER}:{name}.{attribute}"
    return None


def _rewrite(node: Any, skipped: set[str]) -> None:
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
    skipped = {lid for lid, body in template.resources.items() if unemulated_type(str(body["Type"]))}
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
