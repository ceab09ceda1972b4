"""``netraven schedule add``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from netraven.cli.application import Application
from netraven.cli.job.options import schedule_options

if TYPE_CHECKING:
    from netraven.jobs import Schedule


@click.command()
@click.argument("device", required=False)
@click.option("--tag", "tags", multiple=True, help="Run on the devices with this tag (repeatable).")
@click.option("--all", "target_all", is_flag=True, help="Run on every device.")
@schedule_options(default=None)
@click.option(
    "--job-type", default="backup", show_default=True, help="Job type (see 'netraven plugins list')."
)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Job parameter (repeatable).")
@click.option("--priority", type=int, default=0, show_default=True, help="Queue priority: higher runs first.")
@click.option("--name", help="Job name. Default: JOBTYPE-TARGET-SCHEDULETYPE, such as backup-r1-daily.")
@click.pass_obj
def add(
    app: Application,
    device: str | None,
    tags: tuple[str, ...],
    target_all: bool,
    schedule: Schedule,
    job_type: str,
    params: tuple[str, ...],
    priority: int,
    name: str | None,
) -> None:
    """Run a job (a backup by default) on DEVICE, on tagged devices or on all, on a schedule."""
    from netraven.cli.job.output import when
    from netraven.db.base import utcnow
    from netraven.jobs import create_job, parse_assignments

    tz = app.tz
    target = "-".join([*([device] if device else []), *tags]) or "all"
    with app.sessions.begin() as session:
        job = create_job(
            session,
            name=name or f"{job_type}-{target}-{schedule.type}",
            job_type=job_type,
            job_types=app.plugins.job_types,
            parameters=parse_assignments(params),
            devices=[device] if device else [],
            tags=tags,
            target_all=target_all,
            schedule=schedule,
            priority=priority,
            created_by=app.user,
            now=utcnow(),
            tz=tz,
        )
        click.echo(
            f"Schedule {job.name!r} added (job {job.id}, {schedule.describe(tz)}); "
            f"next run: {when(job.next_run_at, tz)}."
        )
