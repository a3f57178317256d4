"""Past CloudFormation's limits: a template of more than 500 resources or 1 MB is split into nested
stacks, each config resource's parts together, references passed through parameters and outputs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright import StackwrightError
from stackwright.nesting import MAX_RESOURCES, METADATA_KEY, needs_split, references, split
from stackwright.testing import cfn_lint_errors

from tests.helpers import Result, write


def url(body: dict[str, Any]) -> str:
    return f"https://example.com/{len(json.dumps(body))}.json"


def unit(name: str, refs: list[Any], size: int = 2) -> dict[str, Any]:
    """`size` queues of config resource `name`, each tagged with `refs`."""
    return {
        f"{name}{i}": {
            "Type": "AWS::SQS::Queue",
            "Properties": {"Tags": [{"Key": f"r{n}", "Value": r} for n, r in enumerate(refs)]},
        }
        for i in range(size)
    }


def make(units: dict[str, dict[str, Any]], **extra: Any) -> tuple[dict[str, Any], dict[str, str]]:
    resources: dict[str, Any] = {"StpDeploymentBucket": {"Type": "AWS::S3::Bucket"}}
    owners = {}
    for owner, body in units.items():
        resources.update(body)
        owners.update({lid: owner for lid in body})
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources, **extra}, owners


def test_small_templates_stay_whole() -> None:
    template, _ = make({"a": unit("A", [])})
    assert not needs_split(template)
    template, _ = make({f"u{i}": unit(f"U{i}x", [], size=6) for i in range(90)})
    assert len(template["Resources"]) > MAX_RESOURCES and needs_split(template)


def test_references_across_stacks_become_parameters_and_outputs(monkeypatch: pytest.MonkeyPatch) -> None:
    import stackwright.nesting as nesting

    monkeypatch.setattr(nesting, "NESTED_RESOURCES", 4)  # two units of two per nested stack
    table = unit("Table", [])
    user = unit(
        "User", [{"Fn::GetAtt": ["Table0", "Arn"]}, {"Fn::Sub": "arn:${Table1}/${Table0.Arn}/${!Literal}"}]
    )
    late = unit("Late", [{"Ref": "User0"}, {"Ref": "StpDeploymentBucket"}])
    late["Late1"]["DependsOn"] = ["Table0", "Late0"]
    template, owners = make(
        {"table": table, "filler": unit("Filler", []), "user": user, "late": late},
        Outputs={"UserName": {"Value": {"Ref": "User0"}}, "Text": {"Value": {"Fn::Sub": "${Late0.Arn}!"}}},
    )
    found = split(template, owners, set(), url)
    refers_back_only(found)
    first, second = found.nested["StpNested1"], found.nested["StpNested2"]
    assert set(first["Resources"]) == {"Table0", "Table1", "Filler0", "Filler1"}
    assert set(second["Resources"]) == {"User0", "User1", "Late0", "Late1"}
    assert set(found.root["Resources"]) == {"StpDeploymentBucket", "StpNested1", "StpNested2"}
    # the user's references to the table go through parameters given from the first stack's outputs
    tags = second["Resources"]["User0"]["Properties"]["Tags"]
    assert tags[0]["Value"] == {"Ref": "Table0Arn"}
    assert tags[1]["Value"] == {"Fn::Sub": "arn:${Table1}/${Table0Arn}/${!Literal}"}
    assert first["Outputs"]["Table0Arn"] == {"Value": {"Fn::GetAtt": ["Table0", "Arn"]}}
    stack = found.root["Resources"]["StpNested2"]
    assert stack["Properties"]["Parameters"]["Table0Arn"] == {
        "Fn::GetAtt": ["StpNested1", "Outputs.Table0Arn"]
    }
    assert stack["Properties"]["Parameters"]["StpDeploymentBucket"] == {"Ref": "StpDeploymentBucket"}
    assert "DependsOn" not in stack  # its parameters' GetAtt orders the two stacks already
    # a reference inside its own stack stays; a DependsOn across stacks became the stacks' order
    assert second["Resources"]["Late0"]["Properties"]["Tags"][0]["Value"] == {"Ref": "User0"}
    assert second["Resources"]["Late1"]["DependsOn"] == "Late0"
    # the root's outputs read the nested stacks' outputs
    assert found.root["Outputs"]["UserName"]["Value"] == {"Fn::GetAtt": ["StpNested2", "Outputs.User0"]}
    assert found.root["Outputs"]["Text"]["Value"] == {
        "Fn::Sub": ["${Late0Arn}!", {"Late0Arn": {"Fn::GetAtt": ["StpNested2", "Outputs.Late0Arn"]}}]
    }
    assert found.root["Metadata"][METADATA_KEY] == {
        "table": "StpNested1",
        "filler": "StpNested1",
        "user": "StpNested2",
        "late": "StpNested2",
    }
    for body in (found.root, first, second):
        assert cfn_lint_errors(body) == [], body


def test_units_that_refer_to_each_other_stay_together(monkeypatch: pytest.MonkeyPatch) -> None:
    import stackwright.nesting as nesting

    monkeypatch.setattr(nesting, "NESTED_RESOURCES", 4)
    template, owners = make(
        {
            "a": unit("A", [{"Ref": "B0"}]),
            "filler": unit("F", []),
            "b": unit("B", [{"Ref": "A0"}]),
        }
    )
    found = split(template, owners, set(), url)
    homes = {found.placed[lid] for lid in ("A0", "A1", "B0", "B1")}
    assert len(homes) == 1  # a cycle across two stacks would make each wait on the other


def refers_back_only(found: Any) -> None:
    """Each nested stack takes parameters only from stacks before it, and the root's stacks do not wait
    on each other in a circle."""
    order = [
        lid for lid, body in found.root["Resources"].items() if body["Type"] == "AWS::CloudFormation::Stack"
    ]
    for index, name in enumerate(order):
        stack = found.root["Resources"][name]
        sources = {
            v["Fn::GetAtt"][0]
            for v in stack["Properties"].get("Parameters", {}).values()
            if "Fn::GetAtt" in v
        }
        waits = set(stack.get("DependsOn", []))
        assert all(order.index(other) < index for other in (sources | waits) & set(order)), (
            name,
            sources,
            waits,
        )
    assert cfn_lint_errors(found.root) == []


def test_a_unit_that_refers_ahead_or_around_goes_after_what_it_refers_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A function written before the table it connects to, and two far apart that refer to each other
    through a third, used to make nested stacks that wait on each other in a circle."""
    import stackwright.nesting as nesting

    monkeypatch.setattr(nesting, "NESTED_RESOURCES", 4)
    units = {"first": unit("First", [{"Fn::GetAtt": ["Last0", "Arn"]}])}
    units |= {f"mid{i}": unit(f"Mid{i}x", []) for i in range(4)}
    units["second"] = {**unit("Second", [{"Ref": "Late0"}], size=1), **unit("Secund", [], size=1)}
    units |= {f"more{i}": unit(f"More{i}x", []) for i in range(4)}
    units["late"] = {
        **unit("Late", [{"Ref": "First1"}], size=1),
        **unit("Lade", [{"Ref": "Secund0"}], size=1),
    }
    units["last"] = unit("Last", [])
    template, owners = make(units)
    found = split(template, owners, set(), url)
    refers_back_only(found)
    assert found.placed["Second0"] == found.placed["Late0"]  # they refer to each other: one unit
    for body in found.nested.values():
        assert cfn_lint_errors(body) == []


