"""Container workloads: templates for every type, and image builds on a real Docker daemon pushed to the
local registry and recorded in the engine's ECR."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Result, write

Aws = Callable[[str], Any]
WEB_DOCKERFILE = 'FROM stackwright-test-base:latest\nCOPY index.txt /index.txt\nCMD ["cat", "/index.txt"]\n'
CONFIG = """\
serviceName: shop
resources:
  web:
    type: web-service
    properties:
      packaging:
        type: custom-dockerfile
        properties:
          buildContextPath: web
      resources: {cpu: 0.25, memory: 512}
      environment:
        - name: MODE
          value: prod
      scaling:
        minInstances: 1
        maxInstances: 4
        scalingPolicy: {keepAvgCpuUtilizationUnder: 60}
  worker:
    type: worker-service
    properties:
      packaging:
        type: stacktape-image-buildpack
        properties:
          entryfilePath: worker/main.py
      resources: {cpu: 0.5, memory: 1024}
"""
FILES = {
    "stackwright.yml": CONFIG,
    "web/Dockerfile": WEB_DOCKERFILE,
    "web/index.txt": "hello\n",
    "web/.dockerignore": "notes/\n*.log\n",
    "worker/main.py": "import six\n\nprint('working', six.__version__)\n",
    "worker/requirements.txt": "six==1.16.0\n",
}


def synth(cli: Callable[..., Result], root: Path) -> dict[str, Any]:
    result = cli("synth", cwd=root)
    assert result.code == 0, result.err
    return json.loads(result.out)["Resources"]  # type: ignore[no-any-return]


def test_web_and_worker_templates(cli: Callable[..., Result], tmp_path: Path) -> None:
    resources = synth(cli, write(tmp_path, FILES))
    task = resources["WebTaskDefinition"]["Properties"]
    (container,) = task["ContainerDefinitions"]
    assert (task["Cpu"], task["Memory"], task["NetworkMode"], task["RequiresCompatibilities"]) == (
        "256",
        "512",
        "awsvpc",
        ["FARGATE"],
    )
    assert container["Image"]["Fn::Sub"][0].startswith(
        "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/${Repository}:web-default--"
    )
    assert {"Name": "PORT", "Value": "3000"} in container["Environment"] and {
        "Name": "MODE",
        "Value": "prod",
    } in container["Environment"]
    assert container["LogConfiguration"]["Options"]["awslogs-group"] == {"Ref": "WebDefaultLogGroup"}
    service = resources["WebEcsService"]["Properties"]
    assert service["DeploymentConfiguration"]["DeploymentCircuitBreaker"] == {
        "Enable": True,
        "Rollback": True,
    }
    assert service["ServiceRegistries"][0]["ContainerPort"] == 3000
    assert resources["WebHttpApiIntegration"]["Properties"]["ConnectionType"] == "VPC_LINK"
    # access logs, as Stacktape's HTTP APIs keep them: a JSON line per request, for 30 days
    access = resources["WebHttpApiStage"]["Properties"]["AccessLogSettings"]
    assert access["DestinationArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${WebHttpApiLogGroup}"
    }
    assert {"requestId", "ip", "status"} <= set(json.loads(access["Format"]))
    assert resources["WebHttpApiLogGroup"]["Properties"] == {
        "LogGroupName": "/stp/shop-dev/http-api-gateway/web",
        "RetentionInDays": 30,
    }
    assert resources["WebScalableTarget"]["Properties"]["MaxCapacity"] == 4
    policy = resources["WebCPUUtilizationPolicy"]["Properties"]["TargetTrackingScalingPolicyConfiguration"]
    assert policy["TargetValue"] == 60.0
    assert resources["WorkerTaskDefinition"]["Properties"]["Cpu"] == "512"
    assert (
        "WorkerHttpApi" not in resources
        and "ServiceRegistries" not in resources["WorkerEcsService"]["Properties"]
    )
    assert {"StpVpc", "StpPublicSubnet1", "StpPublicSubnet2", "StpInternetGateway"} <= set(resources)


def test_load_balancer_private_service_multi_container_and_prebuilt(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    config = """\
resources:
  site:
    type: web-service
    properties:
      packaging: {type: prebuilt-image, properties: {image: 'public.ecr.aws/nginx/nginx:1.27'}}
      resources: {cpu: 0.25, memory: 512}
      loadBalancing:
        type: application-load-balancer
        properties: {healthcheckPath: /health, healthcheckTimeout: 4}
  inventory:
    type: private-service
    properties:
      port: 8080
      packaging: {type: prebuilt-image, properties: {image: 'public.ecr.aws/docker/library/redis:7'}}
      resources: {cpu: 0.25, memory: 512}
  pair:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.5, memory: 1024}
      containers:
        - name: app
          packaging: {type: prebuilt-image, properties: {image: 'public.ecr.aws/docker/library/busybox:1', command: [sleep, '3600']}}
        - name: sidecar
          essential: false
          packaging: {type: prebuilt-image, properties: {image: 'public.ecr.aws/docker/library/busybox:1'}}
