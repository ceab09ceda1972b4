"""Reading past runs: a run and its per-host results, the latest runs, waiting for one to end."""

from __future__ import annotations

import time
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from netraven.db.models import JobResult, JobRun
from netraven.exceptions import JobError, JobNotFound
from netraven.jobs.runs import ACTIVE


def get_run(session: Session, run_id: int) -> JobRun:
    """Run ``run_id`` with its job; a one-line ``JobError`` if there is none."""
    run = session.scalar(select(JobRun).where(JobRun.id == run_id).options(selectinload(JobRun.job)))
    if run is None:
        raise JobNotFound(f"no run with id {run_id}")
    return run


def run_results(session: Session, run_id: int) -> list[JobResult]:
    """Run ``run_id``'s per-host results, by hostname."""
    return list(
        session.scalars(select(JobResult).where(JobResult.run_id == run_id).order_by(JobResult.hostname))
    )


def list_runs(session: Session, job_id: int | None = None, limit: int = 20) -> list[JobRun]:
    """The latest ``limit`` runs, newest first, their jobs loaded: of one job, or of all (ad-hoc
    runs included)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise JobError(f"limit {limit!r} must be a positive integer")
    query = select(JobRun).options(selectinload(JobRun.job)).order_by(JobRun.id.desc()).limit(limit)
    if job_id is not None:
        query = query.where(JobRun.job_id == job_id)
    return list(session.scalars(query))


def latest_runs(session: Session, job_ids: Collection[int] | None = None) -> dict[int, JobRun]:
    """Each job's latest run (of ``job_ids`` only, if given), by job id (jobs that never ran are absent)."""
    latest = select(func.max(JobRun.id)).where(JobRun.job_id.is_not(None)).group_by(JobRun.job_id)
    if job_ids is not None:
        latest = latest.where(JobRun.job_id.in_(job_ids))
    return {
        run.job_id: run for run in session.scalars(select(JobRun).where(JobRun.id.in_(latest))) if run.job_id
    }


def wait_for_run(
    sessions: sessionmaker[Session], run_id: int, poll: float = 0.5, timeout: float | None = None
) -> JobRun:
    """The run once it has ended (or, after ``timeout`` seconds, as it is then)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        with sessions() as session:
            run = get_run(session, run_id)
        if run.status not in ACTIVE or (deadline is not None and time.monotonic() >= deadline):
            return run
        time.sleep(poll)
