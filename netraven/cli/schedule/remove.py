"""``netraven schedule remove``."""

import click

from netraven.cli.application import Application
from netraven.cli.job.options import job_ref
from netraven.scheduler import get_job, remove_job


@click.command()
@click.argument("job_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def remove(app: Application, job_id: str, yes: bool) -> None:
    """Remove the scheduled job JOB_ID (or its name) with its run history."""
    with app.sessions() as session:  # no write transaction open while the question waits
        found = get_job(session, job_ref(job_id))
    if not yes:
        click.confirm(f"Remove schedule {found.name!r} (job {found.id}) and its run history?", abort=True)
    with app.sessions.begin() as session:
        remove_job(session, found.id)
    click.echo(f"Schedule {found.name!r} removed.")
