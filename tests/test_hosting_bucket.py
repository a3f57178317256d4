"""`hosting-bucket`: the template (a private bucket only CloudFront reads, the distribution, the clean-URL
function), and the sync after a deploy read back from the engine: the files with their headers and tags,
only changed files sent, removed ones deleted, changed paths invalidated, content changes hot-swapped."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Result, write

CONFIG = """\
serviceName: site
resources:
  web:
    type: hosting-bucket
    properties:
      uploadDirectoryPath: ./dist
      hostingContentType: astro-static-website
      errorDocument: /404.html
      excludeFilesPatterns: ['**/*.map']
      fileOptions:
        - includePattern: 'reports/**'
          excludePattern: 'reports/draft-*'
          headers: [{key: Content-Disposition, value: attachment}]
          tags: [{key: kind, value: report}]
"""
SITE = {
    "dist/index.html": "<h1>home</h1>",
    "dist/404.html": "<h1>not here</h1>",
    "dist/docs/index.html": "<h1>docs</h1>",
    "dist/_astro/app.3f2a.js": "console.log(1)",
    "dist/_astro/app.3f2a.js.map": "{}",
    "dist/reports/q1.pdf": "%PDF-1",
    "dist/reports/draft-q2.pdf": "%PDF-2",
}
FILES = {"stackwright.yml": CONFIG, **SITE}
BUCKET = "site-dev-web-123456789012-us-east-1"
FRESH = "public, max-age=0, s-maxage=31536000, must-revalidate"


def synth(cli: Callable[..., Result], root: Path) -> dict[str, Any]:
    result = cli("synth", cwd=root)
    assert result.code == 0, result.err
    return dict(json.loads(result.out))


def test_the_template_is_a_private_bucket_behind_cloudfront(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    template = synth(cli, write(tmp_path, FILES))
    resources = template["Resources"]
    bucket = resources["WebBucket"]["Properties"]
    assert bucket["BucketName"] == {"Fn::Sub": "site-dev-web-${AWS::AccountId}-${AWS::Region}"}
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    (tag,) = bucket["Tags"]
    assert tag["Key"] == "stackwright:content-digest" and len(tag["Value"]) == 64
    assert resources["WebOriginAccessControl"]["Properties"]["OriginAccessControlConfig"] == {
        "Name": "site-dev-web-oac",
        "Description": "site-dev web: CloudFront reads the bucket",
        "OriginAccessControlOriginType": "s3",
        "SigningBehavior": "always",
        "SigningProtocol": "sigv4",
    }
    config = resources["WebDistribution"]["Properties"]["DistributionConfig"]
    assert config["DefaultRootObject"] == "index.html"
    assert config["Origins"] == [
        {
            "Id": "bucket",
            "DomainName": {"Fn::GetAtt": ["WebBucket", "RegionalDomainName"]},
            "S3OriginConfig": {"OriginAccessIdentity": ""},
            "OriginAccessControlId": {"Fn::GetAtt": ["WebOriginAccessControl", "Id"]},
        }
    ]
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["CachePolicyId"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"  # CachingOptimized
    assert behavior["FunctionAssociations"] == [
        {"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": ["WebFunction", "FunctionARN"]}}
    ]
    assert config["CustomErrorResponses"] == [
        {"ErrorCode": 404, "ResponseCode": 404, "ResponsePagePath": "/404.html", "ErrorCachingMinTTL": 10}
    ]
    statements = resources["WebBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    reads = next(s for s in statements if s["Sid"] == "CloudFrontReads")
    assert reads["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert reads["Condition"]["StringEquals"]["AWS:SourceArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${WebDistribution}"
    }
    assert template["Outputs"]["WebUrl"]["Value"] == {"Fn::Sub": "https://${WebDistribution.DomainName}"}
    code = resources["WebFunction"]["Properties"]["FunctionCode"]
    assert "request.uri = request.uri + 'index.html';" in code


def route(code: str, uris: list[str]) -> list[str]:
    """What the CloudFront function `code` rewrites each of `uris` to, run by Node (CloudFront Functions
    run JavaScript: cloudfront-js-2.0 is ECMAScript 5.1 with some later features)."""
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("no node to run the CloudFront function with")
    script = code + "\nconsole.log(JSON.stringify(" + json.dumps(uris) + ".map(function (u) {"
    script += " return handler({request: {uri: u}}).uri; })));"
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout))


def test_clean_urls_follow_the_sites_style_and_a_single_page_app_routes_to_its_index(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    def function(props: str, files: dict[str, str]) -> str | None:
        config = f"serviceName: site\nresources:\n  web:\n    type: hosting-bucket\n    properties:\n{props}"
        root = write(tmp_path / str(abs(hash(props + str(files)))), {"stackwright.yml": config, **files})
        found = synth(cli, root)["Resources"]
        associations = found["WebDistribution"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
        if "WebFunction" not in found:
            assert "FunctionAssociations" not in associations
            return None
        return str(found["WebFunction"]["Properties"]["FunctionCode"])

    uris = ["/", "/about", "/docs/", "/users/42/", "/app.js", "/img/logo.svg"]
    pages = {"dist/index.html": "", "dist/about.html": "", "dist/team.html": ""}
    site = function("      uploadDirectoryPath: dist\n      indexDocument: /home.html\n", pages)
    # `/about` is its own object (the sync stores each page under its clean URL too)
    assert route(str(site), uris) == [
        "/home.html",
        "/about",
        "/docs/index.html",
        "/users/42/index.html",
        "/app.js",
        "/img/logo.svg",
    ]
    spa = "      uploadDirectoryPath: dist\n      hostingContentType: single-page-app\n"
    expected = ["/index.html"] * 4 + ["/app.js", "/img/logo.svg"]
    assert route(str(function(spa, pages)), uris) == expected
    # a single-page app's routing is not URL normalization: it stays
    assert route(str(function(spa + "      disableUrlNormalization: true\n", pages)), uris) == expected
    off = "      uploadDirectoryPath: dist\n      disableUrlNormalization: true\n"
    assert function(off, pages) is None


def test_custom_domains_take_one_certificate_from_us_east_1(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    domains = (
        "      customDomains:\n"
        f"        - {{domainName: www.example.com, customCertificateArn: '{arn}', disableDnsRecordCreation: true}}\n"
        f"        - {{domainName: example.com, customCertificateArn: '{arn}', disableDnsRecordCreation: true}}\n"
    )
    template = synth(cli, write(tmp_path, {**FILES, "stackwright.yml": CONFIG + domains}))
    config = template["Resources"]["WebDistribution"]["Properties"]["DistributionConfig"]
    assert config["Aliases"] == ["www.example.com", "example.com"]
    assert config["ViewerCertificate"] == {
        "AcmCertificateArn": arn,
        "SslSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }
    assert template["Outputs"]["WebUrl"]["Value"] == "https://www.example.com"
    # a certificate given by a directive is taken as it is (its region is AWS's to check)
    imported = domains.replace(f"'{arn}'", "\"$CfStackOutput('certificates', 'SiteCertificateArn')\"")
    config = synth(cli, write(tmp_path / "imported", {**FILES, "stackwright.yml": CONFIG + imported}))
    certificate = config["Resources"]["WebDistribution"]["Properties"]["DistributionConfig"][
        "ViewerCertificate"
    ]
    assert certificate["AcmCertificateArn"] == {"Fn::ImportValue": "certificates-SiteCertificateArn"}


def test_hosting_bucket_mistakes_are_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    def refused(config: str, files: dict[str, str] = SITE) -> str:
        root = write(tmp_path / str(abs(hash(config + str(files)))), {**files, "stackwright.yml": config})
        result = cli("synth", cwd=root)
        assert result.code == 2 and "Traceback" not in result.err, result.err
        return result.err

    err = refused(CONFIG, {})
    assert "stackwright.yml:6" in err and "'./dist' is not a folder" in err
    for key, value, what in [
        ("edgeFunctions", "{onRequest: auth}", "`edgeFunctions` of a hosting-bucket is not supported"),
        ("routeRewrites", "[{path: /api/*}]", "`routeRewrites` of a hosting-bucket is not supported"),
        ("useFirewall", "waf", "`useFirewall` of a hosting-bucket is not supported"),
        ("dev", "{command: npm run dev}", "stackwright has no dev mode"),
    ]:
        err = refused(CONFIG + f"      {key}: {value}\n")
        assert what in err and "is not supported by the installed plugins yet" in err and ":15:" in err
    err = refused(CONFIG + "      injectEnvironment: [{name: API-URL, value: x}]\n")
    assert "'API-URL' cannot be a variable name" in err and "stackwright.yml:15" in err
    err = refused(CONFIG.replace("./dist", "."))
    assert "holds the project itself: its config and any secret in it would be published" in err
    assert "stackwright.yml:6" in err
    assert "holds the project itself" in refused(CONFIG.replace("./dist", ".."))
    expires = CONFIG.replace("{key: Content-Disposition, value: attachment}", "{key: Expires, value: soon}")
    assert "Expires must be an HTTP date, not 'soon'" in refused(expires)
    tag = CONFIG.replace("{key: kind, value: report}", "{key: kind, value: 'web & ui'}")
    assert "S3 does not accept the tag kind='web & ui'" in refused(tag)
    header = CONFIG.replace("key: Content-Disposition", "key: X-Frame-Options")
    err = refused(header)
    assert "header 'X-Frame-Options' cannot be served from a file" in err and "stackwright.yml:13:21" in err
    domain = "      customDomains:\n        - {domainName: www.example.com, disableDnsRecordCreation: true}\n"
    assert "certificates made by stackwright are not supported" in refused(CONFIG + domain)
    eu = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
    other = domain.replace("true}", f"true, customCertificateArn: '{eu}'}}")
    assert "this certificate is from eu-west-1; it must come from us-east-1" in refused(CONFIG + other)
    us = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    dns = (
        "      customDomains:\n        - {domainName: www.example.com, customCertificateArn: '" + us + "'}\n"
    )
    assert "DNS records made by stackwright are not supported" in refused(CONFIG + dns)
    failing = CONFIG.replace("./dist", "./out") + "      build: {command: 'echo compiling; exit 3'}\n"
    result = cli("--local", "package", cwd=write(tmp_path / "failing", {"stackwright.yml": failing}))
    assert result.code == 1 and "Traceback" not in result.err
    assert "the build command `echo compiling; exit 3` failed (exit code 3)" in result.err
    assert "compiling" in result.err


def _objects(s3: Any) -> dict[str, dict[str, Any]]:
    found = {}
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        head = s3.head_object(Bucket=BUCKET, Key=item["Key"])
        found[item["Key"]] = head
    return found


def _invalidated(aws: Callable[[str], Any]) -> list[list[str]]:
    cloudfront = aws("cloudfront")
    (distribution,) = cloudfront.list_distributions()["DistributionList"]["Items"]
    listed = cloudfront.list_invalidations(DistributionId=distribution["Id"])["InvalidationList"]
    return [
        sorted(
            cloudfront.get_invalidation(DistributionId=distribution["Id"], Id=item["Id"])["Invalidation"][
                "InvalidationBatch"
            ]["Paths"].get("Items", [])
        )
        for item in listed.get("Items", [])
    ]


def test_a_deploy_syncs_the_files_with_their_headers_and_tags(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    result = cli("--local", "deploy", cwd=write(tmp_path, FILES))
    assert result.code == 0, result.err
    assert "synced web: uploaded 8 files" in result.err
    assert "uploaded 0 artifacts" in result.err  # nothing goes to the deployment bucket before the deploy
    s3 = aws("s3")
    objects = _objects(s3)
    assert sorted(objects) == [
        "404",
        "404.html",
        "_astro/app.3f2a.js",
        "docs",
        "docs/index.html",
        "index.html",
        "reports/draft-q2.pdf",
        "reports/q1.pdf",
    ]  # the source map is excluded; `docs` and `404` are the pages' clean URLs
    assert s3.get_object(Bucket=BUCKET, Key="docs")["Body"].read() == b"<h1>docs</h1>"
    assert objects["docs"]["ContentType"] == "text/html; charset=utf-8"
    assert objects["docs"]["CacheControl"] == FRESH
    assert objects["index.html"]["CacheControl"] == FRESH
    assert objects["index.html"]["ContentType"] == "text/html; charset=utf-8"
    assert objects["_astro/app.3f2a.js"]["CacheControl"] == "public, max-age=31536000, immutable"
    assert objects["_astro/app.3f2a.js"]["ContentType"] == "text/javascript; charset=utf-8"
    assert objects["reports/q1.pdf"]["ContentDisposition"] == "attachment"
    assert objects["reports/q1.pdf"]["ContentType"] == "application/pdf"
    assert "ContentDisposition" not in objects["reports/draft-q2.pdf"]
    assert s3.get_object_tagging(Bucket=BUCKET, Key="reports/q1.pdf")["TagSet"] == [
        {"Key": "kind", "Value": "report"}
    ]
    cloudfront = aws("cloudfront")
    (listed,) = cloudfront.list_distributions()["DistributionList"]["Items"]
    distribution = cloudfront.get_distribution(Id=listed["Id"])["Distribution"]
    config = distribution["DistributionConfig"]
    assert config["DefaultRootObject"] == "index.html"
    assert config["Origins"]["Items"][0]["DomainName"] == f"{BUCKET}.s3.us-east-1.amazonaws.com"
    (control,) = cloudfront.list_origin_access_controls()["OriginAccessControlList"]["Items"]
    assert control["Name"] == "site-dev-web-oac" and control["OriginAccessControlOriginType"] == "s3"
    outputs = aws("cloudformation").describe_stacks(StackName="site-dev")["Stacks"][0]["Outputs"]
    assert {"OutputKey": "WebUrl", "OutputValue": f"https://{distribution['DomainName']}"}.items() <= next(
        o for o in outputs if o["OutputKey"] == "WebUrl"
    ).items()
    info = cli("--local", "info", cwd=tmp_path)
    assert f"https://{distribution['DomainName']}" in info.out, info.out
    assert _invalidated(aws) == []  # nothing was served before


def test_a_content_change_is_hot_swapped_sending_only_what_changed(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    root = write(tmp_path, FILES)
    assert cli("--local", "deploy", cwd=root).code == 0
    s3 = aws("s3")
    before = {key: head["LastModified"] for key, head in _objects(s3).items()}
    (root / "dist/docs/index.html").write_text("<h1>docs, again</h1>")
    (root / "dist/reports/q1.pdf").unlink()
    (root / "dist/new.html").write_text("<h1>new</h1>")
    result = cli("--local", "deploy", "--hotswap", cwd=root)
    assert result.code == 0, result.err
    assert (
        "hot-swapped WebBucket: web: uploaded 4 files" in result.err
        and "deleted 1, unchanged 5" in result.err
    )
    assert "without CloudFormation" in result.out
    after = _objects(s3)
    assert "reports/q1.pdf" not in after and "new.html" in after and "new" in after
    assert s3.get_object(Bucket=BUCKET, Key="docs")["Body"].read() == b"<h1>docs, again</h1>"
    assert s3.get_object(Bucket=BUCKET, Key="docs/index.html")["Body"].read() == b"<h1>docs, again</h1>"
    assert after["index.html"]["LastModified"] == before["index.html"]  # not sent again
    # the changed and the removed files' paths (a new one was never cached), and the folder page's URLs
    assert _invalidated(aws) == [["/docs", "/docs/", "/docs/index.html", "/reports/q1.pdf"]]
    again = cli("--local", "deploy", "--hotswap", cwd=root)
    assert again.code == 0 and "no changes" in again.out, again.err


def test_a_change_of_headers_alone_sends_the_files_again(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    root = write(tmp_path, FILES)
    assert cli("--local", "deploy", cwd=root).code == 0
    (root / "stackwright.yml").write_text(CONFIG.replace("value: attachment", "value: inline"))
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    assert "synced web: uploaded 1 file" in result.err
    assert aws("s3").head_object(Bucket=BUCKET, Key="reports/q1.pdf")["ContentDisposition"] == "inline"
    assert _invalidated(aws) == [["/reports/q1.pdf"]]


def test_a_sync_stopped_before_its_invalidation_invalidates_on_the_next_deploy(
    cli: Callable[..., Result],
    engine: str,
    aws: Callable[[str], Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from botocore.exceptions import ClientError
    from stackwright.builtin_plugins.storage import sync

    root = write(tmp_path, FILES)
    assert cli("--local", "deploy", cwd=root).code == 0
    (root / "dist/index.html").write_text("<h1>home, again</h1>")

    def refuse(*args: Any, **kwargs: Any) -> str:
        # what CloudFront answers past 3,000 paths in progress
        raise ClientError(
            {
                "Error": {
                    "Code": "TooManyInvalidationsInProgress",
                    "Message": "Processing your request will cause you to exceed the maximum number of "
                    "in-progress wildcard invalidations.",
                },
                "ResponseMetadata": {"HTTPStatusCode": 400},
            },
            "CreateInvalidation",
        )

    with monkeypatch.context() as patch:
        patch.setattr(sync, "_invalidate", refuse)
        failed = cli("--local", "deploy", cwd=root)
    assert failed.code == 1 and "syncing its files to bucket" in failed.err
    assert "TooManyInvalidationsInProgress" in failed.err and "Traceback" not in failed.err
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    assert _invalidated(aws) == [["/", "/index.html"]]


def test_a_build_command_runs_before_the_upload(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    config = (
        "serviceName: site\nresources:\n  web:\n    type: hosting-bucket\n    properties:\n"
        "      uploadDirectoryPath: ./web/out\n"
        "      build: {command: 'mkdir -p out && cp src/page.html out/index.html', workingDirectory: web}\n"
    )
    root = write(tmp_path, {"stackwright.yml": config, "web/src/page.html": "<p>built</p>"})
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    assert aws("s3").get_object(Bucket=BUCKET, Key="index.html")["Body"].read() == b"<p>built</p>"
    (root / "web/src/page.html").write_text("<p>built again</p>")
    result = cli("--local", "deploy", "--hotswap", cwd=root)
    assert result.code == 0 and "hot-swapped WebBucket" in result.err, result.err
    assert aws("s3").get_object(Bucket=BUCKET, Key="index.html")["Body"].read() == b"<p>built again</p>"


def test_the_distribution_is_changed_in_place_and_deleted_with_the_stack(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """The engine's CloudFormation does not know CloudFront: stackwright's engine creates, updates and
    deletes distributions and origin access controls through its CloudFront API."""
    root = write(tmp_path, {**FILES, "dist/home.html": "<h1>home</h1>"})
    assert cli("--local", "deploy", cwd=root).code == 0
    cloudfront = aws("cloudfront")
    (before,) = cloudfront.list_distributions()["DistributionList"]["Items"]
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    domain = (
        "      customDomains:\n"
        f"        - {{domainName: www.example.com, customCertificateArn: '{arn}', disableDnsRecordCreation: true}}\n"
    )
    (root / "stackwright.yml").write_text(CONFIG + "      indexDocument: /home.html\n" + domain)
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    (after,) = cloudfront.list_distributions()["DistributionList"]["Items"]
    assert after["Id"] == before["Id"]
    config = cloudfront.get_distribution_config(Id=after["Id"])["DistributionConfig"]
    assert config["DefaultRootObject"] == "home.html"
    assert config["Aliases"]["Items"] == ["www.example.com"]
    certificate = config["ViewerCertificate"]
    assert certificate["ACMCertificateArn"] == arn and not certificate["CloudFrontDefaultCertificate"]
    assert cli("--local", "delete", "--yes", cwd=root).code == 0
    assert not cloudfront.list_distributions()["DistributionList"].get("Items")
    assert not cloudfront.list_origin_access_controls()["OriginAccessControlList"].get("Items")


def test_injected_values_reach_the_html_and_the_dotenv_file(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    config = CONFIG + (
        "      injectEnvironment:\n"
        "        - {name: UPLOADS_BUCKET, value: \"$ResourceParam('uploads', 'name')\"}\n"
        "        - {name: API_VERSION, value: 2}\n"
        "        - {name: BETA, value: true}\n"
        "      writeDotenvFilesTo: ./web\n"
        "  uploads:\n    type: bucket\n"
    )
    files = {**FILES, "stackwright.yml": config, "web/.env": "KEEP=1\nAPI_VERSION=1\n"}
    files["dist/index.html"] = "<!doctype html><html><head><title>t</title></head><body>home</body></html>"
    root = write(tmp_path, files)
    outputs = synth(cli, root)["Outputs"]
    assert outputs["WebInjectedEnv0"]["Value"] == {
        "Fn::Sub": "site-dev-uploads-${AWS::AccountId}-${AWS::Region}"
    }
    assert "WebInjectedEnv1" not in outputs  # a plain value needs no output
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    uploads = "site-dev-uploads-123456789012-us-east-1"
    expected = {"API_VERSION": "2", "BETA": "true", "UPLOADS_BUCKET": uploads}
    html = aws("s3").get_object(Bucket=BUCKET, Key="index.html")["Body"].read().decode()
    assert html == (
        "<!doctype html><html><head><script>window.STP_INJECTED_ENV = "
        + json.dumps(expected, sort_keys=True)
        + ";</script><title>t</title></head><body>home</body></html>"
    )
    assert aws("s3").get_object(Bucket=BUCKET, Key="_astro/app.3f2a.js")["Body"].read() == b"console.log(1)"
    assert (root / "web/.env").read_text() == (
        f'KEEP=1\nAPI_VERSION="2"\nBETA="true"\nUPLOADS_BUCKET="{uploads}"\n'
    )
    again = cli("--local", "deploy", cwd=root)
    assert again.code == 0 and "synced web: uploaded 0 files" in again.err, again.err
    (root / "dist/index.html").write_text("<html><head></head><body>changed</body></html>")
    swapped = cli("--local", "deploy", "--hotswap", cwd=root)
    assert swapped.code == 0 and "hot-swapped WebBucket" in swapped.err, swapped.err
    html = aws("s3").get_object(Bucket=BUCKET, Key="index.html")["Body"].read().decode()
    assert html.startswith("<html><head><script>window.STP_INJECTED_ENV = ") and uploads in html


def test_every_hot_swap_syncs_even_when_the_template_is_unchanged(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """A build's output may depend on files its digest does not cover, and a file may be removed from
    the bucket by hand: the sync compares with the bucket on every deploy, hot-swap or not."""
    config = (
        "serviceName: site\nresources:\n  web:\n    type: hosting-bucket\n    properties:\n"
        "      uploadDirectoryPath: ./web/out\n"
        "      build: {command: 'mkdir -p out && cp ../content/page.html out/index.html', workingDirectory: web}\n"
    )
    root = write(tmp_path, {"stackwright.yml": config, "web/build.txt": "", "content/page.html": "v1"})
    assert cli("--local", "deploy", cwd=root).code == 0
    s3 = aws("s3")
    (root / "content/page.html").write_text("v2")  # outside the build's working directory
    result = cli("--local", "deploy", "--hotswap", cwd=root)
    assert result.code == 0 and "synced web: uploaded 1 file" in result.err, result.err
    assert s3.get_object(Bucket=BUCKET, Key="index.html")["Body"].read() == b"v2"
    s3.delete_object(Bucket=BUCKET, Key="index.html")
    result = cli("--local", "deploy", "--hotswap", cwd=root)
    assert result.code == 0 and "synced web: uploaded 1 file" in result.err, result.err
    assert s3.get_object(Bucket=BUCKET, Key="index.html")["Body"].read() == b"v2"


def test_an_excluded_folder_is_not_walked_and_an_emptied_folder_is_named(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    root = write(tmp_path, FILES)
    (root / "dist/reports/loop").symlink_to("..")  # a loop, but in a folder left out
    config = CONFIG.replace("['**/*.map']", "['**/*.map', 'reports/loop']")
    (root / "stackwright.yml").write_text(config)
    assert cli("--local", "deploy", cwd=root).code == 0
    for path in sorted((root / "dist").rglob("*"), key=lambda p: -len(p.parts)):
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            path.rmdir()
    result = cli("--local", "deploy", cwd=root)
    assert result.code == 0, result.err
    assert "resources.web: its folder has no files: the 8 objects of bucket" in result.err
    assert aws("s3").list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_a_removed_site_bucket_is_emptied_and_deleted_after_the_deploy(
    cli: Callable[..., Result], engine: str, aws: Callable[[str], Any], tmp_path: Path
) -> None:
    """CloudFormation cannot delete a bucket that holds objects (on AWS the stack's cleanup fails to and
    the bucket stays): a site's files are the deploy's own copies, so the deploy removes them."""
    renamed = CONFIG.replace("  web:\n", "  site:\n")
    root = write(tmp_path, FILES)
    assert cli("--local", "deploy", cwd=root).code == 0
    (root / "stackwright.yml").write_text(renamed)
    result = cli("--local", "deploy", "--yes", cwd=root)
    assert result.code == 0, result.err
    assert f"deleted bucket {BUCKET}, no longer in the config, and its 8 objects" in result.err
    names = [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
    assert BUCKET not in names and "site-dev-site-123456789012-us-east-1" in names
