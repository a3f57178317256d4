from __future__ import annotations

import json

import pytest
import yaml
from stackwright import StackwrightError, Template
from stackwright.template import deep_merge, get_att, join, ref, sub


def test_intrinsics_are_plain_dicts() -> None:
    assert ref("A") == {"Ref": "A"}
    assert get_att("A", "Arn") == {"Fn::GetAtt": ["A", "Arn"]}
    assert sub("${A}") == {"Fn::Sub": "${A}"}
    assert sub("${x}", {"x": ref("A")}) == {"Fn::Sub": ["${x}", {"x": {"Ref": "A"}}]}
    assert join(",", ["a", "b"]) == {"Fn::Join": [",", ["a", "b"]]}


def test_template_sections_and_output_formats() -> None:
    t = Template(description="demo")
    t.add_parameter("Size", "Number", Default=1)
    t.add_condition("IsProd", {"Fn::Equals": ["a", "b"]})
    t.add_resource("Queue", "AWS::SQS::Queue", {"DelaySeconds": 1}, owner="q", Condition="IsProd")
    t.add_output("QueueUrl", ref("Queue"), export="demo-queue-url")
    data = t.to_dict()
    assert list(data) == [
        "AWSTemplateFormatVersion",
        "Description",
        "Parameters",
        "Conditions",
        "Resources",
        "Outputs",
    ]
    assert json.loads(t.to_json()) == data
    assert yaml.safe_load(t.to_yaml()) == data
    assert t.resources_of("q") == {"Queue": data["Resources"]["Queue"]}
    assert data["Outputs"]["QueueUrl"]["Export"] == {"Name": "demo-queue-url"}


@pytest.mark.parametrize("bad", ["", "has-dash", "under_score", "x" * 256, "ünï"])
def test_logical_id_rules(bad: str) -> None:
    with pytest.raises(StackwrightError, match="invalid CloudFormation logical id"):
        Template().add_resource(bad, "AWS::SQS::Queue")


def test_duplicate_logical_ids_are_refused_naming_both_owners() -> None:
    t = Template()
    t.add_resource("Queue", "AWS::SQS::Queue", owner="first")
    with pytest.raises(StackwrightError, match="'first' and 'second'"):
        t.add_resource("Queue", "AWS::SQS::Queue", owner="second")


def test_unknown_resource_attribute_is_a_bug() -> None:
    with pytest.raises(TypeError):
        Template().add_resource("Q", "AWS::SQS::Queue", DependOn=["x"])


def test_deep_merge() -> None:
    assert deep_merge({"a": {"b": 1, "c": 2}}, {"a": {"b": 3}, "d": 4}) == {"a": {"b": 3, "c": 2}, "d": 4}


def test_a_resource_policy_is_created_once_and_added_to() -> None:
    from stackwright import StackwrightError, Template

    template = Template()
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage",
    }
    for source in ("rule-a", "rule-b"):
        template.add_policy_statements(
            "JobsQueuePolicy",
            "AWS::SQS::QueuePolicy",
            {"Queues": [{"Ref": "JobsQueue"}]},
            [{**statement, "Condition": {"ArnEquals": {"aws:SourceArn": source}}}],
            owner="jobs",
        )
    body = template.resources["JobsQueuePolicy"]
    assert (
        body["Properties"]["Queues"] == [{"Ref": "JobsQueue"}]
        and template.owners["JobsQueuePolicy"] == "jobs"
    )
    assert [
        s["Condition"]["ArnEquals"]["aws:SourceArn"]
        for s in body["Properties"]["PolicyDocument"]["Statement"]
    ] == [
        "rule-a",
        "rule-b",
    ]
    template.add_resource("Other", "AWS::SNS::Topic")
    with pytest.raises(StackwrightError, match="is a AWS::SNS::Topic, not a AWS::SQS::QueuePolicy"):
        template.add_policy_statements("Other", "AWS::SQS::QueuePolicy", {}, [statement])
