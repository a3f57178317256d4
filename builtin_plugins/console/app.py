"""The console's web application (Flask, jinja2 templates): read-only, on 127.0.0.1, behind a token.

Every request must carry the token: as `?token=` (the link the command prints; it also sets a cookie
for the pages that follow) or the cookie. Only GET and HEAD are routed, the Host header must name this
machine (so another site cannot reach the console through DNS rebinding), and every page is sent with a
content security policy that allows only the console's own script and style.
"""

from __future__ import annotations

import dataclasses
import hmac
import re
from pathlib import Path
from typing import Any

from stackwright import ConsolePage, PanelContent, PanelLink, StackwrightError

from .data import Console, NotListed

#: The cookie that keeps the token, one per port: two consoles side by side do not sign each other out.
COOKIE = "stackwright_console_{port}"
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
HERE = Path(__file__).resolve().parent
#: Links a panel may give: a path of this console (not `//host`), or an https URL.
SAFE_HREF = re.compile(r"^(/(?![/\\])|https://)")


def create_app(console: Console, token: str, port: int) -> Any:
    """The Flask application serving `console`'s pages on `port` to holders of `token`."""
    from flask import Flask, abort, redirect, render_template, request

    app = Flask(
        "stackwright.console",
        template_folder=str(HERE / "templates"),
        static_folder=str(HERE / "static"),
        static_url_path="/static",
    )
    from .panels import when

    app.jinja_env.autoescape = True  # every template, whatever its file name: nothing shown is trusted

    app.jinja_env.globals.update(
        is_link=lambda cell: isinstance(cell, PanelLink) and bool(SAFE_HREF.match(cell.href)),
        cell_text=lambda cell: cell.text if isinstance(cell, PanelLink) else cell,
        project=console.project,
        all_panels=lambda page: [(panel, None) for panel in _panels(page)],
    )
    app.jinja_env.filters.update(status_class=status_class, when=when)

    app.url_map.strict_slashes = False  # /stacks/NAME/ is /stacks/NAME

    @app.before_request
    def guard() -> Any:
        if request.method not in ("GET", "HEAD"):
            abort(405)
        host = (request.host or "").rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost"):
            abort(403, "this console answers only on 127.0.0.1")
        cookie = COOKIE.format(port=port)
        given = request.args.get("token") or request.cookies.get(cookie) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            abort(403, "open the console with the link `stackwright console` printed: it carries the token")
        if request.args.get("token"):  # keep it in a cookie, and out of the address bar and history
            from urllib.parse import urlencode

            query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "token"])
            response = redirect(request.path + (f"?{query}" if query else ""))
            response.set_cookie(cookie, token, httponly=True, samesite="Strict", path="/")
            return response
        return None

    @app.after_request
    def headers(response: Any) -> Any:
        response.headers.update(HEADERS)
        return response

    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(405)
    def refused(error: Any) -> Any:
        return render_template("error.html.j2", title=error.name, message=error.description), error.code

    @app.errorhandler(StackwrightError)
    def failed(error: StackwrightError) -> Any:
        message = str(error) + (f" ({error.hint})" if getattr(error, "hint", None) else "")
        if "lost the connection" in str(error):
            message += (
                ". The console keeps the connection it started with: if the target now answers elsewhere "
                "(a restarted local engine), start the console again."
            )
        return render_template("error.html.j2", title="Cannot read", message=message), 502

    @app.errorhandler(Exception)
    def fault(error: Exception) -> Any:
        import click

        said = f"{type(error).__name__}: {error}"
        click.echo(f"console: {said}", err=True)  # one line, not a traceback per refresh
        return render_template("error.html.j2", title="Console fault", message=said), 500

    @app.get("/")
    def stacks() -> Any:
        return render_template("stacks.html.j2", rows=console.stacks(), where=console.where)

    @app.get("/stacks/<name>")
    def stack(name: str) -> Any:
        page = _page(name)
        shown = [(panel, _content(page, panel) if not panel.lazy else None) for panel in _panels(page)]
        return render_template("stack.html.j2", page=page, panels=shown, single=False)

    @app.get("/stacks/<name>/<panel_name>")
    def panel_page(name: str, panel_name: str) -> Any:
        page = _page(name)
        panel = _panel(page, panel_name)
        return render_template(
            "stack.html.j2", page=page, panels=[(panel, _content(page, panel))], single=True
        )

    @app.get("/stacks/<name>/<panel_name>/fragment")
    def fragment(name: str, panel_name: str) -> Any:
        page = _page(name)
        panel = _panel(page, panel_name)
        return render_template("panel.html.j2", panel=panel, content=_content(page, panel))

    def _page(name: str) -> ConsolePage:
        try:
            console.row(name)
        except NotListed as error:  # a read that failed is a 502 (the `failed` handler), not a 404
            abort(404, str(error))
        page = console.page(name)
        query = {k: v for k, v in request.args.items() if k != "token"}
        return dataclasses.replace(page, query=query, memo={}, cli_state=console.cli_state(name))

    def _panels(page: ConsolePage) -> list[Any]:
        return [panel for panel, _ in console.panels if _applies(page, panel)]

    def _panel(page: ConsolePage, name: str) -> Any:
        found = next((p for p in _panels(page) if p.name == name), None)
        if found is None:
            abort(404, f"stack {page.ctx.stack_name} has no panel {name!r}")
        return found

    return app


def status_class(status: object) -> str:
    """`ok`, `busy` or `bad`, for a CloudFormation status's colour ("" for anything else)."""
    text = str(status or "")
    if "FAILED" in text or "ROLLBACK" in text:
        return "bad"
    if text.endswith("IN_PROGRESS"):
        return "busy"
    return "ok" if text.endswith("COMPLETE") else ""


def _applies(page: ConsolePage, panel: Any) -> bool:
    try:
        return bool(panel.applies(page))
    except Exception as error:  # a plugin's fault must not take the page down: the panel says it
        page.memo[f"applies:{panel.name}"] = f"{type(error).__name__}: {error}"
        return True


def _content(page: ConsolePage, panel: Any) -> PanelContent:
    """What `panel` shows; a failure is shown in its place (a user error as said, a plugin's fault as
    its exception), so the rest of the page still shows. Cells are made text unless they are links."""
    from stackwright import ConfigError

    failed = page.memo.get(f"applies:{panel.name}")
    if failed:
        return PanelContent(text=f"panel {panel.name!r} failed: {failed}")
    try:
        content = panel.render(page)
    except ConfigError as error:
        lines = [
            f"{p.position}: " * bool(p.position) + f"{p.path or '(root)'}: {p.message}"
            for p in error.problems
        ]
        return PanelContent(text=f"cannot show {panel.title.lower()}: {error}", code="\n".join(lines))
    except StackwrightError as error:
        hint = f" ({error.hint})" if error.hint else ""
        return PanelContent(text=f"cannot show {panel.title.lower()}: {error}{hint}")
    except Exception as error:
        return PanelContent(text=f"panel {panel.name!r} failed: {type(error).__name__}: {error}")
    if not isinstance(content, PanelContent):
        return PanelContent(text=f"panel {panel.name!r} returned {type(content).__name__}, not PanelContent")
    try:
        columns = [str(c) for c in content.columns]
        rows = [[c if isinstance(c, PanelLink) else str(c) for c in row] for row in content.rows]
    except TypeError as error:
        return PanelContent(text=f"panel {panel.name!r} returned rows that are not lists of cells: {error}")
    return dataclasses.replace(
        content,
        columns=columns,
        rows=rows,
        text=str(content.text),
        code=str(content.code),
        html=str(content.html),
    )
