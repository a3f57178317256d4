"""Deploys killed or interrupted at chosen points, run at the same time, or cut off from the target: the
running code, the bucket, the version index and the lock afterwards (against the embedded engine)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXAMPLES, REPO, Result, deployment_bucket, function_config, write

Aws = Callable[[str], Any]
STACK = "quickstart-dev"
FUNCTION = "quickstart-dev-processor"


@pytest.fixture
def quickstart(tmp_path: Path) -> Path:
    root = tmp_path / "quickstart"
    shutil.copytree(EXAMPLES / "quickstart", root)
    return root


def change(root: Path, text: str) -> None:
    source = root / "src" / "processor.py"
    source.write_text(source.read_text() + f"# {text}\n")


def deploy(cli: Callable[..., Result], root: Path, *args: str) -> Result:
    result = cli("--local", "deploy", "--no-hotswap", *args, cwd=root)
    assert result.code == 0, result.err + result.out
    return result


def killed(point: str, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`stackwright ARGS` in a new interpreter, killed with SIGKILL at `point` (tests/faults.py)."""
    done = subprocess.run(
        [sys.executable, str(REPO / "tests" / "faults.py"), point, "--local", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )
    assert done.returncode == -9, done.stderr + done.stdout
    return done


def launched(
    root: Path, *args: str, point: str | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """`stackwright ARGS` started in a new interpreter in `root`, at a fault `point` (tests/faults.py)
    if given, with `env` added to the environment; its output piped."""
    program = [str(REPO / "tests" / "faults.py"), point] if point else ["-m", "stackwright.cli.main"]
    return subprocess.Popen(
        [sys.executable, *program, *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def ctrl_c_after_each_upload(
    monkeypatch: pytest.MonkeyPatch, before: Callable[[], Any] | None = None
) -> None:
    """Each upload to the deployment bucket (after `before()`, if given) is followed by a SIGINT to this
    process, which reaches the main thread as a terminal's Ctrl-C does."""
    import signal

    from stackwright.builtin_plugins.artifact_store.s3 import S3Store

    original = S3Store.upload

    def then_ctrl_c(self: Any, artifact: Any) -> int:
        if before is not None:
            before()
        size = original(self, artifact)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.5)
        return size

    monkeypatch.setattr(S3Store, "upload", then_ctrl_c)


def keys(aws: Aws, bucket: str, prefix: str = "") -> list[str]:
    pages = aws("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return sorted(o["Key"] for page in pages for o in page.get("Contents", []))


def index(aws: Aws, bucket: str) -> dict[str, list[str]]:
    body = aws("s3").get_object(Bucket=bucket, Key="stackwright/index.json")["Body"].read()
    return dict(json.loads(body))


def running_code(aws: Aws) -> str:
    return str(aws("lambda").get_function(FunctionName=FUNCTION)["Configuration"]["CodeSha256"])


def running_key(aws: Aws) -> str:
    deployed = aws("cloudformation").get_template(StackName=STACK)["TemplateBody"]
    return str(deployed["Resources"]["ProcessorFunction"]["Properties"]["Code"]["S3Key"])


def test_ctrl_c_before_the_change_set_executes_leaves_nothing_behind(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stackwright.builtin_plugins.cloudformation import deploy as cfn_deploy

    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, STACK)
    before, code = keys(aws, bucket), running_code(aws)
    original = cfn_deploy.wait_for_change_set

    def interrupted(*args: Any) -> Any:
        original(*args)
        raise KeyboardInterrupt  # Ctrl-C while the change set is shown, before it executes

    monkeypatch.setattr(cfn_deploy, "wait_for_change_set", interrupted)
    change(quickstart, "interrupted")
    result = cli("--local", "deploy", "--no-hotswap", cwd=quickstart)
    assert result.code == 130, result.err
    assert "interrupted before the change set executed: quickstart-dev is unchanged" in result.err
    assert "removed the 1 artifact this deploy uploaded" in result.err
    assert keys(aws, bucket) == before  # no template, no zip of the stopped deploy
    made = aws("cloudformation").list_change_sets(StackName=STACK)["Summaries"]
    assert [c["ChangeSetName"] for c in made if "v000002" in c["ChangeSetName"]] == []
    assert running_code(aws) == code


def test_a_deploy_killed_before_executing_is_never_a_rollback_target(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    """A stored template whose change set never executed used to be what `rollback` went back to (with
    its zips gone). Now `rollback` only offers versions that deployed, and the next deploy sweeps what
    the killed one left, without reusing its version number."""
    deploy(cli, quickstart)
    first = running_code(aws)
    change(quickstart, "two")
    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, STACK)
    change(quickstart, "three")
    before = keys(aws, bucket, "lambda-zip/")
    killed("change-set-made", quickstart, "deploy", "--no-hotswap")
    assert "cf-template/v000003.json" in keys(aws, bucket)  # what the kill left: template and zip
    left = [k for k in keys(aws, bucket, "lambda-zip/") if k not in before]
    assert len(left) == 1

    bad = cli("--local", "rollback", "--version", "v000003", cwd=quickstart)
    assert bad.code == 1 and "never deployed" in bad.err and "v000001, v000002" in bad.err
    back = cli("--local", "rollback", cwd=quickstart)
    assert back.code == 0, back.err
    assert "rolling quickstart-dev back to v000001 as v000004" in back.err
    assert running_code(aws) == first
    assert sorted(index(aws, bucket)) == ["v000001", "v000002", "v000004"]
    # the killed deploy's template and zip are swept; the numbers went on from v3
    assert "cf-template/v000003.json" not in keys(aws, bucket)
    assert set(left).isdisjoint(keys(aws, bucket))


def test_a_deploy_killed_after_it_succeeded_is_recorded_by_the_next_one(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    deploy(cli, quickstart)
    first, first_key = running_code(aws), running_key(aws)
    change(quickstart, "two")
    killed("deployed", quickstart, "deploy", "--no-hotswap")
    bucket = deployment_bucket(aws, STACK)
    assert sorted(index(aws, bucket)) == ["v000001"]  # the kill came before the record
    assert running_key(aws) != first_key and running_key(aws) in keys(aws, bucket)

    again = deploy(cli, quickstart)  # nothing changed: it finds v2 running and records it
    assert "v000002 deployed, but its deploy stopped before recording it: recorded now" in again.err
    assert sorted(index(aws, bucket)) == ["v000001", "v000002"]
    back = cli("--local", "rollback", cwd=quickstart)
    assert back.code == 0 and "back to v000001" in back.err, back.err
    assert running_code(aws) == first


def test_two_deploys_at_once_take_turns(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, tmp_path: Path
) -> None:
    """Both used to deploy at once, under the same version number, one change silently lost."""
    deploy(cli, quickstart)
    other = tmp_path / "other"
    shutil.copytree(quickstart, other)
    change(quickstart, "from one")
    change(other, "from the other")
    args = ["--local", "deploy", "--no-hotswap"]
    release = tmp_path / "release"
    first = launched(quickstart, *args, point="slow", env={"STACKWRIGHT_FAULT_RELEASE": str(release)})
    assert first.stderr is not None
    seen = ""
    while "holding the lock" not in seen:  # the first holds the lock until released: start the second
        line = first.stderr.readline()
        assert line, "the first deploy ended before taking the lock"
        seen += line
    second = launched(other, *args)
    assert second.stderr is not None
    waited = ""
    while "waiting for the deploy of quickstart-dev by" not in waited:
        line = second.stderr.readline()
        assert line, f"the second deploy ended without waiting for the first: {waited}"
        waited += line
    release.touch()
    outputs = [run.communicate(timeout=300) for run in (first, second)]
    assert [run.returncode for run in (first, second)] == [0, 0], outputs
    bucket = deployment_bucket(aws, STACK)
    assert sorted(index(aws, bucket)) == ["v000001", "v000002", "v000003"]  # no number used twice
    last = index(aws, bucket)["v000003"]
    assert running_key(aws) in last  # the stack runs what the deploy that went last deployed
    assert keys(aws, bucket, "stackwright/lock") == []  # both released the lock


def test_a_lock_left_by_a_killed_deploy_is_taken_over(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    deploy(cli, quickstart)
    change(quickstart, "two")
    killed("locked", quickstart, "deploy", "--no-hotswap")
    bucket = deployment_bucket(aws, STACK)
    assert keys(aws, bucket, "stackwright/lock") == ["stackwright/lock.json"]
    result = deploy(cli, quickstart)
    assert "took over the deploy lock of quickstart-dev from" in result.err
    assert "its process is gone" in result.err
    assert keys(aws, bucket, "stackwright/lock") == []


def test_a_lock_held_elsewhere_is_waited_for_or_refused(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stackwright.builtin_plugins.cloudformation import lock

    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, STACK)
    holder = {"id": "x", "user": "ana", "host": "build-7", "pid": 4242, "command": "deploy", "since": "now"}
    aws("s3").put_object(Bucket=bucket, Key=lock.KEY, Body=json.dumps(holder).encode())
    refused = cli("--local", "deploy", "--no-wait", cwd=quickstart)
    assert refused.code == 1
    assert (
        "stack quickstart-dev is being deployed by ana@build-7 (pid 4242, deploy, since now)" in refused.err
    )
    # another machine's lock is only stale once it goes unrenewed for the lease
    monkeypatch.setattr(lock, "LEASE", 1.0)
    time.sleep(1.5)
    result = deploy(cli, quickstart)
    assert "took over the deploy lock of quickstart-dev from ana@build-7" in result.err
    assert "not renewed for" in result.err


def test_a_target_that_dies_mid_deploy_is_a_fast_target_error(
    cli: Callable[..., Result], engine: str, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine gone after the upload: errors took 16-59 s, half were called a plugin bug (exit 3),
    and the CLI said it removed what it could not reach."""
    import stackwright.deploy as core_deploy
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    monkeypatch.setenv("STACKWRIGHT_LOCAL_ENDPOINT", f"http://{host}:{port}")
    deploy(cli, quickstart)
    original = core_deploy.upload

    def then_the_engine_dies(*args: Any) -> Any:
        sent = original(*args)
        server.stop()
        return sent

    monkeypatch.setattr(core_deploy, "upload", then_the_engine_dies)
    change(quickstart, "two")
    started = time.monotonic()
    result = cli("--local", "deploy", "--no-hotswap", cwd=quickstart)
    took = time.monotonic() - started
    assert result.code == 1, result.err
    assert "lost the connection to the target" in result.err and "plugin" not in result.err
    assert "removed the" not in result.err and "could not remove 1 artifact" in result.err
    assert took < 20, took  # a bound against the 16-59 s of retries, not a speed goal


def test_hot_swapped_zips_and_unfinished_uploads_follow_the_retention(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hot-swap zips were never removed, even with `previousVersionsToKeep: 1`, nor were the parts of
    an upload killed half-way. (Zips over Lambda's direct-upload limit go through the bucket; the limit
    is lowered here so a small zip does.)"""
    from stackwright.builtin_plugins.functions import hotswap as function_hotswap

    monkeypatch.setattr(function_hotswap, "DIRECT_UPLOAD_LIMIT", 0)
    config = quickstart / "stackwright.yml"
    config.write_text(config.read_text() + "deploymentConfig:\n  previousVersionsToKeep: 1\n")
    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, STACK)
    s3 = aws("s3")
    s3.create_multipart_upload(Bucket=bucket, Key="lambda-zip/" + "0" * 64 + ".zip")
    swapped = []
    for round_ in range(3):
        change(quickstart, f"hot {round_}")
        result = cli("--local", "deploy", "--hotswap", cwd=quickstart)
        assert "code taken from s3://" in result.out + result.err, result.err
        swapped.append(running_code(aws))
    zips = keys(aws, bucket, "lambda-zip/")
    # the template's zip (v1) and the one running now; the two superseded hot-swaps are gone
    assert len(zips) == 2 and running_key(aws) in zips, zips
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    assert running_code(aws) == swapped[-1]


def test_a_deployment_bucket_deleted_behind_its_back_is_a_clear_error(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, STACK)
    s3 = aws("s3")
    listed = s3.list_object_versions(Bucket=bucket)
    for version in listed.get("Versions", []) + listed.get("DeleteMarkers", []):
        s3.delete_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
    s3.delete_bucket(Bucket=bucket)
    change(quickstart, "two")
    result = cli("--local", "deploy", cwd=quickstart)
    assert result.code == 1, result.err
    assert "NoSuchBucket" in result.err and "plugin" not in result.err


def test_an_answer_the_client_cannot_read_is_a_target_error(
    cli: Callable[..., Result], engine: str, tmp_path: Path
) -> None:
    """The engine answers some refused changes in a form botocore cannot parse (an update adding a
    layer it does not have): that was called a bug of the cloudformation plugin (exit 3)."""
    root = write(
        tmp_path / "p",
        {"stackwright.yml": function_config(), "src/app.py": "def handler(e, c):\n    return 1\n"},
    )
    assert cli("--local", "deploy", cwd=root).code == 0
    layer = "arn:aws:lambda:us-east-1:123456789012:layer:missing:1"
    (root / "stackwright.yml").write_text(function_config(f"layers: ['{layer}']"))
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 1, result.err
    assert "plugin" not in result.err
    assert "the target answered in a form the AWS client cannot read" in result.err


def test_a_lost_connection_after_execute_keeps_what_the_stack_runs(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection closed after ExecuteChangeSet reached the engine: the deploy went the way of one
    that never executed and deleted the zip the updated stack runs."""
    from botocore.client import BaseClient
    from botocore.exceptions import ConnectionClosedError

    deploy(cli, quickstart)
    original = BaseClient._make_api_call

    def dropped(self: Any, operation: str, params: Any) -> Any:
        answer = original(self, operation, params)
        if operation == "ExecuteChangeSet":
            raise ConnectionClosedError(endpoint_url="http://engine")
        return answer

    monkeypatch.setattr(BaseClient, "_make_api_call", dropped)
    change(quickstart, "two")
    result = cli("--local", "deploy", "--no-hotswap", cwd=quickstart)
    assert result.code == 1 and "lost the connection to the target" in result.err, result.err
    assert "removed the" not in result.err
    monkeypatch.setattr(BaseClient, "_make_api_call", original)
    bucket = deployment_bucket(aws, STACK)
    assert running_key(aws) in keys(aws, bucket)  # the stack runs v2: its zip is there


@pytest.mark.parametrize("taker", ["holds it", "is done"])
def test_a_deploy_that_lost_its_lock_stops_before_changing_anything(
    cli: Callable[..., Result],
    engine: str,
    aws: Aws,
    quickstart: Path,
    monkeypatch: pytest.MonkeyPatch,
    taker: str,
) -> None:
    """A deploy stalled past the lease (a suspended laptop) went on after another took the lock over:
    the same version twice, one template overwritten, the other's running zip swept. When the other had
    finished and released the lock, the stalled one executed its stale change set over it."""
    import stackwright.deploy as core_deploy
    from stackwright.builtin_plugins.cloudformation import lock

    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, STACK)
    code, before = running_code(aws), keys(aws, bucket)
    original = core_deploy.upload
    other = {"id": "y", "user": "ana", "host": "build-7", "pid": 7, "command": "deploy", "since": "now"}

    def stalled(*args: Any) -> Any:
        sent = original(*args)  # meanwhile, the lease ran out and another deploy took the lock
        if taker == "holds it":
            aws("s3").put_object(Bucket=bucket, Key=lock.KEY, Body=json.dumps(other).encode())
        else:
            aws("s3").delete_object(Bucket=bucket, Key=lock.KEY)
        return sent

    monkeypatch.setattr(core_deploy, "upload", stalled)
    change(quickstart, "two")
    result = cli("--local", "deploy", "--no-hotswap", cwd=quickstart)
    assert result.code == 1
    said = "ana@build-7" if taker == "holds it" else "another deploy (done since)"
    assert f"this deploy lost the deploy lock of quickstart-dev to {said}" in result.err, result.err
    assert running_code(aws) == code
    # no template written and nothing removed (what it sent may share a key with what the taker sent);
    # the taker's lock kept
    after = keys(aws, bucket)
    sent = [k for k in after if k.startswith("lambda-zip/") and k not in before]
    assert len(sent) == 1
    assert [k for k in after if k not in before] == sorted([*sent, lock.KEY] if taker == "holds it" else sent)
    assert not [k for k in after if k.startswith("cf-template/v000002")]


def test_a_lock_held_in_another_pid_namespace_is_not_taken_as_gone() -> None:
    """Containers sharing a host name (host networking) see each other's pids as dead."""
    import socket

    from stackwright.builtin_plugins.cloudformation import lock

    dead = 2**22 + 1  # above any pid_max: no such process here
    here = {"host": socket.gethostname(), "pid": dead, "pidns": lock._pid_namespace()}
    assert lock._gone(here)
    assert not lock._gone({**here, "pidns": "another-boot:4026531836"})
    assert not lock._gone({**here, "pidns": None})  # written by an older stackwright: wait for the lease


def test_a_version_killed_after_it_succeeded_is_recorded_before_the_next_change(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path
) -> None:
    """Only a no-change deploy used to repair the index: a deploy with changes swept the unrecorded
    version that had really run, and `rollback` skipped it."""
    deploy(cli, quickstart)
    change(quickstart, "two")
    killed("deployed", quickstart, "deploy", "--no-hotswap")
    second = running_code(aws)
    change(quickstart, "three")
    result = deploy(cli, quickstart)
    assert "v000002 deployed, but its deploy stopped before recording it: recorded now" in result.err
    bucket = deployment_bucket(aws, STACK)
    assert sorted(index(aws, bucket)) == ["v000001", "v000002", "v000003"]
    back = cli("--local", "rollback", cwd=quickstart)
    assert back.code == 0 and "back to v000002" in back.err, back.err
    assert running_code(aws) == second


def test_first_deploys_at_once_take_turns(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, tmp_path: Path
) -> None:
    """A later first deploy deleted an earlier one's stack, still under review, as a leftover; two at
    the same moment each executed a change set that creates the stack."""
    copies = [quickstart]
    for n in range(2):
        shutil.copytree(quickstart, tmp_path / f"copy{n}")
        copies.append(tmp_path / f"copy{n}")
    runs = [launched(root, "--local", "deploy", "--no-hotswap") for root in copies]
    outputs = [run.communicate(timeout=180) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    assert not any("deleting it before deploying again" in err for _, err in outputs), outputs
    bucket = deployment_bucket(aws, STACK)
    assert running_key(aws) in keys(aws, bucket)
    assert "v000001" in index(aws, bucket)


def test_ctrl_c_while_the_change_set_is_being_made_leaves_nothing_behind(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine answers deleting a change set it never made with a 500 the client cannot parse: that
    escaped the clean-up as a plugin bug (exit 3) and left the template behind."""
    from botocore.client import BaseClient

    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, STACK)
    before = keys(aws, bucket)
    original = BaseClient._make_api_call

    def interrupted(self: Any, operation: str, params: Any) -> Any:
        if operation == "CreateChangeSet":
            raise KeyboardInterrupt
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", interrupted)
    change(quickstart, "two")
    result = cli("--local", "deploy", "--no-hotswap", cwd=quickstart)
    monkeypatch.setattr(BaseClient, "_make_api_call", original)
    assert result.code == 130, result.err
    assert "plugin" not in result.err
    assert keys(aws, bucket) == before


def test_ctrl_c_during_the_first_deploys_bootstrap_stops_after_it(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the bootstrap stack was being created was taken for the update's Ctrl-C: the CLI
    waited, then went on to deploy everything."""
    from stackwright.builtin_plugins.cloudformation import events

    original = events.Monitor.wait
    calls: list[int] = []

    def interrupted(self: Any, *args: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise KeyboardInterrupt  # the first wait is the bootstrap's
        return original(self, *args)

    monkeypatch.setattr(events.Monitor, "wait", interrupted)
    result = cli("--local", "deploy", cwd=quickstart)
    assert result.code == 130, result.err
    assert f"interrupted: {STACK} is already being created, so this waits" in result.err
    assert "created with its deployment bucket and image repository only; deploy again" in result.err
    summaries = aws("cloudformation").list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    assert "ProcessorFunction" not in {r["LogicalResourceId"] for r in summaries}
    assert "StpDeploymentBucket" in {r["LogicalResourceId"] for r in summaries}
    monkeypatch.setattr(events.Monitor, "wait", original)
    shown = cli("--local", "info", cwd=quickstart)  # was `(version v000000)`
    assert "(no version deployed yet: only the bootstrap resources)" in shown.out, shown.out + shown.err
    bucket, s3 = deployment_bucket(aws, STACK), aws("s3")

    def settings() -> tuple[Any, ...]:
        """What the engine only has when stackwright applies it (see the local engine's honour list)."""
        access = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
        return s3.get_bucket_versioning(Bucket=bucket).get("Status"), access["BlockPublicAcls"], len(rules)

    assert settings() == ("Enabled", True, 1)  # applied though the command stopped after the bootstrap
    # a bootstrap killed before they were applied: the first full deploy applies them
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    s3.delete_public_access_block(Bucket=bucket)
    s3.delete_bucket_lifecycle(Bucket=bucket)
    deploy(cli, quickstart)
    assert running_code(aws)
    assert settings() == ("Enabled", True, 1)


def test_ctrl_c_during_an_upload_leaves_the_bucket_as_it_was(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while a zip was being sent acted only once every upload ended, said nothing of the stack,
    and left the zip behind."""

    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, STACK)
    before, code = keys(aws, bucket), running_code(aws)
    ctrl_c_after_each_upload(monkeypatch)
    change(quickstart, "interrupted upload")
    result = cli("--local", "deploy", "--no-hotswap", cwd=quickstart)
    assert result.code == 130, result.err
    assert f"interrupted before the change set executed: {STACK} is unchanged" in result.err
    assert "removed the 1 artifact this deploy uploaded" in result.err
    assert keys(aws, bucket) == before
    assert running_code(aws) == code


def test_an_upload_the_bucket_refuses_is_a_user_error(engine: str, aws: Aws, tmp_path: Path) -> None:
    """boto3's S3UploadFailedError (a part refused, an upload aborted under it by a deploy that took the
    lock over) is not a ClientError, and was reported as a bug in the plugin."""
    from types import SimpleNamespace

    from stackwright import StackwrightError
    from stackwright.builtin_plugins.artifact_store.s3 import S3Store

    zipped = tmp_path / "code.zip"
    zipped.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    store = S3Store(SimpleNamespace(clients=SimpleNamespace(client=aws)), "no-such-bucket")  # type: ignore[arg-type]
    artifact = SimpleNamespace(name="api", path=zipped, s3_key="api/v000001-x.zip")
    with pytest.raises(StackwrightError, match=r"could not upload api to no-such-bucket: .*NoSuchBucket"):
        store.upload(artifact)  # type: ignore[arg-type]


def test_a_target_that_stops_answering_is_named_with_where_to_look() -> None:
    """An engine suspended mid-deploy held the command for minutes (60 s reads, retried), then said
    only that the connection was lost."""
    from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
    from stackwright.aws import target_error

    slow = target_error(ReadTimeoutError(endpoint_url="http://127.0.0.1:4599/"))
    assert slow is not None and "did not answer in time" in str(slow.hint)
    assert "`stackwright local status` tells whether it runs, is suspended or hung" in str(slow.hint)
    gone = target_error(EndpointConnectionError(endpoint_url="http://127.0.0.1:4599/"))
    assert gone is not None and "in time" not in str(gone.hint) and "took what it held" in str(gone.hint)


def test_ctrl_c_at_each_step_around_the_change_set_says_what_became_of_the_stack(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while packaging said only `aborted`; just after the update finished, the version went
    unrecorded and the CLI said `aborted`; during the clean-up after a deploy, `aborted` too, as if the
    deploy had failed."""
    import signal

    import stackwright.deploy as core_deploy
    from stackwright.builtin_plugins import artifact_store
    from stackwright.builtin_plugins.cloudformation import deploy as cfn_deploy

    def ctrl_c(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:  # the first deploy, while packaging (after its bootstrap)
        patched.setattr(core_deploy, "package_stack", ctrl_c)
        first = cli("--local", "deploy", cwd=quickstart)
        assert first.code == 130
        assert f"interrupted: {STACK} was created with its deployment bucket and image repository only" in (
            first.err
        )
    with monkeypatch.context() as patched:  # before the state of the stack is known
        patched.setattr(core_deploy, "stack_state", ctrl_c)
        early = cli("--local", "deploy", cwd=quickstart)
        assert early.code == 130
        assert f"interrupted before the change set executed: {STACK} is unchanged" in early.err
    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, STACK)
    original = cfn_deploy._recorded

    def pressed_then_recorded(*args: Any) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C just as the update finished
        original(*args)

    steps = [  # (where Ctrl-C comes, exit code, what is said, the version recorded after)
        (
            (core_deploy, "package_stack", ctrl_c),
            130,
            f"interrupted before the change set executed: {STACK} is unchanged",
            None,
        ),
        (
            (cfn_deploy, "_recorded", pressed_then_recorded),
            0,
            f"interrupted: {STACK} has finished (UPDATE_COMPLETE); recorded",
            "v000002",
        ),
        (
            (artifact_store, "clean", ctrl_c),
            130,
            f"interrupted after {STACK} deployed (UPDATE_COMPLETE): what the bucket",
            "v000003",
        ),
    ]
    for (module, name, replacement), code, says, recorded in steps:
        with monkeypatch.context() as patched:
            patched.setattr(module, name, replacement)
            change(quickstart, name)
            result = cli("--local", "deploy", "--no-hotswap", cwd=quickstart)
            assert result.code == code and says in result.err, result.err
            assert recorded is None or recorded in index(aws, bucket)


def test_ctrl_c_after_losing_the_lock_mid_upload_removes_nothing(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Suspended during its upload past the lease, resumed, then Ctrl-C: the deploy removed what it
    had sent, which had the same key as the live zip of the deploy that took over."""

    from stackwright.builtin_plugins.cloudformation import lock

    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, STACK)
    before = keys(aws, bucket, "lambda-zip/")
    other = {"id": "y", "user": "ana", "host": "build-7", "pid": 7, "command": "deploy", "since": "now"}
    ctrl_c_after_each_upload(
        monkeypatch,
        before=lambda: aws("s3").put_object(Bucket=bucket, Key=lock.KEY, Body=json.dumps(other).encode()),
    )
    change(quickstart, "two")
    result = cli("--local", "deploy", "--no-hotswap", cwd=quickstart)
    assert result.code == 130, result.err
    assert "this deploy lost the deploy lock of quickstart-dev to ana@build-7" in result.err
    assert "removed the" not in result.err
    assert set(keys(aws, bucket, "lambda-zip/")) - set(before)  # kept


def test_after_one_timeout_a_local_target_fails_every_later_call_at_once() -> None:
    """An engine suspended mid-deploy made each later call wait out its own timeouts (three 60 s
    reads): minutes before the command said anything. The server here takes connections and never
    answers, as a suspended engine does."""
    import socket
    import threading

    from botocore.exceptions import ReadTimeoutError
    from stackwright import Clients, Endpoint

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    url = f"http://127.0.0.1:{server.getsockname()[1]}"
    endpoint = Endpoint(
        endpoint_url=url, static_credentials=("x", "y"), attempts=2, read_timeout=0.3, fail_fast=True
    )
    clients = Clients(endpoint)
    try:
        with pytest.raises(ReadTimeoutError):
            clients.client("s3").list_buckets()
        tried = len(accepted)
        assert tried >= 1
        with pytest.raises(ReadTimeoutError):
            clients.client("sqs").list_queues()
        with pytest.raises(ReadTimeoutError):
            clients.client("s3").list_buckets()
        assert len(accepted) == tried  # no new connection: refused before sending
    finally:
        server.close()
        for connection in accepted:
            connection.close()


def test_ctrl_c_while_the_first_change_set_request_is_under_way_leaves_nothing(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C cut a CreateChangeSet off while the target was still making it: the withdrawal came first
    and found nothing, then the change set and its REVIEW_IN_PROGRESS stack appeared and held the next
    deploy for two minutes."""
    import threading

    from botocore.client import BaseClient

    original = BaseClient._make_api_call
    landing: list[threading.Thread] = []

    def cut_off(self: Any, name: str, params: Any) -> Any:
        if name == "CreateChangeSet" and not landing:
            landing.append(threading.Thread(target=lambda: (time.sleep(0.3), original(self, name, params))))
            landing[0].start()  # the request reaches the target a moment after Ctrl-C
            raise KeyboardInterrupt
        return original(self, name, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", cut_off)
    result = cli("--local", "deploy", cwd=quickstart)
    landing[0].join()
    assert result.code == 130, result.err
    assert f"interrupted before the change set executed: {STACK} was not created" in result.err
    stacks = aws("cloudformation").list_stacks()["StackSummaries"]
    assert [s["StackStatus"] for s in stacks if s["StackName"] == STACK] in ([], ["DELETE_COMPLETE"])


def test_ctrl_c_after_losing_the_lock_says_so_even_when_nothing_was_sent(
    cli: Callable[..., Result], engine: str, aws: Aws, quickstart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deploy that took the lock over aborted this one's upload; Ctrl-C then said the stack was
    `unchanged` (the other had just updated it) and nothing of the lost lock."""
    import signal

    from stackwright import StackwrightError
    from stackwright.builtin_plugins.artifact_store.s3 import S3Store
    from stackwright.builtin_plugins.cloudformation import lock

    deploy(cli, quickstart)
    bucket = deployment_bucket(aws, STACK)
    other = {"id": "y", "user": "ana", "host": "build-7", "pid": 7, "command": "deploy", "since": "now"}

    def aborted_under_it(self: Any, artifact: Any) -> int:
        aws("s3").put_object(Bucket=bucket, Key=lock.KEY, Body=json.dumps(other).encode())
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.5)
        raise StackwrightError("could not upload processor: NoSuchUpload")

    monkeypatch.setattr(S3Store, "upload", aborted_under_it)
    change(quickstart, "two")
    result = cli("--local", "deploy", "--no-hotswap", cwd=quickstart)
    assert result.code == 130, result.err
    assert "this deploy lost the deploy lock of quickstart-dev to ana@build-7" in result.err
    assert "is unchanged" not in result.err
