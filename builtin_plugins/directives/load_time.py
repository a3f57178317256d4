"""Directives resolved when the config is loaded; each returns a plain value."""

from __future__ import annotations

import json
import subprocess
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


def _path(env: DirectiveEnv, name: Any) -> Path:
    path = (env.root / str(name)).resolve()
    if not path.is_file():
        raise StackwrightError(f"file {name!r} does not exist", hint=f"looked for {path}")
    return path


def file_raw(env: DirectiveEnv, name: Any) -> str:
    """`$FileRaw('notes.txt')`: the file's text."""
    return _path(env, name).read_text()


def file(env: DirectiveEnv, name: Any) -> Any:
    """`$File('config.json')`: the parsed content of a .json, .yml/.yaml, .env or .toml file."""
    path = _path(env, name)
    text = path.read_text()
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return json.loads(text)
        if suffix in (".yml", ".yaml"):
            import yaml

            return yaml.safe_load(text)
        if suffix == ".toml":
            import tomllib

            return tomllib.loads(text)
        if suffix == ".env" or path.name.startswith(".env"):
            return _dotenv(text)
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
    parts = text.split("{}")
    out = parts[0]
    for value, part in zip(values, parts[1:], strict=True):
        out += (json.dumps(value) if isinstance(value, bool) else str(value)) + part
    return out


def git_info(env: DirectiveEnv) -> dict[str, str]:
    """`$GitInfo().branch` (also sha1/commit, username, gitUrl) of the repository holding the config."""

    def git(*args: str) -> str:
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
