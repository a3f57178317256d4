"""Resource types of the Stacktape config language, so a config using one stackwright has no plugin
for is refused by name ("not supported by the installed plugins") rather than called a typo."""

from __future__ import annotations

STACKTAPE_TYPES: frozenset[str] = frozenset(
    {
        "multi-container-workload",
        "batch-job",
        "web-service",
        "private-service",
        "worker-service",
        "relational-database",
        "application-load-balancer",
        "network-load-balancer",
        "http-api-gateway",
        "bucket",
        "user-auth-pool",
        "event-bus",
        "bastion",
        "dynamo-db-table",
        "state-machine",
        "mongo-db-atlas-cluster",
        "redis-cluster",
        "custom-resource-instance",
        "custom-resource-definition",
        "upstash-redis",
        "deployment-script",
        "aws-cdk-construct",
        "sqs-queue",
        "sns-topic",
        "hosting-bucket",
        "web-app-firewall",
        "nextjs-web",
        "open-search-domain",
        "efs-filesystem",
        "kinesis-stream",
        "convex",
        "agentcore-runtime",
        "agentcore-memory",
        "agentcore-gateway",
        "agentcore-browser",
        "agentcore-code-interpreter",
        "function",
        "edge-lambda-function",
        "astro-web",
        "nuxt-web",
        "sveltekit-web",
        "solidstart-web",
        "tanstack-web",
        "remix-web",
    }
)

#: Stacktape types whose plugin is a separate distribution: type → the distribution to install.
PROVIDED_BY: dict[str, str] = {
    "mongo-db-atlas-cluster": "stackwright-mongodb-atlas",
    "upstash-redis": "stackwright-upstash",
}
