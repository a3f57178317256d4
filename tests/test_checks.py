"""What AWS refuses at deploy time is found by `validate` (and by `deploy`, before any upload): rules across
resources, handler exports for every runtime, and cfn-lint on the compiled template, each at the config
line that causes it, all in one run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stackwright.builtin_plugins.functions.exports import exported_names

from tests.helpers import Result, function_config, write

WORKER = """\
serviceName: jobs
resources:
  jobs:
    type: sqs-queue
    properties: {queue}
  worker:
    type: function
    properties:
      packaging:
        type: stacktape-lambda-buildpack
        properties:
          entryfilePath: src/worker.py
      timeout: 180
      events:
        - type: sqs
          properties:
            sqsQueueName: jobs{event}
"""
WORKER_PY = "def handler(event, context):\n    return len(event['Records'])\n"


def line_of(text: str, needle: str) -> int:
    """The 1-based line of `text` on which `needle` first appears."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def worker(tmp_path: Path, queue: str = "{}", event: str = "") -> tuple[Path, str]:
    config = WORKER.format(queue=queue, event=event)
    return write(tmp_path / "project", {"stackwright.yml": config, "src/worker.py": WORKER_PY}), config


def test_a_queue_slower_than_its_consumer_is_refused_by_validate_and_deploy(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    root, config = worker(tmp_path)
    result = cli("validate", cwd=root)
    assert result.code == 2, result.err
    assert f"stackwright.yml:{line_of(config, 'timeout: 180')}:" in result.err
    assert "function timeout (180 s) is longer than the visibility timeout of queue 'jobs'" in result.err
    assert "visibilityTimeoutSeconds: 1080" in result.err
    assert "1 problem found" in result.err  # cfn-lint's E3505 says the same: told once, with the fix

    deployed = cli("--local", "deploy", cwd=root)
    assert deployed.code == 2 and "visibility timeout of queue 'jobs'" in deployed.err
    names = [s["StackName"] for s in aws("cloudformation").list_stacks()["StackSummaries"]]
    assert "jobs-dev" not in names  # refused before the first deploy made anything
    assert aws("s3").list_buckets()["Buckets"] == []

    root, _ = worker(tmp_path, queue="{visibilityTimeoutSeconds: 1080}")
    assert cli("validate", cwd=root).code == 0
    assert cli("--local", "deploy", cwd=root).code == 0


@pytest.mark.parametrize(
    ("queue", "event", "needle", "message"),
    [
        (
            "{fifoEnabled: true, visibilityTimeoutSeconds: 1080}",
            "\n            batchSize: 50\n            maxBatchWindowSeconds: 5",
            "batchSize: 50",
            "FIFO queue: Lambda takes at most 10 messages a batch from it, not 50",
        ),
        (
            "{fifoEnabled: true, visibilityTimeoutSeconds: 1080}",
            "\n            maxBatchWindowSeconds: 5",
            "maxBatchWindowSeconds: 5",
            "Lambda has no batching window for FIFO queues",
        ),
        (
            "{visibilityTimeoutSeconds: 1080}",
            "\n            batchSize: 100",
            "batchSize: 100",
            "a batch size over 10 (100) needs a batching window",
        ),
    ],
    ids=["fifo-batch", "fifo-window", "batch-without-window"],
)
def test_sqs_event_source_limits(
    cli: Callable[..., Result], tmp_path: Path, queue: str, event: str, needle: str, message: str
) -> None:
    root, config = worker(tmp_path, queue=queue, event=event)
    result = cli("validate", cwd=root)
    assert result.code == 2, result.err
    assert message in result.err
    assert f"stackwright.yml:{line_of(config, needle)}:" in result.err


def test_the_timeout_is_pointed_at_where_it_is_written(cli: Callable[..., Result], tmp_path: Path) -> None:
    root, config = worker(tmp_path)
    config = config.replace("      timeout: 180\n", "").replace(
        "            sqsQueueName: jobs\n",
        "            sqsQueueName: jobs\n        - type: sqs\n          properties:\n"
        "            sqsQueueArn: $CfResourceParam('Raw', 'Arn')\n"
        "    overrides:\n      WorkerFunction:\n        Timeout: 300\n"
        "cloudformationResources:\n  Raw:\n    Type: AWS::SQS::Queue\n",
    )
    (root / "stackwright.yml").write_text(config)
    result = cli("validate", cwd=root)
    assert result.code == 2, result.err
    assert result.err.count(f"stackwright.yml:{line_of(config, 'Timeout: 300')}:") == 2
    assert (
        f"visibility timeout of queue 'jobs' (30 s, stackwright.yml:{line_of(config, 'jobs:')}:" in result.err
    )
    assert "`visibilityTimeoutSeconds: 1800` on 'jobs'" in result.err
    assert "visibility timeout of queue cloudformationResources.Raw (30 s)" in result.err
    assert "`VisibilityTimeout: 1800` on cloudformationResources.Raw" in result.err
    assert "2 problems found" in result.err  # cfn-lint's E3505 on the raw queue is not told again


def test_a_resource_that_cannot_compile_does_not_hide_the_others(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    root, config = worker(tmp_path)
    config += (
        "  ghost:\n    type: function\n    properties:\n      packaging:\n"
        "        type: stacktape-lambda-buildpack\n        properties:\n          entryfilePath: src/ghost.py\n"
    )
    (root / "stackwright.yml").write_text(config)
    result = cli("validate", cwd=root)
    assert result.code == 2 and "2 problems found" in result.err, result.err
    assert (
        f"stackwright.yml:{line_of(config, 'src/ghost.py')}:" in result.err and "does not exist" in result.err
    )
    assert f"stackwright.yml:{line_of(config, 'timeout: 180')}:" in result.err


def test_esbuild_failures_are_told_with_the_other_problems(
    cli: Callable[..., Result], tmp_path: Path, esbuild: Path
) -> None:
    root, config = worker(tmp_path)
    config += (
        "  web:\n    type: function\n    properties:\n      packaging:\n"
        "        type: stacktape-lambda-buildpack\n        properties:\n          entryfilePath: js/index.ts\n"
    )
    write(root, {"stackwright.yml": config, "js/index.ts": "export default async () => 1 +;\n"})
    result = cli("validate", cwd=root)
    assert result.code == 2 and "2 problems found" in result.err, result.err
    assert (
        f"stackwright.yml:{line_of(config, 'js/index.ts')}:" in result.err
        and "esbuild could not bundle" in result.err
    )
    assert f"stackwright.yml:{line_of(config, 'timeout: 180')}:" in result.err


@pytest.mark.parametrize(
    ("files", "handler"),
    [
        (
            {
                "src/a.js": "export * from 'cjspkg';\n",
                "node_modules/cjspkg/index.js": "exports.handler = () => 1;\n",
            },
            "handler",
        ),
        (
            {
                "src/a.ts": "export * from './impl';\n",
                "src/impl.js": "module.exports = { handler: () => 1 };\n",
            },
            "handler",
        ),
        (
            {"src/a.js": "module.exports = {\n  isEnd: s => /[}]/.test(s),\n  handler: async () => 1,\n};\n"},
            "handler",
        ),
        (
            {
                "src/a.js": "const t = (s) => /`/.test(s);\nexports.handler = async () => t('a');\nconst m = `done`;\n"
            },
            "handler",
        ),
    ],
    ids=["star-from-cjs-package", "star-from-cjs-file", "regex-after-arrow", "backtick-regex"],
)
def test_valid_js_handlers_are_not_refused_with_esbuild(
    cli: Callable[..., Result], tmp_path: Path, esbuild: Path, files: dict[str, str], handler: str
) -> None:
    entry = next(iter(files))
    config = function_config(entry=entry).replace(
        f"entryfilePath: {entry}", f"entryfilePath: {entry}\n          handlerFunction: {handler}"
    )
    result = cli("validate", cwd=write(tmp_path / "p", {"stackwright.yml": config, **files}))
    assert result.code == 0, result.err


def test_values_set_by_overrides_are_pointed_at_there(cli: Callable[..., Result], tmp_path: Path) -> None:
    root, config = worker(tmp_path, queue="{visibilityTimeoutSeconds: 120}")
    config = config.replace(
        "    properties: {visibilityTimeoutSeconds: 120}\n",
        "    properties: {visibilityTimeoutSeconds: 120}\n    overrides:\n      JobsQueue:\n        VisibilityTimeout: 5\n",
    ).replace(
        "            sqsQueueName: jobs\n",
        "            sqsQueueName: jobs\n    overrides:\n      WorkerFunction:\n"
        "        Environment.Variables.AWS_LAMBDA_FUNCTION_NAME: y\n",
    )
    (root / "stackwright.yml").write_text(config)
    result = cli("validate", cwd=root)
    assert result.code == 2, result.err
    assert f"(5 s, stackwright.yml:{line_of(config, 'VisibilityTimeout: 5')}:" in result.err
    assert "`VisibilityTimeout: 1080` in overrides.JobsQueue of 'jobs'" in result.err
    assert f"stackwright.yml:{line_of(config, 'AWS_LAMBDA_FUNCTION_NAME')}:" in result.err


def test_a_queue_set_by_overrides_counts(cli: Callable[..., Result], tmp_path: Path) -> None:
    root, config = worker(tmp_path)
    config = config.replace(
        "    properties: {}\n",
        "    properties: {}\n    overrides:\n      JobsQueue:\n        VisibilityTimeout: 900\n",
    )
    (root / "stackwright.yml").write_text(config)
    assert cli("validate", cwd=root).code == 0


def test_a_dead_letter_queue_of_the_other_kind_is_refused(cli: Callable[..., Result], tmp_path: Path) -> None:
    config = """\
        resources:
          orders:
            type: sqs-queue
            properties:
              fifoEnabled: true
              redrivePolicy:
                targetSqsQueueName: failed
                maxReceiveCount: 3
          failed:
            type: sqs-queue
        """
    result = cli("validate", cwd=write(tmp_path, {"stackwright.yml": config}))
    assert result.code == 2, result.err
    assert "the dead-letter queue 'failed' is a standard queue" in result.err
    assert "1 problem found" in result.err  # cfn-lint's E3502 says the same: told once
    assert "stackwright.yml:6:" in result.err  # the redrivePolicy


def test_reserved_lambda_variables_are_refused(cli: Callable[..., Result], tmp_path: Path) -> None:
    config = function_config(
        "environment:\n  - name: STAGE\n    value: dev\n  - name: AWS_REGION\n    value: eu-west-1"
    )
    files = {"stackwright.yml": config, "src/app.py": "def handler(e, c):\n    return 1\n"}
    result = cli("validate", cwd=write(tmp_path, files))
    assert result.code == 2, result.err
    assert f"stackwright.yml:{line_of(config, 'AWS_REGION')}:" in result.err
    assert "Lambda sets AWS_REGION itself" in result.err


CFN = """\
resources:
  api:
    type: function
    properties:
      packaging:
        type: stacktape-lambda-buildpack
        properties: {entryfilePath: src/app.py}
    overrides:
      ApiFunction:
        Properties.MemorySize: 99999
cloudformationResources:
  Extra:
    Type: AWS::SQS::Queu
    Properties: {}
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketNam: my-bucket
  Atlas:
    Type: MongoDB::Atlas::Project
    Properties: {Name: x}
  Cased:
    Type: Aws::SQS::Queue
  Shape:
    Type: SQS::Queue
  Custom:
    Type: Custom::Thing
    Properties: {ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:thing}
"""


def test_cfn_lint_errors_point_at_the_config(cli: Callable[..., Result], tmp_path: Path) -> None:
    files = {"stackwright.yml": CFN, "src/app.py": "def handler(e, c):\n    return 1\n"}
    result = cli("validate", cwd=write(tmp_path, files))
    assert result.code == 2, result.err
    assert f"stackwright.yml:{line_of(CFN, 'AWS::SQS::Queu')}:" in result.err
    assert "resource type 'AWS::SQS::Queu' does not exist in us-east-1" in result.err
    assert "did you mean 'AWS::SQS::Queue'?" in result.err
    assert (
        f"stackwright.yml:{line_of(CFN, 'BucketNam')}:" in result.err
        and "'BucketNam' was unexpected" in result.err
    )
    assert f"stackwright.yml:{line_of(CFN, 'MemorySize')}:" in result.err and "99999" in result.err
    assert "Atlas" not in result.err and "Custom" not in result.err  # registry types cfn-lint cannot know
    assert f"stackwright.yml:{line_of(CFN, 'Aws::SQS::Queue')}:" in result.err  # AWS's namespace, miscased
    assert f"stackwright.yml:{line_of(CFN, 'Type: SQS::Queue')}:" in result.err
    assert "'SQS::Queue' is not a resource type name" in result.err
    assert result.err.count("did you mean 'AWS::SQS::Queue'?") == 3
    assert "5 problems found" in result.err


HANDLERS = {
    "stackwright.yml": """\
        resources:
          web:
            type: function
            properties:
              packaging:
                type: stacktape-lambda-buildpack
                properties:
                  entryfilePath: src/web.ts
          cron:
            type: function
            properties:
              packaging:
                type: stacktape-lambda-buildpack
                properties:
                  entryfilePath: src/cron.js
                  handlerFunction: hadler
          worker:
            type: function
            properties:
              packaging:
                type: stacktape-lambda-buildpack
                properties:
                  entryfilePath: src/worker.py
                  handlerFunction: mian
          legacy:
            type: function
            properties:
              runtime: python3.13
              packaging:
                type: custom-artifact
                properties:
                  packagePath: legacy
                  handler: app.py:hander
        cloudformationResources:
          Extra:
            Type: AWS::SQS::Queu
        """,
    "src/web.ts": "export const handler = async (event: unknown) => ({ statusCode: 200 });\n",
    "src/cron.js": "exports.handler = async () => 'tick';\n",
    "src/worker.py": "def main(event, context):\n    return 1\n",
    "legacy/app.py": "def handler(event, context):\n    return 1\n",
}


def test_every_runtimes_handler_is_checked_in_one_run(cli: Callable[..., Result], tmp_path: Path) -> None:
    root = write(tmp_path, HANDLERS)
    result = cli("validate", cwd=root)
    assert result.code == 2, result.err
    err = result.err
    config = (root / "stackwright.yml").read_text()
    assert "5 problems found" in err
    assert f"stackwright.yml:{line_of(config, 'AWS::SQS::Queu')}:" in err  # cfn-lint's, in the same run
    assert (
        f"stackwright.yml:{line_of(config, 'src/web.ts')}:" in err and "web.ts has no default export" in err
    )
    assert "set `handlerFunction: handler`" in err
    assert (
        f"stackwright.yml:{line_of(config, 'hadler')}:" in err and "cron.js does not export 'hadler'" in err
    )
    assert "did you mean 'handler'?" in err
    assert (
        f"stackwright.yml:{line_of(config, 'mian')}:" in err
        and "handler function 'mian' is not defined" in err
    )
    assert (
        f"stackwright.yml:{line_of(config, 'hander')}:" in err
        and "handler function 'hander' is not defined in app.py" in err
    )


def test_a_named_handler_export_compiles_to_that_handler(cli: Callable[..., Result], tmp_path: Path) -> None:
    files = dict(HANDLERS)
    files["stackwright.yml"] = (
        files["stackwright.yml"]
        .replace(
            "entryfilePath: src/web.ts", "entryfilePath: src/web.ts\n" + " " * 18 + "handlerFunction: handler"
        )
        .replace("hadler", "handler")
        .replace("mian", "main")
        .replace("hander", "handler")
        .replace("AWS::SQS::Queu", "AWS::SQS::Queue")
    )
    root = write(tmp_path, files)
    assert cli("validate", cwd=root).code == 0
    template = cli("synth", cwd=root).out
    assert '"Handler": "index.handler"' in template


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"a.ts": "export default async function () {}"}, {"default"}),
        ({"a.ts": "export async function handler() {}\nexport function* gen() {}"}, {"handler", "gen"}),
        ({"a.ts": "export const handler = 1, other = 2;\nexport class Thing {}"}, {"handler", "Thing"}),
        ({"a.ts": "export type handler = string;\nexport interface X {}\nconst y = 1;"}, set()),
        ({"a.ts": "const h = 1;\nexport { h as handler, h as default, type T };"}, {"handler", "default"}),
        ({"a.ts": "export type { handler } from './b';"}, set()),
        ({"a.ts": "export * from './impl';", "impl.ts": "export const handler = 1;"}, {"handler"}),
        ({"a.ts": "export * from './lib';", "lib/index.ts": "export default 1; export const x = 2;"}, {"x"}),
        ({"a.ts": "export * as api from './impl';", "impl.ts": ""}, {"api"}),
        ({"a.ts": "export * from 'some-package';"}, None),
        ({"a.js": "// export const handler = 1\n/* export default 2 */\nexports.run = () => 1;"}, {"run"}),
        (
            {"a.js": "module.exports = { handler, other: () => 1, async third() {} };"},
            {"handler", "other", "third"},
        ),
        ({"a.js": "module.exports = async (event) => event;"}, None),
        ({"a.js": "module.exports = require('./impl');"}, None),
        ({"a.js": "module.exports = { ...require('./impl') };"}, None),
        ({"a.js": "Object.assign(module.exports, { handler });"}, None),
        ({"a.js": "const url = 'http://x/*'; exports['handler'] = 1; // */"}, {"handler"}),
        ({"a.ts": "export = handler;"}, None),
        ({"a.js": 'const h = 1;\nexport { h as "handler" };'}, {"handler"}),
        (
            {
                "a.js": 'const t = (p) => p.replace(/\\/*$/, "");\nexport const handler = 1;\n/** doc */\nexport function other() {}'
            },
            {"handler", "other"},
        ),
        ({"a.js": "const r = /['\"{]/g;\nexport default r;"}, {"default"}),
        ({"a.js": "const x = a / b / c;\nexport const handler = x;"}, {"handler"}),
        ({"a.js": 'module.exports = { other: () => "(", handler: async () => 1 };'}, {"other", "handler"}),
        ({"a.js": "module.exports = { other: `}`, 'my-key': 1, handler };"}, {"other", "my-key", "handler"}),
        ({"a.ts": "export const { handler } = factory();"}, None),
    ],
)
def test_exported_names_are_read_like_a_bundler(
    tmp_path: Path, files: dict[str, str], expected: set[str] | None
) -> None:
    write(tmp_path, files)
    entry = tmp_path / next(iter(files))
    assert exported_names(entry) == expected


