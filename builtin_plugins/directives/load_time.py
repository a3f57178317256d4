"""Directives resolved when the config is loaded; each returns a plain value."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from stackwright import DirectiveEnv, StackwrightError, did_you_mean


def stage(env: DirectiveEnv) -> str:
    return env.project.stage


def region(env: DirectiveEnv) -> str:
    return env.project.region


def _pick(kind: str, values: Any, name: Any) -> Any:
    if name is None:
        return dict(values)
    if name not in values:
        known = list(map(str, values))
        raise StackwrightError(
            f"no {kind} named {name!r}",
            hint=did_you_mean(str(name), known)
            or (f"defined: {', '.join(known)}" if known else "none defined"),
        )
    return values[name]


def var(env: DirectiveEnv, name: Any = None) -> Any:
    """`$Var('name')` or `$Var().name`: a value from the config's `variables` section."""
    return _pick("variable", env.variables, name)


def cli_args(env: DirectiveEnv, name: Any = None) -> Any:
    """`$CliArgs().name`: a value given on the command line with `--arg name=value`."""
    return _pick("command-line argument", env.cli_args, name)


#: The largest file `$File` and `$FileRaw` read (bytes), and the most values `$File` may give (once
#: YAML aliases are expanded): the bounds of a config file itself.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VALUES = 100_000


def _path(env: DirectiveEnv, name: Any) -> Path:
    try:
        path = (env.root / str(name)).resolve()
        found = path.is_file()
    except (OSError, ValueError) as error:  # a name too long, or holding a NUL
        raise StackwrightError(f"cannot use {str(name)[:80]!r} as a file name: {error}") from None
    if not found:
        shown = str(name) if len(str(name)) <= 200 else f"{str(name)[:120]}...{str(name)[-40:]}"
        raise StackwrightError(
            f"file {shown!r} does not exist",
            hint=f"looked for {path}" if len(str(path)) <= 300 else "relative to the config file's folder",
        )
    return path


def _read(path: Path, name: Any) -> str:
    """The text of `path`, read once per load however many directives name it. Raises
    StackwrightError for a file over MAX_FILE_BYTES or not UTF-8."""
    stat = path.stat()
    return _read_once(path, stat.st_mtime_ns, stat.st_size, str(name))


@functools.lru_cache(maxsize=8)
def _read_once(path: Path, mtime_ns: int, size: int, name: str) -> str:
    with path.open("rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise StackwrightError(f"file {name!r} is over the {MAX_FILE_BYTES // 2**20} MiB limit")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StackwrightError(f"file {name!r} is not UTF-8 text") from None


def _bounded(value: Any, name: Any) -> Any:
    """`value`, unless it holds more than MAX_VALUES values (counting each alias where it is used)."""
    seen, todo = 0, [value]
    while todo:
        item = todo.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise StackwrightError(
                f"file {name!r} holds more than {MAX_VALUES:,} values "
                "(counting each YAML alias where it is used)"
            )
        if isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return value


def file_raw(env: DirectiveEnv, name: Any) -> str:
    """`$FileRaw('notes.txt')`: the file's text (at most MAX_FILE_BYTES)."""
    return _read(_path(env, name), name)


def file(env: DirectiveEnv, name: Any) -> Any:
    """`$File('config.json')`: the parsed content of a .json, .yml/.yaml, .env or .toml file. Raises
    StackwrightError when it cannot be read or parsed, or holds more than MAX_VALUES values."""
    path = _path(env, name)
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size, str(name))


@functools.lru_cache(maxsize=8)
def _parsed(path: Path, mtime_ns: int, size: int, name: str) -> Any:
    """The parsed file, once per version of it: the resolver copies what a directive gives, so the
    cached value is never changed."""
    text = _read(path, name)
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return _bounded(json.loads(text), name)
        if suffix in (".yml", ".yaml"):
            import yaml

            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            return _bounded(yaml.load(text, Loader=loader), name)
        if suffix == ".toml":
            import tomllib

            return _bounded(tomllib.loads(text), name)
        if suffix == ".env" or path.name.startswith(".env"):
            return _dotenv(text)
    except StackwrightError:
        raise
    except RecursionError:
        raise StackwrightError(f"cannot parse {name!r}: its values nest too deep") from None
    except (ValueError, ImportError) as error:
        raise StackwrightError(f"cannot parse {name!r}: {error}") from None
    except Exception as error:  # yaml.YAMLError and friends
        raise StackwrightError(f"cannot parse {name!r}: {error}") from None
    raise StackwrightError(
        f"$File() cannot parse {path.suffix or 'extension-less'} files",
        hint="use .json, .yml, .yaml, .toml or .env, or $FileRaw() for the text",
    )


def _dotenv(text: str) -> dict[str, str]:
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.removeprefix("export ").split("=", 1)
        values[name.strip()] = value.strip().strip("'\"")
    return values


def format_(env: DirectiveEnv, template: Any, *values: Any) -> str:
    """`$Format('{}-{}', a, b)`: each `{}` replaced by the next value."""
    text = str(template)
    holes = text.count("{}")
    if holes != len(values):
        raise StackwrightError(
            f"the template has {holes} '{{}}' placeholders but {len(values)} values were given"
        )
    shown = [json.dumps(value) if isinstance(value, bool) else str(value) for value in values]
    size = len(text) + sum(map(len, shown))
    if size > MAX_FILE_BYTES:
        raise StackwrightError(
            f"the result would be {size / 2**20:.1f} MiB of text, "
            f"over the {MAX_FILE_BYTES // 2**20} MiB limit"
        )
    parts = text.split("{}")
    return parts[0] + "".join(value + part for value, part in zip(shown, parts[1:], strict=True))


def git_info(env: DirectiveEnv) -> dict[str, str]:
    """`$GitInfo().branch` (also sha1/commit, username, gitUrl) of the repository holding the config."""

    def git(*args: str) -> str:
        import subprocess

        try:
            done = subprocess.run(["git", *args], cwd=env.root, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise StackwrightError(f"cannot run git: {error}") from None
        if done.returncode != 0:
            raise StackwrightError(f"git {' '.join(args)} failed: {done.stderr.strip() or done.returncode}")
        return done.stdout.strip()

    sha = git("rev-parse", "HEAD")
    return {
        "sha1": sha,
        "commit": sha,
        "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
        "username": git("config", "--default", "", "user.name"),
        "gitUrl": git("config", "--default", "", "remote.origin.url"),
    }


def this(env: DirectiveEnv) -> Any:
    """`$This().resources.api.type`: the config itself, as written."""
    return env.data
