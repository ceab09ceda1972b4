"""Reading past runs: a run and its per-host results."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netraven.db.models import JobResult, JobRun
from netraven.exceptions import JobError


def get_run(session: Session, run_id: int) -> JobRun:
    """Run ``run_id`` with its job; a one-line ``JobError`` if there is none."""
    run = session.scalar(select(JobRun).where(JobRun.id == run_id).options(selectinload(JobRun.job)))
    if run is None:
        raise JobError(f"no run with id {run_id}")
    return run


def run_results(session: Session, run_id: int) -> list[JobResult]:
    """Run ``run_id``'s per-host results, by hostname."""
    return list(
        session.scalars(select(JobResult).where(JobResult.run_id == run_id).order_by(JobResult.hostname))
    )
