"""``netraven worker``: run a worker, or list the workers."""

import click

from netraven.cli.application import Application
from netraven.cli.lazy import LazyGroup


@click.group(cls=LazyGroup, lazy={"list": "netraven.cli.worker.list:list_"}, invoke_without_command=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 1000),
    help="Runs at once (Huey worker threads). Default: the huey.workers setting.",
)
@click.pass_context
def worker(ctx: click.Context, workers: int | None) -> None:
    """Run scheduled jobs and queued runs, in the foreground, until stopped.

    Dispatches due jobs every scheduler.tick_seconds (and jobs due in between at their time),
    and finishes or re-queues runs whose worker died (scheduler.on_dead_run). SIGINT or SIGTERM
    stops it: running hosts finish, hosts not started are skipped, their runs end cancelled.
    Logs one line per run start and end on stderr, masked as the runs' logs are. The worker
    registers itself and renews a heartbeat: 'netraven worker list' shows every worker.
    """
    if ctx.invoked_subcommand is not None:
        return
    from netraven.scheduler.worker import run_worker

    app: Application = ctx.obj
    formatter = app.log_to_stderr()
    run_worker(app.settings, workers, engine=app.engine, log_formatter=formatter)
