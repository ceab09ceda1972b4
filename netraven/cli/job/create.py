"""``netraven job create``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from netraven.cli.application import Application
from netraven.cli.job.options import schedule_options

if TYPE_CHECKING:
    from netraven.jobs import Schedule


@click.command()
@click.argument("name")
@click.option("--type", "job_type", required=True, help="Job type (see 'netraven plugins list').")
@click.option("--device", "devices", multiple=True, help="Target device hostname (repeatable).")
@click.option("--tag", "tags", multiple=True, help="Target the devices with this tag (repeatable).")
@click.option("--all", "target_all", is_flag=True, help="Target every device.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Job parameter (repeatable).")
@schedule_options(default="immediate")
@click.option("--priority", type=int, default=0, show_default=True, help="Queue priority: higher runs first.")
@click.option("--disabled", is_flag=True, help="Create it disabled: it does not run until enabled.")
@click.pass_obj
def create(
    app: Application,
    name: str,
    job_type: str,
    devices: tuple[str, ...],
    tags: tuple[str, ...],
    target_all: bool,
    params: tuple[str, ...],
    schedule: Schedule,
    priority: int,
    disabled: bool,
) -> None:
    """Create job NAME: a job type run on devices, now or on a schedule."""
    from netraven.cli.job.output import when
    from netraven.db.base import utcnow
    from netraven.jobs import create_job, parse_assignments

    tz = app.tz
    with app.sessions.begin() as session:
        job = create_job(
            session,
            name=name,
            job_type=job_type,
            job_types=app.plugins.job_types,
            parameters=parse_assignments(params),
            devices=devices,
            tags=tags,
            target_all=target_all,
            schedule=schedule,
            priority=priority,
            enabled=not disabled,
            created_by=app.user,
            now=utcnow(),
            tz=tz,
        )
        click.echo(
            f"Job {job.name!r} created (id {job.id}, {schedule.describe(tz)}); "
            f"next run: {when(job.next_run_at, tz) if job.enabled else 'none (disabled)'}."
        )
