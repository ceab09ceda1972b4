"""``netraven run show RUN``: a past run and the outcome of each of its hosts."""

from __future__ import annotations

from typing import Any

import click
import yaml

from netraven.cli.application import Application
from netraven.cli.params import ID


@click.command()
@click.argument("run_id", type=ID)
@click.option("--failed", "only_failed", is_flag=True, help="Only the hosts that failed.")
@click.option("--output", "with_output", is_flag=True, help="Then what the job type stored for each host.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (each host's stored output included).")
@click.pass_obj
def show(app: Application, run_id: int, only_failed: bool, with_output: bool, as_json: bool) -> None:
    """Show run RUN_ID: its status and counts, then one row per host (--output: and what it stored)."""
    from rich.rule import Rule
    from rich.table import Table

    from netraven.cli.printable import cell, printable
    from netraven.jobs import get_run, run_detail, run_results

    with app.sessions() as session:
        run = get_run(session, run_id)
        results = [r for r in run_results(session, run_id) if not only_failed or r.status == "failed"]
        data = run_detail(run, results)
    if as_json:
        app.print_json(data)
        return
    head = (
        f"Run {run_id} ({data['job_type']}{', job ' + data['job'] if data['job'] else ''}): {data['status']}"
    )
    counts = f"{data['hosts_succeeded']}/{data['hosts_total']} succeeded, {data['hosts_failed']} failed"
    app.console.print(
        printable(f"{head}, {counts}." + (f" {data['message']}." if data["message"] else "")), markup=False
    )
    table = Table("Host", "Status", "Error", "Attempts", "Seconds", "Message")
    for h in data["hosts"]:
        style = {"failed": "red", "skipped": "magenta"}.get(h["status"], "green")
        seconds = f"{h['duration_seconds']:.1f}" if h["duration_seconds"] is not None else ""
        table.add_row(
            cell(h["hostname"]), f"[{style}]{h['status']}[/]", h["error_kind"] or "", str(h["attempts"]),
            seconds, cell(h["message"]),
        )  # fmt: skip
    app.console.print(table)
    for h in data["hosts"] if with_output else ():
        app.console.print(Rule(cell(h["hostname"]), align="left"))
        app.console.print(_readable(h["output"]) if h["output"] else "(nothing stored)", markup=False)


class _Dumper(yaml.SafeDumper):
    """YAML with multi-line texts (command outputs, configs) as indented blocks."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" not in text:
        return dumper.represent_str(text)
    # a block keeps no trailing spaces, tabs or carriage returns: drop them, as a screen would
    lines = "\n".join(line.rstrip() for line in text.expandtabs().splitlines())
    return dumper.represent_scalar("tag:yaml.org,2002:str", lines, style="|")


_Dumper.add_representer(str, _text)


def _readable(output: dict[str, Any]) -> str:
    return yaml.dump(output, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000).rstrip()
