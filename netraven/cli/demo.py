"""``netraven demo``: back up a simulated fleet twice, with a change between, and show what NetRaven saw."""

from __future__ import annotations

import os
from pathlib import Path

import click

from netraven.cli.application import Application


@click.command()
@click.option(
    "--devices", default=40, show_default=True, type=click.IntRange(4, 500), help="Simulated devices."
)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    help="Demo data directory (wiped and recreated). Default: 'demo' in the data directory.",
)
@click.option("--serve", is_flag=True, help="Then serve the demo's data to the browser until Ctrl-C.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port of --serve."
)
@click.pass_obj
def demo(app: Application, devices: int, home: Path | None, serve: bool, port: int) -> None:
    """Back up a simulated fleet, change a few devices, back up again, and show the result.

    Everything happens in a demo directory of its own (SQLite, git history, simulator), never in
    your own inventory; the simulated devices stop when the demo ends. With --serve, the web pages
    then show the demo's data on http://127.0.0.1:PORT/ (log in as 'admin' with the password
    printed).
    """
    from netraven.cli.demo_report import ConsoleSteps, print_summary
    from netraven.demo import run_demo

    home = (home or app.settings.home / "demo").expanduser().absolute()
    console = app.console
    console.print(f"[bold]NetRaven demo[/bold] in [cyan]{home}[/cyan] (your own inventory is not touched)")
    result = run_demo(home, devices, app.user, ConsoleSteps(app))
    print_summary(app, result)
    if serve:
        serve_demo(app, home, port)


def serve_demo(app: Application, home: Path, port: int) -> None:
    """Serve the demo directory's data on 127.0.0.1:``port`` until stopped (nothing else's settings)."""
    import uvicorn

    for name in [name for name in os.environ if name.startswith("NETRAVEN_")]:
        del os.environ[name]  # the server processes read the demo's settings alone
    os.environ["NETRAVEN_HOME"] = str(home)
    app.close()
    app.console.print(
        f"Serving the demo on http://127.0.0.1:{port}/ (Ctrl-C stops)", soft_wrap=True, highlight=False
    )
    uvicorn.run(
        "netraven.web.app:create_app_from_environment",
        factory=True,
        host="127.0.0.1",
        port=port,
        access_log=False,
        log_level="warning",
    )
