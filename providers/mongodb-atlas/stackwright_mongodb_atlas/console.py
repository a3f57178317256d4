"""The console panel of the MongoDB Atlas provider: the public registry types a stack uses and the
version of each activated in the account."""

from __future__ import annotations

from stackwright import ConsolePage, ConsolePanel, PanelContent

TYPE_PREFIX = "MongoDB::Atlas::"


class AtlasExtensions(ConsolePanel):
    name = "mongodb-atlas"
    title = "MongoDB Atlas extensions"
    order = 800

    def applies(self, page: ConsolePage) -> bool:
        return bool(page.registry_types(TYPE_PREFIX))

    def render(self, page: ConsolePage) -> PanelContent:
        from .cluster import PUBLISHER_ID

        rows: list[list[str]] = [
            [s.type_name, s.status, s.version, s.detail] for s in page.extensions(TYPE_PREFIX)
        ]
        text = (
            "MongoDB's public third-party types, activated at major version 2 with minor versions updated "
            f"automatically (publisher {PUBLISHER_ID})."
        )
        return PanelContent(text=text, columns=["type", "status", "registry version", "detail"], rows=rows)
