"""``netraven logs list`` (also plain ``netraven logs``)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import click

from netraven.cli.application import Application
from netraven.cli.job.options import job_ref
from netraven.cli.params import COUNT, ID


@click.command("list")
@click.option("--run", "run_id", type=ID, help="Only lines of this run (an id).")
@click.option("--job", help="Only lines of this job's runs (an id or a name).")
@click.option("--device", help="Only lines about this device (a hostname).")
@click.option("--level", help="Lowest level shown: DEBUG, INFO, WARNING, ERROR or CRITICAL.")
@click.option("--category", help="Only this category, e.g. connection, or a job type such as backup.")
@click.option("--since", help="Lines from this time on: a duration ago (30m, 1h, 2d) or an ISO time.")
@click.option("--until", help="Lines before this time: a duration ago or an ISO time.")
@click.option("--limit", type=COUNT, default=100, show_default=True, help="Show the newest N lines.")
@click.option("--follow", "-f", is_flag=True, help="Then keep printing new lines until Ctrl-C.")
@click.option("--follow-seconds", type=float, hidden=True, help="Stop following after this long (tests).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line (JSON lines).")
@click.pass_obj
def list_(
    app: Application,
    run_id: int | None,
    job: str | None,
    device: str | None,
    level: str | None,
    category: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    follow: bool,
    follow_seconds: float | None,
    as_json: bool,
) -> None:
    """Show job log lines, the newest --limit of them, oldest first; filters combine.

    Times are given and shown in scheduler.timezone (ISO times with an offset are taken as they
    are). With --json each line is a JSON object with id, timestamp, level, category, run_id,
    device_id, hostname, message and details. --follow keeps polling (every second) for new
    lines matching the filters and stops, with exit status 0, on Ctrl-C or SIGTERM.
    Exit status 1: a filter names no run, job or device, or a value is wrong (one line on stderr).
    """
    from netraven.cli.logs.follow import follow_logs
    from netraven.cli.logs.output import LinePrinter
    from netraven.logs import LogFilter, Tail, latest_id, list_logs, parse_time

    tz = app.tz
    now = datetime.now(UTC)
    if follow and until is not None:
        app.abort("--follow shows new lines, it cannot be combined with --until")
    filters = LogFilter(
        run_id=run_id,
        job=job_ref(job) if job is not None else None,
        device=device,
        level=level,
        category=category,
        since=parse_time(since, now, tz, "--since") if since is not None else None,
        until=parse_time(until, now, tz, "--until") if until is not None else None,
        limit=limit,
    )
    printer = LinePrinter(app.console, tz, as_json)
    with app.sessions() as session:
        start = latest_id(session)
        entries = list_logs(session, dataclasses.replace(filters, limit=limit + 1))
    more, entries = len(entries) > limit, entries[-limit:]
    printer.print(entries)
    if not as_json and not follow:
        if not entries:
            app.err_console.print("No log lines match.", style="dim")
        elif more:
            app.err_console.print(f"Older lines not shown: raise --limit ({limit}) or narrow the filters.",
                                  style="dim")  # fmt: skip
    if follow:
        follow_logs(app, printer, Tail(filters, start, (e.id for e in entries)), follow_seconds)