"""
    resources = synth(cli, write(tmp_path, {"stackwright.yml": config}))
    group = resources["SiteTargetGroup"]["Properties"]
    assert (group["HealthCheckPath"], group["HealthCheckTimeoutSeconds"]) == ("/health", 4)
    # no certificate, no HTTPS: plain HTTP on 80, invalid header fields dropped all the same
    listener = resources["SiteListener"]["Properties"]
    assert (listener["Port"], listener["Protocol"], listener["DefaultActions"][0]["Type"]) == (
        80,
        "HTTP",
        "forward",
    )
    assert "SiteHttpsListener" not in resources
    assert resources["SiteLoadBalancer"]["Properties"]["LoadBalancerAttributes"] == [
        {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}
    ]
    assert resources["SiteEcsService"]["Properties"]["LoadBalancers"][0]["ContainerPort"] == 3000
    assert (
        resources["SiteTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Image"]
        == "public.ecr.aws/nginx/nginx:1.27"
    )
    assert resources["InventoryDiscoveryService"]["Properties"]["DnsConfig"]["DnsRecords"][0]["Type"] == "A"
    (rule,) = resources["InventorySecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert (rule["FromPort"], rule["CidrIp"], rule["Description"]) == (
        8080,
        "10.0.0.0/16",
        "port 8080 of inventory, from the stack's VPC",
    )
    assert (
        resources["InventoryTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["PortMappings"][0][
            "ContainerPort"
        ]
        == 8080
    )
    pair = resources["PairTaskDefinition"]["Properties"]["ContainerDefinitions"]
    assert [(c["Name"], c["Essential"]) for c in pair] == [("app", True), ("sidecar", False)]
    assert pair[0]["Command"] == ["sleep", "3600"]
    assert {"PairAppLogGroup", "PairSidecarLogGroup"} <= set(resources)


def test_a_private_registry_image_is_pulled_with_its_credentials_secret(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-AbCdEf"
    config = f"""\
resources:
  pair:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.5, memory: 1024}}
      containers:
        - name: app
          packaging: {{type: prebuilt-image, properties: {{image: 'public.ecr.aws/docker/library/busybox:1'}}}}
        - name: private
          packaging:
            type: prebuilt-image
            properties: {{image: 'registry.example.com/team/app:2', repositoryCredentialsSecretArn: '{secret}'}}
