"""A run's progress as the database shows it, for live views (the web API's server-sent events).

Everything comes from the rows the run's worker commits (the run's status and counts, one
JobResult per host done), never from the memory of the process running it: a run executing in
a worker process or on another machine is followed the same way.

Result rows get their ids when inserted but become visible when their transaction commits, and
a run's writers commit concurrently (threads, shard processes, workers): a row can appear after
rows with higher ids. So each look goes back :data:`LOOKBACK` ids below the highest seen and
skips the ids already returned, as :class:`netraven.logs.Tail` does for log lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netraven.db.models import JobResult, JobRun
from netraven.exceptions import JobNotFound
from netraven.jobs.runs import ACTIVE
from netraven.jobs.views import result_to_dict, run_to_dict

LOOKBACK = 1000  # ids: far more result rows than a run has in flight at once
BATCH = 500


@dataclass(frozen=True, slots=True)
class Progress:
    """What changed since the last look: the hosts done since (as result views, by id), the run's
    summary with counts from its results so far, and whether the run has ended."""

    hosts: list[dict[str, Any]]
    run: dict[str, Any]
    counts: dict[str, int]
    ended: bool


class RunFeed:
    """The progress of run ``run_id`` from host results above id ``after`` (0: from the start)."""

    def __init__(self, run_id: int, after: int = 0) -> None:
        self.run_id = run_id
        self.start = after
        self.high = after
        self.seen: set[int] = set()

    def poll(self, session: Session) -> Progress:
        """The hosts done since the last poll (at most :data:`BATCH`) and the run as it is now.

        ``ended`` is set only once every host result is read: the last poll of an ended run
        returns its final status with every host before it.
        """
        run = session.scalar(select(JobRun).where(JobRun.id == self.run_id))
        if run is None:
            raise JobNotFound(f"no run with id {self.run_id}")
        floor = max(self.start, self.high - LOOKBACK)
        rows = session.scalars(
            select(JobResult)
            .where(JobResult.run_id == self.run_id, JobResult.id > floor)
            .order_by(JobResult.id)
            .limit(LOOKBACK + BATCH)
        )
        new = [row for row in rows if row.id not in self.seen][:BATCH]
        self.seen.update(row.id for row in new)
        self.high = max([self.high, *(row.id for row in new)])
        self.seen = {i for i in self.seen if i > max(self.start, self.high - LOOKBACK)}
        counts = result_counts(session, self.run_id)
        ended = run.status not in ACTIVE and len(new) < BATCH
        hosts = [{"id": row.id, **result_to_dict(row)} for row in new]
        return Progress(hosts, run_to_dict(run), counts, ended)


def result_counts(session: Session, run_id: int) -> dict[str, int]:
    """How many hosts of run ``run_id`` have a result, by status (every status present, 0 or more)."""
    query = (
        select(JobResult.status, func.count()).where(JobResult.run_id == run_id).group_by(JobResult.status)
    )
    counts = {"succeeded": 0, "failed": 0, "skipped": 0}
    counts.update({status: count for status, count in session.execute(query)})
    counts["done"] = sum(counts.values())
    return counts


def failure_kinds(session: Session, run_id: int) -> dict[str, int]:
    """How many hosts of run ``run_id`` failed, by error kind (``auth``, ``timeout``...; ``other``
    for a failure without one), the most frequent first."""
    kind = func.coalesce(JobResult.error_kind, "other")
    query = (
        select(kind, func.count())
        .where(JobResult.run_id == run_id, JobResult.status == "failed")
        .group_by(kind)
    )
    return dict(sorted(((k, n) for k, n in session.execute(query)), key=lambda item: (-item[1], item[0])))


def latest_result_id(session: Session, run_id: int) -> int:
    """The highest host result id of run ``run_id`` (0 for none): where a live view starts following."""
    return session.scalar(select(func.max(JobResult.id)).where(JobResult.run_id == run_id)) or 0