@pytest.mark.parametrize(
    ("source", "runtime"),
    [
        ("from impl import *\n", "python3.13"),
        (
            "import os\nif os.environ.get('X'):\n    def handler(e, c):\n        return 1\nelse:\n    def handler(e, c):\n        return 2\n",
            "python3.13",
        ),
        ("try:\n    from fast import handler\nexcept ImportError:\n    handler = None\n", "python3.13"),
        ('d = {\'a\': 1}\nx = f"{d["a"]}"\ntype Num = int\ndef handler(e, c):\n    return x\n', "python3.99"),
        (
            "import sys\nmatch sys.platform:\n    case 'linux':\n        def handler(e, c):\n            return 1\n    case _:\n        handler = None\n",
            "python3.13",
        ),
        (
            "from functools import partial\ndef _h(n, e, c):\n    return n\nfor handler in [partial(_h, 1)]:\n    pass\n",
            "python3.13",
        ),
        ("def make():\n    return lambda e, c: 1\n(handler := make())\n", "python3.13"),
        ("import contextlib\nwith contextlib.nullcontext(print) as handler:\n    pass\n", "python3.13"),
        ("def init():\n    global handler\n    handler = lambda e, c: 1\ninit()\n", "python3.13"),
        ("[handler := f for f in [print]]\n", "python3.13"),
        ("globals()['handler'] = print\n", "python3.13"),
        ("def __getattr__(name):\n    return print\n", "python3.13"),
    ],
    ids=[
        "star-import",
        "conditional",
        "try-import",
        "newer-syntax",
        "match",
        "for",
        "walrus",
        "with",
        "global",
        "walrus-in-comprehension",
        "globals",
        "module-getattr",
    ],
)
def test_valid_python_handlers_are_not_refused(
    cli: Callable[..., Result], tmp_path: Path, source: str, runtime: str
) -> None:
    config = WORKER.format(queue="{visibilityTimeoutSeconds: 1080}", event="").replace(
        "      timeout: 180", f"      timeout: 180\n      runtime: {runtime}"
    )
    if runtime == "python3.99":  # no such runtime: the handler check alone is asked
        from stackwright.builtin_plugins.functions.builders import check_python_handler

        (tmp_path / "app.py").write_text(source)
        assert check_python_handler(tmp_path / "app.py", "handler", runtime) is None
        assert "syntax error" in str(check_python_handler(tmp_path / "app.py", "handler", "python3.9"))
        return
    files = {
        "stackwright.yml": config,
        "src/worker.py": source,
        "src/impl.py": "def handler(e, c):\n    return 1\n",
    }
    result = cli("validate", cwd=write(tmp_path / "p", files))
    assert result.code == 0, result.err


