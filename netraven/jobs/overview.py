"""The fleet at a glance (the dashboard's figures): devices, how many were backed up lately, those
whose latest backup failed by error kind, configs changed today, and backups and config changes
per day. A handful of grouped counts, so it stays fast on a large fleet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netraven.db.base import utcnow
from netraven.db.models import Credential, Device, DeviceConfiguration, Job, JobResult, JobRun

BACKUP = "backup"  # the built-in job type whose results are backups
FAILING_WINDOW = timedelta(days=30)  # a device's latest backup counts if it is this recent


@dataclass(frozen=True, slots=True)
class Day:
    """One day (UTC): hosts backed up successfully, and configs that changed."""

    day: date
    backups: int
    changes: int


@dataclass(frozen=True, slots=True)
class Overview:
    """The fleet's figures at ``at``."""

    at: datetime
    devices: int
    enabled: int
    credentials: int
    jobs: int
    backed_up_24h: int  # devices whose config was saved in the last 24 h
    failing: dict[str, int]  # error kind -> devices whose latest backup failed with it
    changed_today: int  # new config versions since 00:00 UTC (first backups left out)
    backups_ever: int  # backup runs ever: none means nothing was ever backed up
    days: list[Day]  # oldest first, today last

    @property
    def failing_total(self) -> int:
        return sum(self.failing.values())


def fleet_overview(session: Session, now: datetime | None = None, days: int = 30) -> Overview:
    """The figures of the dashboard at ``now`` (default: the current time), with ``days`` days of history."""
    now = (now or utcnow()).astimezone(UTC)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    devices, enabled = session.execute(
        select(func.count(), func.count().filter(Device.enabled.is_(True))).select_from(Device)
    ).one()
    backed_up = select(func.count()).where(
        Device.last_backup_at >= now - timedelta(hours=24), Device.last_backup_status == "success"
    )
    changed_today = select(func.count()).where(
        DeviceConfiguration.retrieved_at >= today, DeviceConfiguration.version > 1
    )
    backups_ever = select(func.count()).select_from(JobRun).where(JobRun.job_type == BACKUP)
    return Overview(
        at=now,
        devices=devices,
        enabled=enabled,
        credentials=session.scalar(select(func.count()).select_from(Credential)) or 0,
        jobs=session.scalar(select(func.count()).select_from(Job)) or 0,
        backed_up_24h=session.scalar(backed_up) or 0,
        failing=failing_by_kind(session, now),
        changed_today=session.scalar(changed_today) or 0,
        backups_ever=session.scalar(backups_ever) or 0,
        days=per_day(session, today - timedelta(days=days - 1), days),
    )


def failing_by_kind(session: Session, now: datetime) -> dict[str, int]:
    """Devices whose latest backup (of the last 30 days) failed, counted by error kind.

    Each device's latest backup result is found through the (device, completed_at) index, newest
    first: a few index steps per device rather than grouping every result ever recorded.
    """
    latest = (
        select(JobResult.id)
        .join(JobRun, JobRun.id == JobResult.run_id)
        .where(
            JobResult.device_id == Device.id,
            JobRun.job_type == BACKUP,
            JobResult.completed_at >= now - FAILING_WINDOW,
        )
        .order_by(JobResult.completed_at.desc(), JobResult.id.desc())
        .limit(1)
        .correlate(Device)
        .scalar_subquery()
    )
    kind = func.coalesce(JobResult.error_kind, "unknown")
    rows = session.execute(
        select(kind, func.count())
        .select_from(Device)
        .join(JobResult, JobResult.id == latest)
        .where(JobResult.status == "failed")
        .group_by(kind)
        .order_by(func.count().desc(), kind)
    ).all()
    return {str(name): int(count) for name, count in rows}


def per_day(session: Session, start: datetime, days: int) -> list[Day]:
    """Hosts backed up and configs changed on each of ``days`` days from ``start`` (00:00 UTC).

    Hosts backed up are summed from the backup runs (by the day each ended), not counted from
    every host's result.
    """
    run_day = _utc_day(session, func.coalesce(JobRun.completed_at, JobRun.created_at))
    backups = session.execute(
        select(run_day, func.sum(JobRun.hosts_succeeded))
        .where(
            JobRun.job_type == BACKUP,
            func.coalesce(JobRun.completed_at, JobRun.created_at) >= start,
        )
        .group_by(run_day)
    ).all()
    change_day = _utc_day(session, DeviceConfiguration.retrieved_at)
    changes = session.execute(
        select(change_day, func.count())
        .where(DeviceConfiguration.retrieved_at >= start, DeviceConfiguration.version > 1)
        .group_by(change_day)
    ).all()
    by_backups = {_day(d): int(n or 0) for d, n in backups}
    by_changes = {_day(d): int(n) for d, n in changes}
    first = start.date()
    return [
        Day(day, by_backups.get(day, 0), by_changes.get(day, 0))
        for day in (first + timedelta(days=n) for n in range(days))
    ]


def _day(value: date | str) -> date:
    """A ``date()`` of the database: a date (PostgreSQL) or its ISO text (SQLite)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _utc_day(session: Session, column: Any) -> Any:
    """The UTC day of a timestamp column (PostgreSQL's ``date()`` would use the session's zone)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)
