"""Resolve `$Name(...)` directives in a config.

Load-time directives (`$Stage()`, `$Var()`, `$File()`, ...) are replaced by plain values when the config
is loaded. Compile-time directives (`$ResourceParam()`, `$Secret()`, ...) stay as written until the
compile phase turns them into CloudFormation intrinsics; schema validation skips those values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from stackwright.config.directive_syntax import Call, DirectiveSyntaxError, looks_like_directive, parse
from stackwright.config.suggest import did_you_mean
from stackwright.errors import ConfigProblem, Position, StackwrightError
from stackwright.models import Directive, Project

if TYPE_CHECKING:
    from stackwright.context import StackContext

ConfigPath = tuple[str | int, ...]
MAX_DEPTH = 10
#: What a config may hold once its directives are resolved, in each phase: values (as counted for YAML
#: aliases when the config is parsed) and characters of text. A few `$Var()`s of `$Var()`s, or one
#: `$FileRaw()` used many times, would otherwise multiply into gigabytes.
MAX_VALUES = 100_000
MAX_TEXT = 16 * 2**20


class _Failed:
    """Stands for a variable whose value could not be resolved (its problem is already reported)."""

    def __repr__(self) -> str:
        return "<failed>"


FAILED = _Failed()


class _Skip(Exception):
    """A directive used a value that already failed: nothing more to report about it."""


class TooLarge(Exception):
    """The resolved config passed MAX_VALUES or MAX_TEXT; `problem` says where."""

    def __init__(self, problem: ConfigProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class DirectiveEnv:
    """What a directive function can see. `ctx` is set only in the compile phase."""

    project: Project
    data: Mapping[str, Any]
    cli_args: Mapping[str, Any] = field(default_factory=dict)
    variables: Mapping[str, Any] = field(default_factory=dict)
    ctx: StackContext | None = None
    path: ConfigPath = ()

    @property
    def root(self) -> Path:
        return self.project.root

    def fail(self, message: str) -> NoReturn:
        raise StackwrightError(message)


def key(name: str) -> str:
    """Directive names match with either case of the first letter (`getApiKey` is `$GetApiKey()`)."""
    return name[:1].upper() + name[1:]


class Resolver:
    def __init__(
        self,
        directives: Mapping[str, Directive],
        env: DirectiveEnv,
        positions: Mapping[ConfigPath, Position],
        compile_time: bool,
    ) -> None:
        self.directives = {key(name): d for name, d in directives.items()}
        self.env = env
        self.positions = positions
        self.compile_time = compile_time
        self.problems: list[ConfigProblem] = []
        self.deferred: set[ConfigPath] = set()
        self.values = 0
        self.text = 0
        self.skipped = 0  # directives left unresolved because a value they use failed

    def make_problem(self, path: ConfigPath, message: str, hint: str | None = None) -> ConfigProblem:
        position = None
        parts = path
        while parts and position is None:
            position = self.positions.get(parts)
            parts = parts[:-1]
        resource = str(path[1]) if len(path) > 1 and path[0] == "resources" else None
        return ConfigProblem(".".join(map(str, path)), message, position, hint=hint, resource=resource)

    def problem(self, path: ConfigPath, message: str, hint: str | None = None) -> None:
        self.problems.append(self.make_problem(path, message, hint))
        self.deferred.add(path)  # already explained: the schema check need not report it again

    def resolve(self, value: Any, path: ConfigPath = (), depth: int = 0) -> Any:
        """`value` with its directives resolved (a new object). Raises TooLarge past MAX_VALUES or
        MAX_TEXT."""
        self.values += 1
        if isinstance(value, str):
            self.text += len(value)
            if not value.isascii():
                value = self.unicode(value, path)
        if self.values > MAX_VALUES or self.text > MAX_TEXT:
            what = (
                f"more than {MAX_VALUES:,} values"
                if self.values > MAX_VALUES
                else f"more than {MAX_TEXT // 2**20} MiB of text"
            )
            while len(path) > 1 and path not in self.positions:
                path = path[:-1]  # where the config says it, not the path inside what a directive gave
            raise TooLarge(
                self.make_problem(
                    path,
                    f"the config holds {what} once its directives are resolved",
                    hint="a directive used many times, or a variable made of variables, multiplies "
                    "what it gives",
                )
            )
        if isinstance(value, float) and not math.isfinite(value):  # `NaN` in a $File JSON
            self.problem(path, f"{value} is not a number JSON or CloudFormation can carry")
            return None
        if isinstance(value, dict):
            return {
                self.unicode(k, (*path, k)) if isinstance(k, str) and not k.isascii() else k: self.resolve(
                    v, (*path, k), depth
                )
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.resolve(v, (*path, i), depth) for i, v in enumerate(value)]
        if not looks_like_directive(value):
            return value
        try:
            call = parse(value)
        except DirectiveSyntaxError as error:
            self.problem(path, f"invalid directive: {error}")
            return value
        if not self.check(call, path):
            return value
        if self.directives[key(call.name)].compile_time and not self.compile_time:
            self.deferred.add(path)
            return value
        if depth >= MAX_DEPTH:
            self.problem(path, f"directives nest more than {MAX_DEPTH} levels deep (a loop?)")
            return value
        try:
            self.env.path = path
            result = self.evaluate(call)
        except _Skip:
            self.deferred.add(path)
            self.skipped += 1
            return value
        except StackwrightError as error:
            shown = str(call)
            shown = shown if len(shown) <= 200 else f"{shown[:120]}...{shown[-40:]}"  # a long literal
            self.problem(path, f"{shown}: {error.message}", hint=error.hint)
            return value
        return self.resolve(result, path, depth + 1)

    def unicode(self, text: str, path: ConfigPath) -> str:
        """`text` as valid Unicode: a UTF-16 surrogate pair written as two escapes (`"\\ud83d\\ude00"`,
        as JSON writes an emoji) becomes its character; a lone half of one (`"\\ud800"`, or a command-line
        byte that is not UTF-8) is a problem at `path` (and is replaced, so nothing later trips on it)."""
        try:
            text.encode()
            return text
        except UnicodeEncodeError:
            pass
        try:
            return text.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            bad = next(c for c in text if "\ud800" <= c <= "\udfff")
            self.problem(
                path,
                f"this text holds {bad.encode('unicode_escape').decode()}, half of a UTF-16 surrogate pair, "
                "which is not a character (nor valid UTF-8)",
                hint="write the character itself, or \\U and its 8 hex digits",
            )
            return text.encode("utf-8", "backslashreplace").decode()

    def check(self, call: Call, path: ConfigPath) -> bool:
        """Known names, argument counts, and no compile-time directive inside a load-time one."""
        ok = True
        for item in [call, *call.nested()]:
            directive = self.directives.get(key(item.name))
            if directive is None:
                self.problem(
                    path,
                    f"unknown directive ${item.name}()",
                    hint=did_you_mean(key(item.name), self.directives)
                    or f"known directives: {', '.join('$' + n for n in sorted(self.directives))}",
                )
                ok = False
                continue
            count = len(item.args)
            high = directive.max_args
            if count < directive.min_args or (high is not None and count > high):
                wanted = (
                    str(directive.min_args)
                    if high == directive.min_args
                    else f"{directive.min_args} to {high}"
                    if high is not None
                    else f"at least {directive.min_args}"
                )
                self.problem(path, f"${item.name}() takes {wanted} argument(s), {count} given")
                ok = False
        if ok and not self.directives[key(call.name)].compile_time:
            for inner in call.nested():
                if self.directives[key(inner.name)].compile_time:
                    self.problem(
                        path,
                        f"${inner.name}() is resolved when the template is compiled, so it cannot be an "
                        f"argument of ${call.name}(), which is resolved when the config is loaded",
                        hint="use $CfFormat() to combine compile-time values",
                    )
                    ok = False
        return ok

    def evaluate(self, call: Call) -> Any:
        args = [self.evaluate(a) if isinstance(a, Call) else a for a in call.args]
        if any(a is FAILED for a in args):
            raise _Skip
        result = self.directives[key(call.name)].function(self.env, *args)
        if result is FAILED:
            raise _Skip
        for part in call.path:
            if isinstance(result, dict) and part in result:
                result = result[part]
            elif isinstance(result, dict) and str(part) in result:
                result = result[str(part)]
            elif isinstance(result, list) and isinstance(part, int) and part < len(result):
                result = result[part]
            else:
                known = list(map(str, result)) if isinstance(result, dict) else []
                raise StackwrightError(
                    f"${call.name}() has no {part!r}",
                    hint=did_you_mean(str(part), known)
                    or (f"available: {', '.join(known)}" if known else "it has no values at all"),
                )
        return result


def resolve_compile_time(ctx: StackContext) -> list[ConfigProblem]:
    """Turn the compile-time directives left in the config into intrinsics (in place)."""
    config = ctx.config
    env = DirectiveEnv(ctx.project, config.data, config.cli_args, config.variables, ctx)
    resolver = Resolver(config.directives, env, config.positions, compile_time=True)
    try:
        config.data = resolver.resolve(config.data)
    except TooLarge as error:
        return [error.problem]
    return resolver.problems
