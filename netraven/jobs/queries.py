"""Listings of jobs, runs and a run's host results, paged, filtered, sorted and counted.

Every face pages through these (the web API's list endpoints; :mod:`netraven.db.paging` checks
the page and sort key). Bad filters raise a one-line :class:`~netraven.exceptions.JobError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netraven.db.models import RUN_STATUSES, Job, JobResult, JobRun
from netraven.db.paging import DEFAULT_LIMIT, Column, Paged, paged
from netraven.exceptions import JobError
from netraven.jobs.definitions import get_job, job_schedule
from netraven.jobs.history import get_run
from netraven.jobs.schedules import Schedule, next_run

HOST_STATUSES = ("succeeded", "failed", "skipped")
PREVIEW = 5  # run times a schedule preview shows

JOB_SORTS: dict[str, Column] = {
    "name": Job.name,
    "id": Job.id,
    "job_type": Job.job_type,
    "priority": Job.priority,
    "next_run_at": Job.next_run_at,
    "created_at": Job.created_at,
}
RUN_SORTS: dict[str, Column] = {
    "id": JobRun.id,
    "created_at": JobRun.created_at,
    "started_at": JobRun.started_at,
    "completed_at": JobRun.completed_at,
    "status": JobRun.status,
    "job_type": JobRun.job_type,
}
RESULT_SORTS: dict[str, Column] = {
    "hostname": JobResult.hostname,
    "status": JobResult.status,
    "completed_at": JobResult.completed_at,
    "duration_seconds": JobResult.duration_seconds,
    "id": JobResult.id,
}


@dataclass(frozen=True, slots=True)
class JobFilter:
    """Which jobs: each field given narrows the selection (``name``: a case-insensitive substring)."""

    name: str | None = None
    job_type: str | None = None
    enabled: bool | None = None
    scheduled: bool | None = None


@dataclass(frozen=True, slots=True)
class RunFilter:
    """Which runs: each field given narrows the selection.

    ``status`` is one of :data:`~netraven.db.models.RUN_STATUSES`, ``job`` an id (int) or a name,
    ``since`` an aware time (runs created at or after it), ``triggered_by`` who started them.
    """

    status: str | None = None
    job: int | str | None = None
    job_type: str | None = None
    since: datetime | None = None
    triggered_by: str | None = None

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in RUN_STATUSES:
            raise JobError(f"unknown run status {self.status!r} (known: {', '.join(RUN_STATUSES)})")
        if self.since is not None and self.since.utcoffset() is None:
            raise JobError("since must be a timezone-aware time")


def page_jobs(
    session: Session,
    filters: JobFilter = JobFilter(),
    *,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    sort: str | None = None,
) -> Paged[Job]:
    """One page of jobs (devices and tags loaded) matching ``filters``, by name unless ``sort``."""
    query = select(Job).options(selectinload(Job.devices), selectinload(Job.tags))
    if filters.name:
        pattern = "%" + filters.name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(Job.name.ilike(pattern, escape="\\"))
    if filters.job_type is not None:
        query = query.where(Job.job_type == filters.job_type)
    if filters.enabled is not None:
        query = query.where(Job.enabled.is_(filters.enabled))
    if filters.scheduled is not None:
        immediate = Job.schedule_type == "immediate"
        query = query.where(~immediate if filters.scheduled else immediate)
    return paged(session, query, limit=limit, offset=offset, sort=sort, columns=JOB_SORTS, default="name",
                 tiebreak=[Job.id], error=JobError)  # fmt: skip


def page_runs(
    session: Session,
    filters: RunFilter = RunFilter(),
    *,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    sort: str | None = None,
) -> Paged[JobRun]:
    """One page of runs (their jobs loaded) matching ``filters``, newest first unless ``sort``."""
    query = select(JobRun).options(selectinload(JobRun.job))
    if filters.status is not None:
        query = query.where(JobRun.status == filters.status)
    if filters.job is not None:
        query = query.where(JobRun.job_id == get_job(session, filters.job).id)
    if filters.job_type is not None:
        query = query.where(JobRun.job_type == filters.job_type)
    if filters.since is not None:
        query = query.where(JobRun.created_at >= filters.since)
    if filters.triggered_by is not None:
        query = query.where(JobRun.triggered_by == filters.triggered_by)
    return paged(session, query, limit=limit, offset=offset, sort=sort, columns=RUN_SORTS, default="-id",
                 tiebreak=[JobRun.id.desc()], error=JobError)  # fmt: skip


def page_results(
    session: Session,
    run_id: int,
    *,
    status: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    sort: str | None = None,
) -> Paged[JobResult]:
    """One page of run ``run_id``'s host results (``status`` only, if given), by hostname unless ``sort``."""
    get_run(session, run_id)
    if status is not None and status not in HOST_STATUSES:
        raise JobError(f"unknown host status {status!r} (known: {', '.join(HOST_STATUSES)})")
    query = select(JobResult).where(JobResult.run_id == run_id)
    if status is not None:
        query = query.where(JobResult.status == status)
    return paged(session, query, limit=limit, offset=offset, sort=sort, columns=RESULT_SORTS,
                 default="hostname", tiebreak=[JobResult.id], error=JobError)  # fmt: skip


def page_device_results(
    session: Session, device_id: int, *, limit: int = DEFAULT_LIMIT, offset: int = 0, sort: str | None = None
) -> Paged[JobResult]:
    """One page of the results of device ``device_id`` in every run (runs loaded), newest first
    unless ``sort`` (the (device_id, completed_at) index serves the default order)."""
    query = select(JobResult).where(JobResult.device_id == device_id).options(selectinload(JobResult.run))
    return paged(session, query, limit=limit, offset=offset, sort=sort, columns=RESULT_SORTS,
                 default="-completed_at", tiebreak=[JobResult.id.desc()], error=JobError)  # fmt: skip


def preview(schedule: Schedule, now: datetime, tz: tzinfo, count: int = PREVIEW) -> list[datetime]:
    """The next ``count`` times ``schedule`` is due after ``now`` (fewer for one that ends), in UTC."""
    times: list[datetime] = []
    due = next_run(schedule, now, tz)
    while due is not None and len(times) < count:
        times.append(due)
        due = next_run(schedule, max(now, due), tz, last_run=due)
    return times


def job_preview(job: Job, now: datetime, tz: tzinfo, count: int = PREVIEW) -> list[datetime]:
    """The next ``count`` times ``job`` runs: none while disabled; first at its ``next_run_at``."""
    if not job.enabled or job.next_run_at is None:
        return []
    schedule = job_schedule(job)
    times = [job.next_run_at]
    while len(times) < count:
        due = next_run(schedule, max(now, times[-1]), tz, last_run=times[-1])
        if due is None:
            break
        times.append(due)
    return times
