"""`upstash-redis`: a serverless Redis database by Upstash, made through the private CloudFormation type
`Upstash::DatabasesV1::Database`, whose handler this plugin ships and registers.

The Upstash API key never enters the template: the extensions phase keeps `providerConfig.upstash` in
the secret `stackwright/upstash/<stack>`, and the database's `ApiCredentials` are dynamic references to
it, resolved by CloudFormation. A workload that `connectTo`s the database gets Stacktape's variables.
"""

from __future__ import annotations

import re
from typing import Any

from stackwright import (
    Connection,
    ProviderExtension,
    ProviderSecret,
    Resource,
    ResourceType,
    StackContext,
    fit,
    get_att,
    nearest_region,
)

from . import package
from .schema import REDIS_PROPERTIES

#: Upstash's primary regions on AWS (its developer API's `primary_region` values); a stack elsewhere
#: gets the first one on its continent, else us-east-1.
REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "sa-east-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-southeast-1",
)


def credentials_secret(ctx: StackContext) -> ProviderSecret:
    settings = dict((ctx.config.data.get("providerConfig") or {}).get("upstash") or {})
    return ProviderSecret(
        f"stackwright/upstash/{ctx.stack_name}",
        (("ApiKey", str(settings.get("apiKey", ""))), ("Email", str(settings.get("accountEmail", "")))),
    )


class UpstashRedis(ResourceType):
    name = "upstash-redis"
    summary = "A serverless Redis database by Upstash, through a registry type this plugin registers."
    schema = REDIS_PROPERTIES
    properties_required = False

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        settings = (ctx.config.data.get("providerConfig") or {}).get("upstash")
        if not settings:
            ctx.fail(
                ("resources", resource.name, "type"),
                "an upstash-redis needs providerConfig.upstash with the Upstash account: accountEmail "
                "and apiKey",
                hint="add providerConfig: {upstash: {accountEmail: ..., apiKey: $Secret('upstash.apiKey')}}",
            )
        if not str(settings.get("apiKey", "")).startswith("{{resolve:"):
            ctx.report.warn(
                "providerConfig.upstash.apiKey is not a $Secret: it is kept in a Secrets Manager secret, "
                "never in the template, but it is read from the config (or its arguments) as plain text; "
                "store it as a secret and write $Secret('name')"
            )
        secret = credentials_secret(ctx)
        name = fit(re.sub(r"[^A-Za-z0-9_-]+", "-", ctx.physical_name(resource.name, "generic")), 64)
        ctx.template.add_resource(
            ctx.logical_id(resource.name, "Database"),
            package.TYPE_NAME,
            {
                "DatabaseName": name,
                "PrimaryRegion": nearest_region(ctx.project.region, REGIONS),
                "EvictionEnabled": bool(resource.properties.get("enableEviction", False)),
                "ApiCredentials": {
                    "Email": secret.key_reference("Email"),
                    "ApiKey": secret.key_reference("ApiKey"),
                },
            },
            owner=resource.name,
        )

    def params(self, ctx: StackContext, resource: Resource) -> dict[str, Any]:
        database = ctx.logical_id(resource.name, "Database")
        host, port, password = (get_att(database, a) for a in ("Endpoint", "Port", "Password"))
        return {
            "host": host,
            "port": port,
            "password": password,
            "restToken": get_att(database, "RestToken"),
            "readOnlyRestToken": get_att(database, "ReadOnlyRestToken"),
            "restUrl": {"Fn::Join": ["", ["https://", host]]},
            "redisUrl": {"Fn::Join": ["", ["rediss://:", password, "@", host, ":", port]]},
        }

    def connections(self, ctx: StackContext, resource: Resource, source: Resource) -> Connection:
        params = self.params(ctx, resource)
        names = {
            "HOST": "host",
            "PORT": "port",
            "PASSWORD": "password",
            "REST_TOKEN": "restToken",
            "REST_URL": "restUrl",
            "REDIS_URL": "redisUrl",
        }
        return Connection(resource, environment={var: params[key] for var, key in names.items()})

    def extensions(self, ctx: StackContext, resource: Resource) -> list[ProviderExtension]:
        from . import __version__

        return [
            ProviderExtension(
                package.TYPE_NAME,
                "register",
                version=f"{__version__}+{package.source_digest()}",
                package_builder=package.build,
                secrets=(credentials_secret(ctx),),
            )
        ]
