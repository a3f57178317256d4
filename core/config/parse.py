"""Find and parse a config file, keeping the file, line and column of every value."""

from __future__ import annotations

import math
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
#: How deep mappings and lists may nest, and how many values a config may hold once YAML aliases are
#: expanded: far beyond any real config, well within what the parser and the checks handle quickly.
MAX_DEPTH = 64
MAX_VALUES = 100_000
#: The tags a mapping or sequence may carry (the ones YAML resolves implicitly, or `!!map`, `!!seq`).
COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})

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
        hint=f"create one of {', '.join(CONFIG_NAMES)} or pass --config PATH",
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
        raise _unreadable(
            shown,
            1,
            f"config file is {size / 1e6:.1f} MB, over the {MAX_CONFIG_BYTES // 2**20} MiB limit",
            hint="a config this large is almost certainly not the file you meant",
        )
    with path.open("rb") as stream:  # no more than the limit, even if the file grows meanwhile
        data = stream.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise _unreadable(shown, 1, f"config file is over the {MAX_CONFIG_BYTES // 2**20} MiB limit")
    if b"\0" in data[:8192]:
        raise _unreadable(shown, 1, "this is a binary file, not a YAML or JSON config")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _unreadable(shown, line, "config is not valid UTF-8 text") from None


#: Implicit types whose YAML 1.1 forms (the ones PyYAML resolves) YAML 1.2 reads as text: tag → whether a
#: plain scalar is also of that type in YAML 1.2. Only `true` and `false` are booleans there (`on`, `yes`,
#: `n` are not), and `1:30` (base 60) is no number.
YAML_11_ONLY: dict[str, Any] = {
    "tag:yaml.org,2002:bool": lambda text: text in ("true", "True", "TRUE", "false", "False", "FALSE"),
    "tag:yaml.org,2002:int": lambda text: ":" not in text,
    "tag:yaml.org,2002:float": lambda text: ":" not in text,
}


