"""``netraven serve``: the HTTP API in uvicorn."""

from __future__ import annotations

import ipaddress
import os

import click

from netraven.cli.application import Application


@click.command()
@click.option("--host", help="Address to listen on. Default: the web.host setting (127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="TCP port. Default: web.port (8000).")
@click.option("--workers", type=click.IntRange(1, 1024), help="Server processes. Default: web.workers (1).")
@click.option("--ssl-certfile", type=click.Path(exists=True, dir_okay=False), help="TLS certificate (PEM).")
@click.option("--ssl-keyfile", type=click.Path(exists=True, dir_okay=False), help="TLS private key (PEM).")
@click.pass_obj
def serve(
    app: Application,
    host: str | None,
    port: int | None,
    workers: int | None,
    ssl_certfile: str | None,
    ssl_keyfile: str | None,
) -> None:
    """Serve the HTTP API (/api/v1, docs at /api/v1/docs) in the foreground until stopped.

    Uses the configured database (run 'netraven db upgrade' first) and queue: runs started over
    the API are executed by 'netraven worker'. Put it behind a reverse proxy that terminates TLS
    (web.trusted_proxies names the proxy), or give --ssl-certfile and --ssl-keyfile.
    """
    import uvicorn

    settings = app.settings
    app.sessions  # noqa: B018 -- the schema is current, else one line and exit status 1
    host = host or settings.web.host
    if (ssl_certfile is None) != (ssl_keyfile is None):
        app.abort("--ssl-certfile and --ssl-keyfile go together")
    if ssl_certfile is None and not _loopback(host):
        app.err_console.print(
            f"Warning: serving on {host} without TLS: passwords and tokens cross the network in clear. "
            "Use a reverse proxy with TLS (see docs/web-api.md) or --ssl-certfile/--ssl-keyfile.",
            markup=False,
            soft_wrap=True,
            style="yellow",
        )
    if app.config_path:  # the server processes load the same settings file
        os.environ["NETRAVEN_CONFIG"] = os.path.abspath(app.config_path)
    app.close()  # each server process opens its own engine, and logs on stderr with request ids
    uvicorn.run(
        "netraven.web.app:create_app_from_environment",
        factory=True,
        host=host,
        port=port or settings.web.port,
        workers=workers or settings.web.workers,
        forwarded_allow_ips=list(settings.web.trusted_proxies) or None,
        proxy_headers=True,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        access_log=False,  # netraven.web.access logs each request with its request id
        log_level=settings.logging.level.lower(),
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
