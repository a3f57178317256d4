"""A plugin with a typo in its hook name; loading it must fail loudly."""

from __future__ import annotations

from stackwright import StackContext, Template, hookimpl


@hookimpl
def stackwright_finalize_templat(ctx: StackContext, template: Template) -> None:
    pass
