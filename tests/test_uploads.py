"""Content-addressed uploads on the embedded engine: one object per digest, whatever the functions and
versions that use it; kept while any kept version, the running template or a running hot-swap uses it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers import Result, deployment_bucket, write

Aws = Callable[[str], Any]
STACK = "shared-dev"


def config(keep: int) -> str:
    lines = ["serviceName: shared", "resources:"]
    for name, entry in (("alpha", "src/a.py"), ("beta", "src/b.py"), ("gamma", "other/c.py")):
        packaging = f"{{type: stacktape-lambda-buildpack, properties: {{entryfilePath: {entry}}}}}"
        lines += [f"  {name}:", "    type: function", "    properties:", f"      packaging: {packaging}"]
    lines += ["deploymentConfig:", f"  previousVersionsToKeep: {keep}"]
    return "\n".join(lines) + "\n"


def project(tmp_path: Path, keep: int = 0) -> Path:
    return write(
        tmp_path / "shared",
        {
            "stackwright.yml": config(keep),
            "src/a.py": "def handler(event, context):\n    return 'a'\n",
            "src/b.py": "def handler(event, context):\n    return 'b'\n",
            "other/c.py": "def handler(event, context):\n    return 'c'\n",
        },
    )


def deploy(cli: Callable[..., Result], root: Path) -> list[dict[str, Any]]:
    result = cli("--local", "--output", "json", "deploy", "--no-hotswap", cwd=root)
    assert result.code == 0, result.err + result.out
    return result.json_lines()


def uploaded(records: list[dict[str, Any]]) -> int:
    return int(next(r for r in records if r.get("event") == "uploaded")["artifacts"])


def zips(aws: Aws) -> list[str]:
    bucket = deployment_bucket(aws, STACK)
    listed = aws("s3").list_objects_v2(Bucket=bucket, Prefix="lambda-zip/").get("Contents", [])
    return sorted(o["Key"] for o in listed)


def code_keys(aws: Aws) -> dict[str, str]:
    """Logical id → the bucket key of its code, in the template the stack runs."""
    deployed = aws("cloudformation").get_template(StackName=STACK)["TemplateBody"]["Resources"]
    return {
        lid: str(body["Properties"]["Code"]["S3Key"])
        for lid, body in deployed.items()
        if body["Type"] == "AWS::Lambda::Function"
    }


def test_functions_sharing_a_code_folder_upload_one_object(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    root = project(tmp_path, keep=5)
    records = deploy(cli, root)
    keys = code_keys(aws)
    # alpha and beta share src/ (one zip, two handlers); gamma has its own folder
    assert keys["AlphaFunction"] == keys["BetaFunction"] != keys["GammaFunction"]
    assert uploaded(records) == 2 and zips(aws) == sorted(set(keys.values()))
    code = {
        name: aws("lambda").get_function(FunctionName=f"shared-dev-{name}")["Configuration"]["CodeSha256"]
        for name in ("alpha", "beta")
    }
    assert code["alpha"] == code["beta"]
    # a change to gamma alone uploads gamma's zip alone; the shared one is found in the bucket
    (root / "other" / "c.py").write_text("def handler(event, context):\n    return 'c2'\n")
    assert uploaded(deploy(cli, root)) == 1
    assert len(zips(aws)) == 3  # the first gamma zip is kept: version 1 is kept (5 are)


def test_a_shared_object_is_kept_while_any_function_uses_it(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    """Retention counts references: with no previous version kept, the zip alpha and beta shared stays
    while beta still runs it, and goes once nothing uses it."""
    root = project(tmp_path, keep=0)
    deploy(cli, root)
    shared = code_keys(aws)["AlphaFunction"]
    # alpha moves to a folder of its own: beta still runs the shared zip
    text = (root / "stackwright.yml").read_text().replace("src/a.py", "own/a.py")
    (root / "stackwright.yml").write_text(text)
    write(root, {"own/a.py": "def handler(event, context):\n    return 'own'\n"})
    deploy(cli, root)
    keys = code_keys(aws)
    assert keys["BetaFunction"] == shared != keys["AlphaFunction"]
    assert zips(aws) == sorted(set(keys.values())) and shared in zips(aws)
    # beta changes too: nothing uses the shared zip any more
    (root / "src" / "b.py").write_text("def handler(event, context):\n    return 'b2'\n")
    deploy(cli, root)
    keys = code_keys(aws)
    assert shared not in zips(aws) and zips(aws) == sorted(set(keys.values()))
