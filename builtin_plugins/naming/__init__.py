"""The default naming convention (Stacktape's), answering the naming hook last."""

from __future__ import annotations

from stackwright import NameRequest, default_name, hookimpl


@hookimpl(trylast=True)
def stackwright_name(request: NameRequest) -> str:
    return default_name(request)
