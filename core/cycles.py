"""Dependency cycles in a template: CloudFormation refuses a template whose resources depend on each other
in a circle, long after the user made the mistake. Found here, right after compile, and named by the
config resources involved."""

from __future__ import annotations

import re
from typing import Any

from stackwright.template import Template

_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")


def references(node: Any, found: set[str]) -> set[str]:
    """Every logical id `node` refers to through Ref, Fn::GetAtt, Fn::Sub or DependsOn."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                target = value[0] if isinstance(value, list) and value else str(value).split(".")[0]
                found.add(str(target))
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) and value else value
                variables = value[1] if isinstance(value, list) and len(value) > 1 else {}
                for name in _SUB_NAME.findall(str(text)):
                    if name not in variables:
                        found.add(name)
                references(variables, found)
            elif key == "DependsOn":
                found.update([value] if isinstance(value, str) else list(value or []))
            else:
                references(value, found)
    elif isinstance(node, list):
        for item in node:
            references(item, found)
    return found


def find_cycle(template: Template) -> list[str] | None:
    """One dependency cycle among the template's resources (logical ids, the first repeated at the end),
    or None."""
    resources = template.resources
    ids = set(resources)
    edges = {lid: sorted(references(body, set()) & ids - {lid}) for lid, body in resources.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(start: str) -> list[str] | None:  # depth-first, without recursion (chains may be long)
        state[start] = 1
        path.append(start)
        todo = [iter(edges[start])]
        while todo:
            nxt = next(todo[-1], None)
            if nxt is None:
                todo.pop()
                state[path.pop()] = 2
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                todo.append(iter(edges[nxt]))
        return None

    for lid in sorted(resources):
        if lid not in state:
            cycle = visit(lid)
            if cycle:
                return cycle
    return None
