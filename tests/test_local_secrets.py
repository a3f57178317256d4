"""`$Secret` and `$SsmParam` on the local target: the engine passes dynamic references on as text, so the
local target resolves them from the engine's own Secrets Manager and Parameter Store; the values reach
the deployed resources and nothing else (not the kept template, not the output, not comparisons)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright import Clients, Config, Endpoint, Project, StackContext, StackwrightError, Template

from tests.helpers import Result, deployment_bucket, function_config, write

Aws = Callable[[str], Any]
PASSWORD = "pa${ss}word-9f1c"  # a `${` that Fn::Sub must not take for a variable
TOKEN = "token-4be2"
CONFIG = function_config(
    """
    environment:
      - name: DB_PASSWORD
        value: $Secret('db.password')
      - name: TOKEN
        value: $Secret('token')
      - name: DB_URL
        value: $CfFormat('postgres://app:{}@db:5432/{}', $Secret('db.password'), $Stage())
      - name: API_URL
        value: $SsmParam('/demo/api-url')
    """
)


def secrets(aws: Aws) -> None:
    manager = aws("secretsmanager")
    manager.create_secret(Name="db", SecretString=json.dumps({"password": PASSWORD, "user": "app"}))
    manager.create_secret(Name="token", SecretString=TOKEN)
    aws("ssm").put_parameter(Name="/demo/api-url", Value="https://api.example.test", Type="String")


def project(tmp_path: Path, config: str = CONFIG) -> Path:
    return write(
        tmp_path, {"stackwright.yml": config, "src/app.py": "def handler(event, context):\n    return 1\n"}
    )


def test_secrets_reach_the_function_and_nothing_else(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    secrets(aws)
    root = project(tmp_path)
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    variables = aws("lambda").get_function_configuration(FunctionName="demo-dev-api")["Environment"][
        "Variables"
    ]
    assert variables["DB_PASSWORD"] == PASSWORD and variables["TOKEN"] == TOKEN
    assert variables["DB_URL"] == f"postgres://app:{PASSWORD}@db:5432/dev"
    assert variables["API_URL"] == "https://api.example.test"
    shown = [result.out, result.err]
    # the kept template names the references, never the values
    s3, bucket = aws("s3"), deployment_bucket(aws, "demo-dev")
    (key,) = [
        k["Key"] for k in s3.list_objects_v2(Bucket=bucket)["Contents"] if k["Key"].startswith("cf-template/")
    ]
    kept = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
    assert (
        "{{resolve:secretsmanager:db:SecretString:password}}" in kept
        and "{{resolve:ssm:/demo/api-url}}" in kept
    )
    # what stackwright shows of the deployed stack is the template as compiled
    info = cli("--local", "--output", "json", "info", cwd=root)
    shown += [info.out, info.err]
    from stackwright.builtin_plugins.local_engine import LocalTarget

    deployed = LocalTarget().deployed_template(_connected(tmp_path, engine))
    synthesized = json.loads(cli("synth", cwd=root).out)
    assert (
        deployed is not None
        and deployed["Resources"]["ApiFunction"] == synthesized["Resources"]["ApiFunction"]
    )
    assert deployed["Metadata"] == synthesized["Metadata"]  # the engine's note of what it resolved is gone
    # an unchanged stack stays unchanged, and a code change can still be hot-swapped
    again = cli("--local", "deploy", cwd=root)
    assert again.code == 0 and "no changes" in again.out, again.err
    (root / "src" / "app.py").write_text("def handler(event, context):\n    return 2\n")
    swapped = cli("--local", "deploy", "--hotswap", cwd=root)
    assert swapped.code == 0 and "hot-swapped 1 resource " in swapped.out, swapped.err
    shown += [again.out, again.err, swapped.out, swapped.err]
    for text in shown:
        assert PASSWORD not in text and TOKEN not in text
    variables = aws("lambda").get_function_configuration(FunctionName="demo-dev-api")["Environment"][
        "Variables"
    ]
    assert variables["DB_PASSWORD"] == PASSWORD


def _connected(tmp_path: Path, engine: str) -> StackContext:
    from stackwright import StackState
    from stackwright.plugins import load_plugins

    ctx = StackContext(
        Project("demo", "dev", "us-east-1", tmp_path, target="local", account="123456789012"),
        Config({}),
        load_plugins(autoload=False),
        aws=Clients(Endpoint("us-east-1", endpoint_url=engine, static_credentials=("test", "test"))),
    )
    ctx.state = StackState(ctx.stack_name, "UPDATE_COMPLETE")
    return ctx


def test_a_missing_secret_is_a_clear_error_before_anything_is_built(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    root = project(
        tmp_path, function_config("environment:\n  - name: DB_PASSWORD\n    value: $Secret('db.password')")
    )
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 1
    assert "error: secret 'db' does not exist in the local engine" in result.err
    assert "used at stackwright.yml:12:18: resources.api.properties.environment.0.value" in result.err
    assert "create it with `stackwright local secret db`" in result.err
    assert "Traceback" not in result.err and "bug" not in result.err
    assert not aws("cloudformation").list_stacks()["StackSummaries"]  # refused before the bootstrap


def test_a_missing_key_or_parameter_is_named_with_where_it_is_used(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    aws("secretsmanager").create_secret(Name="db", SecretString=json.dumps({"user": "app"}))
    config = function_config(
        """
        environment:
          - name: DB_PASSWORD
            value: $Secret('db.password')
          - name: API_URL
            value: $SsmParam('/demo/api-url')
        """
    )
    result = cli("--local", "deploy", cwd=project(tmp_path, config))
    assert result.code == 1
    assert "the local engine cannot resolve 2 dynamic references" in result.err
    assert "secret 'db' has no key 'password'" in result.err and "its keys: user" in result.err
    assert "parameter '/demo/api-url' does not exist in the local engine" in result.err
    assert "stackwright.yml:14:18: resources.api.properties.environment.1.value" in result.err


def test_local_secret_stores_a_value_read_from_stdin(
    cli: Callable[..., Result], engine: str, aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"password": PASSWORD}) + "\n"))
    created = cli("local", "secret", "db")
    assert created.code == 0 and created.out == "secret db created in the local engine\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(TOKEN))
    updated = cli("local", "secret", "db")
    assert updated.code == 0 and updated.out == "secret db updated in the local engine\n"
    assert PASSWORD not in created.out + created.err and TOKEN not in updated.out + updated.err
    assert aws("secretsmanager").get_secret_value(SecretId="db")["SecretString"] == TOKEN
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    empty = cli("local", "secret", "db")
    assert empty.code == 1 and "no value given for secret 'db'" in empty.err
    # names and values Secrets Manager refuses: said before the engine is asked (was a botocore traceback)
    for name in ("", "a b", "db.password", "x" * 513):
        monkeypatch.setattr("sys.stdin", io.StringIO(TOKEN))
        bad = cli("local", "secret", name)
        assert bad.code == 2 and "Invalid value for NAME" in bad.err and "Traceback" not in bad.err, bad.err
    monkeypatch.setattr("sys.stdin", io.StringIO("x" * 65537))
    big = cli("local", "secret", "db")
    assert big.code == 1 and "is over 65,536 bytes, the most Secrets Manager takes" in big.err
    monkeypatch.setattr("sys.stdin", io.StringIO("\udcff"))  # a byte that is not UTF-8, as Python reads it
    binary = cli("local", "secret", "db")
    assert binary.code == 1 and "is not UTF-8 text" in binary.err
    assert aws("secretsmanager").get_secret_value(SecretId="db")["SecretString"] == TOKEN


TOKEN_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:token-AbCdEf"  # the real one differs
REFERENCES = {
    "{{resolve:secretsmanager:db}}": json.dumps({"password": PASSWORD, "port": 5432}),
    "{{resolve:secretsmanager:db:SecretString:password}}": PASSWORD,
    "{{resolve:secretsmanager:db:SecretString:port}}": "5432",
    "{{resolve:secretsmanager:db:SecretString:password:AWSCURRENT}}": PASSWORD,
    "{{resolve:secretsmanager:db:SecretString:password::VERSION-ID}}": PASSWORD,
    "{{resolve:secretsmanager:db::password}}": PASSWORD,
    "{{resolve:secretsmanager:" + TOKEN_ARN + "}}": TOKEN,
    "{{resolve:ssm:/demo/api-url}}": "https://api.example.test",
    "{{resolve:ssm:/demo/api-url:1}}": "https://api.example.test",
    "{{resolve:ssm-secure:/demo/key:1}}": TOKEN,
}


def test_every_form_of_dynamic_reference_resolves(engine: str, aws: Aws, tmp_path: Path) -> None:
    from stackwright.builtin_plugins.local_engine.dynamic import resolved, restore

    manager = aws("secretsmanager")
    created = manager.create_secret(Name="db", SecretString=json.dumps({"password": PASSWORD, "port": 5432}))
    arn = manager.create_secret(Name="token", SecretString=TOKEN)["ARN"]
    aws("ssm").put_parameter(Name="/demo/api-url", Value="https://api.example.test", Type="String")
    aws("ssm").put_parameter(Name="/demo/key", Value=TOKEN, Type="SecureString")
    template = Template()
    for index, reference in enumerate(sorted(REFERENCES)):
        reference = reference.replace(TOKEN_ARN, arn).replace("VERSION-ID", created["VersionId"])
        template.add_resource(
            f"Topic{index}",
            "AWS::SNS::Topic",
            {
                "DisplayName": f"<{reference}>",
                "Tags": [
                    {"Key": "sub", "Value": {"Fn::Sub": f"${{AWS::Region}}/{reference}"}},
                    {"Key": "join", "Value": {"Fn::Join": ["", ["x", reference]]}},
                ],
            },
        )
    body = resolved(_connected(tmp_path, engine), template)
    assert body is not None and restore(body) == template.to_dict()
    for index, reference in enumerate(sorted(REFERENCES)):
        value, props = REFERENCES[reference], body["Resources"][f"Topic{index}"]["Properties"]
        assert props["DisplayName"] == f"<{value}>", reference
        assert props["Tags"][0]["Value"] == {"Fn::Sub": "${AWS::Region}/" + value.replace("${", "${!")}
        assert props["Tags"][1]["Value"] == {"Fn::Join": ["", ["x", value]]}


@pytest.mark.parametrize(
    "value",
    [
        {"Fn::Sub": "{{resolve:secretsmanager:${AWS::StackName}}}"},
        {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": "AWS::StackName"}, "}}"]]},
    ],
)
def test_a_reference_built_from_other_values_cannot_be_resolved_before_the_deploy(
    engine: str, tmp_path: Path, value: dict[str, Any]
) -> None:
    from stackwright.builtin_plugins.local_engine.dynamic import resolved

    template = Template()
    template.add_resource("Topic", "AWS::SNS::Topic", {"DisplayName": value})
    with pytest.raises(StackwrightError, match="a dynamic reference built from other values") as raised:
        resolved(_connected(tmp_path, engine), template)
    assert raised.value.details == [
        "used at Topic.Properties.DisplayName." + next(iter(value)) + (".1.0" if "Fn::Join" in value else "")
    ]


def test_a_rollback_resolves_the_kept_template_too(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    secrets(aws)
    root = project(tmp_path)
    assert cli("--local", "deploy", cwd=root).code == 0
    (root / "stackwright.yml").write_text(CONFIG.replace("$Secret('token')", "plain"))
    assert cli("--local", "deploy", cwd=root).code == 0
    result = cli("--local", "rollback", cwd=root)
    assert result.code == 0, result.err
    variables = aws("lambda").get_function_configuration(FunctionName="demo-dev-api")["Environment"][
        "Variables"
    ]
    assert (variables["TOKEN"], variables["DB_PASSWORD"]) == (TOKEN, PASSWORD)
