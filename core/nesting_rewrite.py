"""The templates of a split (`stackwright.nesting`): each resource written where it was placed, its
references to other stacks turned into parameters the root gives, from the other nested stacks'
outputs or the root's own resources."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

from stackwright.nesting import METADATA_KEY, SUB_REFERENCE, Split, depends_on, references


def assemble(
    template: dict[str, Any],
    owners: dict[str, str],
    placed: dict[str, str],
    order: list[str],
    url: Callable[[dict[str, Any]], Any],
) -> Split:
    resources: dict[str, Any] = template.get("Resources", {})
    ids = set(resources)
    root_parameters: dict[str, Any] = template.get("Parameters", {})
    nested: dict[str, dict[str, Any]] = {
        name: {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}} for name in order
    }
    given: dict[str, dict[str, Any]] = {name: {} for name in order}  # stack → parameter → value in root
    after: dict[str, set[str]] = {name: set() for name in order}  # stack → stacks it waits for

    def output_of(stack: str, target: str, attribute: str) -> Any:
        name = _name(target, attribute)
        outputs = nested[stack].setdefault("Outputs", {})
        value = {"Fn::GetAtt": [target, attribute]} if attribute else {"Ref": target}
        outputs[name] = {"Value": value}
        return {"Fn::GetAtt": [stack, f"Outputs.{name}"]}

    def in_root(target: str, attribute: str) -> Any:
        """How the root says the value of `target` (a root resource, or an output of its nested stack)."""
        home = placed.get(target, "")
        if home:
            return output_of(home, target, attribute)
        return {"Fn::GetAtt": [target, attribute]} if attribute else {"Ref": target}

    def rewrite(value: Any, home: str) -> Any:
        """`value` as written in stack `home` ("" the root)."""
        if isinstance(value, dict):
            if len(value) == 1:
                key, arg = next(iter(value.items()))
                if key == "Ref" and isinstance(arg, str):
                    if arg in ids and placed[arg] != home:
                        return _outside(home, arg, "")
                    if home and arg in root_parameters:
                        given[home][arg] = {"Ref": arg}
                        nested[home].setdefault("Parameters", {})[arg] = copy.deepcopy(root_parameters[arg])
                    return value
                found = list(references(value, ids)) if key in ("Fn::GetAtt", "Fn::Sub") else []
                if key == "Fn::GetAtt" and found and placed[found[0][0]] != home:
                    return _outside(home, *found[0])
                if key == "Fn::Sub":
                    return _sub(arg, home)
            return {k: rewrite(v, home) for k, v in value.items()}
        if isinstance(value, list):
            return [rewrite(v, home) for v in value]
        return value

    def _outside(home: str, target: str, attribute: str) -> Any:
        if not home:  # the root refers to a nested stack's resource
            return in_root(target, attribute)
        parameter = _name(target, attribute)
        nested[home].setdefault("Parameters", {})[parameter] = {"Type": "String"}
        given[home][parameter] = in_root(target, attribute)  # its GetAtt orders the stacks
        return {"Ref": parameter}

    def _sub(arg: Any, home: str) -> Any:
        text, names = (arg, {}) if isinstance(arg, str) else (arg[0], dict(arg[1]) if len(arg) > 1 else {})
        names = {k: rewrite(v, home) for k, v in names.items()}

        def swap(match: re.Match[str]) -> str:
            target, attribute = match.group(1), match.group(2) or ""
            if target in names or target not in ids or placed[target] == home:
                if home and target in root_parameters:
                    rewrite({"Ref": target}, home)
                return match.group(0)
            value = _outside(home, target, attribute)
            if not home:
                variable = _name(target, attribute)
                names[variable] = value
                return "${" + variable + "}"
            return "${" + str(value["Ref"]) + "}"

        text = SUB_REFERENCE.sub(swap, str(text))
        return {"Fn::Sub": [text, names] if names else text}

    root: dict[str, Any] = {k: copy.deepcopy(v) for k, v in template.items() if k != "Resources"}
    root["Resources"] = {}
    for lid, body in resources.items():
        home = placed[lid]
        body = rewrite(copy.deepcopy(body), home)
        depends = depends_on(body)
        if depends:
            kept: list[str] = []
            for other in depends:
                there = placed.get(other, "")
                if there == home:
                    kept.append(other)
                elif not home:  # a root resource waits for the nested stack that holds it
                    kept.append(there)
                else:  # the nested stack waits for the stack (or root resource) that holds it
                    after[home].add(there or other)
            kept = list(dict.fromkeys(kept))
            if kept:
                body["DependsOn"] = kept if len(kept) > 1 else kept[0]
            else:
                body.pop("DependsOn", None)
        condition = body.get("Condition")
        if home and condition:
            _give_conditions(template, nested[home], given[home], str(condition))
        (nested[home]["Resources"] if home else root["Resources"])[lid] = body
    if "Outputs" in root:
        root["Outputs"] = rewrite(root["Outputs"], "")
    for name in order:
        body = nested[name]
        if "Mappings" in template and "Fn::FindInMap" in json.dumps(body):
            body["Mappings"] = copy.deepcopy(template["Mappings"])
        if "Conditions" in template and "Fn::If" in json.dumps(body):
            for condition in template["Conditions"]:
                _give_conditions(template, body, given[name], condition)
        stack: dict[str, Any] = {
            "Type": "AWS::CloudFormation::Stack",
            "Properties": {"TemplateURL": url(body)},
        }
        if given[name]:
            stack["Properties"]["Parameters"] = dict(sorted(given[name].items()))
        implied = {_target(value) for value in given[name].values()}  # a Ref or GetAtt orders them already
        waits = sorted(after[name] - {name} - implied)
        if waits:
            stack["DependsOn"] = waits
        root["Resources"][name] = stack
    root.setdefault("Metadata", {})[METADATA_KEY] = {
        owner: placed[lid] for lid, owner in sorted(owners.items()) if placed.get(lid)
    }
    return Split(root, nested, {lid: home for lid, home in placed.items()})


def _give_conditions(
    template: dict[str, Any], body: dict[str, Any], given: dict[str, Any], name: str
) -> None:
    conditions = template.get("Conditions", {})
    if name not in conditions or name in body.get("Conditions", {}):
        return
    definition = copy.deepcopy(conditions[name])
    body.setdefault("Conditions", {})[name] = definition
    text = json.dumps(definition)
    for parameter, spec in template.get("Parameters", {}).items():
        if f'"Ref": "{parameter}"' in text:
            body.setdefault("Parameters", {})[parameter] = copy.deepcopy(spec)
            given[parameter] = {"Ref": parameter}
    for other in re.findall(r'"Condition": "([^"]+)"', text):
        _give_conditions(template, body, given, other)


def _target(value: Any) -> str:
    """The resource a parameter's value (`Ref` or `Fn::GetAtt`) names."""
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return str(value["Fn::GetAtt"][0])
    return ""


def _name(target: str, attribute: str) -> str:
    """A parameter or output name (alphanumeric) for a resource or one of its attributes."""
    return re.sub(r"[^A-Za-z0-9]", "", target + attribute)
