"""`requiredPlugins`: the plugin distributions a config needs, checked before anything else runs."""

from __future__ import annotations

from typing import Any

from stackwright.errors import ConfigProblem, Position

Positions = dict[tuple[str | int, ...], Position]


def check_required(entries: Any, positions: Positions) -> list[ConfigProblem]:
    if not entries or not isinstance(entries, list):
        return []
    from importlib import metadata  # deferred: slow to import, and most configs require nothing

    from packaging.requirements import InvalidRequirement, Requirement

    problems = []
    for index, text in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(text, str):
            continue
        where = positions.get(("requiredPlugins", index))
        path = f"requiredPlugins.{index}"
        try:
            requirement = Requirement(text)
        except InvalidRequirement as error:
            problems.append(ConfigProblem(path, f"not a valid requirement: {error}", where))
            continue
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            problems.append(
                ConfigProblem(
                    path,
                    f"this config needs the plugin {requirement.name!r}, which is not installed",
                    where,
                    hint=f"pip install '{text}'",
                )
            )
            continue
        if requirement.specifier and not requirement.specifier.contains(version, prereleases=True):
            problems.append(
                ConfigProblem(
                    path,
                    f"this config needs {text}, but {requirement.name} {version} is installed",
                    where,
                    hint=f"pip install --upgrade '{text}'",
                )
            )
    return problems
