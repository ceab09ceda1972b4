"""What the messages need from a finished run's committed rows: its job, failures, the devices'
streaks of failed runs and their tags. Streaks count succeeded and failed results of the run's job
type only: a skipped host says nothing of its device."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netraven.db.models import Job, JobResult, JobRun, Tag, device_tags
from netraven.jobs.events import RunInfo
from netraven_notify.events import Failure

CHUNK = 500  # device ids per IN (...) list


@dataclass(frozen=True)
class Streaks:
    """Devices whose failing streak reached the threshold in this run, and those it ended."""

    failing: list[Failure]
    recovered: list[tuple[str, int]]  # (hostname, device id)


def job_name(session: Session, job_id: int | None) -> str | None:
    return session.scalar(select(Job.name).where(Job.id == job_id)) if job_id is not None else None


def run_message(session: Session, run_id: int) -> str:
    """The run's own message (why a run failed as a whole, git warnings), or empty."""
    return session.scalar(select(JobRun.message).where(JobRun.id == run_id)) or ""


def run_failures(session: Session, run_id: int) -> tuple[list[Failure], dict[str, int]]:
    """The run's failed hosts by hostname, and how many failed of each error kind."""
    rows = session.execute(
        select(JobResult.hostname, JobResult.device_id, JobResult.error_kind, JobResult.message)
        .where(JobResult.run_id == run_id, JobResult.status == "failed")
        .order_by(JobResult.hostname)
    ).all()
    failures = [Failure(row.hostname, row.device_id, row.error_kind, row.message or "") for row in rows]
    return failures, dict(Counter(f.kind or "other" for f in failures))


def streaks(session: Session, run: RunInfo, threshold: int) -> Streaks:
    """Devices of ``run`` that failed exactly ``threshold`` runs in a row with it, and those that
    succeeded in it after at least ``threshold`` failures: each streak is told once each way."""
    mine = session.execute(
        select(
            JobResult.device_id, JobResult.hostname, JobResult.status, JobResult.error_kind, JobResult.message
        )
        .where(JobResult.run_id == run.run_id, JobResult.device_id.is_not(None))
        .where(JobResult.status.in_(("succeeded", "failed")))
    ).all()
    history: dict[int, list[str]] = defaultdict(list)
    ids = [row.device_id for row in mine]
    for start in range(0, len(ids), CHUNK):
        for device_id, status in _recent(session, run, ids[start : start + CHUNK], threshold + 1):
            history[device_id].append(status)
    failing, recovered = [], []
    for row in mine:
        statuses = history[row.device_id]  # newest first, this run's result first
        if row.status == "failed":
            streak = statuses[:threshold]
            if len(streak) == threshold and set(streak) == {"failed"} and statuses[threshold:] != ["failed"]:
                failing.append(Failure(row.hostname, row.device_id, row.error_kind, row.message or ""))
        elif statuses[1 : threshold + 1] == ["failed"] * threshold:
            recovered.append((row.hostname, row.device_id))
    return Streaks(failing, recovered)


def _recent(session: Session, run: RunInfo, device_ids: list[int], depth: int) -> Iterable[tuple[int, str]]:
    """(device id, status) of each device's newest ``depth`` results of the run's job type up to
    this run, newest first."""
    rank = (
        func.row_number()
        .over(partition_by=JobResult.device_id, order_by=(JobResult.run_id.desc(), JobResult.id.desc()))
        .label("rank")
    )
    ranked = (
        select(JobResult.device_id, JobResult.status, JobResult.run_id, rank)
        .join(JobRun, JobRun.id == JobResult.run_id)
        .where(JobResult.device_id.in_(device_ids), JobResult.run_id <= run.run_id)
        .where(JobRun.job_type == run.job_type, JobResult.status.in_(("succeeded", "failed")))
        .subquery()
    )
    query = (
        select(ranked.c.device_id, ranked.c.status)
        .where(ranked.c.rank <= depth)
        .order_by(ranked.c.device_id, ranked.c.rank)
    )
    return [(row.device_id, row.status) for row in session.execute(query)]


def tags_of(session: Session, device_ids: Iterable[int]) -> dict[int, set[str]]:
    """Each device's tag names."""
    ids = sorted(set(device_ids))
    found: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(
            select(device_tags.c.device_id, Tag.name)
            .join(Tag, Tag.id == device_tags.c.tag_id)
            .where(device_tags.c.device_id.in_(ids[start : start + CHUNK]))
        )
        for device_id, name in rows:
            found[device_id].add(name)
    return found
