"""``netraven job show``."""

import click

from netraven.cli.application import Application
from netraven.cli.job.options import job_ref


@click.command()
@click.argument("job")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def show(app: Application, job: str, as_json: bool) -> None:
    """Show JOB (an id or a name)."""
    from netraven.cli.job.output import print_json, targets, when
    from netraven.cli.printable import printable
    from netraven.jobs import get_job, job_view, list_runs

    tz = app.tz
    with app.sessions() as session:
        row = get_job(session, job_ref(job))
        data = job_view(row, next(iter(list_runs(session, row.id, limit=1)), None), tz)
    if as_json:
        print_json(app, data, tz)
        return
    last = data["last_run"]
    last_run = "-"
    if last:
        last_run = (
            f"{last['status']} (run {last['id']}, {when(last['started_at'] or last['scheduled_for'], tz)})"
        )
    lines = {
        "id": data["id"],
        "name": data["name"],
        "job type": data["job_type"],
        "parameters": ", ".join(f"{k}={v}" for k, v in data["parameters"].items()) or "-",
        "targets": targets(data["targets"]),
        "schedule": data["schedule"]["description"],
        "priority": data["priority"],
        "enabled": "yes" if data["enabled"] else "no",
        "next run": when(data["next_run_at"], tz),
        "last run": last_run,
        "created by": data["created_by"] or "-",
        "created at": when(data["created_at"], tz),
    }
    for key, value in lines.items():
        click.echo(f"{key + ':':<14}{printable(value)}")
