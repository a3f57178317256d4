"""`scripts` and `hooks`: local commands run by hooks around `deploy` and `delete`, or by
`stackwright script:run NAME`, with the stack's parameters in their environment.

A script's variables are its `connectTo` targets' parameters (`STP_<RESOURCE>_<PARAM>`, as a function
gets them) and its `environment`. Values only the deployed stack knows (an ARN, a URL, a directive such
as `$ResourceParam()`) become stack outputs named after their digest (`ScriptValue<12 hex digits>`),
which CloudFormation works out; a run reads them back from the stack."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stackwright.config.suggest import did_you_mean
from stackwright.errors import ConfigProblem, StackwrightError

if TYPE_CHECKING:
    from stackwright.context import StackContext
    from stackwright.models import Config

EXECUTE = ("executeCommand", "executeCommands", "executeScript", "executeScripts")
#: How a script file is run, by its suffix.
INTERPRETERS = {
    ".py": ("python3",),
    ".js": ("node",),
    ".mjs": ("node",),
    ".cjs": ("node",),
    ".ts": ("node", "--experimental-strip-types"),
    ".sh": ("sh",),
}
#: Variables by which CI services say a command runs in CI (`skipOnCI`, `skipOnLocal`).
CI_VARIABLES = ("CI", "CODEBUILD_BUILD_ID", "GITHUB_ACTIONS", "GITLAB_CI")
OUTPUT_PREFIX = "ScriptValue"
#: Lines of a quiet (`pipeStdio: false`) script's output shown when it fails.
TAIL = 25


def scripts_of(data: Any) -> dict[str, dict[str, Any]]:
    scripts = data.get("scripts") if isinstance(data, dict) else None
    return {str(k): v for k, v in scripts.items() if isinstance(v, dict)} if isinstance(scripts, dict) else {}


def check_scripts(config: Config, root: Path) -> list[ConfigProblem]:
    """Hooks naming no script (did you mean), scripts with no or several `execute*`, script files (under
    the project `root`) missing or of an unknown kind, a `cwd` that is not a folder, `connectTo` naming no
    resource, a variable given twice."""
    data = config.data
    scripts = scripts_of(data)
    problems: list[ConfigProblem] = []

    def problem(path: tuple[str | int, ...], message: str, hint: str | None = None) -> None:
        problems.append(
            ConfigProblem(".".join(map(str, path)), message, config.position_of(*path), hint=hint)
        )

    for hook, entries in ((data.get("hooks") or {}) if isinstance(data, dict) else {}).items():
        for index, entry in enumerate(entries or []):
            name = entry.get("scriptName") if isinstance(entry, dict) else None
            if name not in scripts:
                hint = did_you_mean(str(name), list(scripts)) or (
                    f"scripts: {', '.join(scripts)}" if scripts else "define it under `scripts`"
                )
                problem(("hooks", hook, index, "scriptName"), f"no script is named {name!r}", hint)
    resources = list(config.resources)
    for name, script in scripts.items():
        props = script.get("properties") or {}
        if script.get("type") != "local-script" or not isinstance(props, dict):
            continue
        at = ("scripts", name, "properties")
        given = [key for key in EXECUTE if props.get(key)]
        if len(given) != 1:
            problem(
                at if not given else (*at, given[1]),
                "a local-script runs exactly one of "
                + ", ".join(EXECUTE)
                + (f"; it gives {', '.join(given)}" if given else ""),
            )
        files = [props["executeScript"]] if props.get("executeScript") else props.get("executeScripts") or []
        for index, file in enumerate(files):
            if not (root / str(file)).is_file():
                where = (
                    (*at, "executeScript") if props.get("executeScript") else (*at, "executeScripts", index)
                )
                problem(where, f"script file {file!r} does not exist (looked in {root})")
            elif Path(str(file)).suffix not in INTERPRETERS:
                where = (
                    (*at, "executeScript") if props.get("executeScript") else (*at, "executeScripts", index)
                )
                problem(
                    where,
                    f"stackwright does not know how to run {file!r}",
                    "script files end in " + ", ".join(INTERPRETERS) + "; or use executeCommand",
                )
        if props.get("cwd") and not (root / str(props["cwd"])).is_dir():
            problem((*at, "cwd"), f"cwd {props['cwd']!r} is not a folder of the project")
        for index, target in enumerate(props.get("connectTo") or []):
            if target not in config.resources:
                problem(
                    (*at, "connectTo", index),
                    f"connectTo names no resource: {target!r}",
                    did_you_mean(str(target), resources),
                )
        seen: set[str] = set()
        for index, variable in enumerate(props.get("environment") or []):
            if variable.get("name") in seen:
                problem((*at, "environment", index, "name"), f"variable {variable['name']!r} is given twice")
            seen.add(str(variable.get("name")))
    return problems


def script_variables(ctx: StackContext, name: str) -> dict[str, Any]:
    """The variables of script `name` (variable → value): its `connectTo` targets' parameters, then its
    `environment`; values may be intrinsics (the config's directives resolved into them)."""
    from stackwright.models import Resource
    from stackwright.resource_types import CannotConnect

    props = scripts_of(ctx.config.data)[name].get("properties") or {}
    variables: dict[str, Any] = {}
    source = Resource(name=name, type="local-script", properties=props)
    for target_name in props.get("connectTo") or []:
        target = ctx.config.resources[target_name]
        rtype, plugin = ctx.plugins.resource_types()[target.type]
        try:
            with ctx.plugins.blame(plugin):
                variables.update(rtype.connections(ctx, target, source).variables())
        except CannotConnect as reason:
            raise StackwrightError(
                f"script {name!r} cannot connect to `{target_name}` ({target.type}): {reason.message}",
                hint=reason.hint,
            ) from None
    for variable in props.get("environment") or []:
        value = variable["value"]
        variables[str(variable["name"])] = value if isinstance(value, dict | list) else str(value)
    return variables


def output_name(value: Any) -> str:
    """The stack output that carries `value` (an intrinsic) to scripts."""
    digest = hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()
    return f"{OUTPUT_PREFIX}{digest[:12]}"


def add_script_outputs(ctx: StackContext) -> None:
    """One stack output per value of the scripts' variables that only the deployed stack knows."""
    wanted: dict[str, tuple[Any, list[str]]] = {}
    for name, script in scripts_of(ctx.config.data).items():
        if script.get("type") != "local-script":
            continue
        for variable, value in script_variables(ctx, name).items():
            if isinstance(value, dict | list):
                wanted.setdefault(output_name(value), (value, []))[1].append(f"{variable} of {name}")
    for output, (value, users) in sorted(wanted.items()):
        ctx.template.add_output(output, value, description="for scripts: " + ", ".join(users)[:1000])


def in_ci() -> bool:
    return any(os.environ.get(v, "").lower() not in ("", "0", "false") for v in CI_VARIABLES)


def hooked(data: Any, hook: str) -> list[dict[str, Any]]:
    """The entries of `hooks.<hook>` in the config `data`."""
    hooks = data.get("hooks") if isinstance(data, dict) else None
    entries = hooks.get(hook) if isinstance(hooks, dict) else None
    return [e for e in entries or [] if isinstance(e, dict)]


def run_hooks(ctx: StackContext, hook: str) -> None:
    """Run the scripts of `hooks.<hook>` in order (`skipOnCI`/`skipOnLocal` honoured), with the outputs
    of the stack as `ctx.state` knows it. Raises StackwrightError when one fails; the rest are not run."""
    entries = hooked(ctx.config.data, hook)
    if entries:
        resolve_directives(ctx)
    outputs = ctx.state.outputs if ctx.state is not None and ctx.state.exists else None
    for entry in entries:
        name = str(entry["scriptName"])
        if (entry.get("skipOnCI") and in_ci()) or (entry.get("skipOnLocal") and not in_ci()):
            ctx.report.note(f"{hook}: script {name} skipped ({'in CI' if in_ci() else 'not in CI'})")
            continue
        ctx.report.event("script", f"{hook}: script {name}", hook=hook, script=name)
        run_script(ctx, name, outputs)


def resolve_directives(ctx: StackContext) -> None:
    """The compile-time directives of the config worked out (as compiling does first), for the scripts'
    values. Raises ConfigError with their problems."""
    from stackwright.config.directives import resolve_compile_time
    from stackwright.errors import ConfigError

    problems = resolve_compile_time(ctx)
    if problems:
        raise ConfigError(problems, ctx.source)


def run_script(ctx: StackContext, name: str, outputs: Mapping[str, str] | None = None) -> None:
    """Run script `name` with the stack's parameters in its environment; `outputs` are the deployed
    stack's outputs (None: the stack does not exist). Raises StackwrightError when it needs a value the
    stack does not have, cannot start, or exits with an error."""
    import subprocess

    props = scripts_of(ctx.config.data)[name].get("properties") or {}
    env = {**os.environ, **base_environment(ctx), **_resolved(ctx, name, outputs)}
    cwd = (ctx.project.root / str(props.get("cwd") or ".")).resolve()
    if not cwd.is_dir():
        raise StackwrightError(f"script {name!r}: its cwd {cwd} is not a folder")
    quiet = props.get("pipeStdio") is False
    out = sys.stderr if ctx.report.json else sys.stdout  # with --output json, stdout is for the records
    out_fd, err_fd = _fd(out), _fd(sys.stderr)
    for command in _commands(props, ctx.project.root):
        shown = command if isinstance(command, str) else " ".join(command)
        try:
            done = subprocess.run(
                command,
                shell=isinstance(command, str),
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL if quiet or not sys.stdin.isatty() else None,
                stdout=subprocess.PIPE if quiet or out_fd is None else out_fd,
                stderr=subprocess.STDOUT if quiet else (subprocess.PIPE if err_fd is None else err_fd),
                text=True,
            )
        except OSError as error:
            raise StackwrightError(
                f"script {name!r}: cannot run `{shown}`: {error.strerror or error}"
            ) from None
        if not quiet:  # streams without a file descriptor (captured): what it wrote, written there
            out.write(done.stdout or "")
            sys.stderr.write(done.stderr or "")
        if done.returncode != 0:
            lines = (done.stdout or "").strip().splitlines()[-TAIL:] if quiet else []
            raise StackwrightError(
                f"script {name!r}: `{shown}` exited with code {done.returncode}", details=lines
            )


def _fd(stream: Any) -> int | None:
    """The file descriptor of `stream`, or None when it has none (a captured stream)."""
    try:
        return int(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None


def _commands(props: Mapping[str, Any], root: Path) -> list[str | list[str]]:
    import shutil

    if props.get("executeCommand"):
        return [str(props["executeCommand"])]
    if props.get("executeCommands"):
        return [str(c) for c in props["executeCommands"]]
    files = [props["executeScript"]] if props.get("executeScript") else props.get("executeScripts") or []
    commands: list[str | list[str]] = []
    for file in map(str, files):
        interpreter = list(INTERPRETERS[Path(file).suffix])
        if interpreter[0] == "python3" and not shutil.which("python3"):
            interpreter = [sys.executable]
        commands.append([*interpreter, str(root / file)])
    return commands


def base_environment(ctx: StackContext) -> dict[str, str]:
    """What every script gets: the project, stage, stack and region, and the target's endpoint and
    credentials when it is not AWS's own (the local engine), so AWS SDKs and the AWS CLI reach it."""
    env = {
        "STP_PROJECT_NAME": ctx.project.name,
        "STP_STAGE": ctx.project.stage,
        "STP_STACK_NAME": ctx.stack_name,
        "AWS_REGION": ctx.project.region,
        "AWS_DEFAULT_REGION": ctx.project.region,
    }
    endpoint = ctx.aws.endpoint if ctx.aws is not None else None
    if endpoint is not None and endpoint.endpoint_url:
        env["AWS_ENDPOINT_URL"] = endpoint.endpoint_url
        if endpoint.static_credentials:
            env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = endpoint.static_credentials
    elif endpoint is not None and endpoint.profile:
        env["AWS_PROFILE"] = endpoint.profile
    return env


def _resolved(ctx: StackContext, name: str, outputs: Mapping[str, str] | None) -> dict[str, str]:
    values: dict[str, str] = {}
    missing: list[str] = []
    for variable, value in script_variables(ctx, name).items():
        if not isinstance(value, dict | list):
            values[variable] = str(value)
        elif outputs is not None and output_name(value) in outputs:
            values[variable] = outputs[output_name(value)]
        else:
            missing.append(variable)
    if missing:
        why = "does not exist yet" if outputs is None else "was deployed without them"
        raise StackwrightError(
            f"script {name!r} needs values the deployed stack gives ({', '.join(missing)}), and stack "
            f"{ctx.stack_name} {why}",
            hint="deploy first; scripts run before the first deploy (beforeDeploy) or after the delete "
            "(afterDelete) cannot use values of the stack",
        )
    return values
