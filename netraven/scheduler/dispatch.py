"""Dispatch: due jobs become queued JobRuns; runs whose worker died are failed or re-queued.

Each function works inside the caller's transaction and returns the runs to enqueue once it
commits: a task enqueued earlier could reach a worker before its run exists. A run queued but
never enqueued (the process died in between) is found again by :func:`stale_queued_runs`.

Only one dispatcher works at a time: on PostgreSQL the tick takes a transaction advisory lock
(:func:`take_dispatch_lock`) and job and run rows are locked ``FOR UPDATE SKIP LOCKED``; SQLite
transactions begin ``IMMEDIATE``, one writer at a time. One job never runs twice at once: a job
with a queued or running run gets no new one (its next due time still moves on).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Literal

from sqlalchemy import and_, exists, func, or_, select, text
from sqlalchemy.orm import Session, selectinload

from netraven.db.models import Job, JobResult, JobRun, RunShard
from netraven.exceptions import JobError
from netraven.jobs.definitions import job_schedule
from netraven.jobs.runs import Queued, active_runs, create_run, job_targets
from netraven.jobs.schedules import next_run
from netraven.jobs.targets import Targets
from netraven.runner.distributed import ATTEMPTS as SHARD_ATTEMPTS
from netraven.runner.runs import record_unreported
from netraven.settings import SchedulerSettings

log = logging.getLogger("netraven.scheduler")

SCHEDULER_USER = "scheduler"  # triggered_by of scheduled runs
_LOCK_KEY = 0x6E657472  # "netr": the advisory lock of the dispatch tick


@dataclass(frozen=True)
class DueSoon:
    """A job due after now but before the next tick."""

    job_id: int
    due: datetime
    priority: int


def take_dispatch_lock(session: Session) -> bool:
    """True if this transaction may dispatch; False while another dispatcher holds the lock."""
    if session.get_bind().dialect.name != "postgresql":
        return True  # SQLite: the transaction already holds the only write lock
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _LOCK_KEY}))


def dispatch_due(session: Session, now: datetime, tz: tzinfo, job_id: int | None = None) -> list[Queued]:
    """Create a run for every enabled job due at ``now`` (only ``job_id``, if given).

    The run is due at the job's ``next_run_at``; missed times coalesce into this one run, and
    the job is next due at its schedule's first time after ``now``.
    """
    query = (
        select(Job)
        .where(Job.enabled.is_(True), Job.next_run_at <= now)
        .order_by(Job.next_run_at, Job.id)
        .options(selectinload(Job.devices), selectinload(Job.tags))
        .with_for_update(skip_locked=True, of=Job)
    )
    if job_id is not None:
        query = query.where(Job.id == job_id)
    jobs = list(session.scalars(query))
    if not jobs:
        return []
    active = active_runs(session)
    queued = []
    for job in jobs:
        due = job.next_run_at
        job.next_run_at = next_run(job_schedule(job), now, tz, last_run=due)
        if job.id in active:
            run_id, status = active[job.id]
            log.warning("job %r due at %s not run: its run %s is still %s; next due %s",
                        job.name, _iso(due), run_id, status, _iso(job.next_run_at))  # fmt: skip
            continue
        try:
            targets = job_targets(job)
        except JobError as exc:  # recorded as a failed run, so that it shows in the job's history
            session.add(JobRun(job_id=job.id, job_type=job.job_type, parameters=job.parameters,
                               targets=Targets().to_dict(), status="failed", message=str(exc),
                               scheduled_for=due, triggered_by=SCHEDULER_USER, completed_at=now))  # fmt: skip
            log.error("job %r due at %s not run: %s", job.name, _iso(due), exc)
            continue
        run = create_run(session, job.job_type, targets, job.parameters, SCHEDULER_USER, job.id, due)
        log.info("job %r due at %s: run %s queued", job.name, _iso(due), run.id)
        queued.append(Queued(run.id, job.priority))
    session.flush()
    return queued


def due_soon(session: Session, now: datetime, horizon: timedelta, job_id: int | None = None) -> list[DueSoon]:
    """Enabled jobs (only ``job_id``, if given) due after ``now`` and at most ``horizon`` later."""
    query = select(Job.id, Job.next_run_at, Job.priority).where(
        Job.enabled.is_(True), Job.next_run_at > now, Job.next_run_at <= now + horizon
    )
    if job_id is not None:
        query = query.where(Job.id == job_id)
    return [DueSoon(job, due, priority) for job, due, priority in session.execute(query) if due is not None]


def reap_dead_runs(
    session: Session,
    now: datetime,
    lease_seconds: float,
    on_dead_run: Literal["fail", "requeue"],
    max_requeues: int = SchedulerSettings.max_requeues,
) -> list[Queued]:
    """Fail every running run without a heartbeat for ``lease_seconds``; with ``requeue``, queue a
    new run in its place (returned), unless it was re-queued ``max_requeues`` times already. Its
    host counts are those of the results it wrote.

    A run whose heartbeat is fresh is never touched: its worker is alive (settings keep the lease
    at least two heartbeats long), whatever the run is taking.
    """
    cutoff = now - timedelta(seconds=lease_seconds)
    stale = or_(JobRun.heartbeat_at < cutoff, and_(JobRun.heartbeat_at.is_(None), JobRun.started_at < cutoff))
    sharded = exists().where(RunShard.run_id == JobRun.id)  # its shards are reaped instead
    dead = session.scalars(
        select(JobRun)
        .where(JobRun.status == "running", stale, ~sharded)
        .order_by(JobRun.id)
        .options(selectinload(JobRun.job))
        .with_for_update(skip_locked=True, of=JobRun)
    )
    queued = []
    for run in dead:
        since = run.heartbeat_at or run.started_at
        reason = f"worker lost: no heartbeat since {_iso(since)} from {run.worker or 'an unknown worker'}"
        if on_dead_run == "requeue" and run.requeues >= max_requeues:
            reason += f"; not re-queued: re-queued {run.requeues} time(s) already (scheduler.max_requeues)"
        elif on_dead_run == "requeue":
            retry = JobRun(job_id=run.job_id, job_type=run.job_type, parameters=run.parameters,
                           targets=run.targets, status="queued", scheduled_for=run.scheduled_for,
                           triggered_by=run.triggered_by, requeues=run.requeues + 1)  # fmt: skip
            session.add(retry)
            session.flush()
            reason += f"; re-queued as run {retry.id}"
            queued.append(Queued(retry.id, run.job.priority if run.job else 0))
        finish_with_results(session, run, "failed", reason, now)
        log.warning("run %s: %s", run.id, reason)
    session.flush()
    return queued


def reap_dead_shards(session: Session, now: datetime, lease_seconds: float) -> tuple[list[int], list[int]]:
    """Shards of distributed runs whose worker was lost: re-queued once (returned first, to enqueue
    after the commit), then ended ``failed`` with their unreported hosts failed. Also returns the
    runs to finalise: those whose last shard ended so, or ended a lease ago with no finaliser."""
    cutoff = now - timedelta(seconds=lease_seconds)
    dead = session.scalars(
        select(RunShard)
        .where(RunShard.status == "running", RunShard.heartbeat_at < cutoff)
        .order_by(RunShard.id)
        .with_for_update(skip_locked=True)
    )
    requeue: list[int] = []
    failed_runs: set[int] = set()
    for shard in dead:
        lost = f"worker lost: no heartbeat since {_iso(shard.heartbeat_at)} from {shard.worker}"
        log.warning("run %s: shard %s: %s", shard.run_id, shard.id, lost)
        if shard.attempts < SHARD_ATTEMPTS:
            shard.status, shard.worker, shard.message = "queued", None, f"{lost}; re-queued"
            requeue.append(shard.id)
            continue
        record_unreported(session, shard.run_id, shard.device_ids, "failed", f"not reported: {lost}", now)
        shard.status, shard.completed_at, shard.message = "failed", now, lost
        failed_runs.add(shard.run_id)
    session.flush()
    unfinished = exists().where(RunShard.run_id == JobRun.id, RunShard.status.in_(("queued", "running")))
    ended_long_ago = (
        select(RunShard.run_id).group_by(RunShard.run_id).having(func.max(RunShard.completed_at) < cutoff)
    )
    finalize = session.scalars(
        select(JobRun.id)
        .where(JobRun.status == "running", ~unfinished)
        .where(or_(JobRun.id.in_(ended_long_ago), JobRun.id.in_(failed_runs)))
        .order_by(JobRun.id)
    )
    return requeue, list(finalize)


def stale_queued_shards(session: Session, now: datetime, older_than: float) -> list[int]:
    """Shards queued more than ``older_than`` seconds ago: the caller re-enqueues those missing
    from the queue (only one worker can take a shard)."""
    query = select(RunShard.id).where(
        RunShard.status == "queued", RunShard.created_at < now - timedelta(seconds=older_than)
    )
    return list(session.scalars(query.order_by(RunShard.id)))


def finish_with_results(session: Session, run: JobRun, status: str, message: str, now: datetime) -> None:
    """End ``run`` (not by its worker) with ``status``: every target host it never reported gets a
    result saying why (failed; skipped when the run is cancelled), and the counts are its results'."""
    # The targets are resolved now: the run's own host list died with its process (a device added
    # since counts as one of its hosts).
    targets = Targets.from_dict(run.targets).query().order_by(None)
    why = f"not reported before the run ended: {message}"
    record_unreported(session, run.id, targets, "skipped" if status == "cancelled" else "failed", why, now)
    query = (
        select(JobResult.status, func.count()).where(JobResult.run_id == run.id).group_by(JobResult.status)
    )
    counts: dict[str, int] = {status: count for status, count in session.execute(query)}
    run.status, run.message, run.completed_at = status, message, now
    run.hosts_succeeded = counts.get("succeeded", 0)
    run.hosts_failed = counts.get("failed", 0)
    run.hosts_total = max(run.hosts_total, sum(counts.values()))


def stale_queued_runs(session: Session, now: datetime, older_than: float) -> list[Queued]:
    """Runs queued more than ``older_than`` seconds ago: the caller re-enqueues those missing
    from the queue (a second delivery is harmless: only one worker can claim a run)."""
    rows = session.execute(
        select(JobRun.id, Job.priority)
        .outerjoin(Job, Job.id == JobRun.job_id)
        .where(JobRun.status == "queued", JobRun.created_at < now - timedelta(seconds=older_than))
        .order_by(JobRun.id)
    )
    return [Queued(run_id, priority or 0) for run_id, priority in rows]


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else "-"
