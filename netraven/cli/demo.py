"""``netraven demo``: back up a simulated fleet twice, with a change between, and show what NetRaven saw."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
from rich.panel import Panel
from rich.syntax import Syntax

from netraven.cli.application import Application
from netraven.cli.run.progress import RunProgress
from netraven.demo import DemoResult, DemoSteps, run_demo


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
    home = (home or app.settings.home / "demo").expanduser().absolute()
    console = app.console
    console.print(f"[bold]NetRaven demo[/bold] in [cyan]{home}[/cyan] (your own inventory is not touched)")
    result = run_demo(home, devices, app.user, _Steps(app))
    _summary(app, result)


class _Steps(DemoSteps):
    def __init__(self, app: Application) -> None:
        self.console = app.console

    def step(self, line: str) -> None:
        self.console.print(f"[green]✓[/green] {line}", soft_wrap=True)

    def progress(self, label: str) -> RunProgress:
        return RunProgress(self.console, label)


def _summary(app: Application, result: DemoResult) -> None:
    console = app.console
    second = result.second_run.summary
    failures = ", ".join(f"{n} {kind}" for kind, n in sorted(result.failures.items())) or "none"
    lines = [
        f"Devices backed up: {result.backed_up} of {result.devices} (run {result.first_run.run_id})",
        f"Second backup (run {result.second_run.run_id}): {second.status}, "
        f"{second.hosts_succeeded} succeeded, {second.hosts_failed} failed",
        f"Failures by kind: {failures}",
        f"Changed devices: {', '.join(result.changed) or 'none'} (new versions; the other configs are "
        "unchanged, so no new version)",
    ]
    console.print(Panel("\n".join(lines), title="Summary", expand=False))
    if result.diff_device:
        console.print(f"What changed on {result.diff_device}:")
        console.print(Syntax(result.diff, "diff", theme="ansi_dark", background_color="default"))
    env = f"NETRAVEN_HOME={shlex.quote(str(result.home))}"
    run = result.second_run.run_id
    device = result.diff_device or "DEVICE"
    failed = next((o.hostname for o in result.second_run.hosts.values() if o.status == "failed"), device)
    console.print("Next, try:", soft_wrap=True)
    for command in (
        f"netraven run show {run}",
        f"netraven config history {device}",
        f"netraven config diff {device}",
        "netraven config search 'snmp-server'",
        f"netraven logs --run {run} --level WARNING",
        f"netraven logs connection --run {run} --device {failed}",
    ):
        console.print(f"  {env} {command}", soft_wrap=True, markup=False, highlight=False)