def test_a_checked_template_is_not_linted_again(
    cli: Callable[..., Result], engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = worker(tmp_path, queue="{visibilityTimeoutSeconds: 1080}")
    assert cli("validate", cwd=root).code == 0
    import stackwright.checks

    linted: list[str] = []
    monkeypatch.setattr(stackwright.checks, "lint", lambda ctx: linted.append(ctx.stack_name) or [])
    assert cli("validate", cwd=root).code == 0
    assert linted == []
    assert cli("--local", "deploy", cwd=root).code == 0  # the account is known now: another bucket name
    assert cli("--local", "deploy", cwd=root).code == 0  # no change: not checked again
    assert linted == ["jobs-dev"]
    config = (root / "stackwright.yml").read_text().replace("timeout: 180", "timeout: 170")
    (root / "stackwright.yml").write_text(config)
    assert cli("validate", cwd=root).code == 0
    assert linted == ["jobs-dev", "jobs-dev"]


def test_a_prebuilt_folder_without_the_handlers_module_is_refused(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """A custom-artifact folder for a Python or Node.js runtime must hold the module the handler names
    (Lambda would fail every invocation with "Unable to import module"); a package folder counts."""
    config = """\
serviceName: prebuilt
resources:
  legacy:
    type: function
    properties:
      runtime: {runtime}
      packaging:
        type: custom-artifact
        properties:
          packagePath: legacy
          handler: {handler}
"""
    for runtime, handler, files, said in (
        ("python3.12", "app.handler", {"legacy/other.py": "x = 1\n"}, "(no app.py)"),
        ("nodejs20.x", "index.handler", {"legacy/other.js": "x = 1\n"}, "(no index.js)"),
        ("python3.12", "mod.handler", {"legacy/mod.js": "exports.handler = 1\n"}, "(no mod.py)"),
        ("nodejs20.x", "mod.handler", {"legacy/mod.py": "def handler(e, c):\n    return 1\n"}, "(no mod.js)"),
        ("python3.12", "pkg.app.handler", {"legacy/pkg/__init__.py": ""}, "(no pkg/app.py)"),
        ("python3.12", "pkg.handler", {"legacy/pkg/__init__.py": "def handler(e, c):\n    return 1\n"}, ""),
        ("provided.al2023", "anything.handler", {"legacy/bootstrap": "#!/bin/sh\n"}, ""),
    ):
        root = write(
            tmp_path / runtime / handler,
            {"stackwright.yml": config.format(runtime=runtime, handler=handler), **files},
        )
        result = cli("validate", cwd=root)
        if said:
            assert result.code == 2 and "Lambda could not import it" in result.err and said in result.err, (
                result.err
            )
            assert "resources.legacy.properties.packaging.properties.handler" in result.err
        else:
            assert result.code == 0, result.err


def test_a_code_change_is_checked_again_but_not_linted(
    cli: Callable[..., Result], engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change of code alone runs the checks that read the code (the handler is defined, the file
    parses) before deploying or hot-swapping it; cfn-lint, which sees the same template, is not run."""
    root, _ = worker(tmp_path, queue="{visibilityTimeoutSeconds: 1080}")
    assert cli("--local", "deploy", cwd=root).code == 0
    import stackwright.checks

    linted: list[str] = []
    monkeypatch.setattr(stackwright.checks, "lint", lambda ctx: linted.append(ctx.stack_name) or [])
    code = root / "src" / "worker.py"
    for broken, said in (
        ("def handle(event, context):\n    return 1\n", "handler function 'handler' is not defined"),
        ("def handler(event, context:\n    return 1\n", "syntax error"),
    ):
        code.write_text(broken)
        for flags in ((), ("--hotswap",), ("--no-hotswap",)):
            result = cli("--local", "deploy", *flags, cwd=root)
            assert result.code == 2 and said in result.err, (flags, result.err)
    assert linted == []
    code.write_text(WORKER_PY.replace("len(", "bool("))
    swapped = cli("--local", "deploy", "--hotswap", cwd=root)
    assert swapped.code == 0 and "hot-swapped" in swapped.out + swapped.err
    assert linted == []


def test_a_plugin_edited_in_place_is_checked_again(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stackwright.checks

    module = tmp_path / "plugins" / "inhouse_rules.py"
    module.parent.mkdir()
    module.write_text("RULES = 1\n")
    monkeypatch.syspath_prepend(str(module.parent))
    root, _ = worker(tmp_path, queue="{visibilityTimeoutSeconds: 1080}")
    linted: list[str] = []
    monkeypatch.setattr(stackwright.checks, "lint", lambda ctx: linted.append(ctx.stack_name) or [])
    assert cli("-p", "inhouse_rules", "validate", cwd=root).code == 0
    assert cli("-p", "inhouse_rules", "validate", cwd=root).code == 0
    assert linted == ["jobs-dev"]
    module.write_text("RULES = 2  # edited: no new version, but other code\n")
    assert cli("-p", "inhouse_rules", "validate", cwd=root).code == 0
    assert linted == ["jobs-dev", "jobs-dev"]
