"""``netraven job remove``."""

import click

from netraven.cli.application import Application
from netraven.cli.job.options import job_ref


@click.command()
@click.argument("job")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def remove(app: Application, job: str, yes: bool) -> None:
    """Remove JOB (an id or a name) with its run history."""
    confirm_and_remove(app, job, yes, "job")


def confirm_and_remove(app: Application, ref: str, yes: bool, noun: str) -> None:
    """Remove the job ``ref`` after asking (unless ``yes``); ``noun`` is "job" or "schedule"."""
    from netraven.jobs import get_job, remove_job

    with app.sessions() as session:  # no write transaction open while the question waits
        found = get_job(session, job_ref(ref))
    if not yes:
        click.confirm(f"Remove {noun} {found.name!r} (job {found.id}) and its run history?", abort=True)
    with app.sessions.begin() as session:
        remove_job(session, found.id)
    click.echo(f"{noun.capitalize()} {found.name!r} removed.")
