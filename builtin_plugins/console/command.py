"""`stackwright console [--port N] [--no-browser]`."""

from __future__ import annotations

from typing import Any

import click


@click.command("console")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1 (0: a free one).",
)
@click.option("--no-browser", is_flag=True, help="Print the link without opening a browser.")
@click.pass_obj
def console(cli_state: Any, port: int, no_browser: bool) -> None:
    """Serve a read-only web console of the project's stacks on 127.0.0.1: status, outputs, resources,
    events, the deployed template, kept versions, hot-swap drift and the pending diff. The link it prints
    carries an access token; Ctrl-C stops it."""
    import secrets

    from stackwright import StackwrightError

    from .app import create_app
    from .data import Console

    token = secrets.token_urlsafe(24)
    import logging
    import socket

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request on the terminal
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listening.bind(("127.0.0.1", port))
        listening.listen(64)
    except OSError as error:
        listening.close()
        raise StackwrightError(
            f"cannot serve the console on 127.0.0.1:{port}: {error.strerror or error}",
            hint="pick another port with --port, or --port 0 for a free one",
        ) from None
    bound = listening.getsockname()[1]
    try:
        reads = Console(cli_state)
    except BaseException:
        listening.close()
        raise
    server = make_server(
        "127.0.0.1", bound, create_app(reads, token, bound), threaded=True, fd=listening.fileno()
    )
    url = f"http://127.0.0.1:{bound}/?token={token}"
    try:  # Ctrl-C is how it stops, at any moment from here: an ordinary end, exit code 0
        if getattr(cli_state, "json", False):
            cli_state.emit({"event": "console", "url": url, "port": bound, "where": reads.where})
        else:
            click.echo(f"console of {reads.project} ({reads.where}): {url}")
            click.echo("read-only; Ctrl-C stops it")
        if not no_browser:
            import webbrowser

            webbrowser.open(url)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    if getattr(cli_state, "json", False):
        cli_state.emit({"event": "result", "stopped": True, "url": url})
    else:
        click.echo("console stopped")
