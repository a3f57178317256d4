"""Entry point: parse plugin options, load plugins, build the command group, report errors once."""

from __future__ import annotations

import os
import sys

from stackwright import __version__, startup

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    import click
    from stackwright.errors import StackwrightError

SECTIONS = {
    "Build and inspect": ("synth", "validate", "schema", "package"),
    "Deploy": ("deploy", "diff", "delete", "rollback", "info", "local", "script:run"),
    "Plugins": ("plugins",),
}
#: The section of the commands plugins add (`stackwright_add_commands`).
FROM_PLUGINS = "From plugins"
#: Other names of a command, as Stacktape spells it.
ALIASES = {"synth": ("compile-template",)}
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def plugin_args(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """The `-p NAME` / `-p no:NAME` values in `argv`: (modules to load, names to block)."""
    load: list[str] = []
    block: list[str] = []
    args = list(argv)
    for index, arg in enumerate(args):
        value = None
        if arg in ("-p", "--plugin") and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("-p") and len(arg) > 2 and not arg.startswith("--"):
            value = arg[2:]
        elif arg.startswith("--plugin="):
            value = arg.split("=", 1)[1]
        if value is None:
            continue
        (block if value.startswith("no:") else load).append(value.removeprefix("no:"))
    return load, block


def build_cli(argv: Sequence[str]) -> click.Group:
    from typing import Any

    import click
    from stackwright.cli import commands
    from stackwright.cli.help import Cli, OptionGroup, group_options
    from stackwright.cli.options import (
        OUTPUT_PARAMS,
        OUTPUT_TITLE,
        STACK_PARAMS,
        STACK_TITLE,
        attach,
        output_options,
        stack_options,
    )
    from stackwright.cli.state import State
    from stackwright.plugins import PLUGINS_ENV, load_plugins

    load, block = plugin_args(argv)
    if load:
        os.environ[PLUGINS_ENV] = ",".join(filter(None, [os.environ.get(PLUGINS_ENV, ""), *load]))
    plugins = load_plugins(blocked=block)
    for name in dict.fromkeys(plugins.unknown_blocks):
        from stackwright.config.suggest import did_you_mean
        from stackwright.report import Reporter

        known = [n for n, plugin in plugins.pm.list_name_plugin() if plugin is not None]
        close = did_you_mean(name, known)
        said = f"-p no:{name} matches no plugin" + (f" ({close})" if close else "")
        Reporter(json=wants_json(argv)).warn(said)

    targets = [(name, t.summary) for name, (t, _) in plugins.targets().items()]

    def decorate(function: Any) -> Any:
        for decorator in reversed(
            [*stack_options(targets, on_command=False), *output_options(on_command=False)]
        ):
            function = decorator(function)
        return function

    @click.group(
        "stackwright",
        cls=Cli,
        sections=[*SECTIONS, FROM_PLUGINS],
        context_settings=CONTEXT,
        help="Deploy Stacktape-compatible configs to AWS CloudFormation. The stack options work before "
        "the command and after it (`stackwright deploy --stage prod`).",
    )
    @click.version_option(__version__, "--version", "-V", prog_name="stackwright")
    @decorate
    @click.pass_context
    def cli(click_ctx: click.Context, /, **values: Any) -> None:
        click_ctx.obj = State(plugins=plugins)
        click_ctx.obj.merge(**values)

    def merge(**values: Any) -> None:
        click.get_current_context().find_object(State).merge(**values)  # type: ignore[union-attr]

    collected = click.Group("collected")
    from stackwright.cli.deploy import deploy, diff
    from stackwright.cli.info import info
    from stackwright.cli.package import package
    from stackwright.cli.scripts import script_run

    for core_command in (
        commands.synth,
        commands.validate,
        commands.schema,
        commands.plugins,
        package,
        deploy,
        diff,
        info,
        script_run,
    ):
        collected.add_command(core_command)
    plugins.add_commands(collected)
    by_name = {p.name: p for p in cli.params}
    group_options(
        cli,
        [
            OptionGroup(STACK_TITLE, [by_name[n] for n in STACK_PARAMS]),
            OptionGroup(OUTPUT_TITLE, [by_name[n] for n in OUTPUT_PARAMS]),
        ],
    )
    for name, command in collected.commands.items():
        title = next((t for t, names in SECTIONS.items() if name in names), FROM_PLUGINS)
        attach(command, targets, merge)
        cli.add_command(command, section=title, aliases=ALIASES.get(name, ()))
    return cli


def report(error: StackwrightError, json_output: bool) -> None:
    import json

    import click
    from stackwright.errors import ConfigError

    if json_output:
        record: dict[str, object] = {"event": "error", "message": error.message, "hint": error.hint}
        if error.details:
            record["details"] = error.details
        if isinstance(error, ConfigError):
            record["problems"] = [
                {
                    "path": p.path,
                    "message": p.message,
                    "file": p.position.file if p.position else None,
                    "line": p.position.line if p.position else None,
                    "column": p.position.column if p.position else None,
                    "expected": p.expected,
                    "found": p.found,
                    "hint": p.hint,
                }
                for p in error.problems
            ]
        sys.stdout.write(json.dumps(record) + "\n")
    click.echo(f"error: {error.render()}", err=True)


def _leave_now_if_stuck(code: int) -> None:
    """After Ctrl-C, exit at once when worker threads still wait on the target (an upload to an engine
    that does not answer): Python would otherwise wait for them before exiting."""
    import threading

    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def wants_json(args: Sequence[str]) -> bool:
    """`--output json` (or `--output=json`) anywhere on the command line."""
    import itertools

    return "--output=json" in args or any(
        a == "--output" and b == "json" for a, b in itertools.pairwise(args)
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):  # nothing else to load
        sys.stdout.write(f"stackwright, version {__version__}\n")
        return 0
    if startup.is_help(args):
        kept = startup.kept_help(args)
        if kept is not None:
            sys.stdout.write(kept)
            return 0
    return _run(args)


def _help(cli: click.Group, args: list[str]) -> int:
    """Print the help of `args` and keep its text for the next time (`stackwright.startup`)."""
    import contextlib
    import io

    import click

    captured = io.StringIO()
    code = 0
    try:
        with contextlib.redirect_stdout(captured):
            cli.main(args=args, prog_name="stackwright", standalone_mode=False)
    except click.exceptions.Exit as exit_:
        code = int(exit_.exit_code)
    text = captured.getvalue()
    sys.stdout.write(text)
    if code == 0 and text:
        startup.keep_help(args, text)
    return code


def _run(args: list[str]) -> int:
    import json

    import click
    from stackwright.errors import PluginError, StackwrightError

    json_output = wants_json(args)
    try:
        cli = build_cli(args)
        if startup.is_help(args):
            return _help(cli, args)
        code = cli.main(args=args, prog_name="stackwright", standalone_mode=False)
        if isinstance(code, int):
            return code
    except StackwrightError as error:
        report(error, json_output)
        return error.exit_code
    except PluginError as error:
        if json_output:
            sys.stdout.write(
                json.dumps(
                    {
                        "event": "error",
                        "message": str(error),
                        "plugin": error.plugin,
                        "distribution": error.distribution,
                        "bug": True,
                    }
                )
                + "\n"
            )
        click.echo(f"error: {error}", err=True)
        if os.environ.get("STACKWRIGHT_DEBUG"):
            import traceback

            traceback.print_exception(error.error)
        else:
            click.echo("this is a bug in the plugin; set STACKWRIGHT_DEBUG=1 for the traceback", err=True)
        return 3
    except click.exceptions.Exit as exit_:
        return int(exit_.exit_code)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception as error:
        from stackwright.aws import target_error

        lost = target_error(error)
        if lost is None and isinstance(error, OSError) and error.filename is not None:
            # a file this machine cannot read or write (disk full, name too long, no permission)
            lost = StackwrightError(f"cannot use {error.filename}: {error.strerror or error}")
        if lost is None:
            raise
        report(lost, json_output)
        return lost.exit_code
    return 0


def run() -> None:
    """The `stackwright` console script."""
    code = main()
    if code == 130:
        _leave_now_if_stuck(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
