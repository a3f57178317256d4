"""Find and parse a config file, keeping the file, line and column of every value."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from stackwright.errors import ConfigError, ConfigProblem, Position, StackwrightError

CONFIG_NAMES = (
    "stackwright.yml",
    "stackwright.yaml",
    "stackwright.json",
    "stacktape.yml",
    "stacktape.yaml",
    "stacktape.json",
)
MAX_CONFIG_BYTES = 5 * 1024 * 1024

Positions = dict[tuple[str | int, ...], Position]


def find_config(directory: Path, explicit: Path | None = None) -> Path:
    """The config to use: `explicit` if given, else the first of CONFIG_NAMES in `directory`."""
    if explicit is not None:
        if not explicit.is_file():
            raise StackwrightError(f"config file {explicit} does not exist")
        return explicit
    for name in CONFIG_NAMES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    raise StackwrightError(
        f"no config file found in {directory}",
        hint=f"create one of {', '.join(CONFIG_NAMES[:3])} or pass --config PATH",
    )


def display_path(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def read_text(path: Path) -> str:
    shown = display_path(path)
    size = path.stat().st_size
    if size > MAX_CONFIG_BYTES:
        raise StackwrightError(
            f"{shown}: config file is {size / 1e6:.1f} MB, over the {MAX_CONFIG_BYTES // 2**20} MiB limit",
            hint="a config this large is almost certainly not the file you meant",
        )
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        raise StackwrightError(f"{shown}: this is a binary file, not a YAML or JSON config")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise StackwrightError(f"{shown}:{line}: config is not valid UTF-8 text") from None


def parse(text: str, source: str) -> tuple[Any, Positions]:
    """Parse YAML (or JSON) text into plain data plus a map from value path to position."""
    import yaml  # deferred: only needed when a config is read

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = Position(source, mark.line + 1, mark.column + 1) if mark else None
        message = " ".join(filter(None, [error.context, error.problem])) or "invalid YAML"
        raise ConfigError(
            [ConfigProblem(path="", message=f"YAML syntax error: {message}", position=position)], source
        ) from None
    except yaml.YAMLError as error:
        raise ConfigError([ConfigProblem(path="", message=f"YAML error: {error}")], source) from None
    positions: Positions = {}
    problems: list[ConfigProblem] = []
    if node is None:
        return None, positions
    value = _convert(node, (), source, positions, problems, yaml)
    if problems:
        raise ConfigError(problems, source)
    return value, positions


def _convert(
    node: Any,
    path: tuple[str | int, ...],
    source: str,
    positions: Positions,
    problems: list[ConfigProblem],
    yaml: Any,
) -> Any:
    positions[path] = Position(source, node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        node_path = ".".join(map(str, path))
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = _convert(value_node, path, source, positions, problems, yaml)
                for item in merged if isinstance(merged, list) else [merged]:
                    if isinstance(item, dict):
                        for k, v in item.items():
                            result.setdefault(k, v)
                continue
            key = (
                yaml.SafeLoader(" ").construct_object(key_node)
                if not isinstance(key_node, yaml.ScalarNode)
                else _scalar(key_node, yaml)
            )
            if not isinstance(key, (str, int, float, bool)) or key is None:
                problems.append(
                    ConfigProblem(
                        path=node_path,
                        message="mapping keys must be plain strings",
                        position=Position(
                            source, key_node.start_mark.line + 1, key_node.start_mark.column + 1
                        ),
                    )
                )
                continue
            key = str(key) if not isinstance(key, str) else key
            if key in result:
                first = positions.get((*path, key))
                problems.append(
                    ConfigProblem(
                        path=".".join(map(str, (*path, key))),
                        message=f"duplicate key {key!r}"
                        + (f" (first defined at line {first.line})" if first else ""),
                        position=Position(
                            source, key_node.start_mark.line + 1, key_node.start_mark.column + 1
                        ),
                        hint="each key may appear once; the later value would silently win",
                    )
                )
                continue
            result[key] = _convert(value_node, (*path, key), source, positions, problems, yaml)
            positions[(*path, key)] = (
                Position(source, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if isinstance(value_node, yaml.MappingNode | yaml.SequenceNode)
                else positions[(*path, key)]
            )
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*path, index), source, positions, problems, yaml)
            for index, item in enumerate(node.value)
        ]
    return _scalar(node, yaml)


def _scalar(node: Any, yaml: Any) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def load(path: Path) -> tuple[Any, Positions]:
    source = display_path(path)
    return parse(read_text(path), source)
