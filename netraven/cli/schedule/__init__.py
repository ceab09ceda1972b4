"""``netraven schedule``: jobs that run on a schedule (a schedule is a job with a schedule)."""

import click

from netraven.cli.schedule.add import add
from netraven.cli.schedule.list import list_
from netraven.cli.schedule.remove import remove


@click.group()
def schedule() -> None:
    """Add, list and remove scheduled jobs (backups by default); 'netraven job' manages all jobs."""


for command in (add, list_, remove):
    schedule.add_command(command)