def test_a_resource_stays_in_the_stack_it_was_in(monkeypatch: pytest.MonkeyPatch) -> None:
    import stackwright.nesting as nesting

    monkeypatch.setattr(nesting, "NESTED_RESOURCES", 4)
    units = {f"u{i}": unit(f"U{i}x", []) for i in range(4)}
    template, owners = make(units)
    before = split(template, owners, set(), url).root["Metadata"][METADATA_KEY]
    # a unit added at the start of the config: the others keep their stacks, it goes where there is room
    template, owners = make({"new": unit("New", []), **units})
    after = split(template, owners, set(), url, previous=before).root["Metadata"][METADATA_KEY]
    assert {k: v for k, v in after.items() if k != "new"} == before
    assert after["new"] == "StpNested3"


def grown() -> tuple[dict[str, Any], dict[str, str]]:
    """Units a, b, c, d were in the root; n and m are new, and b now refers to n."""
    return make(
        {
            "a": unit("A", []),
            "b": unit("B", [{"Ref": "N0"}]),
            "c": unit("C", []),
            "d": unit("D", []),
            "n": unit("N", []),
            "m": unit("M", []),
        }
    )


def test_what_was_in_the_root_stays_there_while_it_has_room(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stack that grows past the limits: moving a resource to a nested stack would delete and create
    it. What was in the root stays, referring to new resources in nested stacks through their outputs."""
    import stackwright.nesting as nesting

    monkeypatch.setattr(nesting, "MAX_RESOURCES", 11)
    monkeypatch.setattr(nesting, "NESTED_RESOURCES", 4)
    template, owners = grown()
    found = split(template, owners, set(), url, {"a": "", "b": "", "c": "", "d": ""})
    assert {"A0", "B0", "C0", "D0"} <= set(found.root["Resources"])
    assert found.placed["N0"] and found.placed["M0"]
    tags = found.root["Resources"]["B0"]["Properties"]["Tags"]
    assert tags[0]["Value"] == {"Fn::GetAtt": [found.placed["N0"], "Outputs.N0"]}
    # past the room the root has (1 unowned + 3 units of 2 + the nested stacks), the last ones move
    monkeypatch.setattr(nesting, "MAX_RESOURCES", 9)
    found = split(template, owners, set(), url, {"a": "", "b": "", "c": "", "d": ""})
    root = set(found.root["Resources"])
    assert {"A0", "C0"} <= root and not {"B0", "D0"} & root
    assert cfn_lint_errors(found.root) == []


def test_a_unit_keeps_its_nested_stack_when_it_comes_to_refer_to_a_later_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """fn1 (in the first nested stack) given a reference to fn999 (in the eighth) was moved after it:
    deleted and created again. Stacks may refer to later ones as long as none waits on itself."""
    import stackwright.nesting as nesting

    monkeypatch.setattr(nesting, "MAX_RESOURCES", 5)
    monkeypatch.setattr(nesting, "NESTED_RESOURCES", 4)
    template, owners = make(
        {"x": unit("X", [{"Fn::GetAtt": ["Y0", "Arn"]}]), "y": unit("Y", []), "z": unit("Z", [])}
    )
    previous = {"x": "StpNested1", "y": "StpNested2", "z": "StpNested2"}
    found = split(template, owners, set(), url, previous)
    assert found.placed["X0"] == "StpNested1" and found.placed["Y0"] == "StpNested2"
    # y now refers back to x: the two stacks would wait on each other, so x and y are one unit, together
    template["Resources"]["Y1"]["Properties"]["Tags"] = [{"Key": "r", "Value": {"Ref": "X0"}}]
    found = split(template, owners, set(), url, previous)
    assert found.placed["X0"] == found.placed["Y0"]


def test_no_two_stacks_wait_on_each_other(monkeypatch: pytest.MonkeyPatch) -> None:
    """A root resource refers to u, and w refers to the root resource: u and w in one nested stack would
    make it and the root wait on each other, so w goes elsewhere."""
    import stackwright.nesting as nesting

    monkeypatch.setattr(nesting, "MAX_RESOURCES", 9)
    monkeypatch.setattr(nesting, "NESTED_RESOURCES", 4)
    template, owners = make(
        {
            "r": unit("R", [{"Ref": "U0"}]),
            "u": unit("U", []),
            "w": unit("W", [{"Ref": "R0"}]),
            "v": unit("V", []),
        }
    )
    found = split(template, owners, set(), url, {"r": ""})
    assert found.placed["R0"] == "" and found.placed["U0"] and found.placed["W0"]
    assert found.placed["U0"] != found.placed["W0"]
    assert cfn_lint_errors(found.root) == []  # no circular dependency (E3004)


def test_past_every_limit_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import stackwright.nesting as nesting

    monkeypatch.setattr(nesting, "MAX_RESOURCES", 3)
    template, owners = make({"a": unit("A", [], size=5)})
    with pytest.raises(StackwrightError, match="too large for CloudFormation even split") as info:
        split(template, owners, set(), url)
    assert "StpNested1: 5 resources (CloudFormation takes 3)" in info.value.render()


def test_references_finds_every_form() -> None:
    ids = {"A", "B", "C"}
    value = [
        {"Ref": "A"},
        {"Fn::GetAtt": "B.Arn"},
        {"Fn::Sub": ["${C.Id} ${D} ${AWS::Region}", {"D": {"Ref": "A"}}]},
    ]
    assert sorted(references(value, ids)) == [("A", ""), ("A", ""), ("B", "Arn"), ("C", "Id")]


def config(functions: int) -> str:
    lines = ["serviceName: many", "resources:"]
    for index in range(functions):
        packaging = "{type: stacktape-lambda-buildpack, properties: {entryfilePath: src/app.py}}"
        lines += [f"  fn{index}:", "    type: function", "    properties:", f"      packaging: {packaging}"]
    return "\n".join(lines) + "\n"


def test_two_hundred_functions_synthesize_as_nested_stacks(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """603 resources used to come out as one template CloudFormation refuses, without a word."""
    root = write(
        tmp_path / "many", {"stackwright.yml": config(200), "src/app.py": "def handler(e, c):\n    pass\n"}
    )
    said = cli("synth", cwd=root)
    assert said.code == 0, said.err
    assert "603 resources, past CloudFormation's limits: split into 2 nested stacks" in said.err
    out = tmp_path / "out" / "stack.json"
    written = cli("synth", "--out", str(out), cwd=root)
    assert written.code == 0, written.err
    top = json.loads(out.read_text())
    assert json.loads(said.out) == top
    nested = {p.name: json.loads(p.read_text()) for p in sorted(out.parent.glob("stack.StpNested*.json"))}
    assert sorted(nested) == ["stack.StpNested1.json", "stack.StpNested2.json"]
    every = [lid for body in [top, *nested.values()] for lid in body["Resources"]]
    assert len(every) == len(set(every)) == 603 - 0 + 2  # each resource once, and the two stacks
    for body in [top, *nested.values()]:
        assert len(body["Resources"]) <= MAX_RESOURCES
        assert cfn_lint_errors(body) == []
    # each function's parts together
    placed = top["Metadata"][METADATA_KEY]
    for index in (0, 150, 199):
        home = nested[f"stack.{placed[f'fn{index}']}.json"]["Resources"]
        assert {f"Fn{index}Function", f"Fn{index}Role", f"Fn{index}LogGroup"} <= set(home)


@pytest.mark.slow
def test_a_thousand_functions_deploy_as_nested_stacks(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """3,003 resources: a root and eight nested stacks on the local engine; a change to one function is
    one change, made inside its nested stack."""
    root = write(
        tmp_path / "many", {"stackwright.yml": config(1000), "src/app.py": "def handler(e, c):\n    pass\n"}
    )
    result = cli("--local", "deploy", "--yes", cwd=root)
    assert result.code == 0, result.err
    assert "UPDATE_COMPLETE (3,000 changes)" in result.out + result.err
    cf = aws("cloudformation")
    names = sorted(s["StackName"] for s in cf.describe_stacks()["Stacks"])
    assert names[0] == "many-dev" and len(names) == 9 and all("-StpNested" in n for n in names[1:])
    lam = aws("lambda")
    functions = [
        f["FunctionName"]
        for page in lam.get_paginator("list_functions").paginate()
        for f in page["Functions"]
    ]
    assert sorted(functions) == sorted(f"many-dev-fn{i}" for i in range(1000))
    edited = config(1000).replace(
        "  fn700:\n    type: function\n    properties:\n",
        "  fn700:\n    type: function\n    properties:\n      memory: 512\n",
    )
    write(root, {"stackwright.yml": edited})
    again = cli("--local", "deploy", "--yes", cwd=root)
    assert again.code == 0, again.err
    assert "UPDATE_COMPLETE (1 change)" in again.out + again.err and "Modify  Fn700Function" in again.out
    assert lam.get_function_configuration(FunctionName="many-dev-fn700")["MemorySize"] == 512
    assert len(cf.describe_stacks()["Stacks"]) == 9  # updated in place


def test_a_root_resource_and_a_unit_that_refer_to_each_other_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A `cloudformationResources` entry (in the root) and a config resource's resource referring to each
    other cannot be split: the root and the nested stack would wait on each other."""
    import stackwright.nesting as nesting

    monkeypatch.setattr(nesting, "MAX_RESOURCES", 5)
    monkeypatch.setattr(nesting, "NESTED_RESOURCES", 4)
    template, owners = make({"u": unit("U", [{"Ref": "Extra"}]), "v": unit("V", [])})
    template["Resources"]["Extra"] = {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": "U0"}}}
    with pytest.raises(StackwrightError, match="wait on each other"):
        split(template, owners, set(), url)
