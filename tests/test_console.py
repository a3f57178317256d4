"""`stackwright console` over real HTTP against the local engine: what each page shows is read back
from the engine's own APIs; the token, the host check and read-only clients are enforced."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright import Clients, Endpoint, StackwrightError

from tests.console_server import as_deployed, console
from tests.helpers import EXAMPLES, REPO, Result, deployment_bucket, function_config
from tests.test_local_secrets import PASSWORD, TOKEN, project, secrets

Aws = Callable[[str], Any]
STACK = "quickstart-dev"


@pytest.fixture
def quickstart(tmp_path: Path, cli: Callable[..., Result], engine: str) -> Path:
    root = tmp_path / "quickstart"
    shutil.copytree(EXAMPLES / "quickstart", root)
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    return root


def cells(page: str, column: str) -> list[str]:
    """The text of every table cell of `column` in `page`."""
    found = re.findall(rf'<td data-column="{re.escape(column)}"[^>]*>(.*?)</td>', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in found]


def section(page: str, panel: str) -> str:
    """The markup of panel `panel` on a stack page."""
    found = re.search(rf'<section class="panel" id="panel-{panel}".*?</section>', page, re.S)
    assert found, f"no panel {panel}"
    return found.group(0)


def code_text(page: str) -> str:
    """The text of the highlighted code block of `page`, as a browser would copy it."""
    block = re.search(r'<div class="code"><pre>(.*?)</pre></div>', page, re.S)
    assert block, page[:2000]
    return html.unescape(re.sub(r"<[^>]+>", "", block.group(1)))


def test_console_shows_the_stacks_resources_and_template_as_the_engine_has_them(
    quickstart: Path, aws: Aws
) -> None:
    physical, deployed = as_deployed(aws, STACK)
    with console(quickstart) as served:
        status, index = served.get("/")
        assert status == 200
        assert cells(index, "stack") == [STACK] and cells(index, "status") == ["UPDATE_COMPLETE"]
        status, page = served.get(f"/stacks/{STACK}")
        assert status == 200
        table = section(page, "resources")
        assert dict(zip(cells(table, "logical id"), cells(table, "physical id"), strict=True)) == physical
        configs = dict(zip(cells(table, "logical id"), cells(table, "config"), strict=True))
        assert configs["ProcessorFunction"] == "resources.processor"
        assert configs["JobsQueue"] == "cloudformationResources.JobsQueue"
        assert configs["StpDeploymentBucket"] == "stackwright"
        for panel in ("overview", "resources", "events", "template", "config", "versions", "drift", "diff"):
            assert f'id="panel-{panel}"' in page
        status, as_json = served.get(f"/stacks/{STACK}/template?format=json")
        assert json.loads(code_text(as_json)) == deployed
        status, as_yaml = served.get(f"/stacks/{STACK}/template")
        import yaml

        assert yaml.safe_load(code_text(as_yaml)) == deployed
        assert 'href="/stacks/quickstart-dev/config#resources.processor"' in as_yaml
        assert '<span id="r-ProcessorFunction" class="resource-anchor">' in as_yaml  # Resources link here
        status, config = served.get(f"/stacks/{STACK}/config")
        assert 'id="resources.processor"' in config
        status, events = served.get(f"/stacks/{STACK}/events/fragment")
        assert status == 200 and "UPDATE_COMPLETE" in cells(events, "status")


def test_console_refuses_requests_without_the_token_and_changes_nothing(quickstart: Path, aws: Aws) -> None:
    with console(quickstart) as served:
        assert served.base.startswith("http://127.0.0.1:")
        for path in ("/", f"/stacks/{STACK}", f"/stacks/{STACK}/template/fragment", "/static/console.js"):
            status, body = served.get(path, token=False)
            assert status == 403, path
            assert "ProcessorFunction" not in body
        assert served.get(f"/?token={served.token[:-1]}x", token=False)[0] == 403
        assert served.get("/", token=False, cookie=f"stackwright_console_1={served.token}")[0] == 403
        assert served.get("/", host="attacker.example:80")[0] == 403  # DNS rebinding
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            assert served.get(f"/stacks/{STACK}", method=method)[0] == 405
        assert served.get(f"/?token={served.token}", token=False, method="POST")[0] == 405
        assert served.get(f"/stacks/{STACK}/")[0] == 200
        import urllib.request

        class Keep(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        opener = urllib.request.build_opener(Keep)
        try:
            opener.open(served.link + "&format=a%26b%3D%3Cc%3E")
            raise AssertionError("the token link should redirect")
        except urllib.error.HTTPError as answer:
            assert answer.headers["Location"] == "/?format=a%26b%3D%3Cc%3E"  # the rest of the query kept
        try:
            opener.open(served.link)
            raise AssertionError("the token link should redirect")
        except urllib.error.HTTPError as answer:
            assert answer.code == 302 and answer.headers["Location"] == "/"
            cookie = answer.headers["Set-Cookie"]
            assert f"{served.cookie}={served.token}" in cookie
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        with urllib.request.urlopen(
            urllib.request.Request(served.base + "/", headers={"Cookie": cookie.split(";")[0]})
        ) as ok:
            assert ok.status == 200
            policy = ok.headers["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "default-src 'none'" in policy
            assert ok.headers["Referrer-Policy"] == "no-referrer"
    assert [s["StackName"] for s in aws("cloudformation").describe_stacks()["Stacks"]] == [STACK]


#: Plain-text secrets written in the forms YAML allows: value before name, a flow mapping, a block
#: scalar, and a property AWS marks secret in a raw CloudFormation resource.
PLAIN = ("reversed-BBB222", "flow-CCC333", "blockval-MMM333", "block-secretstring-NNN444")
TRICKY = function_config(
    """
    environment:
      - name: DB_PASSWORD
        value: $Secret('db.password')
      - name: TOKEN
        value: $Secret('token')
      - value: reversed-BBB222
        name: SERVICE_PASSWORD
      - {name: FLOW_TOKEN, value: flow-CCC333}
      - name: API_SECRET
        value: >-
          blockval-MMM333
    """,
    root="""
    cloudformationResources:
      Vault:
        Type: AWS::SecretsManager::Secret
        Properties:
          SecretString: |
            block-secretstring-NNN444
    """,
)


def test_console_never_shows_a_secret(
    cli: Callable[..., Result], engine: str, aws: Aws, tmp_path: Path
) -> None:
    secrets(aws)
    root = project(tmp_path, TRICKY)
    assert cli("--local", "deploy", cwd=root).code == 0
    # the engine holds the resolved values: a page that showed its template would show them
    engine_template = aws("cloudformation").get_template(StackName="demo-dev")["TemplateBody"]
    engine_template = engine_template if isinstance(engine_template, str) else json.dumps(engine_template)
    assert PASSWORD.replace("$", "") in engine_template.replace("$", "") or TOKEN in engine_template
    with console(root) as served:
        status, page = served.get("/stacks/demo-dev")
        assert status == 200
        bodies = [page]
        for panel in ("overview", "resources", "events", "template", "config", "versions", "drift", "diff"):
            bodies.append(served.get(f"/stacks/demo-dev/{panel}")[1])
            bodies.append(served.get(f"/stacks/demo-dev/{panel}/fragment")[1])
        bodies.append(served.get("/stacks/demo-dev/template?format=json")[1])
    for body in bodies:
        text = html.unescape(body)
        assert PASSWORD not in text and TOKEN not in text
        assert "pa${ss}word" not in text
        assert not [value for value in PLAIN if value in text]
    assert "{{resolve:secretsmanager:db:SecretString:password}}" in html.unescape(bodies[7])


def test_console_shows_versions_drift_and_the_pending_diff(
    quickstart: Path, cli: Callable[..., Result], aws: Aws
) -> None:
    bucket = deployment_bucket(aws, STACK)
    s3 = aws("s3")
    zips = [o for o in s3.list_objects_v2(Bucket=bucket)["Contents"] if o["Key"].endswith(".zip")]
    assert len(zips) == 1
    source = quickstart / "src" / "processor.py"
    source.write_text(source.read_text() + "\n# a code-only change\n")
    assert cli("--local", "deploy", "--hotswap", cwd=quickstart).code == 0
    config = quickstart / "stackwright.yml"
    config.write_text(config.read_text().replace("memory: 256", "memory: 512"))
    with console(quickstart) as served:
        page = served.get(f"/stacks/{STACK}/versions")[1]
        assert cells(page, "artifact") == [zips[0]["Key"]]
        digest = re.search(r"/([0-9a-f]{64})\.zip$", zips[0]["Key"]).group(1)  # type: ignore[union-attr]
        assert cells(page, "digest") == [digest[:12]]
        size = zips[0]["Size"]
        shown = cells(page, "size")[0]
        assert shown.endswith(("kB", "MB", " B")) and float(shown.split()[0]) == pytest.approx(
            size / {"kB": 1e3, "MB": 1e6, "B": 1}[shown.split()[1]], rel=0.05
        )
        drift = served.get(f"/stacks/{STACK}/drift")[1]
        assert cells(drift, "resource") == ["ProcessorFunction"]
        assert cells(drift, "physical id") == ["quickstart-dev-processor"]
        resources = served.get(f"/stacks/{STACK}/resources")[1]
        assert "UPDATE_COMPLETE (hot-swapped)" in cells(resources, "status") or any(
            s.endswith("(hot-swapped)") for s in cells(resources, "status")
        )
        assert "memory: 512" in code_text(served.get(f"/stacks/{STACK}/config")[1])  # read again each time
        diff = served.get(f"/stacks/{STACK}/diff/fragment")[1]
        assert cells(diff, "resource")[0] == "ProcessorFunction"
        before_after = zip(cells(diff, "deployed"), cells(diff, "local"), strict=True)
        changes = dict(zip(cells(diff, "property"), before_after, strict=True))
        assert changes["Properties.MemorySize"] == ("256", "512")
        # the code change was hot-swapped: the diff names its new key only where it differs
        assert all(not p.startswith("Properties.Code") or d != loc for p, (d, loc) in changes.items())
        config.write_text("resources:\n  processor:\n    type: function\n    properties: {memory: lots}\n")
        broken = served.get(f"/stacks/{STACK}/diff/fragment")[1]
        assert "stackwright.yml:4:" in html.unescape(broken)  # the problem with its file:line
    # the hot-swap sent its zip in the update request: the bucket holds the deployed template's zip only
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"] if o["Key"].endswith(".zip")] == [
        zips[0]["Key"]
    ]


def test_hook_stackwright_console_panels(quickstart: Path, aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    path = os.pathsep.join(filter(None, [str(REPO / "tests" / "plugins"), os.environ.get("PYTHONPATH")]))
    monkeypatch.setenv("PYTHONPATH", path)
    with console(quickstart, "-p", "console_panel") as served:
        status, page = served.get(f"/stacks/{STACK}")
        assert status == 200
        order = [m for m in re.findall(r'id="panel-([a-z-]+)"', page)]
        assert order.index("resources") < order.index("queues") < order.index("events")
        assert cells(page, "visibility timeout") == ["180", "shown as text", "shown as text"]
        assert "javascript:" not in page and "elsewhere.example" not in page  # not links: their text
        assert "panel &#39;garbage&#39; returned rows that are not lists of cells" in page
        # what a panel says is escaped: markup in it shows as text
        assert "panel &#39;broken&#39; failed: RuntimeError: this panel is &lt;b&gt;broken&lt;/b&gt;" in page
        assert "refused sqs CreateQueue: this command only reads from the target" in page
        assert served.get(f"/stacks/{STACK}/queues")[0] == 200
        assert served.get(f"/stacks/{STACK}/nothing")[0] == 404
        assert served.get("/stacks/someone-elses-stack")[0] == 404
    assert len(aws("sqs").list_queues().get("QueueUrls", [])) == 1


def test_read_only_clients_refuse_every_write_before_it_is_sent(engine: str, aws: Aws) -> None:
    clients = Clients(Endpoint("us-east-1", endpoint_url=engine, static_credentials=("test", "test")))
    s3 = clients.client("s3")
    clients.read_only = True
    assert s3.list_buckets()["Buckets"] == []
    with pytest.raises(StackwrightError, match="refused s3 CreateBucket"):
        s3.create_bucket(Bucket="never-made")
    with pytest.raises(StackwrightError, match="refused cloudformation CreateStack"):
        clients.client("cloudformation").create_stack(StackName="never", TemplateBody="{}")
    assert aws("s3").list_buckets()["Buckets"] == []
    clients.read_only = False
    s3.create_bucket(Bucket="made-now")
    assert [b["Name"] for b in aws("s3").list_buckets()["Buckets"]] == ["made-now"]


def test_console_json_output_is_documented_and_ctrl_c_stops_it(quickstart: Path) -> None:
    import signal
    import subprocess
    import sys

    from tests.test_json_output import check

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stackwright.cli.main",
            "--local",
            "--output",
            "json",
            "console",
            "--no-browser",
        ],
        cwd=quickstart,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = json.loads(process.stdout.readline())
    assert first["event"] == "console" and first["url"].startswith(
        f"http://127.0.0.1:{first['port']}/?token="
    )
    process.send_signal(signal.SIGINT)  # Ctrl-C
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    records = [first, *(json.loads(line) for line in out.splitlines())]
    assert records[-1] == {"event": "result", "stopped": True, "url": first["url"]}
    seen: set[str] = set()
    check(records, seen)
    assert seen == {"console", "result"}
