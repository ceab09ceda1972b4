"""``netraven schedule``: jobs that run on a schedule (a schedule is a job with a schedule)."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "add": "netraven.cli.schedule.add:add",
        "list": "netraven.cli.schedule.list:list_",
        "remove": "netraven.cli.schedule.remove:remove",
    },
)
def schedule() -> None:
    """Add, list and remove scheduled jobs (backups by default); 'netraven job' manages all jobs."""
