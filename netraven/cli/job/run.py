"""``netraven job run``."""

import click

from netraven.cli.application import Application
from netraven.cli.job.options import job_ref, zone
from netraven.cli.job.output import print_json, run_data

EXIT_NOT_SUCCEEDED = 3


@click.command("run")
@click.argument("job")
@click.option("--wait", is_flag=True, help="Follow the run to its end and show its summary.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def run(app: Application, job: str, wait: bool, as_json: bool) -> None:
    """Run JOB (an id or a name) now, enabled or not: queue a run for the worker.

    A job with a queued or running run is refused. With --wait the exit status is 0 if the run
    succeeded and 3 if it ended partial, failed or cancelled; stopping --wait leaves the run
    going. With the huey.immediate setting the run happens in this process, as with --wait.
    """
    from netraven.scheduler.dispatch import queue_job_run, wait_for_run
    from netraven.scheduler.queue import Runtime, create_queue

    with app.sessions.begin() as session:
        queued = queue_job_run(session, job_ref(job), triggered_by=app.user)
    queue = create_queue(app.settings, Runtime(app.settings, engine=app.engine))
    try:
        queue.enqueue_run(queued)
    finally:
        queue.close()
    if not (wait or app.settings.huey.immediate):
        if as_json:
            app.print_json({"run_id": queued.run_id, "status": "queued"})
        else:
            click.echo(f"Run {queued.run_id} queued; a worker runs it (netraven worker).")
        return
    if as_json:
        row = wait_for_run(app.sessions, queued.run_id)
    else:
        with app.err_console.status(f"Run {queued.run_id} is under way..."):
            row = wait_for_run(app.sessions, queued.run_id)
    data = run_data(row)
    if as_json:
        print_json(app, data, zone(app))
    else:
        click.echo(
            f"Run {row.id} of job {data['job']!r} {row.status}: {row.hosts_succeeded} of {row.hosts_total} "
            f"host(s) succeeded, {row.hosts_failed} failed."
        )
        if row.message:
            click.echo(row.message)
    if row.status != "succeeded":
        raise SystemExit(EXIT_NOT_SUCCEEDED)
