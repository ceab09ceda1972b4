"""Reading job logs: filtered listings, the lines after a given id, and connection transcripts.

Every listing is ``ORDER BY timestamp DESC, id DESC LIMIT n`` under filters with an index ending in
``timestamp`` (run, device, level, or time alone), so the newest lines come from an index scan
whatever the table's size. A minimum level is one such query per level, merged (``level IN (...)``
would scan the whole time index when the levels asked for are rare). A job filter reads the job's
runs through a subquery (``run_id IN (...)``), never a list of ids sent from Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, union_all
from sqlalchemy.orm import Session

from netraven.db.models import ConnectionLog, Device, JobLog, JobResult, JobRun
from netraven.db.paging import contains_text
from netraven.exceptions import JobError, JobNotFound
from netraven.inventory import get_device
from netraven.jobs.definitions import get_job
from netraven.jobs.history import get_run

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_ALIASES = {"WARN": "WARNING", "FATAL": "CRITICAL"}


@dataclass(frozen=True, slots=True)
class LogFilter:
    """Which log lines: each field given narrows the selection.

    ``job`` is an id (int) or a name, ``device`` a hostname, ``level`` the lowest level shown
    (case-insensitive), ``text`` a part of the message (any case), ``since`` inclusive and
    ``until`` exclusive aware times, ``limit`` how many of the newest lines a listing returns after
    skipping the ``offset`` newest. Invalid values raise a one-line ``JobError``.
    """

    run_id: int | None = None
    job: int | str | None = None
    device: str | None = None
    level: str | None = None
    category: str | None = None
    text: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100
    offset: int = 0

    def __post_init__(self) -> None:
        if self.level is not None:
            level = self.level.strip().upper()
            level = _ALIASES.get(level, level)
            if level not in LEVELS:
                raise JobError(f"unknown level {self.level!r} (known: {', '.join(LEVELS)})")
            object.__setattr__(self, "level", level)
        if self.limit < 1:
            raise JobError(f"limit must be at least 1, not {self.limit}")
        if self.offset < 0:
            raise JobError(f"offset must be at least 0, not {self.offset}")
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise JobError(f"{name} must be a timezone-aware time")
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise JobError("since must be before until")


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One JobLog row with its device's hostname (for imported lines of unknown devices, the
    hostname they named)."""

    id: int
    timestamp: datetime
    level: str
    category: str
    message: str
    run_id: int | None
    device_id: int | None
    hostname: str | None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Transcript:
    """The redacted SSH session of one host in one run."""

    run_id: int
    device_id: int | None
    hostname: str
    timestamp: datetime
    text: str


def entry_to_dict(entry: LogEntry) -> dict[str, Any]:
    """One line as JSON-ready data (its time aware UTC; a face renders it in its own zone)."""
    return {
        "id": entry.id,
        "timestamp": entry.timestamp,
        "level": entry.level,
        "category": entry.category,
        "run_id": entry.run_id,
        "device_id": entry.device_id,
        "hostname": entry.hostname,
        "message": entry.message,
        "details": entry.details,
    }


def transcript_to_dict(transcript: Transcript) -> dict[str, Any]:
    """A transcript as JSON-ready data (its time aware UTC)."""
    return {
        "run_id": transcript.run_id,
        "device_id": transcript.device_id,
        "hostname": transcript.hostname,
        "timestamp": transcript.timestamp,
        "transcript": transcript.text,
    }


def list_logs(session: Session, filters: LogFilter) -> list[LogEntry]:
    """The newest ``filters.limit`` lines matching ``filters`` after the ``filters.offset`` newest,
    oldest first."""
    newest = (JobLog.timestamp.desc(), JobLog.id.desc())
    levels = _levels(filters.level)
    offset, limit = filters.offset or None, filters.limit
    if len(levels) < 2:
        query = _select(conditions(session, filters)).order_by(*newest).limit(limit).offset(offset)
    else:
        where = conditions(session, replace(filters, level=None))
        branches = [
            select(JobLog.id, JobLog.timestamp).where(*where, JobLog.level == level).order_by(*newest)
            .limit(limit + filters.offset).subquery()
            for level in levels
        ]  # fmt: skip
        merged = union_all(*(select(b.c.id, b.c.timestamp) for b in branches)).subquery()
        picked = select(merged.c.id).order_by(merged.c.timestamp.desc(), merged.c.id.desc())
        query = _select([JobLog.id.in_(picked.limit(limit).offset(offset))]).order_by(*newest)
    return [_entry(row) for row in reversed(session.execute(query).all())]


def count_logs(session: Session, filters: LogFilter) -> int:
    """How many lines match ``filters`` (``limit`` and ``offset`` aside)."""
    return session.scalar(select(func.count()).select_from(JobLog).where(*conditions(session, filters))) or 0


