"""``netraven demo``: back up a simulated fleet twice, with a change between, and show what NetRaven saw."""

from __future__ import annotations

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
@click.pass_obj
def demo(app: Application, devices: int, home: Path | None) -> None:
    """Back up a simulated fleet, change a few devices, back up again, and show the result.

    Everything happens in a demo directory of its own (SQLite, git history, simulator), never in
    your own inventory; the simulated devices stop when the demo ends.
    """
    from netraven.cli.demo_report import ConsoleSteps, print_summary
    from netraven.demo import run_demo

    home = (home or app.settings.home / "demo").expanduser().absolute()
    console = app.console
    console.print(f"[bold]NetRaven demo[/bold] in [cyan]{home}[/cyan] (your own inventory is not touched)")
    result = run_demo(home, devices, app.user, ConsoleSteps(app))
    print_summary(app, result)
