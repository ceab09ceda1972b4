"""What ``netraven job`` and ``netraven schedule`` commands share on output: tables of the job and run
views (:mod:`netraven.jobs.views`), times in the ``scheduler.timezone`` setting."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from rich.table import Table

from netraven.cli.application import Application
from netraven.cli.printable import markup
from netraven.jobs.schedules import format_time

STATUS_STYLES = {
    "queued": "dim",
    "running": "cyan",
    "succeeded": "green",
    "partial": "yellow",
    "failed": "red",
    "cancelled": "magenta",
}


def print_json(app: Application, data: Any, tz: tzinfo) -> None:
    """``data`` as JSON, every datetime in it as ISO text in ``tz``."""
    app.print_json(_localise(data, tz))


def when(value: datetime | None, tz: tzinfo) -> str:
    """``2025-06-01 02:00 CEST``, or ``-``."""
    return format_time(value, tz) if value else "-"


def status(value: str | None) -> str:
    return f"[{STATUS_STYLES.get(value, 'default')}]{value}[/]" if value else "-"


def targets(data: dict[str, Any]) -> str:
    """``all devices``, or the devices then ``tag:`` names."""
    if data["all"]:
        return "all devices"
    return ", ".join([*data["devices"], *(f"tag:{name}" for name in data["tags"])])


def print_jobs(app: Application, rows: list[dict[str, Any]], tz: tzinfo, noun: str = "job") -> None:
    """A table of :func:`~netraven.jobs.views.job_view` rows."""
    table = Table("ID", "Name", "Type", "Targets", "Schedule", "Next run", "Last run", "Status", "Priority",
                  "Enabled", caption=f"Times in {tz}")  # fmt: skip
    for r in rows:
        last = r["last_run"] or {}
        table.add_row(
            str(r["id"]),
            markup(r["name"]),
            r["job_type"],
            markup(targets(r["targets"])),
            markup(r["schedule"]["description"]),
            when(r["next_run_at"], tz),
            when(last.get("started_at") or last.get("scheduled_for"), tz),
            status(last.get("status")),
            str(r["priority"]),
            "yes" if r["enabled"] else "no",
        )
    app.console.print(table)
    app.console.print(f"{len(rows)} {noun}(s)")


def print_runs(app: Application, rows: list[dict[str, Any]], tz: tzinfo) -> None:
    """A table of :func:`~netraven.jobs.views.run_to_dict` rows."""
    table = Table("Run", "Job", "Type", "Status", "By", "Due", "Started", "Completed", "Hosts ok/failed/all",
                  "Message", caption=f"Times in {tz}")  # fmt: skip
    for r in rows:
        table.add_row(
            str(r["id"]),
            markup(r["job"] or "-"),
            r["job_type"],
            status(r["status"]),
            markup(r["triggered_by"] or "-"),
            when(r["scheduled_for"], tz),
            when(r["started_at"], tz),
            when(r["completed_at"], tz),
            f"{r['hosts_succeeded']}/{r['hosts_failed']}/{r['hosts_total']}",
            markup(r["message"] or ""),
        )
    app.console.print(table)
    app.console.print(f"{len(rows)} run(s)")


def _localise(value: Any, tz: tzinfo) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat()
    if isinstance(value, dict):
        return {key: _localise(item, tz) for key, item in value.items()}
    if isinstance(value, list):
        return [_localise(item, tz) for item in value]
    return value
