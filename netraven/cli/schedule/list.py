"""``netraven schedule list``."""

import click

from netraven.cli.application import Application


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(app: Application, as_json: bool) -> None:
    """List scheduled jobs with their next run, last run and its status."""
    from netraven.cli.job.output import print_jobs, print_json
    from netraven.jobs import job_view, latest_runs, list_jobs

    tz = app.tz
    with app.sessions() as session:
        last = latest_runs(session)
        rows = [job_view(job, last.get(job.id), tz) for job in list_jobs(session, scheduled=True)]
    if as_json:
        print_json(app, rows, tz)
    else:
        print_jobs(app, rows, tz, noun="schedule")
