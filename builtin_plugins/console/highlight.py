"""Highlighted YAML and JSON for the template and config views (pygments), with an anchor per
resource and, in YAML, a link from each resource to the config path that produced it (a YAML comment,
so the text still reads back as the same template)."""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape
from stackwright import property_diff

_LINE = re.compile(r'<span id="L-(\d+)">')


def key_lines(text: str, sections: tuple[str, ...]) -> dict[int, tuple[str, str]]:
    """The line (1-based) of each key directly under the top-level keys `sections` of a YAML or JSON
    document: line → (section, key)."""
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found: dict[int, tuple[str, str]] = {}
    if not isinstance(root, yaml.MappingNode):
        return found
    for key, value in root.value:
        if key.value in sections and isinstance(value, yaml.MappingNode):
            for inner, _ in value.value:
                found[inner.start_mark.line + 1] = (str(key.value), str(inner.value))
    return found


def _dump(data: object, language: str) -> str:
    import yaml

    if language == "json":
        return json.dumps(data, indent=2, default=str) + "\n"
    return str(yaml.safe_dump(data, sort_keys=False, width=100, allow_unicode=True, default_flow_style=False))


def _highlight(text: str, language: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import JsonLexer, YamlLexer

    lexer = YamlLexer() if language == "yaml" else JsonLexer()
    return str(highlight(text, lexer, HtmlFormatter(linespans="L", cssclass="code", wrapcode=True)))


def template_html(
    template: dict[str, Any], owners: dict[str, str], config_href: str, language: str = "yaml"
) -> tuple[Markup, dict[str, int]]:
    """`template` (secret values masked) highlighted, each resource's line holding an anchor
    `r-<LogicalId>` and, in YAML, followed by a link to `config_href#<config path>` (a comment, so the
    text reads back as the same template); and the line of each resource."""
    text = _dump(property_diff.masked_template(template), language)
    found = {line: key for line, (_, key) in key_lines(text, ("Resources",)).items()}
    lines = text.splitlines()
    if language == "yaml":
        for number, logical_id in found.items():
            if logical_id in owners:
                lines[number - 1] += f"  # {owners[logical_id]}"
    html = _highlight("\n".join(lines) + "\n", language)

    def anchor(match: re.Match[str]) -> str:
        logical_id = found.get(int(match.group(1)))
        if not logical_id:
            return match[0]
        return f'{match[0]}<span id="r-{escape(logical_id)}" class="resource-anchor"></span>'

    html = _LINE.sub(anchor, html)
    for number, logical_id in found.items():
        path = owners.get(logical_id)
        if path and language == "yaml":
            comment = f'<span class="c1"># {escape(path)}</span>'
            link = f'<a class="config-path" href="{escape(config_href)}#{escape(path)}">{comment}</a>'
            start = html.find(f'<span id="L-{number}">')
            end = html.find("\n", start)
            at = html.rfind(comment, start, end)
            if at != -1:
                html = html[:at] + link + html[at + len(comment) :]
    return Markup(html), {logical_id: number for number, logical_id in found.items()}


def config_html(data: dict[str, Any]) -> Markup:
    """A config (as read, directives unresolved) shown as YAML: values under secret-looking names and
    the properties AWS marks secret in `cloudformationResources` masked; each resource's line holding an
    anchor named by its config path (`resources.api`)."""
    shown = property_diff.masked_values({k: v for k, v in data.items() if k != "cloudformationResources"})
    raw = data.get("cloudformationResources")
    if isinstance(raw, dict):
        shown["cloudformationResources"] = property_diff.masked_template({"Resources": raw})["Resources"]
    text = _dump(shown, "yaml")
    anchors = {
        line: f"{section}.{key}"
        for line, (section, key) in key_lines(text, ("resources", "cloudformationResources")).items()
    }
    html = _highlight(text, "yaml")

    def anchor(match: re.Match[str]) -> str:
        path = anchors.get(int(match.group(1)))
        return f'{match[0]}<span id="{escape(path)}" class="config-anchor"></span>' if path else match[0]

    return Markup(_LINE.sub(anchor, html))
