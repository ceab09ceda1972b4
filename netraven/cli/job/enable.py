"""``netraven job enable`` and ``netraven job disable``."""

import click

from netraven.cli.application import Application
from netraven.cli.job.options import job_ref


@click.command()
@click.argument("job")
@click.pass_obj
def enable(app: Application, job: str) -> None:
    """Enable JOB (an id or a name): it is due again at its next scheduled time."""
    from netraven.cli.job.output import when
    from netraven.db.base import utcnow
    from netraven.jobs import set_enabled

    tz = app.tz
    with app.sessions.begin() as session:
        row = set_enabled(session, job_ref(job), True, now=utcnow(), tz=tz)
        click.echo(
            f"Job {row.name!r} enabled; next run: {when(row.next_run_at, tz) if row.next_run_at else 'none'}."
        )


@click.command()
@click.argument("job")
@click.pass_obj
def disable(app: Application, job: str) -> None:
    """Disable JOB (an id or a name): it does not run until enabled (runs under way finish)."""
    from netraven.jobs import set_enabled

    with app.sessions.begin() as session:
        row = set_enabled(session, job_ref(job), False)
        click.echo(f"Job {row.name!r} disabled.")
