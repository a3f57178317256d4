"""A third target, as a plugin would add one: it appears in `--target`."""

from __future__ import annotations

from stackwright import Clients, Endpoint, StackContext, Target, hookimpl


class Elsewhere(Target):
    name = "elsewhere"
    summary = "a target from a plugin"

    def connect(self, ctx: StackContext) -> Clients:
        return Clients(Endpoint(ctx.project.region, endpoint_url="http://127.0.0.1:9"))


@hookimpl
def stackwright_register_targets() -> list[type[Target]]:
    return [Elsewhere]
