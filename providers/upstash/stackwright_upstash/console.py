"""The console panel of the Upstash provider: the private registry type a stack uses, the version
registered in the account, and the version this plugin would register."""

from __future__ import annotations

from stackwright import ConsolePage, ConsolePanel, PanelContent

TYPE_PREFIX = "Upstash::"


class UpstashExtensions(ConsolePanel):
    name = "upstash"
    title = "Upstash extension"
    order = 800

    def applies(self, page: ConsolePage) -> bool:
        return bool(page.registry_types(TYPE_PREFIX))

    def render(self, page: ConsolePage) -> PanelContent:
        from . import __version__, package

        shipped = f"{__version__}+{package.source_digest()}"
        rows: list[list[str]] = [
            [s.type_name, s.status, s.version, s.detail] for s in page.extensions(TYPE_PREFIX)
        ]
        text = (
            f"Registered privately from the handler this plugin ships (plugin version {shipped}); a deploy "
            "registers it again when the version recorded at the last registration differs."
        )
        return PanelContent(text=text, columns=["type", "status", "registry version", "detail"], rows=rows)
