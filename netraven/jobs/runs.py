"""Creating runs: a queued JobRun for a job type and its targets, or for a stored job.

A run is created here and handed to a queue by the scheduler (:mod:`netraven.scheduler.queue`)
or run at once by the runner (:func:`netraven.runner.run_job`). Both functions work inside the
caller's transaction; bad input raises a one-line error before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netraven import audit
from netraven.db.base import utcnow
from netraven.db.models import Job, JobRun
from netraven.exceptions import JobError, JobNotFound
from netraven.inventory.validation import check_text
from netraven.jobs.definitions import get_job
from netraven.jobs.registry import JobTypeRegistry
from netraven.jobs.targets import Targets

ACTIVE = ("queued", "running")  # a run in one of these has not ended


@dataclass(frozen=True)
class Queued:
    """A queued run to hand to the queue, with its job's priority."""

    run_id: int
    priority: int = 0


def create_run(
    session: Session,
    job_type: str,
    targets: Targets,
    parameters: Mapping[str, Any] | None = None,
    triggered_by: str | None = None,
    job_id: int | None = None,
    scheduled_for: datetime | None = None,
) -> JobRun:
    """A new queued run (flushed, not committed); the targets must exist. Every run starts here,
    so this records ``run.start`` (by the acting user, also ``triggered_by`` unless given)."""
    triggered_by = check_text(triggered_by, "triggered_by", JobError) or audit.acting_user()
    targets.check(session)
    run = JobRun(
        job_id=job_id,
        job_type=job_type,
        parameters=dict(parameters or {}),
        targets=targets.to_dict(),
        status="queued",
        triggered_by=triggered_by,
        scheduled_for=scheduled_for,
    )
    session.add(run)
    session.flush()
    fields = {"job_type": job_type, "job_id": job_id, "targets": run.targets, "triggered_by": triggered_by}
    audit.record(session, "run.start", "run", run.id, fields)
    return run


def queue_job_run(session: Session, name_or_id: str | int, triggered_by: str | None) -> Queued:
    """A run of the job now (enabled or not), unless it has a queued or running run already."""
    job = get_job(session, name_or_id)
    session.scalar(select(Job.id).where(Job.id == job.id).with_for_update())  # as dispatch_due does
    active = active_runs(session).get(job.id)
    if active is not None:
        run_id, status = active
        raise JobError(f"job {job.name!r} already has run {run_id} {status}: a job never runs twice at once")
    run = create_run(session, job.job_type, job_targets(job), job.parameters, triggered_by, job.id)
    return Queued(run.id, job.priority)


def queue_run(
    session: Session,
    job_types: JobTypeRegistry,
    job_type: str,
    targets: Targets,
    parameters: Mapping[str, Any] | None = None,
    triggered_by: str | None = None,
) -> Queued:
    """A queued ad-hoc run of ``job_type`` over ``targets``, its parameters validated, to enqueue."""
    job_cls = job_types.job_type(job_type)
    values = job_cls.validate(parameters or {})
    return Queued(create_run(session, job_cls.name, targets, values, triggered_by).id)


def cancel_run(session: Session, run_id: int, by: str | None = None, now: datetime | None = None) -> JobRun:
    """Stop run ``run_id``: a queued run ends ``cancelled`` at once; a running one is asked to stop
    (its worker sees the request within seconds, finishes the hosts under way, skips the others and
    ends it ``cancelled``). A run that has ended raises a one-line ``JobError``.
    """
    by = check_text(by, "cancelled by", JobError) or audit.acting_user()
    run = session.scalar(select(JobRun).where(JobRun.id == run_id).with_for_update())
    if run is None:
        raise JobNotFound(f"no run with id {run_id}")
    status = run.status
    if status not in ACTIVE:
        raise JobError(f"run {run_id} has ended ({status}): nothing to cancel")
    now = now or utcnow()
    if run.cancel_requested_at is None:
        run.cancel_requested_at, run.cancel_requested_by = now, by
    if run.status == "queued":
        run.status, run.completed_at = "cancelled", now
        run.message = f"cancelled by {by} before it started" if by else "cancelled before it started"
    session.flush()
    audit.record(session, "run.cancel", "run", run.id, {"status": [status, run.status]})
    return run


def active_runs(session: Session) -> dict[int, tuple[int, str]]:
    """The oldest queued or running run of each job that has one: job id -> (run id, status)."""
    rows = session.execute(
        select(JobRun.job_id, JobRun.id, JobRun.status)
        .where(JobRun.status.in_(ACTIVE), JobRun.job_id.is_not(None))
        .order_by(JobRun.id.desc())
    )
    return {job_id: (run_id, status) for job_id, run_id, status in rows if job_id is not None}


def job_targets(job: Job) -> Targets:
    """What ``job`` reaches now; a ``JobError`` when its devices and tags were all removed."""
    devices, tags = [d.hostname for d in job.devices], [t.name for t in job.tags]
    if not (job.target_all or devices or tags):
        raise JobError(f"job {job.name!r} has no targets left: its devices and tags were removed")
    return Targets.of(devices, tags, job.target_all)


def last_heartbeat(session: Session) -> tuple[datetime | None, str | None]:
    """The newest heartbeat of any run and the worker that sent it: when a worker was last seen
    (workers beat only while they run something)."""
    row = session.execute(
        select(JobRun.heartbeat_at, JobRun.worker)
        .where(JobRun.heartbeat_at.is_not(None))
        .order_by(JobRun.heartbeat_at.desc())
        .limit(1)
    ).first()
    return (row.heartbeat_at, row.worker) if row is not None else (None, None)
