"""cfn-lint on a template past one stack's limits, only where it changed.

cfn-lint takes ~12 ms a resource: a whole minute for 1,000 functions, on every change of a property.
Past the limits (`stackwright.nesting.needs_split`), each resource that passed is remembered by its key
(its logical id and body, its artifact digests left out, with what else its outcome depends on: region,
cfn-lint and plugin versions, parameters, conditions, mappings); the next check lints only the resources
not remembered, with what they refer to (so each `Ref` and `GetAtt` resolves), and the outputs when they
changed. A resource's key holds the types of what it refers to, so a change of type relints its users.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from typing import Any

from stackwright.nesting import depends_on, references

#: Resource keys remembered, at most (the oldest are forgotten first).
KEPT = 50_000
#: A 64-hex-digit artifact digest: a content change alone changes no lint outcome.
_DIGEST = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
#: Template sections every partial template keeps.
SHARED = ("AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Conditions", "Mappings")


def _key(context: str, name: str, value: Any) -> str:
    text = _DIGEST.sub("<digest>", json.dumps([name, value], sort_keys=True, default=str))
    return hashlib.sha256((context + text).encode()).hexdigest()


def context_of(template: dict[str, Any], stamps: str) -> str:
    """What every outcome depends on besides the resource itself: `stamps` (versions, region) and the
    template's shared sections."""
    shared = {k: template[k] for k in ("Parameters", "Conditions", "Mappings") if k in template}
    return stamps + json.dumps(shared, sort_keys=True, default=str)


def reduce(
    template: dict[str, Any], context: str, known: set[str]
) -> tuple[dict[str, Any] | None, list[str]]:
    """The part of `template` to lint (None when all of it passed before) and the keys it covers."""
    resources: dict[str, Any] = template.get("Resources", {})
    ids = set(resources)
    targets = {
        lid: sorted({t for t, _ in references(body, ids)} | {t for t in depends_on(body) if t in ids})
        for lid, body in resources.items()
    }
    # a resource's outcome also depends on the types of what it refers to (a GetAtt's attribute, a Ref's
    # value), not on their properties: a change to a bucket everything refers to relints the bucket alone
    keys = {
        lid: _key(context, lid, [body, {t: resources[t].get("Type") for t in targets[lid]}])
        for lid, body in resources.items()
    }
    dirty = {lid for lid, key in keys.items() if key not in known}
    outputs_key = _key(context, "Outputs", template.get("Outputs"))
    outputs_dirty = "Outputs" in template and outputs_key not in known
    if not dirty and not outputs_dirty:
        return None, []
    if outputs_dirty:
        dirty |= {t for t, _ in references(template["Outputs"], ids)}
    chosen: set[str] = set()
    waiting = list(dirty)
    while waiting:  # with everything they refer to, and so on, so every reference resolves
        lid = waiting.pop()
        if lid not in chosen:
            chosen.add(lid)
            waiting += targets[lid]
    part: dict[str, Any] = {k: template[k] for k in SHARED if k in template}
    part["Resources"] = {lid: body for lid, body in resources.items() if lid in chosen}
    if outputs_dirty:
        part["Outputs"] = template["Outputs"]
    return part, [keys[lid] for lid in chosen] + ([outputs_key] if outputs_dirty else [])


def read_known(path: os.PathLike[str]) -> list[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return []
    return [str(k) for k in data] if isinstance(data, list) else []


def remember(path: os.PathLike[str], known: list[str], passed: list[str]) -> None:
    """Add the keys that `passed` to those `known`, the newest last, written whole or not at all."""
    fresh = set(passed)
    kept = ([k for k in known if k not in fresh] + list(dict.fromkeys(passed)))[-KEPT:]
    temporary = f"{os.fspath(path)}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(kept, handle)
        os.replace(temporary, path)
    except OSError:  # a cache: not remembering only costs time
        with contextlib.suppress(OSError):
            os.unlink(temporary)
