"""The console contract: panels that `stackwright console` shows on a stack's page.

A plugin registers `ConsolePanel` subclasses through `stackwright_console_panels`; each panel is a
section of the stack page and a page of its own (`/stacks/<stack>/<panel name>`). The console's own
panels (overview, resources, events, template, versions, drift, pending diff) are registered the same
way. A panel reads only what the `ConsolePage` hands it (the stack as the target reads it, through
read-only clients) and returns a `PanelContent`, which the console renders and escapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from stackwright.context import StackContext
    from stackwright.records import ExtensionStatus, StackResource, StackView


def panel_time(value: object) -> str:
    """A timestamp as the console shows it (`2026-12-02 05:13:40`, to the second, in the zone the value
    carries: UTC for what AWS returns); "" for None; any other value as text."""
    from datetime import datetime

    if not isinstance(value, datetime):
        return str(value or "")
    return value.strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class PanelLink:
    """A cell or line that links somewhere: `href` is a console path (`/stacks/...`) or an https URL
    (opened in a new tab)."""

    text: str
    href: str


#: What a table cell holds: text (escaped when shown) or a link.
PanelCell = str | PanelLink


@dataclass
class PanelContent:
    """What a panel shows, top to bottom: `text` (a paragraph), a table (`columns`, and `rows` of cells),
    `code` (preformatted text), and `html`, markup the panel made and escaped itself (with
    `markupsafe.escape`), inserted as is. Every other field is escaped by the console. `empty` is shown
    in place of the table when `columns` are given and there are no rows."""

    text: str = ""
    columns: Sequence[str] = field(default_factory=list)
    rows: Sequence[Sequence[PanelCell]] = field(default_factory=list)
    code: str = ""
    html: str = ""
    empty: str = "none"


@dataclass
class ConsolePage:
    """What a panel is given: the connected stack context (`ctx.clients` refuse every call that is not
    a read, `ctx.state` is the stack's state), the stack as the target reads it, and per resource
    (logical id) the config path of the config resource that produced it and the target's console
    link."""

    ctx: StackContext
    view: StackView
    owners: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    #: Panels may keep what they computed for the other panels of the same request here.
    memo: dict[str, Any] = field(default_factory=dict)
    #: The request's query parameters (`format=json` for the template view).
    query: dict[str, str] = field(default_factory=dict)
    #: The command line's state at this stack's stage, for `stackwright.compiled_stack` (the pending
    #: diff); None when the console was not started from a command line.
    cli_state: Any = None

    def resources_of_type(self, *types: str) -> list[StackResource]:
        """The stack's resources whose CloudFormation type is one of `types` (`AWS::ECS::Service`)."""
        return [r for r in self.view.resources if r.resource_type in types]

    def registry_types(self, *prefixes: str) -> list[str]:
        """The CloudFormation registry types (not `AWS::` or `Custom::`) the stack's template uses whose
        names start with one of `prefixes` (`MongoDB::Atlas::`), sorted."""
        types = {
            str(body.get("Type", ""))
            for body in (self.view.template.get("Resources") or {}).values()
            if isinstance(body, dict)
        }
        return sorted(
            t for t in types if t and not t.startswith(("AWS::", "Custom::")) and t.startswith(prefixes)
        )

    def extensions(self, *prefixes: str) -> list[ExtensionStatus]:
        """Whether each of `registry_types(*prefixes)` is in place in the account and region, and at
        which version, read through the target (`Target.describe_extensions`). Raises StackwrightError
        when the target cannot be read."""
        types = self.registry_types(*prefixes)
        if not types:
            return []
        with self.ctx.blame_target():
            return self.ctx.require_target().describe_extensions(self.ctx, types)

    def href(self, panel: str, anchor: str = "") -> str:
        """The console path of `panel` on this stack's page (`#anchor` appended when given)."""
        return f"/stacks/{self.ctx.stack_name}/{panel}" + (f"#{anchor}" if anchor else "")


class ConsolePanel:
    """Base class of a console panel. Subclass it, set `name` and `title`, implement `render`.

    Class attributes:
      name: the panel's id and the last part of its page's path (lowercase letters, digits, `-`).
      title: its heading.
      order: where it goes on the stack page (the console's own use 100-700; after them, 800+).
      refresh: seconds between reloads while the page is open (the events use 2), 0 for never.
      lazy: loaded after the page shows (a panel that is slow to compute, like the pending diff).
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    order: ClassVar[int] = 800
    refresh: ClassVar[float] = 0.0
    lazy: ClassVar[bool] = False

    def applies(self, page: ConsolePage) -> bool:
        """Whether the panel has something to show for `page`'s stack (a containers panel: only when
        the stack has ECS services). Raises nothing. Runs for every stack page before `render`; the
        default is True."""
        return True

    def render(self, page: ConsolePage) -> PanelContent:
        """What the panel shows for `page`'s stack. Raises `StackwrightError` to show its message in
        place of the panel (the rest of the page still shows). Runs on every request for the stack page,
        or for the panel alone when it refreshes; read only: every write through `page.ctx.clients` is
        refused."""
        raise NotImplementedError(f"{type(self).__name__} does not implement ConsolePanel.render")
