"""Directives: Stacktape's syntax, load-time values, compile-time intrinsics, and clear errors."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright.config.directive_syntax import Call, DirectiveSyntaxError, looks_like_directive, parse

from tests.helpers import Result, deployment_bucket, function_config


def env_of(cli: Callable[..., Result], root: Path, *args: str) -> dict[str, Any]:
    result = cli(*args, "synth", cwd=root)
    assert result.code == 0, result.err
    return json.loads(result.out)["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"]  # type: ignore[no-any-return]


def with_env(variables: dict[str, str], root: str = "") -> str:
    props = "environment:\n" + "".join(f"  - name: {k}\n    value: {v}\n" for k, v in variables.items())
    return function_config(props, root=root)


def test_parse_syntax() -> None:
    call = parse('$Format(\'{}-{}\', $Stage(), "x\\"y", 3, 1.5, true, bare word).a.0')
    assert call.name == "Format" and call.path == ["a", 0]
    assert call.args[1:] == [Call("Stage"), 'x"y', 3, 1.5, True, "bare word"]
    assert (
        looks_like_directive("$Stage()")
        and not looks_like_directive("$5 off")
        and not looks_like_directive("a $Stage()")
    )
    for bad in ("$Stage(", "$Secret('x)", "$Stage() extra", "$Var()."):
        with pytest.raises(DirectiveSyntaxError):
            parse(bad)


def test_load_time_directives(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {
            "stackwright.yml": with_env(
                {
                    "STAGE": "$Stage()",
                    "REGION": "$Region()",
                    "PORT": "$Var('port')",
                    "PORT_TOO": "$Var().port",
                    "NAME": "$Format('{}-{}-{}', $Var().app, $Stage(), 7)",
                    "FROM_JSON": "$File('settings.json').db.host",
                    "FROM_YAML": "$File('settings.yml').items.1",
                    "FROM_ENV": "$File('.env').TOKEN_NAME",
                    "RAW": "$FileRaw('version.txt')",
                    "ARG": "$CliArgs().release",
                    "SELF": "$This().serviceName",
                },
                root="variables:\n  port: 8080\n  app: $Format('{}app', 'my')\n",
            ),
            "settings.json": '{"db": {"host": "db.local"}}',
            "settings.yml": "items: [a, b]\n",
            ".env": "# comment\nexport TOKEN_NAME='secret-name'\n",
            "version.txt": "1.2.3",
        }
    )
    variables = env_of(cli, root, "--stage", "qa", "--region", "eu-west-1", "--arg", "release=r42")
    assert variables == {
        "STAGE": "qa",
        "REGION": "eu-west-1",
        "PORT": "8080",
        "PORT_TOO": "8080",
        "NAME": "myapp-qa-7",
        "FROM_JSON": "db.local",
        "FROM_YAML": "b",
        "FROM_ENV": "secret-name",
        "RAW": "1.2.3",
        "ARG": "r42",
        "SELF": "demo",
    }


def test_directive_results_feed_schema_validation(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": function_config("memory: $Var().mem", root="variables: {mem: lots}")})
    result = cli("validate", cwd=root)
    assert (
        result.code == 2
        and "resources.api.properties.memory" in result.err
        and "found:    string 'lots'" in result.err
    )


def test_git_info(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": with_env({"BRANCH": "$GitInfo().branch", "SHA": "$GitInfo().sha1"})})
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=root, check=True)
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True
    ).stdout.strip()
    assert env_of(cli, root) == {"BRANCH": "main", "SHA": sha}


def test_compile_time_directives_become_intrinsics(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {
            "stackwright.yml": with_env(
                {
                    "DB_PASSWORD": "$Secret('mainDatabase.password')",
                    "WHOLE": "$Secret('api-key')",
                    "URL": "$SsmParam('/shop/url')",
                    "BUCKET": "$CfResourceParam('StpDeploymentBucket', 'Arn')",
                    "BUCKET_NAME": "$CfResourceParam(StpDeploymentBucket, Ref)",
                    "ENDPOINT": "$CfFormat('https://{}/{}', $CfResourceParam('StpDeploymentBucket', 'DomainName'), $Stage())",
                    "SHARED": "$CfStackOutput('network-prod', 'VpcId')",
                }
            ),
        }
    )
    variables = env_of(cli, root)
    assert variables["DB_PASSWORD"] == "{{resolve:secretsmanager:mainDatabase:SecretString:password}}"
    assert variables["WHOLE"] == "{{resolve:secretsmanager:api-key}}"
    assert variables["URL"] == "{{resolve:ssm:/shop/url}}"
    assert variables["BUCKET"] == {"Fn::GetAtt": ["StpDeploymentBucket", "Arn"]}
    assert variables["BUCKET_NAME"] == {"Ref": "StpDeploymentBucket"}
    assert variables["ENDPOINT"] == {
        "Fn::Sub": [
            "https://${p0}/${p1}",
            {"p0": {"Fn::GetAtt": ["StpDeploymentBucket", "DomainName"]}, "p1": "dev"},
        ]
    }
    assert variables["SHARED"] == {"Fn::ImportValue": "network-prod-VpcId"}


SIZES = """\
cloudformationResources:
  Sizes:
    Type: Custom::Sizes
    Properties:
      ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:sizes
