"""The handler package of `Upstash::DatabasesV1::Database`, as `cfn submit` lays it out: `.rpdk-config`,
`schema.json`, and `ResourceProvider.zip` (the handler code with AWS's cloudformation-cli-python-lib
and its dependencies for the Lambda platform). Built deterministically (the same inputs give the same
bytes on any machine) and cached by a digest of its inputs."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from stackwright import cache_dir, entry_from_bytes, entry_from_file, pydeps, read_entries, write_zip

HERE = Path(__file__).parent
HANDLER = HERE / "handler"
SCHEMA = HERE / "registry" / "upstash-databasesv1-database.json"
TYPE_NAME = "Upstash::DatabasesV1::Database"
PACKAGE = "upstash_databasesv1_database"
#: The handlers' runtime (the newest the CloudFormation CLI's Python plugin offers).
RUNTIME = "python3.12"
#: AWS's library for resource handlers and what it needs, every version pinned, so that the package is
#: the same whenever it is built; a change here is a new package, registered by the next deploy.
LIBRARY = "\n".join(
    [
        "cloudformation-cli-python-lib==2.1.20",
        "requests==2.34.2",
        "urllib3==2.8.0",
        "idna==3.20",
        "certifi==2026.10.19.post1",
        "charset-normalizer==3.5.3",
        "setuptools==84.2.1",
    ]
)
#: In the Lambda runtime already (boto3 and what it needs): left out of the package, with their metadata.
IN_THE_RUNTIME = [
    pattern
    for name in ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "python_dateutil", "six")
    for pattern in (name, f"{name}-*.dist-info", f"{name}.py")
]


def handler_files() -> list[Path]:
    return sorted(p for p in (HANDLER / PACKAGE).glob("*.py"))


def source_digest() -> str:
    """A digest of everything the package is made of but the installed library (pinned by `LIBRARY`)."""
    h = hashlib.sha256()
    for part in [
        LIBRARY,
        RUNTIME,
        SCHEMA.read_text(),
        *(f"{p.name}\0{p.read_text()}" for p in handler_files()),
    ]:
        h.update(part.encode() + b"\0")
    return h.hexdigest()[:12]


def rpdk_config() -> bytes:
    settings = {
        "artifact_type": "RESOURCE",
        "typeName": TYPE_NAME,
        "language": "python312",
        "runtime": RUNTIME,
        "entrypoint": f"{PACKAGE}.handlers.resource",
        "testEntrypoint": f"{PACKAGE}.handlers.test_entrypoint",
        "settings": {"use_docker": False, "protocolVersion": "2.0.0"},
    }
    return (json.dumps(settings, indent=4, sort_keys=True) + "\n").encode()


def build(use_cache: bool = True) -> str:
    """The package's path (built when missing). Raises StackwrightError when the library cannot be
    installed (no network, no wheel)."""
    out = cache_dir("upstash") / f"handler-{source_digest()}.zip"
    if use_cache and out.exists():
        return str(out)
    layer, _ = pydeps.dependency_zip(LIBRARY + "\n", RUNTIME, "x86_64", IN_THE_RUNTIME, use_cache)
    entries = read_entries(layer) if layer else []
    entries += [entry_from_file(p, f"{PACKAGE}/{p.name}") for p in handler_files()]
    with tempfile.TemporaryDirectory(prefix="stackwright-upstash-") as folder:
        inner = Path(folder, "ResourceProvider.zip")
        write_zip(entries, inner)
        write_zip(
            [
                entry_from_bytes(".rpdk-config", rpdk_config()),
                entry_from_file(SCHEMA, "schema.json"),
                entry_from_file(inner, "ResourceProvider.zip", level=0),
            ],
            out,
        )
    return str(out)
