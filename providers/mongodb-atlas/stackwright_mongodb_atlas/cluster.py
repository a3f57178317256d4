"""`mongo-db-atlas-cluster`: a MongoDB Atlas cluster, made through MongoDB's public CloudFormation
registry types (`MongoDB::Atlas::*`, major version 2).

Per stack, the first cluster also makes the Atlas project and its IP access list. The types read the
Atlas API key from the profile secret `cfn/atlas/profile/<stack>`, which the extensions phase keeps
from `providerConfig.mongoDbAtlas` (the key never enters the template). A workload that `connectTo`s a
cluster gets a database user bound to its IAM role (AWS IAM authentication, no password) and
`STP_<NAME>_CONNECTION_STRING`, the cluster's `mongodb+srv://` address.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from stackwright import (
    CannotConnect,
    ConfigError,
    Connection,
    ProviderExtension,
    ProviderSecret,
    Resource,
    ResourceType,
    StackContext,
    fit,
    get_att,
)

from .schema import CLUSTER_PROPERTIES, SHARED_TIERS
from .tiers import atlas_region, dedicated, flex_region, tier_problems

#: MongoDB's publisher id in the CloudFormation public registry (its activation examples, README).
PUBLISHER_ID = "bb989456c78c398a858fef18f2ca1bfc1fbba082"
#: The major version of MongoDB's types this plugin's templates are written for.
MAJOR_VERSION = 2
TYPES = (
    "MongoDB::Atlas::Project",
    "MongoDB::Atlas::ProjectIpAccessList",
    "MongoDB::Atlas::Cluster",
    "MongoDB::Atlas::DatabaseUser",
)
#: Logical ids of what the stack's clusters share.
PROJECT_ID = "MongoDbAtlasProject"
ACCESS_LIST_ID = "MongoDbAtlasProjectIpAccessList"
#: What the types' handlers need (their schemas' `handlers` permissions): reading the profile secret.
HANDLER_STATEMENTS = (
    {
        "Effect": "Allow",
        "Action": ["secretsmanager:GetSecretValue"],
        "Resource": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:"
        "cfn/atlas/profile/*",
    },
)
CONNECTION_STRING = "ConnectionStrings.StandardSrv"


def provider_settings(ctx: StackContext) -> dict[str, Any]:
    return dict((ctx.config.data.get("providerConfig") or {}).get("mongoDbAtlas") or {})


def profile_name(ctx: StackContext) -> str:
    """The Atlas profile of the stack: the types read `cfn/atlas/profile/<profile>`."""
    return ctx.stack_name


def profile_secret(ctx: StackContext) -> ProviderSecret:
    settings = provider_settings(ctx)
    return ProviderSecret(
        f"cfn/atlas/profile/{profile_name(ctx)}",
        (
            ("PrivateKey", str(settings.get("privateKey", ""))),
            ("PublicKey", str(settings.get("publicKey", ""))),
        ),
    )


def cluster_name(ctx: StackContext, resource: Resource) -> str:
    """The cluster's name in Atlas: letters, digits and hyphens, at most 64 characters."""
    return fit(re.sub(r"[^A-Za-z0-9-]+", "-", ctx.physical_name(resource.name, "generic")), 64)


