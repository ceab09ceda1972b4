"""``netraven job runs``."""

import click

from netraven.cli.application import Application
from netraven.cli.job.options import job_ref
from netraven.cli.params import COUNT


@click.command()
@click.argument("job", required=False)
@click.option("--limit", type=COUNT, default=20, show_default=True, help="How many runs, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def runs(app: Application, job: str | None, limit: int, as_json: bool) -> None:
    """Show the run history of JOB (an id or a name), or of every job."""
    from netraven.cli.job.output import print_json, print_runs
    from netraven.jobs import get_job, list_runs, run_to_dict

    tz = app.tz
    with app.sessions() as session:
        job_id = get_job(session, job_ref(job)).id if job is not None else None
        rows = [run_to_dict(run) for run in list_runs(session, job_id, limit)]
    if as_json:
        print_json(app, rows, tz)
    else:
        print_runs(app, rows, tz)
