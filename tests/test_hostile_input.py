"""Hostile input, one case of each kind: every one is a user error naming the file and line (exit 2),
with no traceback, never a plugin bug (exit 3), within 10 s and 500 MB (bounds against hangs and
blow-ups, not speed goals). Each runs the CLI in its own interpreter, as a user's shell would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import function_config, write

APP = "src/app.py"


def config(value: str = "hello", entry: str = APP) -> str:
    """A function whose environment variable GREETING is `value`, its entry file `entry`."""
    return function_config(f"environment:\n  - name: GREETING\n    value: {value}", entry=entry)


BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}' if prev else 'x'] * 10)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e"], ["a", "b", "c", "d", "e", "f"], strict=True)
)
VARIABLE_BOMB = "variables:\n" + "".join(
    f"  {name}: [{', '.join([f'$Var({prev!r})' if prev else 'x'] * 10)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e"], ["a", "b", "c", "d", "e", "f"], strict=True)
)
TEXT_BOMB = (
    "variables:\n  a: "
    + "x" * 1000
    + "\n"
    + "".join(
        f"  {name}: \"$Format('{'{}' * 10}', {', '.join([f'$Var({prev!r})'] * 10)})\"\n"
        for prev, name in zip(["a", "b", "c", "d", "e"], ["b", "c", "d", "e", "f"], strict=True)
    )
)

CASES: dict[str, tuple[str | bytes, dict[str, str | bytes], str]] = {
    # kind: (config, other files, what the error says)
    "flow nesting": ("a: " + "[" * 490 + "]" * 490 + "\n" + config(), {}, "nest more than 64 levels deep"),
    "block nesting": ("".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "x: 1\n", {}, "64"),
    "alias expansion": (
        BOMB + config(),
        {},
        "more than 100,000 values (counting each YAML alias where it is used)",
    ),
    "directive nesting": (
        config('"' + "$Format('{}', " * 3000 + "1" + ")" * 3000 + '"'),
        {},
        "directives nest more than 32 deep",
    ),
    "directive arguments": (
        config("\"$Format('{}'" + ", 1" * 200_000 + ')"'),
        {},
        "placeholders but 200000 values were given",
    ),
    "long string": (config("'" + "x" * 4_000_000 + "'"), {}, "Lambda allows 4096 in all"),
    "config size": (config() + "#" + "x" * 6_000_000 + "\n", {}, "over the 5 MiB limit"),
    "binary config": (config().encode() + b"\x00\x01", {}, "binary file"),
    "bad encoding": (config().encode() + b"# \xff\xfe\n", {}, "not valid UTF-8"),
    "huge integer": (config() + "      memory: " + "9" * 5000 + "\n", {}, "cannot read this value"),
    "unsafe tag": (
        config("!!python/object/apply:os.system ['true']"),
        {},
        "unknown YAML tag !!python/object/apply:os.system",
    ),
    "file size": (config("$FileRaw('big.txt')"), {"big.txt": "x" * 6_000_000}, "over the 5 MiB limit"),
    "device file": (config("$FileRaw('/dev/zero')"), {}, "does not exist"),
    "file alias expansion": (config("$File('bomb.yml').f"), {"bomb.yml": BOMB}, "more than 100,000 values"),
    "file nesting": (config("$File('deep.json')"), {"deep.json": "[" * 100_000 + "]" * 100_000}, "too deep"),
    "path length": (config(entry="src/" + "/".join(["a" * 200] * 30) + ".py"), {}, "entryfilePath"),
    "path component": (config(entry="src/" + "a" * 300 + ".py"), {}, "entryfilePath"),
    "path with NUL": (config(entry='"src/a\\0.py"'), {}, "entryfilePath"),
    # past 500 resources a stack is split into nested stacks; `cloudformationResources` stay in the root
    "resource count": (
        config()
        + "cloudformationResources:\n"
        + "".join(f"  Topic{n}:\n    Type: AWS::SNS::Topic\n" for n in range(1500)),
        {},
        "too large for CloudFormation even split into nested stacks; root stack: 1504 resources",
    ),
    "variable expansion": (VARIABLE_BOMB + config("$Var('f')"), {}, "more than 100,000 values once its"),
    "text expansion": (TEXT_BOMB + config("$Var('f')"), {}, "MiB of text, over the 5 MiB limit"),
    "file repeated": (
        "variables:\n  v: [" + ", ".join(["$FileRaw('big.txt')"] * 2000) + "]\n" + config(),
        {"big.txt": "x" * 4_000_000},
        "more than 16 MiB of text once its directives are resolved",
    ),
    "config repeated": (
        "variables:\n  v: [" + ", ".join(["$This()"] * 3000) + "]\n" + config(),
        {},
        "more than 100,000 values once its directives are resolved",
    ),
    "entry file size": (config(), {APP: "x = 1\n" * 2_000_000}, "handler function 'handler' is not defined"),
    "entry outside the project": (
        config(entry="../outside.py"),
        {"../outside.py": "def handler(event, context):\n    return 1\n"},
        "is outside the project",
    ),
    "not a number": (config() + "      timeout: .nan\n", {}, ".nan is not a number JSON or CloudFormation"),
    "lone surrogate": (config('"\\ud800"'), {}, "half of a UTF-16 surrogate pair"),
    "lone surrogate in a key": ('"\\udcff": 1\n' + config(), {}, "half of a UTF-16 surrogate pair"),
    "key length": (config() + "  " + "k" * 100_000 + ": {type: function}\n", {}, "YAML syntax error"),
}


#: The CLI, writing its peak resident memory (VmHWM, which starts afresh at exec, unlike the ru_maxrss
#: a parent reads, which counts the parent's pages at fork) to $PEAK_FILE as it exits.
MEASURED = """
import atexit, os, sys

def peak():
    with open("/proc/self/status") as status:
        found = [line.split()[1] for line in status if line.startswith("VmHWM:")]
    with open(os.environ["PEAK_FILE"], "w") as out:
        out.write(found[0])

atexit.register(peak)
from stackwright.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("kind", sorted(CASES))
def test_hostile_input_is_a_bounded_user_error(kind: str, tmp_path: Path) -> None:
    text, files, says = CASES[kind]
    root = write(tmp_path / "p", {APP: "def handler(event, context):\n    return 1\n", **files})
    (root / "stackwright.yml").write_bytes(text if isinstance(text, bytes) else text.encode())
    peak_file = tmp_path / "peak"
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-c", MEASURED, "validate"],
            cwd=root,
            capture_output=True,
            text=True,
            errors="replace",
            env={**os.environ, "PEAK_FILE": str(peak_file)},
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{kind}: still running after 30 s")
    took = time.monotonic() - started
    code, err = done.returncode, done.stderr
    peak = int(peak_file.read_text()) * 1024  # VmHWM is in KiB
    assert code == 2, f"{kind}: exit {code}\n{err[-2000:]}"
    assert "Traceback" not in err and "bug in the plugin" not in err, err
    assert says in err, err[-2000:]
    assert re.search(r"stackwright\.yml:\d+:\d+: ", err), err[-2000:]  # file:line:column
    assert took < 10, f"{kind}: {took:.1f} s"
    assert peak < 500 * 2**20, f"{kind}: {peak / 2**20:.0f} MiB"
