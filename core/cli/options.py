"""The stack options (`--stage`, `--region`, `--config`, ...): accepted before the command
(`stackwright --stage prod deploy`) and after it (`stackwright deploy --stage prod`), as Stacktape and SAM
users type them, and shown in every command's `--help`. Stacktape's own spellings (`--configPath`,
`--projectName`) are aliases."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click
from stackwright.cli.help import OptionGroup, group_options

Decorator = Callable[[Any], Any]
STACK_TITLE = "Stack"
OUTPUT_TITLE = "Output and plugins"


def stack_options(targets: Iterable[tuple[str, str]], on_command: bool) -> list[Decorator]:
    """The stack options' decorators, fresh objects each call; `targets` is (name, summary) of each
    target. On a command (`on_command`) every default is None, so a value given before the command is
    kept unless the same option is given again after it; the environment (`STACKWRIGHT_STAGE`,
    `AWS_PROFILE`) is read by the group's copy only."""
    listed = sorted(targets)
    return [
        click.option(
            "--stage",
            "-s",
            envvar=None if on_command else "STACKWRIGHT_STAGE",
            help="Stage name (default: STACKWRIGHT_STAGE, then dev).",
        ),
        click.option(
            "--region", "-r", help="AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then us-east-1)."
        ),
        click.option(
            "--project",
            "--projectName",
            "project",
            help="Project name (default: the config's serviceName, then the folder).",
        ),
        click.option(
            "--config",
            "-c",
            "--configPath",
            "config",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Config file (default: stackwright.yml, then stacktape.yml).",
        ),
        click.option(
            "--target",
            "target_option",
            type=click.Choice([name for name, _ in listed]),
            help="Where stacks go (default: aws when AWS credentials are configured; without them, local in "
            "an interactive terminal, else an error). " + "; ".join(f"{n}: {s}" for n, s in listed) + ".",
        ),
        click.option("--local", "local_flag", is_flag=True, default=None, help="Same as --target local."),
        click.option(
            "--profile", envvar=None if on_command else "AWS_PROFILE", help="AWS profile for the aws target."
        ),
        click.option(
            "--arg",
            "cli_args",
            multiple=True,
            metavar="NAME=VALUE",
            help="A value for $CliArgs().NAME in the config (repeatable).",
        ),
    ]


def output_options(on_command: bool) -> list[Decorator]:
    """`--output` and `-p` (whose values `main` reads from the whole command line before parsing)."""
    return [
        click.option(
            "--output",
            type=click.Choice(["text", "json"]),
            default=None if on_command else "text",
            show_default=not on_command,
            help="json: one JSON object per line on stdout.",
        ),
        click.option(
            "-p",
            "--plugin",
            "plugin_opts",
            multiple=True,
            metavar="NAME",
            help="Load plugin module NAME, or block a plugin with no:NAME (repeatable).",
        ),
    ]


def _decorated(factories: list[Decorator]) -> list[click.Option]:
    """The click.Option objects that click.option decorators would add to a command."""

    def target() -> None:
        pass

    for factory in reversed(factories):
        factory(target)
    return list(getattr(target, "__click_params__", []))[::-1]


STACK_PARAMS = ("stage", "region", "project", "config", "target_option", "local_flag", "profile", "cli_args")
OUTPUT_PARAMS = ("output", "plugin_opts")


def attach(command: click.Command, targets: Iterable[tuple[str, str]], merge: Callable[..., None]) -> None:
    """Give `command` (and, for a group, each of its subcommands) the stack and output options. Its
    callback receives its own parameters only; the stack options' values go to `merge(**values)` first.
    An option whose name or spelling the command already uses is left out for that command."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            attach(sub, targets, merge)
        return
    taken_names = {p.name for p in command.params}
    taken_opts = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
    added: dict[str, list[click.Option]] = {STACK_TITLE: [], OUTPUT_TITLE: []}
    for title, options in (
        (STACK_TITLE, _decorated(stack_options(targets, on_command=True))),
        (OUTPUT_TITLE, _decorated(output_options(on_command=True))),
    ):
        for option in options:
            if option.name in taken_names or taken_opts & {*option.opts, *option.secondary_opts}:
                continue
            added[title].append(option)
    names = {o.name for options in added.values() for o in options}
    original = command.callback
    if original is None or not names:
        return

    @functools.wraps(original)
    def callback(*args: Any, **kwargs: Any) -> Any:
        merge(**{name: kwargs.pop(name) for name in names if name in kwargs})
        return original(*args, **kwargs)

    command.callback = callback
    own: list[click.Parameter] = [p for p in command.params if isinstance(p, click.Option)]
    groups = [OptionGroup(f"{(command.name or '').capitalize()} options", own)]
    for title, options in added.items():
        command.params.extend(options)
        groups.append(OptionGroup(title, list(options)))
    group_options(command, groups)