"""
    resources = synth(cli, write(tmp_path, {"stackwright.yml": config}))
    app, private = resources["PairTaskDefinition"]["Properties"]["ContainerDefinitions"]
    assert "RepositoryCredentials" not in app
    assert private["RepositoryCredentials"] == {"CredentialsParameter": secret}
    (policy,) = resources["PairExecutionRole"]["Properties"]["Policies"]
    assert policy["PolicyDocument"]["Statement"] == [
        {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": [secret]}
    ]


HTTPS_CONFIG = """\
serviceName: shop
resources:
  site:
    type: web-service
    properties:
      packaging: {type: prebuilt-image, properties: {image: 'public.ecr.aws/nginx/nginx:1.27'}}
      resources: {cpu: 0.25, memory: 512}
      loadBalancing: {type: application-load-balancer}
      customDomains:
        - domainName: shop.example.com
          customCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/aaaa
          disableDnsRecordCreation: true
        - domainName: www.example.com
          customCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/bbbb
          disableDnsRecordCreation: true
"""


def test_a_load_balancer_with_a_certificate_serves_https_and_redirects_http(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    root = write(tmp_path, {"stackwright.yml": HTTPS_CONFIG})
    result = cli("synth", cwd=root)
    assert result.code == 0, result.err
    template = json.loads(result.out)
    resources = template["Resources"]
    https = resources["SiteHttpsListener"]["Properties"]
    assert (https["Port"], https["Protocol"], https["SslPolicy"]) == (
        443,
        "HTTPS",
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
    )
    assert https["Certificates"] == [
        {"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/aaaa"}
    ]
    assert https["DefaultActions"] == [{"Type": "forward", "TargetGroupArn": {"Ref": "SiteTargetGroup"}}]
    assert resources["SiteListenerCertificate"]["Properties"] == {
        "ListenerArn": {"Ref": "SiteHttpsListener"},
        "Certificates": [{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/bbbb"}],
    }
    plain = resources["SiteListener"]["Properties"]
    assert (plain["Port"], plain["DefaultActions"]) == (
        80,
        [
            {
                "Type": "redirect",
                "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
            }
        ],
    )
    rules = resources["SiteLoadBalancerSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert [(r["FromPort"], r["Description"]) for r in rules] == [
        (80, "HTTP from anywhere to the public load balancer of site"),
        (443, "HTTPS from anywhere to the public load balancer of site"),
    ]
    assert resources["SiteLoadBalancer"]["Properties"]["LoadBalancerAttributes"] == [
        {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}
    ]
    assert resources["SiteEcsService"]["DependsOn"] == ["SiteHttpsListener"]
    assert template["Outputs"]["SiteUrl"]["Value"] == "https://shop.example.com"
    assert template["Outputs"]["SiteLoadBalancerDnsName"]["Value"] == {
        "Fn::GetAtt": ["SiteLoadBalancer", "DNSName"]
    }


@pytest.mark.parametrize(
    ("edit", "where", "message"),
    [
        (
            ("          customCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/aaaa\n", ""),
            "stackwright.yml:10:11:",
            "shop.example.com: certificates made by stackwright are not supported by the installed plugins yet",
        ),
        (
            ("          disableDnsRecordCreation: true\n", "", 1),
            "stackwright.yml:10:11:",
            "shop.example.com: DNS records made by stackwright are not supported by the installed plugins yet",
        ),
        (
            ("      loadBalancing: {type: application-load-balancer}\n", ""),
            "stackwright.yml:8:7:",
            "`customDomains` of a web-service behind an HTTP API Gateway are not supported",
        ),
    ],
)
def test_custom_domains_stackwright_cannot_serve_are_refused(
    cli: Callable[..., Result], tmp_path: Path, edit: tuple[Any, ...], where: str, message: str
) -> None:
    root = write(tmp_path, {"stackwright.yml": HTTPS_CONFIG.replace(*edit)})
    result = cli("synth", cwd=root)
    assert result.code == 2 and f"{where} resources.site.properties.customDomains" in result.err, result.err
    assert message in result.err


def test_unsupported_container_features_are_refused_by_name(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    root = write(
        tmp_path,
        {
            **FILES,
            "stackwright.yml": CONFIG.replace(
                "      scaling:", "      enableRemoteSessions: true\n      scaling:", 1
            ),
        },
    )
    result = cli("synth", cwd=root)
    assert (
        result.code == 2
        and "`enableRemoteSessions` of a web-service is not supported by the installed plugins yet"
        in result.err
    )
    (root / "stackwright.yml").write_text(
        CONFIG.replace("type: custom-dockerfile", "type: nixpacks").replace(
            "buildContextPath: web", "sourceDirectoryPath: web"
        )
    )
    result = cli("synth", cwd=root)
    assert result.code == 2 and "`type: nixpacks` of a web-service is not supported" in result.err, result.err


def test_sizes_computed_with_must_be_numbers_when_compiling(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """A compile-time directive where the compile computes (cpu times 1024, whether to scale) used to crash
    the plugin."""
    config = CONFIG.replace(
        "resources: {cpu: 0.25, memory: 512}",
        "resources: {cpu: \"$CfResourceParam('Sizes', 'Cpu')\", memory: 512}",
    )
    root = write(tmp_path / "bad", {**FILES, "stackwright.yml": config})
    result = cli("validate", cwd=root)
    assert (
        result.code == 2
        and "`resources.cpu` needs a number known when the template is compiled" in result.err
    )
    assert "stackwright.yml:10:24:" in result.err and "bug" not in result.err
    config = CONFIG.replace("maxInstances: 4", "maxInstances: $CfResourceParam('Sizes', 'Max')")
    result = cli("validate", cwd=write(tmp_path / "scaling", {**FILES, "stackwright.yml": config}))
    assert result.code == 2 and "`scaling.maxInstances` needs a number known" in result.err, result.err
    batch = (
        "resources:\n  nightly:\n    type: batch-job\n    properties:\n      container:\n"
        "        packaging: {type: prebuilt-image, properties: {image: 'busybox:1'}}\n"
        "      resources: {cpu: \"$CfResourceParam('Sizes', 'Cpu')\", memory: 2048}\n"
    )
    result = cli("validate", cwd=write(tmp_path / "batch", {"stackwright.yml": batch}))
    assert result.code == 2 and "`resources.cpu` needs a number known" in result.err, result.err


def test_dockerignore_and_context_decide_the_digest(cli: Callable[..., Result], tmp_path: Path) -> None:
    root = write(tmp_path, FILES)

    def tag() -> str:
        return str(
            synth(cli, root)["WebTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Image"][
                "Fn::Sub"
            ][0]
        )

    first = tag()
    write(root, {"web/notes/todo.md": "ignored", "web/debug.log": "ignored"})
    assert tag() == first
    write(root, {"web/extra.txt": "part of the context"})
    assert tag() != first


def test_missing_dockerfile_is_a_config_error(cli: Callable[..., Result], tmp_path: Path) -> None:
    root = write(tmp_path, {k: v for k, v in FILES.items() if k != "web/Dockerfile"})
    result = cli("synth", cwd=root)
    assert (
        result.code == 2
        and "stackwright.yml:9:" in result.err
        and "Dockerfile 'web/Dockerfile' does not exist" in result.err
    )


def test_no_docker_daemon_says_how_to_start_one(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stackwright import docker

    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-such-docker.sock")
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    docker.reset()
    try:
        result = cli("package", cwd=write(tmp_path, FILES))
    finally:
        docker.reset()
    assert result.code == 1 and "cannot reach a Docker daemon" in result.err and "dockerd" in result.err
    assert "Traceback" not in result.err


def test_the_image_buildpack_names_the_secrets_it_leaves_out(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The image buildpack left `.env` out of the image without a word, and shipped what an
    `includeFiles` wildcard matched of it without one either (said before any build, so no daemon)."""
    from stackwright import docker

    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-such-docker.sock")
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    config = CONFIG.replace(
        "entryfilePath: worker/main.py\n",
        "entryfilePath: worker/main.py\n          includeFiles: ['conf/*']\n",
    )
    files = {**FILES, "stackwright.yml": config, "worker/.env": "TOKEN=1\n", "conf/.env.prod": "TOKEN=2\n"}
    docker.reset()
    try:
        result = cli("package", cwd=write(tmp_path, files))
    finally:
        docker.reset()
    assert "worker-default: left out of the image as secrets-looking files: worker/.env" in result.err
    assert (
        "worker-default: includeFiles ships secrets-looking or outside files a wildcard or folder matched: conf/.env.prod"
        in (result.err)
    )


