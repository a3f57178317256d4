"""Generate docs/reference/resource-types.md: every Stacktape resource type and whether stackwright
supports it (deployable, checked against the schema only, or not known): `python docs/typesref.py`.

Run with `STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD=1` (as `make reference` does): the page describes the
built-in plugins, not whatever else the environment has installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "reference" / "resource-types.md"
#: The provider plugins of this repository, one folder each (`providers/mongodb-atlas`).
PROVIDERS = Path(__file__).resolve().parent.parent / "providers"

HEADER = """# Stacktape resource types

Generated from `stackwright.config.known_types.STACKTAPE_TYPES` and the resource types the built-in
plugins register, by `python docs/typesref.py`; a test fails when it is out of date.

- **deployable**: compiled into CloudFormation and deployed; its properties are in
  [Resource type properties](config.md).
- **checked only**: the config is checked against the type's schema (every mistake is reported), then
  refused by name: `resource type ... is not supported by the installed plugins yet`.
- **not known**: refused by name (`... is not supported by the installed plugins`), without checking
  its properties; an installed plugin that registers the type makes it work.

An installed plugin may add any of these, or replace a built-in one (see
[Write a resource type](../how-to/write-a-resource-type.md)); `stackwright plugins` lists what your
installation has.
"""

#: What each Stacktape type is, for the types no loaded plugin describes (a deployable type's own
#: `summary` is used instead).
WHAT = {
    "agentcore-browser": "A managed headless browser for AI agents (Bedrock AgentCore).",
    "agentcore-code-interpreter": "A sandbox where AI agents run code (Bedrock AgentCore).",
    "agentcore-gateway": "APIs and functions offered to AI agents as tools (Bedrock AgentCore).",
    "agentcore-memory": "Short- and long-term memory for AI agents (Bedrock AgentCore).",
    "agentcore-runtime": "A hosted runtime for an AI agent's container (Bedrock AgentCore).",
    "application-load-balancer": "An HTTP/HTTPS load balancer in front of services and functions.",
    "astro-web": "An Astro site: server-side rendering on Lambda, static assets on S3 behind CloudFront.",
    "aws-cdk-construct": "An AWS CDK construct, synthesized into the stack.",
    "bastion": "A small EC2 host for SSH sessions and tunnels into the stack's VPC.",
    "batch-job": "A container job on AWS Batch.",
    "bucket": "An S3 bucket, with lifecycle rules, CORS, a CDN and directory uploads.",
    "convex": "A self-hosted Convex backend.",
    "custom-resource-definition": "A Lambda-backed CloudFormation custom resource provider.",
    "custom-resource-instance": "One instance of a custom resource definition.",
    "deployment-script": "A function run once during a deploy (migrations, seeding).",
    "dynamo-db-table": "A DynamoDB table, with keys, indexes, streams and throughput scaling.",
    "edge-lambda-function": "A Lambda@Edge function run by CloudFront.",
    "efs-filesystem": "An EFS file system that containers and functions mount.",
    "event-bus": "An EventBridge event bus.",
    "function": "An AWS Lambda function.",
    "hosting-bucket": "An S3 bucket that serves a static site through CloudFront.",
    "http-api-gateway": "An API Gateway HTTP API, with CORS, custom domains and a CDN.",
    "kinesis-stream": "A Kinesis data stream.",
    "mongo-db-atlas-cluster": "A MongoDB Atlas cluster (a third-party provider).",
    "multi-container-workload": "Several containers in one ECS service.",
    "network-load-balancer": "A network (TCP/TLS) load balancer.",
    "nextjs-web": "A Next.js application on Lambda, S3 and CloudFront.",
    "nuxt-web": "A Nuxt application on Lambda, S3 and CloudFront.",
    "open-search-domain": "An OpenSearch domain.",
    "private-service": "A container service reachable only inside the VPC.",
    "redis-cluster": "An ElastiCache Redis cluster.",
    "relational-database": "An RDS or Aurora database (PostgreSQL, MySQL, MariaDB, Oracle, SQL Server).",
    "remix-web": "A Remix application on Lambda, S3 and CloudFront.",
    "sns-topic": "An SNS topic.",
    "solidstart-web": "A SolidStart application on Lambda, S3 and CloudFront.",
    "sqs-queue": "An SQS queue.",
    "state-machine": "A Step Functions state machine.",
    "sveltekit-web": "A SvelteKit application on Lambda, S3 and CloudFront.",
    "tanstack-web": "A TanStack Start application on Lambda, S3 and CloudFront.",
    "upstash-redis": "An Upstash Redis database (a third-party provider).",
    "user-auth-pool": "A Cognito user pool for sign-up and sign-in.",
    "web-app-firewall": "A WAF web ACL that load balancers, APIs and CDNs use.",
    "web-service": "A public container service.",
    "worker-service": "A container service with no ingress.",
}

STATES = {
    "deployable": "deployable",
    "provider": "deployable with its plugin",
    "schema": "checked only",
    "unknown": "not known",
}


def statuses() -> dict[str, str]:
    """Each Stacktape type (and each type of a loaded plugin) → `deployable`, `provider` (with a plugin
    of this repository's providers/), `schema` or `unknown`."""
    from stackwright.config.known_types import PROVIDED_BY, STACKTAPE_TYPES
    from stackwright.plugins import load_plugins

    registered = load_plugins(autoload=False).resource_types()
    providers = {
        n for n, dist in PROVIDED_BY.items() if (PROVIDERS / dist.removeprefix("stackwright-")).is_dir()
    }
    result = {name: "provider" if name in providers else "unknown" for name in STACKTAPE_TYPES}
    for name, (rtype, _) in registered.items():
        result[name] = "schema" if rtype.schema_only else "deployable"
    return result


def render() -> str:
    from stackwright.config.known_types import PROVIDED_BY, STACKTAPE_TYPES
    from stackwright.plugins import load_plugins

    registered = load_plugins(autoload=False).resource_types()
    found = statuses()
    counts = {state: sum(1 for s in found.values() if s == state) for state in STATES}
    lines = [
        HEADER,
        f"{len(STACKTAPE_TYPES)} Stacktape types: {counts['deployable']} deployable, "
        f"{counts['provider']} deployable with a provider plugin (`pip install` the distribution named), "
        f"{counts['schema']} checked only, {counts['unknown']} not known.",
        "",
        "| type | stackwright | plugin | what it is |",
        "| --- | --- | --- | --- |",
    ]
    for name in sorted(found, key=lambda n: (list(STATES).index(found[n]), n)):
        default = PROVIDED_BY.get(name, "") if found[name] == "provider" else ""
        rtype, plugin = registered.get(name, (None, default))
        summary = rtype.summary if rtype is not None and not rtype.schema_only else WHAT.get(name, "")
        mark = "" if name in STACKTAPE_TYPES else " (not Stacktape's)"
        lines.append(f"| `{name}`{mark} | {STATES[found[name]]} | {plugin} | {summary} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    OUT.write_text(render())
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
