"""Deploy-time values of a hosting bucket: `injectEnvironment` puts them into every HTML file as
`window.STP_INJECTED_ENV`, `writeDotenvFilesTo` into a `.env` file.

A value may be known only once the stack is deployed (`$ResourceParam('api', 'url')`): each such value
becomes a stack output (`<Resource>InjectedEnv<N>`), read back after the deploy, before the sync.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from stackwright import Resource, StackContext, StackwrightError

_HEAD = re.compile(rb"<head(\s[^>]*)?>", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def output_id(ctx: StackContext, resource: str, index: int) -> str:
    return ctx.logical_id(resource, f"InjectedEnv{index}")


def add_injected_outputs(ctx: StackContext, resource: Resource) -> None:
    """A stack output for each `injectEnvironment` value the template works out (a CloudFormation
    intrinsic); plain values need none. Refuses a name that is not a JavaScript/dotenv identifier."""
    for index, variable in enumerate(resource.properties.get("injectEnvironment") or []):
        if not _NAME.match(str(variable["name"])):
            ctx.fail(
                ("resources", resource.name, "properties", "injectEnvironment", index, "name"),
                f"{variable['name']!r} cannot be a variable name: letters, digits and _ only, "
                "not first a digit",
            )
        if isinstance(variable["value"], dict | list):
            ctx.template.add_output(
                output_id(ctx, resource.name, index),
                variable["value"],
                description=f"{resource.name}: injected as {variable['name']}",
            )


def injected_values(ctx: StackContext, resource: Resource) -> dict[str, str]:
    """Name → value of `injectEnvironment`, the template's values read from the stack's outputs. Raises
    StackwrightError when an output is missing (the stack was not deployed with this config)."""
    variables = resource.properties.get("injectEnvironment") or []
    if not variables:
        return {}
    outputs: dict[str, str] = {}
    if any(isinstance(v["value"], dict | list) for v in variables):
        stacks = ctx.clients.client("cloudformation").describe_stacks(StackName=ctx.stack_name)["Stacks"]
        outputs = {str(o["OutputKey"]): str(o.get("OutputValue", "")) for o in stacks[0].get("Outputs", [])}
    values = {}
    for index, variable in enumerate(variables):
        value = variable["value"]
        if isinstance(value, dict | list):
            key = output_id(ctx, resource.name, index)
            if key not in outputs:
                raise StackwrightError(
                    f"resources.{resource.name}: the stack has no output {key} for {variable['name']}",
                    hint="deploy without --hotswap once: the value is worked out by CloudFormation",
                )
            value = outputs[key]
        elif isinstance(value, bool):
            value = "true" if value else "false"
        values[str(variable["name"])] = str(value)
    return values


def inject(html: bytes, values: dict[str, str]) -> bytes:
    """`html` with a script setting `window.STP_INJECTED_ENV` right after its `<head>` (else first)."""
    data = json.dumps(values, sort_keys=True).replace("<", "\\u003c")  # no `</script>` can end it early
    script = f"<script>window.STP_INJECTED_ENV = {data};</script>".encode()
    found = _HEAD.search(html)
    at = found.end() if found else 0
    return html[:at] + script + html[at:]


def write_dotenv(folder: Path, values: dict[str, str]) -> Path:
    """Merge `values` into `folder/.env` (other lines kept, these keys replaced); the file's path."""
    path = folder / ".env"
    lines = path.read_text().splitlines() if path.exists() else []
    kept = [line for line in lines if line.split("=", 1)[0].strip() not in values]
    kept += [f"{name}={json.dumps(value)}" for name, value in sorted(values.items())]
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(kept) + "\n")
    return path


def prepare(ctx: StackContext, resource: Resource) -> tuple[dict[str, str], str]:
    """The values to inject, and the line saying where a `.env` was written ("" when none)."""
    values = injected_values(ctx, resource)
    folder = resource.properties.get("writeDotenvFilesTo")
    if not folder or not values:
        return values, ""
    path = write_dotenv(ctx.project.root / str(folder), values)
    return values, f"wrote {len(values)} values to {path}"


def transform(values: dict[str, str]) -> Callable[[str, Callable[[], bytes]], bytes | None]:
    """The function a sync asks about each file, with its key and a way to read it: the bytes to serve
    for an HTML page (with the values), None for any other file (served as it is, never read here)."""

    def apply(key: str, read: Callable[[], bytes]) -> bytes | None:
        return inject(read(), values) if values and key.lower().endswith((".html", ".htm")) else None

    return apply
