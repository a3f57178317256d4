"""Resource settings the engine's CloudFormation leaves out of the resources it creates.

Some the local target applies itself through the service APIs right after the deploy (`appliers.APPLY`),
so reading a resource back shows them as on AWS; the others (`DROPPED`) are named before a local
deploy, once, for what the deploy adds or changes. A test deploys each one to the engine
and reads it back through the service's API, so both lists stay true.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .adapt import PLACEHOLDER
from .server import REPLACED_ON_UPDATE
from .unemulated import unemulated_type

#: Settings the engine drops and nothing applies (its APIs cannot set them afterwards, or doing so would
#: replace what CloudFormation tracks): type → property → the value the engine acts as if given (a
#: template with that value loses nothing), or None.
DROPPED: dict[str, dict[str, Any]] = {
    # attached, they would keep the engine from deleting the role (with the stack, or a removed function)
    "AWS::IAM::Role": {"ManagedPolicyArns": []},
    "AWS::Lambda::Function": {
        "Architectures": ["x86_64"],
        "EphemeralStorage": {"Size": 512},
        "Layers": [],
        "LoggingConfig": None,
    },
    # the engine makes every stream PROVISIONED, and cannot change a stream's mode afterwards
    "AWS::Kinesis::Stream": {"StreamModeDetails": {"StreamMode": "PROVISIONED"}},
    "AWS::ECS::TaskDefinition": {
        "Cpu": None,
        "NetworkMode": "bridge",
        "RequiresCompatibilities": ["EC2"],
        "RuntimePlatform": None,
        "ExecutionRoleArn": None,
        "TaskRoleArn": None,
    },
    "AWS::ECS::Service": {
        "LaunchType": "EC2",
        "DeploymentConfiguration": None,
        "NetworkConfiguration": None,
        "ServiceRegistries": [],
    },
}

Resources = dict[str, Any]


def _default_log_group(props: dict[str, Any], value: Any, resources: Resources) -> bool:
    """A function's logging config that names only `/aws/lambda/<function name>`: where the engine puts
    a function's logs anyway."""
    group = value.get("LogGroup") if isinstance(value, dict) and set(value) == {"LogGroup"} else None
    if isinstance(group, dict) and set(group) == {"Ref"}:
        group = ((resources.get(group["Ref"]) or {}).get("Properties") or {}).get("LogGroupName")
    return isinstance(group, str) and group == f"/aws/lambda/{props.get('FunctionName')}"


#: Per setting, when a value the engine drops makes no difference beyond the plain default above.
SAME_AS_ENGINE: dict[tuple[str, str], Callable[[dict[str, Any], Any, Resources], bool]] = {
    ("AWS::Lambda::Function", "LoggingConfig"): _default_log_group,
}


def dropped_settings(kind: str, props: dict[str, Any], resources: Resources) -> list[str]:
    """The properties of a `kind` resource with `props` that the engine leaves out and nothing applies."""
    found = []
    for prop, default in DROPPED.get(kind, {}).items():
        if prop not in props:
            continue
        value = props[prop]
        same = SAME_AS_ENGINE.get((kind, prop))
        if (default is not None and value == default) or (same and same(props, value, resources)):
            continue
        found.append(prop)
    return found


def left_out(template: dict[str, Any], deployed: dict[str, Any] | None, unknown: list[str]) -> str | None:
    """One note naming what the engine will not create or apply of what `template` adds or changes over
    `deployed` (so what was told once is not told again); `unknown` are the `LogicalId.Property`
    settings `honour` cannot work out. None when nothing is left out."""
    resources: Resources = template.get("Resources") or {}
    before: Resources = (deployed or {}).get("Resources") or {}
    skipped: list[str] = []
    replaced: list[str] = []
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for lid, body in resources.items():
        if before.get(lid) == body:
            continue
        kind = str(body.get("Type"))
        if kind in REPLACED_ON_UPDATE and (before.get(lid) or {}).get("Type") == kind:
            replaced.append(f"{lid} ({kind})")
        if unemulated_type(kind):
            skipped.append(f"{lid} ({kind})")
            continue
        props = body.get("Properties") or {}
        old = before.get(lid) or {}
        previous = (old.get("Properties") or {}) if old.get("Type") == kind else {}
        names = [p for p in dropped_settings(kind, props, resources) if previous.get(p) != props[p]]
        names += [u.split(".", 1)[1] for u in unknown if u.split(".", 1)[0] == lid]
        if names:
            groups.setdefault((kind, tuple(sorted(names))), []).append(lid)
    if not skipped and not groups and not replaced:
        return None
    lines = [
        "the local engine leaves out what AWS would create or apply (of what this deploy adds or changes):"
    ]
    registry = sorted(s for s in skipped if not s.split(" (", 1)[1].startswith(("AWS::", "Custom::")))
    aws = sorted(s for s in skipped if s not in registry)
    if aws:
        lines.append("  resources it does not create: " + ", ".join(aws))
    if registry:
        lines.append(
            "  registry resources it cannot create (it has no CloudFormation registry; what reads them "
            f"gets the placeholder {PLACEHOLDER}:<LogicalId>.<Attribute>): " + ", ".join(registry)
        )
    for name in sorted(replaced):
        lines.append(f"  {name}: the local engine replaces it to change it (what it holds is lost)")
    for (kind, props), lids in sorted(groups.items()):
        lines.append(f"  {kind} settings it does not apply: {', '.join(props)} ({', '.join(sorted(lids))})")
    return "\n".join(lines)
