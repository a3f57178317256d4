"""Random and mutated configs: nothing but the user-error type escapes loading, validating and compiling."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stackwright.config.load import Options
from stackwright.errors import StackwrightError
from stackwright.pipeline import compile_stack, open_stack
from stackwright.plugins import load_plugins

from tests.helpers import FUNCTION_CONFIG

PLUGINS = load_plugins(autoload=False)
BASE = yaml.safe_load(FUNCTION_CONFIG)
BASE["resources"]["api"]["properties"]["events"] = [
    {"type": "schedule", "properties": {"scheduleRate": "rate(1 hour)"}},
    {"type": "sqs", "properties": {"sqsQueueArn": "arn:aws:sqs:us-east-1:1:q"}},
]
BASE["resources"]["api"]["properties"]["environment"] = [{"name": "STAGE", "value": "$Stage()"}]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(
        ["$Stage()", "$Var().x", "$Secret('a.b')", "$Format('{}', 1)", "$Nope(", "function", "sqs"]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


def check(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "src").mkdir()
        (root / "src" / "app.py").write_text("def handler(e, c):\n    return e\n")
        (root / "stackwright.yml").write_text(text)
        try:
            ctx = open_stack(Options(directory=root), PLUGINS)
            compile_stack(ctx)
        except StackwrightError:
            pass


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            found += paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += paths(v, (*prefix, i))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        targets = [p for p in paths(data) if p]
        if not targets:
            break
        path = draw(st.sampled_from(targets))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(values)
    return data


FAST = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FAST
@given(mutated())
def test_mutated_configs(data: Any) -> None:
    check(yaml.safe_dump(data, sort_keys=False))


@FAST
@given(values)
def test_random_documents(data: Any) -> None:
    check(yaml.safe_dump(data))


@FAST
@given(st.text(max_size=200))
def test_random_text(text: str) -> None:
    check(text)
