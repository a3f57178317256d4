"""Where each unit of a split goes (`stackwright.nesting`): the root for what stays there, else the
nested stack it was in, else the first with room; never so that two stacks wait on each other."""

from __future__ import annotations

from typing import Any

import stackwright.nesting as nesting
from stackwright.nesting import depends_on, references, size_of


class Cyclic(Exception):
    """Root units (by index) that cannot stay in the root: a nested stack they need waits for them."""

    def __init__(self, units: set[int]) -> None:
        super().__init__(units)
        self.units = units


def place(
    resources: dict[str, Any],
    owners: dict[str, str],
    units: list[list[str]],
    sizes: list[tuple[int, int]],
    staying: set[int],
    previous: dict[str, str],
) -> tuple[dict[str, str], list[str]]:
    """Where each resource goes ("" the root) and the nested stacks in use, in order. Raises Cyclic
    when root units refer to a unit whose every place would make stacks wait on each other."""
    ids = set(resources)
    targets = {
        lid: {t for t, _ in references(body, ids)} | {t for t in depends_on(body) if t in ids}
        for lid, body in resources.items()
    }
    referrers: dict[str, set[str]] = {lid: set() for lid in resources}
    for lid, found in targets.items():
        for target in found:
            referrers[target].add(lid)
    placed: dict[str, str] = {lid: "" for lid in resources}
    in_root = set(resources) - {
        lid for index, unit in enumerate(units) if index not in staying for lid in unit
    }
    root_unit = {lid: index for index in staying for lid in units[index]}

    def node(lid: str) -> str:
        return f"root:{lid}" if lid in in_root else placed[lid]

    edges: dict[str, set[str]] = {}
    for lid in in_root:  # what the root holds and refers to in the root (the rest comes as placed)
        edges.setdefault(node(lid), set()).update(node(t) for t in targets[lid] if t in in_root)

    def reaches(start: str, goal: str) -> bool:
        seen, waiting = set(), [start]
        while waiting:
            current = waiting.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                waiting += edges.get(current, ())
        return False

    moving = [index for index in range(len(units)) if index not in staying]
    wanted = {index: previous.get(owners.get(units[index][0], ""), "") for index in moving}
    # the stacks of the last deploy exist from the start, their room kept for the units that were there
    names = sorted(set(wanted.values()) - {""}, key=lambda n: (len(n), n))
    stacks: list[tuple[str, list[str], int]] = [(name, [], 0) for name in names]  # name, ids, bytes
    reserved = {name: [0, 0] for name in names}
    for index, name in wanted.items():
        if name:
            reserved[name][0] += sizes[index][0]
            reserved[name][1] += sizes[index][1]
    for index in moving:
        unit, (count, size), name = units[index], sizes[index], wanted[index]
        if name:  # placed now, here or elsewhere
            reserved[name][0] -= count
            reserved[name][1] -= size
        outs = {node(t) for lid in unit for t in targets[lid] if t not in unit}
        ins = {node(r) for lid in unit for r in referrers[lid] if r in in_root}
        after = max((i for i, s in enumerate(stacks) if s[0] in outs), default=0)

        def fits(position: int, count: int = count, size: int = size) -> bool:
            stack, members, used = stacks[position]
            kept = reserved.get(stack, [0, 0])
            return (
                len(members) + count + kept[0] <= nesting.NESTED_RESOURCES
                and used + size + kept[1] <= nesting.NESTED_BYTES
            )

        def acyclic(stack: str, outs: set[str] = outs, ins: set[str] = ins) -> bool:
            """No stack would wait on itself with the unit in `stack` (its new edges: `stack` → each of
            `outs`, each of `ins` → `stack`)."""
            outs = outs - {stack}
            return not (
                any(reaches(o, stack) for o in outs)
                or any(reaches(stack, i) for i in ins)
                or any(reaches(o, i) for o in outs for i in ins)
            )

        candidates = [i for i, s in enumerate(stacks) if s[0] == name]
        candidates += list(range(after, len(stacks))) + list(range(after))
        choice = next((i for i in candidates if fits(i) and acyclic(stacks[i][0])), None)
        if choice is None:
            taken = {s[0] for s in stacks}
            number = next(n for n in range(1, len(stacks) + 2) if f"{nesting.NESTED_PREFIX}{n}" not in taken)
            fresh = f"{nesting.NESTED_PREFIX}{number}"
            if not acyclic(fresh):  # root units that need it are needed by what it needs
                raise Cyclic(
                    {root_unit[r.removeprefix("root:")] for r in ins if r.removeprefix("root:") in root_unit}
                )
            stacks.append((fresh, [], 0))
            choice = len(stacks) - 1
        home, members, used = stacks[choice]
        stacks[choice] = (home, members + unit, used + size)
        for lid in unit:
            placed[lid] = home
        edges.setdefault(home, set()).update(outs - {home})
        for referrer in ins:
            edges.setdefault(referrer, set()).add(home)
    return placed, [s[0] for s in stacks if s[1]]


def staying_in_root(
    resources: dict[str, Any],
    units: list[list[str]],
    sizes: list[tuple[int, int]],
    previous: dict[str, str],
    owners: dict[str, str],
) -> set[int]:
    """The units (by index) that stay in the root: each of their config resources was there last time
    (`previous` gives ""), and the root keeps room for them and the nested stacks (first come first).
    `place` moves those that would make stacks wait on each other."""
    staying = {
        index
        for index, unit in enumerate(units)
        if all(previous.get(owners.get(lid, "")) == "" for lid in unit)
    }
    if not staying:
        return staying
    held = {lid for unit in units for lid in unit}
    others = [lid for lid in resources if lid not in held]  # what no unit holds stays in the root anyway
    count, size = len(others), sum(size_of(resources[lid]) for lid in others)
    moving = sum(n for index, (n, _) in enumerate(sizes) if index not in staying)
    for index in sorted(staying):
        moving += sizes[index][0]  # counted as moving until it is known to fit
    kept: set[int] = set()
    for index in sorted(staying):
        moving -= sizes[index][0]
        stacks = -(-moving // nesting.NESTED_RESOURCES) + 1  # the nested stacks, and one to spare
        if (
            count + sizes[index][0] + stacks <= nesting.MAX_RESOURCES
            and size + sizes[index][1] <= nesting.NESTED_BYTES
        ):
            kept.add(index)
            count, size = count + sizes[index][0], size + sizes[index][1]
        else:
            moving += sizes[index][0]
    return kept
