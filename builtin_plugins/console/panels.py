"""The console's own panels, registered through `stackwright_console_panels` like any plugin's:
overview, resources, events, template, config, versions, drift and the pending diff."""

from __future__ import annotations

import re

from markupsafe import Markup
from stackwright import (
    ConsolePage,
    ConsolePanel,
    PanelContent,
    PanelLink,
    StackwrightError,
    compiled_stack,
    panel_time,
    pending_diffs,
    plural,
    property_diff,
    versions,
)

from .highlight import config_html, template_html

when = panel_time


def _iso(value: object) -> str:
    """An ISO timestamp (as the hot-swap record keeps it) shown like the others."""
    from datetime import datetime

    try:
        return when(datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def size(number: int | None) -> str:
    """Bytes in words: `1.3 MB`, `812 B`; "" when unknown."""
    if number is None:
        return ""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if number >= scale:
            return f"{number / scale:.1f} {unit}"
    return f"{number} B"


class Overview(ConsolePanel):
    name = "overview"
    title = "Overview"
    order = 100
    refresh = 5.0

    def render(self, page: ConsolePage) -> PanelContent:
        view, state = page.view, page.view.state
        live = view.kept_versions[-1] if view.kept_versions else None
        rows: list[list[str | PanelLink]] = [
            ["status", state.status or "not deployed"],
            ["version", versions.version_name(live) if live else "none yet (only the bootstrap resources)"],
            ["last change", when(view.updated_at)],
            ["resources", str(len(view.resources))],
        ]
        if state.reason:
            rows.append(["reason", state.reason])
        hidden = _noecho_outputs(page)
        for key, value in sorted(state.outputs.items()):
            shown = property_diff.MASK if property_diff.looks_secret(key) or key in hidden else value
            rows.append([f"output {key}", shown])
        for key, value in sorted(view.parameters.items()):
            secret = _noecho(page, key) or property_diff.looks_secret(key)
            rows.append([f"parameter {key}", property_diff.MASK if secret else value])
        return PanelContent(columns=["field", "value"], rows=rows)


def _noecho_outputs(page: ConsolePage) -> set[str]:
    """The outputs whose value is made from a NoEcho parameter (a `Ref` of it, or `${Name}` in a
    `Fn::Sub`): CloudFormation shows those values in plain text."""
    parameters = page.view.template.get("Parameters") or {}
    secret = {name for name in parameters if _noecho(page, name)}
    if not secret:
        return set()
    pattern = re.compile(r"\$\{(" + "|".join(map(re.escape, secret)) + r")\}")

    def uses(value: object) -> bool:
        if isinstance(value, dict):
            if value.get("Ref") in secret:
                return True
            return any(uses(v) for v in value.values())
        if isinstance(value, list):
            return any(uses(v) for v in value)
        return isinstance(value, str) and bool(pattern.search(value))

    outputs = page.view.template.get("Outputs") or {}
    return {str(k) for k, body in outputs.items() if isinstance(body, dict) and uses(body.get("Value"))}


def _noecho(page: ConsolePage, parameter: str) -> bool:
    body = (page.view.template.get("Parameters") or {}).get(parameter) or {}
    return str(body.get("NoEcho", "")).lower() == "true"


class Resources(ConsolePanel):
    name = "resources"
    title = "Resources"
    order = 200
    refresh = 5.0

    def render(self, page: ConsolePage) -> PanelContent:
        swapped = page.view.state.hotswapped
        rows: list[list[str | PanelLink]] = []
        split = any(
            r.stack for r in page.view.resources
        )  # past CloudFormation's limits: which stack holds it
        for r in page.view.resources:
            path = page.owners.get(r.logical_id)
            status = r.status + (" (hot-swapped)" if r.logical_id in swapped else "")
            rows.append(
                [
                    PanelLink(r.logical_id, page.href("template", f"r-{r.logical_id}")),
                    *([r.stack or "root"] if split else []),
                    r.resource_type,
                    r.physical_id,
                    status,
                    PanelLink(path, page.href("config", path)) if path else "stackwright",
                    PanelLink("open", page.links[r.logical_id]) if r.logical_id in page.links else "",
                ]
            )
        text = "" if page.links else "Resources link to the AWS console on the aws target."
        columns = ["logical id", *(["stack"] if split else []), "type", "physical id", "status", "config"]
        columns.append("console")
        return PanelContent(text=text, columns=columns, rows=rows, empty="no resources")


class Events(ConsolePanel):
    name = "events"
    title = "Events"
    order = 300
    refresh = 2.0

    def render(self, page: ConsolePage) -> PanelContent:
        rows: list[list[str | PanelLink]] = [
            [when(e.at), e.logical_id, e.resource_type, e.status, e.reason] for e in page.view.events
        ]
        columns = ["time (UTC)", "logical id", "type", "status", "reason"]
        return PanelContent(columns=columns, rows=rows, empty="no events")


class TemplateView(ConsolePanel):
    name = "template"
    title = "Template"
    order = 400

    def render(self, page: ConsolePage) -> PanelContent:
        template = page.view.template
        if not template:
            return PanelContent(text="The target keeps no template for this stack.")
        language = "json" if page.query.get("format") == "json" else "yaml"
        html, _ = template_html(template, page.owners, page.href("config"), language)
        live = page.view.kept_versions[-1] if page.view.kept_versions else None
        said = f"version {versions.version_name(live)}" if live else "the stack's template"
        other = "yaml" if language == "json" else "json"
        text = (
            f"{said}, {plural(len(template.get('Resources') or {}), 'resource')}, as deployed ({language})."
        )
        switch = f"{page.href('template')}?format={other}"
        head = Markup('<p class="switch"><a href="{}">show as {}</a></p>').format(switch, other.upper())
        return PanelContent(text=text, html=head + html)


class ConfigView(ConsolePanel):
    name = "config"
    title = "Config"
    order = 450

    def applies(self, page: ConsolePage) -> bool:
        path = page.ctx.config.path
        return bool(path and path.is_file())

    def render(self, page: ConsolePage) -> PanelContent:
        import yaml

        path = page.ctx.config.path
        assert path is not None
        try:
            data = yaml.safe_load(path.read_text())  # read again on every view: the file as it is now
        except (OSError, yaml.YAMLError) as error:
            raise StackwrightError(f"{path.name} cannot be read now: {str(error).splitlines()[0]}") from None
        if not isinstance(data, dict):
            raise StackwrightError(f"{path.name} is not a mapping of sections now")
        text = (
            f"{path.name} as it is on disk now, directives as written (values under secret-looking names "
            "masked)."
        )
        return PanelContent(text=text, html=config_html(data))


class Versions(ConsolePanel):
    name = "versions"
    title = "Kept versions"
    order = 500

    def render(self, page: ConsolePage) -> PanelContent:
        rows: list[list[str | PanelLink]] = []
        live = page.view.kept_versions[-1] if page.view.kept_versions else None
        for kept in reversed(page.view.versions):
            label = versions.version_name(kept.number) + (" (running)" if kept.number == live else "")
            if not kept.artifacts:
                rows.append([label, "", "", "", ""])
            for index, artifact in enumerate(kept.artifacts):
                shown = label if index == 0 else ""
                rows.append(
                    [shown, artifact.kind, artifact.location, artifact.digest[:12], size(artifact.size)]
                )
        text = "Versions kept for rollback (newest first), with the artifacts each one's template uses."
        columns = ["version", "kind", "artifact", "digest", "size"]
        return PanelContent(text=text, columns=columns, rows=rows, empty="no version kept yet")


class Drift(ConsolePanel):
    name = "drift"
    title = "Hot-swap drift"
    order = 600
    refresh = 5.0

    def render(self, page: ConsolePage) -> PanelContent:
        swapped = page.view.state.hotswapped
        if not swapped:
            return PanelContent(text="No drift: every resource runs the code CloudFormation deployed.")
        rows: list[list[str | PanelLink]] = [
            [
                logical_id,
                str(record.get("physical_id", "")),
                str(record.get("digest", ""))[:12],
                _iso(record.get("at")),
            ]
            for logical_id, record in sorted(swapped.items())
        ]
        runs = "runs" if len(swapped) == 1 else "run"
        text = (
            f"{plural(len(swapped), 'resource')} {runs} hot-swapped code that CloudFormation does not know "
            "of yet; the next full deploy records it."
        )
        return PanelContent(
            text=text, columns=["resource", "physical id", "code digest", "hot-swapped at"], rows=rows
        )


class PendingDiff(ConsolePanel):
    name = "diff"
    title = "Pending diff"
    order = 700
    lazy = True

    def applies(self, page: ConsolePage) -> bool:
        return page.cli_state is not None

    def render(self, page: ConsolePage) -> PanelContent:
        ctx = compiled_stack(page.cli_state)
        if ctx.stack_name != page.ctx.stack_name:
            raise StackwrightError(f"the local config deploys {ctx.stack_name}, not {page.ctx.stack_name}")
        diffs = pending_diffs(ctx, page.view.template or None)
        rows: list[list[str | PanelLink]] = []
        for diff in diffs:
            first = [diff.action, diff.logical_id, diff.resource_type]
            if not diff.properties:
                rows.append([*first, "", "", ""])
            for index, change in enumerate(diff.properties):
                head = first if index == 0 else ["", "", ""]
                rows.append([*head, change.path, change.before or "", change.after or ""])
        text = (
            f"What `stackwright deploy` of the local config would change: {plural(len(diffs), 'resource')}."
            if diffs
            else "No changes: the local config compiles to the template the stack runs."
        )
        columns = ["action", "resource", "type", "property", "deployed", "local"]
        return PanelContent(text=text, columns=columns if diffs else [], rows=rows)


PANELS: list[type[ConsolePanel]] = [
    Overview,
    Resources,
    Events,
    TemplateView,
    ConfigView,
    Versions,
    Drift,
    PendingDiff,
]
