"""A resource type that needs a public CloudFormation registry type (MongoDB Atlas's cluster)."""

from __future__ import annotations

from stackwright import ProviderExtension, Resource, ResourceType, StackContext, hookimpl


class CacheCluster(ResourceType):
    name = "cache-cluster"
    properties_required = False

    def compile(self, ctx: StackContext, resource: Resource) -> None:
        ctx.template.add_resource(
            ctx.logical_id(resource.name, "Topic"), "AWS::SNS::Topic", owner=resource.name
        )

    def extensions(self, ctx: StackContext, resource: Resource) -> list[ProviderExtension]:
        return [
            ProviderExtension(
                "MongoDB::Atlas::Cluster",
                publisher_id="bb989456c78c398a858fef18f2ca1bfc1fbba082",
                major_version=2,
            )
        ]


@hookimpl
def stackwright_register_resource_types() -> list[type[ResourceType]]:
    return [CacheCluster]
