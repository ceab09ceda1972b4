"""``netraven run [start] TYPE``: a job run in the foreground, with a progress bar and a summary."""

from __future__ import annotations

import threading
from collections import Counter
from typing import TYPE_CHECKING

import click

from netraven.cli.application import Application, ExitCode
from netraven.cli.run.signals import stop_on_signals

if TYPE_CHECKING:
    from netraven.runner import RunReport


@click.command()
@click.argument("job_type")
@click.option(
    "--device", "devices", multiple=True, metavar="HOSTNAME", help="A device to run on (repeatable)."
)
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Devices with this tag (repeatable).")
@click.option("--all", "all_devices", is_flag=True, help="Every enabled device: the whole fleet.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A job parameter (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the run's report as JSON (no progress bar).")
@click.pass_obj
def start(
    app: Application,
    job_type: str,
    devices: tuple[str, ...],
    tags: tuple[str, ...],
    all_devices: bool,
    params: tuple[str, ...],
    as_json: bool,
) -> None:
    """Run JOB_TYPE (e.g. backup, command) now on the given devices, and wait for it to end.

    Ctrl-C or SIGTERM stops the run: hosts under way finish, the others are skipped, and the run
    ends cancelled with every host recorded.
    """
    from netraven.jobs import Targets, parse_assignments, report_to_dict
    from netraven.runner.spawn import prestarted

    targets = Targets.of(devices, tags, all_devices)
    parameters = parse_assignments(params)
    with app.connect() as connection:
        hosts = targets.count(connection)
    from netraven.cli.run.progress import RunProgress
    from netraven.runner import run_job

    stop = threading.Event()
    # A run split over processes forks them now, before any thread starts: they have imported
    # all they need, and wait for their hosts while this process creates the run.
    with (
        prestarted(app.settings, hosts, fork=True) as shard_processes,
        RunProgress(app.err_console, job_type, disable=as_json) as progress,
        stop_on_signals(stop, lambda line: click.echo(line, err=True)),
    ):
        report = run_job(
            job_type,
            targets,
            parameters,
            settings=app.settings,
            engine=app.engine,
            plugin_manager=app.plugins,
            triggered_by=app.user,
            stop=stop,
            on_start=progress.on_start,
            on_host=progress.on_host,
            shard_processes=shard_processes,
        )
    if as_json:
        app.print_json(report_to_dict(report))
    else:
        print_report(app, report)
    if report.summary.hosts_total == 0 and report.summary.status == "succeeded":
        raise SystemExit(ExitCode.NO_HOSTS)
    if report.summary.status != "succeeded":
        raise SystemExit(ExitCode.NOT_SUCCEEDED)


def print_report(app: Application, report: RunReport) -> None:
    """The failed and changed hosts, then one line of totals."""
    from rich.table import Table

    from netraven.cli.printable import cell

    hosts = sorted(report.hosts.values(), key=lambda o: o.hostname)
    notable = [o for o in hosts if o.status != "succeeded" or o.changed]
    if notable:
        table = Table("Host", "Status", "Error", "Message", title=f"Run {report.run_id}")
        for o in notable:
            style = {"failed": "red", "skipped": "magenta"}.get(o.status, "green")
            table.add_row(cell(o.hostname), f"[{style}]{o.status}[/]", o.error_kind or "", cell(o.message))
        app.console.print(table)
    s = report.summary
    if s.hosts_total == 0 and s.status == "succeeded":
        app.console.print(f"Run {report.run_id} did nothing: {report.message}.", markup=False, soft_wrap=True)
        return
    kinds = Counter(o.error_kind or "other" for o in hosts if o.status == "failed")
    by_kind = f" ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})" if kinds else ""
    changed = sum(o.changed for o in hosts)
    skips = Counter(o.error_kind or "stopped" for o in hosts if o.status == "skipped")
    skipped = f", {sum(skips.values())} skipped ({', '.join(f'{n} {k}' for k, n in sorted(skips.items()))})"
    app.console.print(
        f"Run {report.run_id} {s.status}: {s.hosts_succeeded}/{s.hosts_total} hosts succeeded, "
        f"{s.hosts_failed} failed{by_kind}{skipped if skips else ''}, {changed} changed."
        + (f" {report.message}." if report.message else ""),
        markup=False,
        soft_wrap=True,
    )
