"""``netraven worker list``."""

import click

from netraven.cli.application import Application


@click.command("list")
@click.option("--all", "everything", is_flag=True, help="Workers stopped more than a day ago too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(app: Application, everything: bool, as_json: bool) -> None:
    """List workers: name, state (running, lost, stopped), version, threads, runs, last heartbeat."""
    from datetime import timedelta

    from rich.table import Table

    from netraven.jobs.schedules import format_time
    from netraven.jobs.workers import list_workers

    lease = timedelta(seconds=app.settings.scheduler.lease_seconds)
    with app.sessions() as session:
        workers = list_workers(session, lease, everything=everything)
    if as_json:
        app.print_json(workers)
        return
    table = Table("Name", "State", "Version", "Threads", "Runs", "Queue", "Started", "Last heartbeat")
    for w in workers:
        counts = str(w["threads"]), str(w["runs_running"])
        times = format_time(w["started_at"], app.tz), format_time(w["heartbeat_at"], app.tz)
        table.add_row(w["name"], w["state"], w["version"], *counts, w["queue"], *times)
    app.console.print(table)
