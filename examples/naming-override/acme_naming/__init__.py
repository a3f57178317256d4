"""A naming plugin: every physical name gets the company prefix `acme-`, and stacks are named
`acme-{project}-{stage}`. It wraps whatever plugin produced the name, so it composes with any other
naming plugin, and it keeps each service's length limit."""

from __future__ import annotations

from collections.abc import Generator

from stackwright import LIMITS, NameRequest, fit, hookimpl

PREFIX = "acme-"


@hookimpl(wrapper=True)
def stackwright_name(request: NameRequest) -> Generator[None, str, str]:
    name = yield
    if request.kind == "logical_id" or name.startswith(PREFIX):
        return name
    limit = LIMITS.get(request.service, LIMITS["generic"])[0] if request.kind == "physical" else 128
    return fit(PREFIX + name, limit)
