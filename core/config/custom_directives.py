"""Directives defined by the config itself: `directives: [{name, filePath: file.py:function}]`."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stackwright.config.directives import DirectiveEnv
from stackwright.errors import ConfigProblem, StackwrightError
from stackwright.models import Directive

ConfigPath = tuple[str | int, ...]


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def load_custom(
    entries: Any, root: Path, problem: Callable[[ConfigPath, str, str | None], ConfigProblem]
) -> tuple[list[Directive], list[ConfigProblem]]:
    """Import each Python directive function; problems point at the entry's `filePath`."""
    directives: list[Directive] = []
    problems: list[ConfigProblem] = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        name = entry["name"]
        where: ConfigPath = ("directives", index, "filePath")
        file_part, _, function_name = str(entry.get("filePath", "")).partition(":")
        path = (root / file_part).resolve()
        if path.suffix in (".js", ".mjs", ".cjs", ".ts", ".mts"):
            problems.append(
                problem(
                    where,
                    f"directive {name!r}: JavaScript/TypeScript directive files are not supported",
                    "write the directive in Python: `filePath: directives.py:function`",
                )
            )
            continue
        if not path.is_file():
            problems.append(problem(where, f"directive {name!r}: file {file_part!r} does not exist", None))
            continue
        try:
            spec = importlib.util.spec_from_file_location(f"stackwright_directive_{index}_{path.stem}", path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        except Exception as error:
            problems.append(
                problem(
                    where,
                    f"directive {name!r}: importing {file_part!r} failed: {type(error).__name__}: {error}",
                    None,
                )
            )
            continue
        candidates = [function_name] if function_name else [name, snake_case(name), "default", "main"]
        function = next((getattr(module, c) for c in candidates if callable(getattr(module, c, None))), None)
        if function is None:
            problems.append(
                problem(
                    where,
                    f"directive {name!r}: {file_part!r} has no function "
                    f"{' or '.join(repr(c) for c in candidates)}",
                    None,
                )
            )
            continue
        directives.append(Directive(name, _adapter(function), max_args=None))
    return directives, problems


def _adapter(function: Callable[..., Any]) -> Callable[..., Any]:
    def call(env: DirectiveEnv, *args: Any) -> Any:
        try:
            return function(*args)
        except StackwrightError:
            raise
        except Exception as error:
            raise StackwrightError(f"the directive function raised {type(error).__name__}: {error}") from None

    return call
