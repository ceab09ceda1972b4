"""``netraven job run``."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from netraven.cli.application import Application, ExitCode
from netraven.cli.errors import fail
from netraven.cli.job.options import job_ref

if TYPE_CHECKING:
    from netraven.db.models import JobRun

NO_WORKER_NOTICE = 10.0  # seconds a run may stay queued before --wait says no worker took it


@click.command("run")
@click.argument("job")
@click.option("--wait", is_flag=True, help="Follow the run to its end and show its summary.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="With --wait: stop waiting after this long (the run goes on).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def run(app: Application, job: str, wait: bool, timeout: float | None, as_json: bool) -> None:
    """Run JOB (an id or a name) now, enabled or not: queue a run for the worker.

    A job with a queued or running run is refused. With --wait the run id is printed at once, a
    run no worker has taken after 10 s is said to be waiting for one, and the exit status is 0 if
    the run succeeded, 3 if it ended partial, failed or cancelled, 4 if it matched no device, and
    1 when --timeout ends the wait first; stopping --wait leaves the run going. With the
    huey.immediate setting the run happens in this process, as with --wait.
    """
    from netraven.cli.job.output import print_json
    from netraven.jobs import queue_job_run, run_to_dict

    with app.sessions.begin() as session:
        queued = queue_job_run(session, job_ref(job), triggered_by=app.user)
    app.queue.enqueue_run(queued)
    if not (wait or app.settings.huey.immediate):
        if as_json:
            app.print_json({"run_id": queued.run_id, "status": "queued"})
        else:
            click.echo(f"Run {queued.run_id} queued; a worker runs it (netraven worker).")
        return
    row = _wait(app, queued.run_id, timeout)
    data = run_to_dict(row)
    if as_json:
        print_json(app, data, app.tz)
    else:
        click.echo(
            f"Run {row.id} of job {data['job']!r} {row.status}: {row.hosts_succeeded} of {row.hosts_total} "
            f"host(s) succeeded, {row.hosts_failed} failed."
        )
        if row.message:
            click.echo(row.message)
    if row.status == "succeeded" and row.hosts_total == 0:
        raise SystemExit(ExitCode.NO_HOSTS)
    if row.status != "succeeded":
        raise SystemExit(ExitCode.NOT_SUCCEEDED)


def _wait(app: Application, run_id: int, timeout: float | None) -> JobRun:
    """The run once ended, saying (on stderr) its id at once and when no worker has taken it."""
    from netraven.jobs import wait_for_run
    from netraven.jobs.runs import ACTIVE

    click.echo(f"Run {run_id} queued; waiting for it to end (Ctrl-C stops waiting, not the run).", err=True)
    started = time.monotonic()
    deadline = None if timeout is None else started + timeout
    noticed = False
    while True:
        left = NO_WORKER_NOTICE if deadline is None else min(NO_WORKER_NOTICE, deadline - time.monotonic())
        row = wait_for_run(app.sessions, run_id, timeout=max(0.0, left))
        if row.status not in ACTIVE:
            return row
        waited = time.monotonic() - started
        if row.status == "queued" and not noticed and waited >= NO_WORKER_NOTICE:
            noticed = True
            click.echo(f"Run {run_id} is still queued after {waited:.0f} s: no worker has taken it "
                       "(is 'netraven worker' running?)", err=True)  # fmt: skip
        if deadline is not None and time.monotonic() >= deadline:
            fail(f"stopped waiting after {timeout:g} s: run {run_id} is still {row.status} (it goes on)")
