"""``netraven worker``."""

import click

from netraven.cli.application import Application


@click.command()
@click.option(
    "--workers",
    type=click.IntRange(1, 1000),
    help="Runs at once (Huey worker threads). Default: the huey.workers setting.",
)
@click.pass_obj
def worker(app: Application, workers: int | None) -> None:
    """Run scheduled jobs and queued runs, in the foreground, until stopped.

    Dispatches due jobs every scheduler.tick_seconds (and jobs due in between at their time),
    and finishes or re-queues runs whose worker died (scheduler.on_dead_run). SIGINT or SIGTERM
    stops it: running hosts finish, hosts not started are skipped, their runs end cancelled.
    Logs one line per run start and end on stderr, masked as the runs' logs are.
    """
    from netraven.scheduler.worker import run_worker

    formatter = app.log_to_stderr()
    run_worker(app.settings, workers, engine=app.engine, log_formatter=formatter)
