"""Invalid configs: every mistake reported at once, with file:line, path, expected/found and hints."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import COMPAT, REPO, Result

OWN = sorted((REPO / "tests" / "configs" / "invalid").glob("*.yml"))
EXPECT = re.compile(r"^# error: (\d+): (.+)$", re.MULTILINE)


def check(result: Result, name: str, expectations: list[tuple[int, str]]) -> None:
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    blocks = result.err.split("\n  stackwright.yml:")
    for line, text in expectations:
        matching = [b for b in blocks if b.startswith(f"{line}:") and text in b]
        assert matching, f"{name}: expected {text!r} at line {line} in:\n{result.err}"


@pytest.mark.parametrize("path", OWN, ids=[p.stem for p in OWN])
def test_own_invalid_configs(cli: Callable[..., Result], project: Any, path: Path) -> None:
    root = project({"stackwright.yml": ""})
    (root / "stackwright.yml").write_bytes(path.read_bytes())
    expectations = [(int(line), text) for line, text in EXPECT.findall(path.read_text())]
    assert expectations, f"{path.name} has no '# error: LINE: text' header"
    check(cli("validate", cwd=root), path.name, expectations)


def test_own_corpus_is_large_enough() -> None:
    assert len(OWN) >= 20


def test_binary_file_is_refused(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": ""})
    (root / "stackwright.yml").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    result = cli("validate", cwd=root)
    assert (
        result.code == 2
        and "stackwright.yml:1:1: (root): this is a binary file, not a YAML or JSON config" in result.err
    )


def test_non_utf8_file_is_refused_with_line(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": ""})
    (root / "stackwright.yml").write_bytes(b"resources:\n  api:\n    type: caf\xe9\n")
    result = cli("validate", cwd=root)
    assert result.code == 2 and "stackwright.yml:3:1: (root): config is not valid UTF-8" in result.err


def test_huge_file_is_refused_before_parsing(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": ""})
    (root / "stackwright.yml").write_text("resources:\n" + "# padding\n" * 700_000)
    result = cli("validate", cwd=root)
    assert (
        result.code == 2
        and "stackwright.yml:1:1: (root): config file is" in result.err
        and "over the 5 MiB limit" in result.err
    )


def test_json_config_errors_have_positions(cli: Callable[..., Result], project: Any) -> None:
    root = project(
        {
            "stackwright.json": '{\n  "resources": {\n    "api": {\n      "type": "function",\n'
            '      "properties": {"memory": "big"}\n    }\n  }\n}\n'
        }
    )
    result = cli("validate", cwd=root)
    assert result.code == 2
    assert "stackwright.json:5:" in result.err and "missing required property 'packaging'" in result.err
    assert "memory: wrong type" in result.err


def test_errors_are_grouped_by_resource(cli: Callable[..., Result], project: Any) -> None:
    root = project({"stackwright.yml": (REPO / "tests/configs/invalid/29-many-at-once.yml").read_text()})
    err = cli("validate", cwd=root).err
    assert (
        err.index("resource 'api':") < err.index("timout") < err.index("resource 'jobs':") < err.index("qeue")
    )
    assert err.startswith("error: stackwright.yml: 3 problems found")


def test_cloudformation_short_forms_and_unknown_tags(cli: Callable[..., Result], project: Any) -> None:
    import json

    config = (
        "resources:\n  api:\n    type: function\n    properties:\n"
        "      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}\n"
        "cloudformationResources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
        "    Properties:\n      TopicName: !Sub '${AWS::StackName}-topic'\n"
        "  Sub:\n    Type: AWS::SNS::Subscription\n    Properties:\n      TopicArn: !Ref Topic\n"
        "      Protocol: lambda\n      Endpoint: !GetAtt ApiFunction.Arn\n"
    )
    root = project({"stackwright.yml": config})
    result = cli("synth", cwd=root)
    assert result.code == 0, result.err
    resources = json.loads(result.out)["Resources"]
    assert resources["Topic"]["Properties"]["TopicName"] == {"Fn::Sub": "${AWS::StackName}-topic"}
    assert resources["Sub"]["Properties"]["TopicArn"] == {"Ref": "Topic"}
    assert resources["Sub"]["Properties"]["Endpoint"] == {"Fn::GetAtt": ["ApiFunction", "Arn"]}
    (root / "stackwright.yml").write_text(config.replace("!Ref Topic", "!Reference Topic"))
    result = cli("validate", cwd=root)
    assert (
        result.code == 2
        and "stackwright.yml:14:17:" in result.err
        and "unknown YAML tag !Reference" in result.err
    )


def test_required_plugins(cli: Callable[..., Result], project: Any) -> None:
    from tests.helpers import FUNCTION_CONFIG

    root = project(
        {"stackwright.yml": FUNCTION_CONFIG + "requiredPlugins:\n  - stackwright>=0.1\n  - pluggy\n"}
    )
    assert cli("validate", cwd=root).code == 0
    (root / "stackwright.yml").write_text(
        FUNCTION_CONFIG
        + "requiredPlugins:\n  - stackwright>=99\n  - stackwright-nonexistent-plugin\n  - '!!'\n"
    )
    result = cli("validate", cwd=root)
    assert result.code == 2
    assert (
        "stackwright.yml:11:5: requiredPlugins.0: this config needs stackwright>=99, but stackwright 0.1.0"
        in result.err
    )
    assert "'stackwright-nonexistent-plugin', which is not installed" in result.err
    assert "pip install 'stackwright-nonexistent-plugin'" in result.err
    assert "requiredPlugins.2: not a valid requirement" in result.err


STACKTAPE_ERRORS: dict[str, list[tuple[int, str]]] = {
    "01-invalid-resource-type": [
        (6, "unknown resource type 'web-servce'"),
        (6, "did you mean 'web-service'?"),
    ],
    "03-missing-required-property": [
        (7, "missing required property 'credentials'"),
        (7, "missing required property 'engine'"),
    ],
    "05-wrong-type-value": [
        (12, "expected: number"),
        (12, "found:    string 'thirty'"),
        (13, "found:    boolean true"),
        (19, "expected: boolean"),
    ],
    "07-invalid-packaging-type": [(9, "unknown type"), (9, "did you mean 'custom-dockerfile'?")],
    "09-invalid-database-engine": [(11, "unknown type"), (11, "did you mean 'postgres'?")],
    "11-invalid-custom-domain": [
        (9, "expected: a domain name such as api.example.com"),
        (10, "did you mean 'customCertificateArn'?"),
        (11, "missing required property 'domainName'"),
        (11, "did you mean 'domainName'?"),
    ],
    "13-invalid-cors-config": [
        (16, "did you mean 'enabled'?"),
        (17, "expected: array of string"),
        (19, "did you mean 'GET'?"),
        (20, "did you mean 'POST'?"),
        (21, "did you mean 'DELETE'?"),
        (22, "expected: number"),
    ],
    "15-invalid-redis-config": [
        (8, "unknown property 'engine'"),
        (8, "did you mean 'engineVersion'?"),
        (13, "did you mean 'defaultUserPassword'?"),
    ],
}
CORPUS = sorted((COMPAT / "config-errors").glob("*.yml"))


@pytest.mark.skipif(not CORPUS, reason=f"no Stacktape error corpus at {COMPAT}")
@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_stacktape_invalid_configs(cli: Callable[..., Result], tmp_path: Path, path: Path) -> None:
    assert path.stem in STACKTAPE_ERRORS, f"add the expected errors of {path.name} to STACKTAPE_ERRORS"
    result = cli("--config", str(path), "validate", cwd=tmp_path)
    assert result.code == 2 and "Traceback" not in result.err
    for line, text in STACKTAPE_ERRORS[path.stem]:
        blocks = [b for b in result.err.split(f"\n  {path}:") if b.startswith(f"{line}:")]
        assert any(text in b for b in blocks), (
            f"{path.name}: expected {text!r} at line {line} in:\n{result.err}"
        )


@pytest.mark.parametrize("explicit_first", [False, True])
def test_yaml_merge_keys_follow_the_yaml_rules(
    cli: Callable[..., Result], project: Any, explicit_first: bool
) -> None:
    """Keys written in the mapping win over merged ones wherever `<<` stands; of two merged mappings the
    first wins (https://yaml.org/type/merge.html)."""
    merge, memory = "      <<: [*common, *other]\n", "      memory: 2048\n"
    config = (
        "serviceName: merged\n"
        "variables:\n"
        "  common: &common {memory: 512, timeout: 30}\n"
        "  other: &other {memory: 256, timeout: 60, storage: 1024}\n"
        "resources:\n"
        "  api:\n"
        "    type: function\n"
        "    properties:\n"
        "      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}\n"
        + (memory + merge if explicit_first else merge + memory)
    )
    result = cli("synth", cwd=project({"stackwright.yml": config}))
    assert result.code == 0, result.err
    import json

    function = json.loads(result.out)["Resources"]["ApiFunction"]["Properties"]
    assert (function["MemorySize"], function["Timeout"], function["EphemeralStorage"]) == (
        2048,
        30,
        {"Size": 1024},
    )


def _aliases(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + f"\nresources:\n  q:\n    type: sqs-queue\n    tags: *a{levels - 1}\n"


@pytest.mark.parametrize(
    ("config", "message", "where"),
    [
        (
            "resources: " + "[" * 490 + "]" * 490 + "\n",
            "values nest more than 64 levels deep",
            "stackwright.yml:1:",
        ),
        (
            "resources:\n" + "".join(f"{'  ' * (i + 1)}k{i}:\n" for i in range(70)) + "  " * 71 + "v: 1\n",
            "values nest more than 64 levels deep",
            "stackwright.yml:",
        ),
        (
            _aliases(9),
            "more than 100,000 values (counting each YAML alias where it is used)",
            "stackwright.yml:",
        ),
        (
            "resources:\n  a:\n    type: function\n    properties:\n      packaging:\n"
            "        type: stacktape-lambda-buildpack\n        properties:\n"
            f"          entryfilePath: {'x' * 256}.py\n",
            "File name too long",
            "stackwright.yml:8:26:",
        ),
    ],
    ids=["flow-nesting-490", "block-nesting-70", "alias-expansion", "file-name-too-long"],
)
def test_hostile_input_is_a_config_error(
    cli: Callable[..., Result], tmp_path: Path, config: str, message: str, where: str
) -> None:
    """Used to be a RecursionError traceback, an expansion that never ends, and an OSError blamed on the
    functions plugin (exit 3) for a config validate had called valid."""
    (tmp_path / "stackwright.yml").write_text(config)
    result = cli("validate", cwd=tmp_path)
    assert result.code == 2, result.err
    assert message in result.err and where in result.err
    assert "Traceback" not in result.err and "bug" not in result.err