def _is_reference(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("{{resolve:")


class MongoDbAtlasCluster(ResourceType):
    name = "mongo-db-atlas-cluster"
    summary = "A MongoDB Atlas cluster, through MongoDB's CloudFormation registry types."
    schema = CLUSTER_PROPERTIES

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        self._check_provider(ctx, resource)
        props = resource.properties
        tier = str(props["clusterTier"])
        shared = tier in SHARED_TIERS
        problems = tier_problems(ctx, resource, shared)
        if problems:
            raise ConfigError(problems, ctx.source)
        if PROJECT_ID not in ctx.template.resources:
            self._project(ctx, resource)
        properties: dict[str, Any] = {
            "Profile": profile_name(ctx),
            "ProjectId": get_att(PROJECT_ID, "Id"),
            "Name": cluster_name(ctx, resource),
            "ClusterType": "SHARDED" if int(props.get("numShards") or 1) > 1 else "REPLICASET",
        }
        if shared:
            region = {
                "ProviderName": "FLEX",
                "BackingProviderName": "AWS",
                "RegionName": atlas_region(flex_region(ctx.project.region)),
                "Priority": 7,
            }
            properties["ReplicationSpecs"] = [{"AdvancedRegionConfigs": [region]}]
        else:
            properties.update(dedicated(ctx, props, tier))
        ctx.template.add_resource(
            ctx.logical_id(resource.name, "AtlasCluster"),
            "MongoDB::Atlas::Cluster",
            properties,
            owner=resource.name,
            DependsOn=[ACCESS_LIST_ID],
        )
        admin = props.get("adminUserCredentials")
        if admin:
            self._admin(ctx, resource, admin)

    def _check_provider(self, ctx: StackContext, resource: Resource) -> None:
        settings = provider_settings(ctx)
        missing = [k for k in ("publicKey", "privateKey", "organizationId") if not settings.get(k)]
        if missing:
            ctx.fail(
                ("resources", resource.name, "type"),
                "a mongo-db-atlas-cluster needs providerConfig.mongoDbAtlas with the Atlas API key and "
                f"organization: {', '.join(missing)} missing",
                hint="add providerConfig: {mongoDbAtlas: {publicKey: ..., privateKey: $Secret('atlas."
                "privateKey'), organizationId: ...}} (an organization API key, Organization Project "
                "Creator role)",
            )
        if not _is_reference(settings.get("privateKey")):
            ctx.report.warn(
                "providerConfig.mongoDbAtlas.privateKey is not a $Secret: it is kept in a Secrets Manager "
                "secret, never in the template, but it is read from the config (or its arguments) as "
                "plain text; store it as a secret and write $Secret('name')"
            )
        mode = (settings.get("accessibility") or {}).get("accessibilityMode", "internet")
        if mode in ("vpc", "scoping-workloads-in-vpc"):
            ctx.fail(
                ("providerConfig", "mongoDbAtlas", "accessibility", "accessibilityMode"),
                f"accessibilityMode {mode!r} needs VPC peering with Atlas, which stackwright-mongodb-atlas "
                "does not make yet",
                hint="use `internet` (every connection is still authenticated) or `whitelisted-ips-only`",
            )

    def _project(self, ctx: StackContext, resource: Resource) -> None:
        settings = provider_settings(ctx)
        ctx.template.add_resource(
            PROJECT_ID,
            "MongoDB::Atlas::Project",
            {
                "Name": fit(ctx.stack_name, 64),
                "OrgId": settings["organizationId"],
                "Profile": profile_name(ctx),
            },
            owner=resource.name,
        )
        accessibility = settings.get("accessibility") or {}
        mode = accessibility.get("accessibilityMode", "internet")
        entries = (
            [{"CIDRBlock": "0.0.0.0/0", "Comment": "accessibilityMode internet"}]
            if mode == "internet"
            else []
        )
        at = ("providerConfig", "mongoDbAtlas", "accessibility", "whitelistedIps")
        problems = []
        for index, address in enumerate(accessibility.get("whitelistedIps") or []):
            try:
                block = str(ipaddress.ip_network(str(address), strict=False))
            except ValueError:
                problems.append(ctx.problem((*at, index), f"{address!r} is not an IP address or CIDR block"))
                continue
            entries.append({"CIDRBlock": block, "Comment": "whitelistedIps"})
        if problems:
            raise ConfigError(problems, ctx.source)
        if mode == "whitelisted-ips-only":
            ctx.report.warn(
                "accessibilityMode whitelisted-ips-only admits only whitelistedIps"
                + ("" if entries else ", and there are none: nothing can reach the clusters")
                + "; functions and containers have no fixed address, so connectTo from them needs `internet`"
            )
        ctx.template.add_resource(
            ACCESS_LIST_ID,
            "MongoDB::Atlas::ProjectIpAccessList",
            {"ProjectId": get_att(PROJECT_ID, "Id"), "Profile": profile_name(ctx), "AccessList": entries},
            owner=resource.name,
        )

    def _admin(self, ctx: StackContext, resource: Resource, admin: dict[str, Any]) -> None:
        if not _is_reference(admin.get("password")):
            ctx.fail(
                ("resources", resource.name, "properties", "adminUserCredentials", "password"),
                "the administrator's password is in plain text: it would be stored in the template",
                hint="store it as a secret and write $Secret('name')",
            )
        for lid, body in ctx.template.resources.items():
            if (
                body["Type"] == "MongoDB::Atlas::DatabaseUser"
                and body["Properties"]["Username"] == admin["userName"]
            ):
                ctx.fail(
                    ("resources", resource.name, "properties", "adminUserCredentials", "userName"),
                    f"administrator {admin['userName']!r} is already made for "
                    f"`{ctx.template.owners.get(lid)}`: database users belong to the stack's Atlas "
                    "project, so each needs its own name",
                )
        ctx.template.add_resource(
            ctx.logical_id(resource.name, "AtlasAdminUser"),
            "MongoDB::Atlas::DatabaseUser",
            {
                "Profile": profile_name(ctx),
                "ProjectId": get_att(PROJECT_ID, "Id"),
                "DatabaseName": "admin",
                "Username": admin["userName"],
                "Password": admin["password"],
                "Roles": [
                    {"RoleName": "atlasAdmin", "DatabaseName": "admin"},
                    {"RoleName": "readWriteAnyDatabase", "DatabaseName": "admin"},
                ],
                "Scopes": [{"Type": "CLUSTER", "Name": cluster_name(ctx, resource)}],
            },
            owner=resource.name,
            DependsOn=[ctx.logical_id(resource.name, "AtlasCluster")],
        )

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        return {
            "connectionString": get_att(ctx.logical_id(resource.name, "AtlasCluster"), CONNECTION_STRING),
            "clusterName": cluster_name(ctx, resource),
            "projectId": get_att(PROJECT_ID, "Id"),
        }

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        role = ctx.params_of(source).get("roleArn")
        if role is None:
            raise CannotConnect(
                f"`{source.name}` has no IAM role of its own, which the cluster's database user is bound to"
            )
        user_id = ctx.logical_id(source.name, "AtlasUser")
        cluster_id = ctx.logical_id(resource.name, "AtlasCluster")
        scope = {"Type": "CLUSTER", "Name": cluster_name(ctx, resource)}
        user = ctx.template.resources.get(user_id)
        if user is None:
            ctx.template.add_resource(
                user_id,
                "MongoDB::Atlas::DatabaseUser",
                {
                    "Profile": profile_name(ctx),
                    "ProjectId": get_att(PROJECT_ID, "Id"),
                    "AWSIAMType": "ROLE",
                    "Username": role,
                    "DatabaseName": "$external",
                    "Roles": [{"RoleName": "readWriteAnyDatabase", "DatabaseName": "admin"}],
                    "Scopes": [scope],
                },
                owner=resource.name,
                DependsOn=[cluster_id],
            )
        else:  # the workload connects to several clusters: one user, scoped to each
            user["Properties"]["Scopes"].append(scope)
            user["DependsOn"].append(cluster_id)
        return Connection(
            resource, environment={"CONNECTION_STRING": self.params(ctx, resource)["connectionString"]}
        )

    def extensions(self, ctx: StackContext, resource: Resource) -> list[ProviderExtension]:
        secret = profile_secret(ctx)
        return [
            ProviderExtension(
                type_name,
                "activate",
                publisher_id=PUBLISHER_ID,
                major_version=MAJOR_VERSION,
                execution_role_statements=HANDLER_STATEMENTS,
                secrets=(secret,),
            )
            for type_name in TYPES
        ]