def list_transcripts(session: Session, run_id: int) -> list[tuple[str, int | None]]:
    """The hosts of run ``run_id`` with a connection transcript: (hostname, device id), by hostname."""
    get_run(session, run_id)
    rows = session.execute(
        select(ConnectionLog.hostname, ConnectionLog.device_id)
        .where(ConnectionLog.run_id == run_id)
        .distinct()
        .order_by(ConnectionLog.hostname)
    )
    return [(hostname, device_id) for hostname, device_id in rows]


def device_transcripts(session: Session, device_id: int, runs: int = 5) -> list[Transcript]:
    """The connection transcripts of device ``device_id`` in its ``runs`` latest runs, newest first.

    The runs come from its results (index on device and time), the transcripts by (run, device).
    """
    recent = (
        select(JobResult.run_id)
        .where(JobResult.device_id == device_id)
        .order_by(JobResult.completed_at.desc(), JobResult.id.desc())
        .limit(runs)
    )
    rows = session.scalars(
        select(ConnectionLog)
        .where(ConnectionLog.run_id.in_(recent.scalar_subquery()), ConnectionLog.device_id == device_id)
        .order_by(ConnectionLog.run_id.desc(), ConnectionLog.id.desc())
    )
    return [Transcript(r.run_id, r.device_id, r.hostname, r.timestamp, r.transcript) for r in rows]


def logs_after(session: Session, filters: LogFilter, last_id: int, limit: int = 1000) -> list[LogEntry]:
    """Up to ``limit`` lines matching ``filters`` with an id above ``last_id``, by id (``filters.limit``
    is not used)."""
    return after(session, conditions(session, filters), last_id, limit)


def after(session: Session, where: list[ColumnElement[bool]], last_id: int, limit: int) -> list[LogEntry]:
    """:func:`logs_after` for conditions already built by :func:`conditions`."""
    query = _select([*where, JobLog.id > last_id]).order_by(JobLog.id).limit(limit)
    return [_entry(row) for row in session.execute(query).all()]


def latest_id(session: Session) -> int:
    """The highest JobLog id, 0 for an empty table."""
    return session.scalar(select(func.max(JobLog.id))) or 0


def conditions(session: Session, filters: LogFilter) -> list[ColumnElement[bool]]:
    """``filters`` as SQL conditions; an unknown run, job or device raises a one-line error."""
    where: list[ColumnElement[bool]] = []
    if filters.run_id is not None:
        where.append(JobLog.run_id == get_run(session, filters.run_id).id)
    if filters.job is not None:
        job_id = get_job(session, filters.job).id
        where.append(JobLog.run_id.in_(select(JobRun.id).where(JobRun.job_id == job_id)))
    if filters.device is not None:
        where.append(JobLog.device_id == get_device(session, filters.device).id)
    if levels := _levels(filters.level):
        where.append(JobLog.level.in_(levels))
    if filters.category is not None:
        where.append(JobLog.category == filters.category)
    if filters.text:
        where.append(contains_text(JobLog.message, filters.text))
    if filters.since is not None:
        where.append(JobLog.timestamp >= filters.since)
    if filters.until is not None:
        where.append(JobLog.timestamp < filters.until)
    return where


def get_transcript(session: Session, run_id: int, device: str) -> Transcript:
    """The transcript of host ``device`` (its hostname then or now) in run ``run_id``."""
    current = select(Device.id).where(Device.hostname == device).scalar_subquery()
    row = session.scalars(
        select(ConnectionLog)
        .where(ConnectionLog.run_id == run_id)
        .where(or_(ConnectionLog.hostname == device, ConnectionLog.device_id == current))
        .order_by(ConnectionLog.id.desc())
        .limit(1)
    ).first()
    if row is None:
        get_run(session, run_id)  # an unknown run is its own error
        raise JobNotFound(f"run {run_id} has no connection transcript for {device!r}")
    return Transcript(row.run_id, row.device_id, row.hostname, row.timestamp, row.transcript)


def _levels(lowest: str | None) -> tuple[str, ...]:
    """The levels at or above ``lowest``; none (no condition) from DEBUG, the lowest, or no level."""
    return () if lowest is None or lowest == LEVELS[0] else LEVELS[LEVELS.index(lowest) :]


def _select(where: list[ColumnElement[bool]]) -> Select[*tuple[Any, ...]]:
    columns = (JobLog.id, JobLog.timestamp, JobLog.level, JobLog.category, JobLog.message, JobLog.run_id,
               JobLog.device_id, Device.hostname, JobLog.details)  # fmt: skip
    return select(*columns).outerjoin(Device, Device.id == JobLog.device_id).where(*where)


def _entry(row: Any) -> LogEntry:
    details = row.details or {}
    hostname = row.hostname
    if hostname is None and isinstance(details.get("hostname"), str):
        hostname = details["hostname"]
    return LogEntry(row.id, row.timestamp, row.level, row.category, row.message, row.run_id,
                    row.device_id, hostname, details)  # fmt: skip
