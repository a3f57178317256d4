"""A plugin with a bug: it raises KeyError while finishing the template."""

from __future__ import annotations

from stackwright import StackContext, Template, hookimpl


@hookimpl(tryfirst=True)
def stackwright_finalize_template(ctx: StackContext, template: Template) -> None:
    _lookup(template.metadata)


def _lookup(metadata: dict[str, object]) -> object:
    return metadata["doesNotExist"]
