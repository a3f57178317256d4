"""The default naming convention (Stacktape's), answering the naming hook last."""

from __future__ import annotations

from stackwright import hookimpl
from stackwright.naming import NameRequest, default_name


@hookimpl(trylast=True)
def stackwright_name(request: NameRequest) -> str:
    return default_name(request)
