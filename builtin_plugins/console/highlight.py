"""Highlighted YAML and JSON for the template and config views (pygments), with an anchor per
resource and, in YAML, a link from each resource to the config path that produced it (a YAML comment,
so the text still reads back as the same template)."""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape
from stackwright import property_diff

_RESOURCE_LINE_YAML = re.compile(r"^  ([A-Za-z0-9]+):$")
_RESOURCE_LINE_JSON = re.compile(r'^    "([A-Za-z0-9]+)": \{$')
_LINE = re.compile(r'<span id="L-(\d+)">')
_CONFIG_LINE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z0-9_.-]+)(\s*:[ \t]+)(\S.*)$")


def _highlight(text: str, language: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import JsonLexer, YamlLexer

    lexer = YamlLexer() if language == "yaml" else JsonLexer()
    return str(highlight(text, lexer, HtmlFormatter(linespans="L", cssclass="code", wrapcode=True)))


def template_html(
    template: dict[str, Any], owners: dict[str, str], config_href: str, language: str = "yaml"
) -> tuple[Markup, dict[str, int]]:
    """`template` (secret values masked) highlighted, each resource's line an anchor `r-<LogicalId>`
    and, in YAML, followed by a link to `config_href#<config path>`; and the line of each resource."""
    import yaml

    shown = property_diff.masked_template(template)
    if language == "json":
        text = json.dumps(shown, indent=2, default=str)
        pattern = _RESOURCE_LINE_JSON
    else:
        text = yaml.safe_dump(shown, sort_keys=False, width=100, allow_unicode=True, default_flow_style=False)
        pattern = _RESOURCE_LINE_YAML
    lines = text.splitlines()
    found: dict[int, str] = {}
    inside = False
    for number, line in enumerate(lines, 1):
        if language == "yaml" and not line.startswith(" "):
            inside = line == "Resources:"
        elif language == "json" and line.startswith('  "'):
            inside = line.startswith('  "Resources"')
        match = pattern.match(line) if inside else None
        if match:
            found[number] = match.group(1)
            if language == "yaml" and match.group(1) in owners:
                lines[number - 1] = f"{line}  # {owners[match.group(1)]}"
    html = _highlight("\n".join(lines) + "\n", language)

    def anchor(match: re.Match[str]) -> str:
        number = int(match.group(1))
        logical_id = found.get(number)
        return (
            f'<span id="L-{number}" class="resource" data-resource="{logical_id}">'
            if logical_id
            else match[0]
        )

    html = _LINE.sub(anchor, html)
    for number, logical_id in found.items():
        path = owners.get(logical_id)
        if path and language == "yaml":
            comment = f'<span class="c1"># {escape(path)}</span>'
            link = f'<a class="config-path" href="{escape(config_href)}#{escape(path)}">{comment}</a>'
            start = html.find(f'<span id="L-{number}"')
            end = html.find("\n", start)
            at = html.rfind(comment, start, end)
            if at != -1:
                html = html[:at] + link + html[at + len(comment) :]
    return Markup(html), {logical_id: number for number, logical_id in found.items()}


def config_html(text: str, anchors: dict[int, str]) -> Markup:
    """A config file highlighted, values under secret-looking keys masked (and a `value` beside a
    `name` that looks secret), line `n` with id `anchors[n]` where given (a config path)."""
    lines = text.splitlines()
    secret_name = False
    for index, line in enumerate(lines):
        match = _CONFIG_LINE.match(line)
        if not match:
            continue
        key, value = match.group(2), match.group(4)
        masked = property_diff.looks_secret(key) or (secret_name and key in ("value", "Value"))
        if masked and not value.startswith(("$Secret", "$CfOutput", "$ResourceParam", "{{resolve:")):
            lines[index] = f"{match.group(1)}{key}{match.group(3)}{property_diff.MASK}"
        secret_name = key in ("name", "Name", "key", "Key") and property_diff.looks_secret(value.strip("'\""))
    html = _highlight("\n".join(lines) + "\n", "yaml")

    def anchor(match: re.Match[str]) -> str:
        number = int(match.group(1))
        path = anchors.get(number)
        return (
            f'<span id="L-{number}"><span id="{escape(path)}" class="config-anchor"></span>'
            if path
            else match[0]
        )

    return Markup(_LINE.sub(anchor, html))
