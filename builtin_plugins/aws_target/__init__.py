"""The `aws` target, the default: stacks in the AWS account boto3's credential chain points at (env,
profile, SSO, instance role), in `--region`, through CloudFormation."""

from __future__ import annotations

from stackwright import (
    Clients,
    CloudFormationTarget,
    Endpoint,
    StackContext,
    StackResource,
    Target,
    hookimpl,
)


class AwsTarget(CloudFormationTarget):
    name = "aws"
    summary = "your AWS account (boto3's credentials: environment, --profile, SSO, instance role)"

    def connect(self, ctx: StackContext) -> Clients:
        profile = ctx.settings.get("profile")
        return Clients(Endpoint(ctx.project.region, str(profile) if profile else None))

    def account(self, ctx: StackContext) -> str:
        return ctx.clients.account_id()

    def console_url(self, ctx: StackContext, resource: StackResource) -> str | None:
        from .links import console_url

        stack_id = (ctx.state.stack_id if ctx.state else "") or ctx.stack_name
        return console_url(
            resource.resource_type,
            resource.physical_id,
            resource.logical_id,
            ctx.project.region,
            stack_id,
            ctx.project.account or "",
        )

    def where(self, ctx: StackContext) -> str:
        profile = ctx.settings.get("profile")
        return f"AWS account {ctx.project.account}, {ctx.project.region}" + (
            f" (profile {profile})" if profile else ""
        )


@hookimpl(trylast=True)
def stackwright_register_targets() -> list[type[Target]]:
    return [AwsTarget]