def _compose(yaml: Any, text: str) -> Any:
    """The YAML node tree of `text`: through libyaml when PyYAML has it (about ten times faster), and
    through the pure-Python parser when that fails, for its errors (the same for every install)."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _unreadable(shown: str, line: int, message: str, hint: str | None = None) -> ConfigError:
    return ConfigError([ConfigProblem("", message, Position(shown, line, 1), hint=hint)], source=shown)


def parse(text: str, source: str) -> tuple[Any, Positions]:
    """Parse YAML (or JSON) text into plain data plus a map from value path to position."""
    import yaml  # deferred: only needed when a config is read

    try:
        node = _compose(yaml, text)
    except RecursionError:  # the parser recurses once per level: tell where the nesting gets too deep
        raise ConfigError([_too_deep(text, source)], source) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = Position(source, mark.line + 1, mark.column + 1) if mark else None
        message = " ".join(filter(None, [error.context, error.problem])) or "invalid YAML"
        started = error.context_mark
        if started is not None and mark is not None and started.line != mark.line:
            message += f" (the construct started at line {started.line + 1}, column {started.column + 1})"
        raise ConfigError(
            [ConfigProblem(path="", message=f"YAML syntax error: {message}", position=position)], source
        ) from None
    except yaml.YAMLError as error:
        raise ConfigError([ConfigProblem(path="", message=f"YAML error: {error}")], source) from None
    if node is None:
        return None, {}
    builder = _Builder(source)
    try:
        value = builder.convert(node, ())
    except _TooLarge as error:
        raise ConfigError([error.problem], source) from None
    if builder.problems:
        raise ConfigError(builder.problems, source)
    return value, builder.positions


def _too_deep(text: str, source: str) -> ConfigProblem:
    """Where `text` first nests deeper than MAX_DEPTH, found from its tokens (the scanner does not
    recurse)."""
    import yaml

    depth = 0
    opening: tuple[type, ...] = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
    opening += (yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken)
    closing = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)
    position = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            depth += 1 if isinstance(token, opening) else -1 if isinstance(token, closing) else 0
            if depth > MAX_DEPTH:
                position = Position(source, token.start_mark.line + 1, token.start_mark.column + 1)
                break
    except yaml.YAMLError:
        pass
    return ConfigProblem("", f"values nest more than {MAX_DEPTH} levels deep", position)


class _TooLarge(Exception):
    def __init__(self, problem: ConfigProblem) -> None:
        self.problem = problem


#: CloudFormation's short-form tags, turned into the long form (`!Ref X` → `{"Ref": "X"}`).
CFN_TAGS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    "!GetAtt": "Fn::GetAtt",
    "!Sub": "Fn::Sub",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!If": "Fn::If",
    "!Equals": "Fn::Equals",
    "!And": "Fn::And",
    "!Or": "Fn::Or",
    "!Not": "Fn::Not",
    "!FindInMap": "Fn::FindInMap",
    "!ImportValue": "Fn::ImportValue",
    "!Base64": "Fn::Base64",
    "!Cidr": "Fn::Cidr",
    "!GetAZs": "Fn::GetAZs",
    "!ToJsonString": "Fn::ToJsonString",
    "!Length": "Fn::Length",
}


class _Builder:
    """Turns a composed YAML node tree into plain data, recording positions and collecting problems."""

    def __init__(self, source: str) -> None:
        import yaml

        self.yaml = yaml
        self.source = source
        self.positions: Positions = {}
        self.problems: list[ConfigProblem] = []
        self.values = 0

    def at(self, node: Any) -> Position:
        return Position(self.source, node.start_mark.line + 1, node.start_mark.column + 1)

    def fail(self, path: tuple[str | int, ...], node: Any, message: str, hint: str | None = None) -> None:
        self.problems.append(ConfigProblem(".".join(map(str, path)), message, self.at(node), hint=hint))

    def convert(self, node: Any, path: tuple[str | int, ...]) -> Any:
        self.positions[path] = self.at(node)
        self.values += 1
        if len(path) > MAX_DEPTH or self.values > MAX_VALUES:
            message = (
                f"values nest more than {MAX_DEPTH} levels deep"
                if len(path) > MAX_DEPTH
                else f"the config holds more than {MAX_VALUES:,} values "
                "(counting each YAML alias where it is used)"
            )
            raise _TooLarge(ConfigProblem(".".join(map(str, path)), message, self.at(node)))
        tag = str(node.tag)
        if tag.startswith("!"):
            return self.short_form(node, path, tag)
        if not isinstance(node, self.yaml.ScalarNode) and tag not in COLLECTION_TAGS:
            self.fail(path, node, f"unknown YAML tag {tag.replace('tag:yaml.org,2002:', '!!')}")
            return None
        if isinstance(node, self.yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, self.yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def short_form(self, node: Any, path: tuple[str | int, ...], tag: str) -> Any:
        name = CFN_TAGS.get(tag)
        if name is None:
            self.fail(
                path, node, f"unknown YAML tag {tag}", hint="CloudFormation short forms like !Ref are allowed"
            )
            return None
        untagged = type(node)(
            "tag:yaml.org,2002:str"
            if isinstance(node, self.yaml.ScalarNode)
            else (
                "tag:yaml.org,2002:seq"
                if isinstance(node, self.yaml.SequenceNode)
                else "tag:yaml.org,2002:map"
            ),
            node.value,
            node.start_mark,
            node.end_mark,
        )
        value = self.convert(untagged, path)
        if name == "Fn::GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        return {name: value}

    def scalar(self, node: Any, path: tuple[str | int, ...]) -> Any:
        if node.tag in YAML_11_ONLY and not YAML_11_ONLY[node.tag](node.value):
            return node.value  # YAML 1.2, as Stacktape reads its configs: `on`, `yes`, `1:30` are text
        loader = self.yaml.SafeLoader("")
        try:
            value = loader.construct_object(node, deep=True)
            if isinstance(value, float) and not math.isfinite(value):
                self.fail(
                    path,
                    node,
                    f"cannot read this value: {node.value} is not a number JSON or CloudFormation can carry",
                    hint="quote it to mean the text",
                )
                return None
            return value
        except self.yaml.YAMLError as error:
            self.fail(path, node, f"cannot read this value: {getattr(error, 'problem', None) or error}")
            return None
        except ValueError as error:  # an integer of more digits than Python converts (4,300)
            self.fail(path, node, f"cannot read this value: {error}".split("; use sys.")[0])
            return None
        finally:
            loader.dispose()

    def mapping(self, node: Any, path: tuple[str | int, ...]) -> dict[str, Any]:
        """YAML's merge key rules: keys written in the mapping win over merged ones (`<<: *common`),
        wherever the `<<` stands; of several merged mappings the earlier wins; a key written twice is
        an error naming both lines."""
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                value = self.convert(value_node, path)
                for item in value if isinstance(value, list) else [value]:
                    if not isinstance(item, dict):
                        self.fail(path, key_node, "`<<` merges mappings only (`<<: *name` or a list of them)")
                        continue
                    for k, v in item.items():
                        merged.setdefault(k, v)
                continue
            key = self.scalar(key_node, path) if isinstance(key_node, self.yaml.ScalarNode) else None
            if key is None or isinstance(key, (list, dict)):
                self.fail(path, key_node, "mapping keys must be plain names")
                continue
            key = key if isinstance(key, str) else str(key)
            if key in result:
                first = self.positions.get((*path, key))
                self.fail(
                    (*path, key),
                    key_node,
                    f"duplicate key {key!r}" + (f" (first defined at line {first.line})" if first else ""),
                    hint="each key may appear once; the later value would silently win",
                )
                continue
            result[key] = self.convert(value_node, (*path, key))
            if isinstance(value_node, self.yaml.MappingNode | self.yaml.SequenceNode):
                self.positions[(*path, key)] = self.at(key_node)
        return {**{k: v for k, v in merged.items() if k not in result}, **result}


def load(path: Path) -> tuple[Any, Positions]:
    """The config at `path` parsed (`parse`); an unchanged one from the parse kept last time
    (`stackwright.config.parsed`). Raises ConfigError (StackwrightError when it cannot be read)."""
    from stackwright.config import parsed

    source = display_path(path)
    text = read_text(path)
    found = parsed.kept(text, source)
    if found is None:
        found = parse(text, source)
        parsed.keep(text, source, *found)
    return found
