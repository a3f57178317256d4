"""Choosing among the AWS regions a third-party service offers."""

from __future__ import annotations

from collections.abc import Sequence


def nearest_region(region: str, offered: Sequence[str], default: str = "us-east-1") -> str:
    """`region` when the service offers it, else the first offered region on the same continent (its
    first name part: `eu` for `eu-south-2`), else `default`. Raises nothing."""
    if region in offered:
        return region
    continent = region.split("-")[0]
    return next((r for r in offered if r.startswith(continent + "-")), default)
