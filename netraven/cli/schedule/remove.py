"""``netraven schedule remove``."""

import click

from netraven.cli.application import Application
from netraven.cli.job.remove import confirm_and_remove


@click.command()
@click.argument("job_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def remove(app: Application, job_id: str, yes: bool) -> None:
    """Remove the scheduled job JOB_ID (or its name) with its run history."""
    confirm_and_remove(app, job_id, yes, "schedule")
