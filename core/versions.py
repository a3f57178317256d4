"""The deployment bucket's version record: which versions really deployed, and what each one uses.

Layout of the bucket (`DEPLOYMENT_BUCKET_ID`), shared by the target and the artifact store:
  `cf-template/vNNNNNN.json`  the template of each version, uploaded before its change set is made;
  `stackwright/index.json`    {version: [bucket keys its template points at]} for every version that
                              deployed successfully, oldest first by name.

A version is in the index only once its deploy succeeded, so a template stored for a deploy that was
stopped before it executed, or that failed and rolled back, is never a rollback target. A deploy killed
after it succeeded is added by the next command that reads the index (`repair`), which finds its
template among the stored ones by comparing it with the template the stack runs.
"""

from __future__ import annotations

import json
import re
from typing import Any

from stackwright.artifacts import DEPLOYMENT_BUCKET_ID

INDEX_KEY = "stackwright/index.json"
TEMPLATE_PREFIX = "cf-template/"
TEMPLATE_KEY = re.compile(r"^cf-template/v(\d+)\.json$")


def version_name(number: int) -> str:
    """`7` → `"v000007"`."""
    return f"v{number:06d}"


def version_number(name: str) -> int:
    """`"v000007"` → `7`. Raises ValueError for another shape."""
    match = re.match(r"^v([0-9]+)$", name)
    if not match:
        raise ValueError(f"not a version name: {name!r}")
    return int(match.group(1))


def template_key(number: int) -> str:
    return f"{TEMPLATE_PREFIX}{version_name(number)}.json"


def referenced_keys(value: Any) -> set[str]:
    """Every deployment-bucket key a template (or part of one) points at: code locations whose
    `S3Bucket` is the deployment bucket."""
    found: set[str] = set()
    if isinstance(value, dict):
        if value.get("S3Bucket") == {"Ref": DEPLOYMENT_BUCKET_ID} and isinstance(value.get("S3Key"), str):
            found.add(value["S3Key"])
        for item in value.values():
            found |= referenced_keys(item)
    elif isinstance(value, list):
        for item in value:
            found |= referenced_keys(item)
    return found


def read_index(s3: Any, bucket: str) -> dict[str, list[str]]:
    """The index, `{}` when there is none (or it is unreadable: it is rebuilt as versions deploy)."""
    try:
        body = s3.get_object(Bucket=bucket, Key=INDEX_KEY)["Body"].read()
        data = json.loads(body)
    except s3.exceptions.NoSuchKey:
        return {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): [str(x) for x in v] for k, v in data.items() if isinstance(v, list)}


def write_index(s3: Any, bucket: str, index: dict[str, list[str]]) -> None:
    s3.put_object(
        Bucket=bucket,
        Key=INDEX_KEY,
        Body=json.dumps(dict(sorted(index.items())), indent=1).encode(),
        ContentType="application/json",
    )


def stored_templates(s3: Any, bucket: str) -> list[int]:
    """The version numbers whose templates the bucket holds, oldest first."""
    return sorted(
        int(m.group(1))
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=TEMPLATE_PREFIX)
        for item in page.get("Contents", [])
        if (m := TEMPLATE_KEY.match(item["Key"]))
    )


def repair(
    s3: Any, bucket: str, index: dict[str, list[str]], stored: list[int], live: dict[str, Any] | None
) -> str | None:
    """Add to `index` (in place, not written) the stored version newer than every indexed one whose
    template is `live` (the template the stack runs): the trace of a deploy stopped after it succeeded.
    Returns the version added, or None."""
    if not live:
        return None
    newest = max((version_number(v) for v in index), default=0)
    for number in sorted((n for n in stored if n > newest), reverse=True):
        try:
            body = json.loads(s3.get_object(Bucket=bucket, Key=template_key(number))["Body"].read())
        except (s3.exceptions.NoSuchKey, ValueError):
            continue
        if body == live:
            index[version_name(number)] = sorted(referenced_keys(body))
            return version_name(number)
    return None


def record(s3: Any, bucket: str, version: str, template: dict[str, Any]) -> None:
    """Add `version` (deployed successfully with `template`) to the index."""
    index = read_index(s3, bucket)
    index[version] = sorted(referenced_keys(template))
    write_index(s3, bucket, index)


def deployed_versions(s3: Any, bucket: str, live: dict[str, Any] | None, write: bool = True) -> list[int]:
    """The versions that really deployed and whose templates are kept, oldest first: the index, repaired
    from `live` (the template the stack runs) and, with `write`, written back when a stopped deploy was
    missing."""
    index = read_index(s3, bucket)
    stored = stored_templates(s3, bucket)
    if repair(s3, bucket, index, stored, live) and write:
        write_index(s3, bucket, index)
    present = set(stored)
    return sorted(n for n in (version_number(v) for v in index) if n in present)