"""


def test_compile_time_directive_skips_schema_check(cli: Callable[..., Result], project: Any) -> None:
    config = function_config("memory: $CfResourceParam('Sizes', 'Memory')", root=SIZES)
    root = project({"stackwright.yml": config})
    assert cli("validate", cwd=root).code == 0
    template = json.loads(cli("synth", cwd=root).out)
    assert template["Resources"]["ApiFunction"]["Properties"]["MemorySize"] == {
        "Fn::GetAtt": ["Sizes", "Memory"]
    }
    # without the resource it names, the template cannot deploy: told at the directive's line
    root = project({"stackwright.yml": function_config("memory: $CfResourceParam('Sizes', 'Memory')")})
    result = cli("validate", cwd=root)
    assert result.code == 2 and "stackwright.yml:10:" in result.err and "Sizes" in result.err


def test_config_defined_directive(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {
            "stackwright.yml": with_env(
                {"GREETING": "$Greet('world', 2)", "DEFAULT": "$computeName()"},
                root="directives:\n  - name: greet\n    filePath: tools/directives.py:greet\n"
                "  - name: computeName\n    filePath: tools/directives.py\n",
            ),
            "tools/directives.py": "def greet(who, times):\n    return ' '.join(['hello ' + who] * times)\n\n"
            "def compute_name():\n    return 'computed'\n",
        }
    )
    assert env_of(cli, root) == {"GREETING": "hello world hello world", "DEFAULT": "computed"}


@pytest.mark.parametrize(
    ("value", "root", "expected"),
    [
        ("$Stgae()", "", ["unknown directive $Stgae()", "did you mean 'Stage'?"]),
        ("$Secret()", "", ["$Secret() takes 1 argument(s), 0 given"]),
        ("$Secret('my db.password')", "", ["invalid secret name 'my db'", "1 to 512 ASCII letters"]),
        (
            "$Format('{}', $Secret('x'))",
            "",
            ["$Secret() is resolved when the template is compiled", "$CfFormat()"],
        ),
        ("$Var('prot')", "variables: {port: 1}", ["no variable named 'prot'", "did you mean 'port'?"]),
        ("$File('missing.json')", "", ["file 'missing.json' does not exist"]),
        ("$Format('{}-{}', 'a')", "", ["2 '{}' placeholders but 1 values"]),
        ("$Stage(", "", ["invalid directive: expected"]),
        ("$File('settings.json').nope", "", ["$File() has no 'nope'", "available: name"]),
        ("$CliArgs().release", "", ["$CliArgs() has no 'release'", "it has no values at all"]),
        ("$ResourceParam('apii', 'arn')", "", ["no resource named 'apii'", "did you mean 'api'?"]),
        ("$ResourceParam('api', 'arm')", "", ["has no parameter 'arm'", "did you mean 'arn'?"]),
    ],
)
def test_directive_errors_point_at_the_value(
    cli: Callable[..., Result], project: Any, value: str, root: str, expected: list[str]
) -> None:
    folder = project(
        {"stackwright.yml": with_env({"VALUE": value}, root=root), "settings.json": '{"name": 1}'}
    )
    result = cli("synth", cwd=folder)
    assert result.code == 2, result.err
    assert "stackwright.yml:12:" in result.err
    for text in expected:
        assert text in result.err
    assert "Traceback" not in result.err


def test_config_directive_errors(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {
            "stackwright.yml": with_env(
                {"VALUE": "$Boom()"},
                root="directives:\n  - name: boom\n    filePath: d.py:boom\n  - name: js\n    filePath: d.ts:x\n"
                "  - name: stage\n    filePath: d.py:boom\n",
            ),
            "d.py": "def boom():\n    raise ValueError('kaput')\n",
        }
    )
    result = cli("synth", cwd=root)
    assert result.code == 2
    assert "the directive function raised ValueError: kaput" in result.err
    assert "JavaScript/TypeScript directive files are not supported" in result.err
    assert "directive name 'stage' is taken" in result.err


def test_secret_value_never_leaves_the_secret_store(
    cli: Callable[..., Result], project: Any, tmp_path: Path, engine: str, aws: Callable[[str], Any]
) -> None:
    secret_value = "s3cr3t-Value-that-must-not-leak"
    aws("secretsmanager").create_secret(Name="db", SecretString=json.dumps({"password": secret_value}))
    root = project({"stackwright.yml": with_env({"DB_PASSWORD": "$Secret('db.password')"})})
    out = tmp_path / "out" / "template.yml"
    results = [
        cli("synth", "--out", str(out), cwd=root),
        cli("--output", "json", "synth", cwd=root),
        cli("validate", cwd=root),
        cli("--local", "deploy", cwd=root),
        cli("--local", "--output", "json", "deploy", cwd=root),
        cli("--local", "info", cwd=root),
        cli("--local", "package", cwd=root),
    ]
    assert [r.code for r in results] == [0] * len(results), [r.err for r in results]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]  # the project, the output, and the cache
    assert any("cache" in p.parts for p in written)
    for text in [
        *(r.out + r.err for r in results),
        *(p.read_bytes().decode(errors="replace") for p in written),
    ]:
        assert secret_value not in text
    assert "{{resolve:secretsmanager:db:SecretString:password}}" in out.read_text()
    bucket = deployment_bucket(aws, "demo-dev")
    for item in aws("s3").list_objects_v2(Bucket=bucket)["Contents"]:
        body = aws("s3").get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        assert secret_value.encode() not in body


def test_variables_can_use_earlier_variables(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {
            "stackwright.yml": with_env(
                {"URL": "$Var().url"},
                root="variables:\n  host: api.example.com\n  url: $Format('https://{}/{}', $Var().host, $Stage())\n",
            )
        }
    )
    assert env_of(cli, root) == {"URL": "https://api.example.com/dev"}


def test_a_variable_that_fails_is_reported_once(cli: Callable[..., Result], project: Any) -> None:
    """A failed variable was reported again for every variable and value built from it, then as an
    `invalid directive` whose quoted text ran to kilobytes."""
    root = project(
        {
            "stackwright.yml": with_env(
                {"URL": "$Var('url')", "COPY": "$Format('{}', $Var('url'))"},
                root="variables:\n  host: $File('missing.json')\n  base: $Format('https://{}', $Var('host'))\n"
                "  url: $Format('{}/v1', $Var('base'))\n",
            )
        }
    )
    result = cli("validate", cwd=root)
    assert result.code == 2 and "1 problem found" in result.err, result.err
    assert "variables.host: $File('missing.json'): file 'missing.json' does not exist" in result.err
    assert "invalid directive" not in result.err