@pytest.mark.docker
def test_build_failure_shows_the_end_of_the_build_log(
    cli: Callable[..., Result], tmp_path: Path, docker_daemon: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STACKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    files = {
        **FILES,
        "web/Dockerfile": "FROM stackwright-test-base:latest\nRUN echo step-one-output && exit 3\n",
    }
    result = cli("package", cwd=write(tmp_path, files))
    assert result.code == 1
    assert "building image 'web-default' failed" in result.err and "step-one-output" in result.err
    assert "non-zero code: 3" in result.err


@pytest.mark.docker
def test_web_and_worker_deploy_to_the_local_engine(
    cli: Callable[..., Result],
    tmp_path: Path,
    docker_daemon: str,
    local_registry: str,
    engine: str,
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STACKWRIGHT_LOCAL_REGISTRY", local_registry)
    monkeypatch.setenv("STACKWRIGHT_BUILDPACK_BASE_IMAGE", "stackwright-test-base:latest")
    root = write(tmp_path / "shop", FILES)

    def deploy() -> dict[str, Any]:
        result = cli("--local", "--output", "json", "deploy", cwd=root)
        assert result.code == 0, result.err + result.out
        records = result.json_lines()
        return {
            "artifacts": {r["artifact"]: r["status"] for r in records if r.get("event") == "artifact"},
            "uploaded": next(r for r in records if r.get("event") == "uploaded")["artifacts"],
        }

    first = deploy()
    # built now, or found in the daemon from an earlier build of the same inputs: either way, pushed
    assert set(first["artifacts"].values()) <= {"built", "cached"} and first["uploaded"] == 2
    repository = "shop-dev-image-repository"
    ecr_tags = {i["imageTag"] for i in aws("ecr").list_images(repositoryName=repository)["imageIds"]}
    with urllib.request.urlopen(f"http://{local_registry}/v2/{repository}/tags/list") as response:
        registry_tags = set(json.loads(response.read())["tags"])
    assert len(ecr_tags) == 2 and ecr_tags <= registry_tags
    (settings,) = aws("ecr").describe_repositories(repositoryNames=[repository])["repositories"]
    assert settings["imageTagMutability"] == "IMMUTABLE"  # each deploy below pushes only tags not there yet
    web_tag = next(t for t in ecr_tags if t.startswith("web-default--"))
    assert web_tag.endswith("--v000001")
    ecs = aws("ecs")
    task_arn = ecs.describe_services(cluster="shop-dev-web", services=["shop-dev-web"])["services"][0][
        "taskDefinition"
    ]
    image = ecs.describe_task_definition(taskDefinition=task_arn)["taskDefinition"]["containerDefinitions"][
        0
    ]["image"]
    assert image == f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{repository}:{web_tag}"

    second = deploy()
    assert second == {"artifacts": {"web-default": "stored", "worker-default": "stored"}, "uploaded": 0}

    write(root, {"web/index.txt": f"hello again {uuid.uuid4()}\n"})  # new inputs: never built before
    third = deploy()
    assert third == {"artifacts": {"web-default": "built", "worker-default": "stored"}, "uploaded": 1}
    # (the engine's ECS loses the container definitions when CloudFormation updates a task definition,
    # so the new image is read from the deployed template; AWS updates the service's task definition)
    deployed = aws("cloudformation").get_template(StackName="shop-dev")["TemplateBody"]
    new_image = deployed["Resources"]["WebTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Image"][
        "Fn::Sub"
    ][0]
    assert new_image.endswith("--v000002") and web_tag not in new_image
    assert {i["imageTag"] for i in aws("ecr").list_images(repositoryName=repository)["imageIds"]} >= {
        new_image.rsplit(":", 1)[1],
        *ecr_tags,
    }
    with urllib.request.urlopen(f"http://{local_registry}/v2/{repository}/tags/list") as response:
        assert new_image.rsplit(":", 1)[1] in json.loads(response.read())["tags"]


def test_the_image_repository_scans_on_push_and_never_moves_a_tag(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    repository = synth(cli, write(tmp_path, FILES))["StpContainerRepository"]["Properties"]
    assert repository["ImageScanningConfiguration"] == {"ScanOnPush": True}
    assert repository["ImageTagMutability"] == "IMMUTABLE"


def test_batch_job_runs_through_a_state_machine(cli: Callable[..., Result], tmp_path: Path) -> None:
    config = """\
resources:
  nightly:
    type: batch-job
    properties:
      container:
        packaging: {type: prebuilt-image, properties: {image: 'public.ecr.aws/docker/library/busybox:1', command: [echo, hi]}}
        environment:
          - {name: MODE, value: full}
      resources: {cpu: 1, memory: 2048}
      timeout: 900
      retryConfig: {attempts: 3, retryIntervalSeconds: 10, retryIntervalMultiplier: 2}
"""
    resources = synth(cli, write(tmp_path, {"stackwright.yml": config}))
    job = resources["NightlyJobDefinition"]["Properties"]
    assert job["PlatformCapabilities"] == ["FARGATE"] and job["Timeout"] == {"AttemptDurationSeconds": 900}
    assert job["ContainerProperties"]["ResourceRequirements"] == [
        {"Type": "VCPU", "Value": "1"},
        {"Type": "MEMORY", "Value": "2048"},
    ]
    assert job["ContainerProperties"]["Command"] == ["echo", "hi"]
    definition, variables = resources["NightlyStateMachine"]["Properties"]["DefinitionString"]["Fn::Sub"]
    task = json.loads(definition)["States"]["RunJob"]
    assert task["Resource"] == "arn:aws:states:::batch:submitJob.sync"
    assert task["Retry"] == [
        {"ErrorEquals": ["States.ALL"], "MaxAttempts": 3, "IntervalSeconds": 10, "BackoffRate": 2.0}
    ]
    assert variables == {
        "JobQueue": {"Ref": "NightlyJobQueue"},
        "JobDefinition": {"Ref": "NightlyJobDefinition"},
    }
    assert resources["NightlyComputeEnvironment"]["Properties"]["ComputeResources"]["Type"] == "FARGATE"
    # least privilege: the job's own queue and definition; "*" only where AWS Batch allows nothing else
    (policy,) = resources["NightlyStateMachineRole"]["Properties"]["Policies"]
    jobs = {"Fn::Sub": "arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job/*"}
    statements = policy["PolicyDocument"]["Statement"]
    assert [(s["Action"], s["Resource"]) for s in statements] == [
        ("batch:SubmitJob", [{"Ref": "NightlyJobQueue"}, {"Ref": "NightlyJobDefinition"}, jobs]),
        ("batch:TerminateJob", jobs),
        ("batch:DescribeJobs", "*"),
        (
            ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
            {
                "Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/"
                "StepFunctionsGetEventsForBatchJobsRule"
            },
        ),
    ]
    bad = write(tmp_path / "bad", {"stackwright.yml": config.replace("cpu: 1,", "cpu: 0.75,")})
    result = cli("synth", cwd=bad)
    assert result.code == 2 and "EC2 instances take whole vCPUs" in result.err


CONTEXT_CONFIG = """\
serviceName: ctx
resources:
  app:
    type: worker-service
    properties:
      packaging: {type: custom-dockerfile, properties: {buildContextPath: app}}
      resources: {cpu: 0.25, memory: 512}
"""
CONTEXT_FILES = {
    "stackwright.yml": CONTEXT_CONFIG,
    "app/Dockerfile": "FROM stackwright-test-base:latest\nCOPY . /ctx/\n",
    "app/.dockerignore": "Dockerfile\n*.log\nnotes/\n",
    "app/index.txt": "hello\n",
    "app/dist/app.js": "console.log(1)\n",
    "app/build/out.txt": "built\n",
    "app/node_modules/left/index.js": "module.exports = 1\n",
    "app/sub/page.log": "kept: *.log matches only the top folder\n",
    "app/top.log": "ignored\n",
    "app/notes/todo.md": "ignored\n",
}


def _packaged(cli: Callable[..., Result], root: Path) -> tuple[str, str]:
    result = cli("--output", "json", "package", cwd=root)
    assert result.code == 0, result.err
    (artifact,) = [r for r in result.json_lines() if r.get("event") == "artifact"]
    return str(artifact["digest"]), str(artifact["status"])


@pytest.mark.docker
def test_the_image_digest_covers_exactly_the_context_docker_sends(
    cli: Callable[..., Result], tmp_path: Path, docker_daemon: str
) -> None:
    """The files the digest hashes are the files that land in the image (`COPY . /ctx/`), and a change
    to any of them, the ignored-but-always-sent Dockerfile included, is a new digest and a new build."""
    import io
    import os
    import tarfile

    from stackwright import docker_client

    root = write(tmp_path, CONTEXT_FILES)
    os.symlink("index.txt", root / "app" / "link.txt")  # Docker sends links as links, not followed
    os.symlink("dist", root / "app" / "linked")
    digest, status = _packaged(cli, root)
    assert status in ("built", "cached")  # cached: the daemon kept the image of an earlier run
    container = docker_client().containers.create(f"stackwright/ctx-dev-app-default:{digest[:40]}", ["true"])
    try:
        with tarfile.open(fileobj=io.BytesIO(b"".join(container.export()))) as exported:
            in_image = {
                m.name.removeprefix("ctx/")
                for m in exported.getmembers()
                if m.name.startswith("ctx/") and (m.isfile() or m.issym())
            }
    finally:
        container.remove()
    from stackwright.builtin_plugins.containers.image_build import context_files

    hashed = {name for name, _ in context_files(root / "app", root / "app" / "Dockerfile")}
    # the Dockerfile is always sent (it makes the image) though `COPY .` leaves it out when ignored
    assert "Dockerfile" in hashed and in_image == hashed - {"Dockerfile"}
    assert {"dist/app.js", "build/out.txt", "node_modules/left/index.js", "sub/page.log"} <= in_image
    assert {"link.txt", "linked"} <= in_image and "linked/app.js" not in in_image
    assert not {"top.log", "notes/todo.md"} & in_image
    for edit in (
        "app/Dockerfile",
        "app/dist/app.js",
        "app/build/out.txt",
        "app/sub/page.log",
        "app/node_modules/left/index.js",
    ):
        before = _packaged(cli, root)[0]
        path = root / edit
        path.write_text(path.read_text() + ("# edited\n" if edit.endswith("Dockerfile") else "edited\n"))
        assert _packaged(cli, root)[0] != before, edit
    before = _packaged(cli, root)[0]
    (root / "app" / "link.txt").unlink()
    os.symlink("sub/page.log", root / "app" / "link.txt")
    assert _packaged(cli, root)[0] != before  # a link counts by where it points
    before = _packaged(cli, root)[0]
    write(root, {"app/top.log": "still ignored\n", "app/notes/todo.md": "still ignored\n"})
    assert _packaged(cli, root) == (before, "cached")
