"""How ``netraven demo`` is drawn: its steps, progress bars, summary and the commands to try next."""

from __future__ import annotations

import shlex

from rich.panel import Panel
from rich.syntax import Syntax

from netraven.cli.application import Application
from netraven.cli.run.progress import RunProgress
from netraven.demo import DemoResult, DemoSteps


class ConsoleSteps(DemoSteps):
    """The demo's steps as ticked lines, its backups as progress bars."""

    def __init__(self, app: Application) -> None:
        self.console = app.console

    def step(self, line: str) -> None:
        self.console.print(f"[green]✓[/green] {line}", soft_wrap=True)

    def progress(self, label: str) -> RunProgress:
        return RunProgress(self.console, label)


def print_summary(app: Application, result: DemoResult) -> None:
    """What the demo did, the diff of one changed device, and the commands to try next."""
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
    if result.web_password:
        console.print(
            f"The web pages: {env} netraven serve, then open http://127.0.0.1:8000/ "
            f"(or run 'netraven demo --serve') and log in as {result.web_user!r} with the password "
            f"{result.web_password} (shown only now).",
            soft_wrap=True,
            markup=False,
            highlight=False,
        )
