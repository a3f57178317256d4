"""The built-in directives of Stacktape's config language."""

from __future__ import annotations

from stackwright import Directive, hookimpl

from . import compile_time as ct
from . import load_time as lt


@hookimpl
def stackwright_register_directives() -> list[Directive]:
    return [
        Directive("Stage", lt.stage, summary="the stage being deployed"),
        Directive("Region", lt.region, summary="the AWS region"),
        Directive("Var", lt.var, max_args=1, summary="a value from `variables`"),
        Directive("CliArgs", lt.cli_args, max_args=1, summary="a value given with --arg name=value"),
        Directive("File", lt.file, min_args=1, max_args=1, summary="a parsed .json/.yml/.toml/.env file"),
        Directive("FileRaw", lt.file_raw, min_args=1, max_args=1, summary="a file's text"),
        Directive("Format", lt.format_, min_args=1, summary="`{}` placeholders filled in order"),
        Directive("GitInfo", lt.git_info, summary="sha1, branch, username, gitUrl of the repository"),
        Directive("This", lt.this, summary="the config itself"),
        Directive(
            "ResourceParam",
            ct.resource_param,
            compile_time=True,
            min_args=2,
            max_args=2,
            summary="a parameter of another resource",
        ),
        Directive(
            "CfResourceParam",
            ct.cf_resource_param,
            compile_time=True,
            min_args=2,
            max_args=2,
            summary="an attribute of a template resource",
        ),
        Directive(
            "Secret",
            ct.secret,
            compile_time=True,
            min_args=1,
            max_args=1,
            summary="a Secrets Manager dynamic reference",
        ),
        Directive(
            "SsmParam",
            ct.ssm_param,
            compile_time=True,
            min_args=1,
            max_args=1,
            summary="an SSM parameter dynamic reference",
        ),
        Directive("CfFormat", ct.cf_format, compile_time=True, min_args=1, summary="Fn::Sub with `{}` holes"),
        Directive(
            "CfStackOutput",
            ct.cf_stack_output,
            compile_time=True,
            min_args=2,
            max_args=2,
            summary="Fn::ImportValue of another stack's output",
        ),
    ]
