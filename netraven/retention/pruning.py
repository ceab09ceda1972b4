"""Deleting what a retention :class:`~netraven.retention.policy.Policy` selects, in short batches.

Each statement deletes at most ``batch_size`` rows in a transaction of its own, so no lock is held
for long (on SQLite each batch holds the write lock briefly; runs and the API write in between).
A run's rows go before the run (job logs, transcripts, results, then the link from config versions),
so the run's own delete cascades to nothing. Every prune that deletes writes one audit row
``retention.prune`` with its counts (also when it fails part way, with what it had deleted);
a dry run only counts, and writes nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from netraven import audit
from netraven.db.base import utcnow
from netraven.db.models import ConnectionLog, DeviceConfiguration, JobLog, JobResult, JobRun
from netraven.exceptions import NetRavenError
from netraven.retention.policy import ACTIVE, KINDS, Policy
from netraven.settings import RetentionSettings

DC = DeviceConfiguration


@dataclass(slots=True)
class PruneReport:
    """What a prune deleted (or, with ``dry_run``, would delete): rows per kind of :data:`KINDS`.

    ``stopped`` says the worker's shutdown ended it between two batches; the rest goes next time.
    """

    dry_run: bool
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    batches: int = 0
    seconds: float = 0.0
    stopped: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def prune(
    sessions: sessionmaker[Session],
    settings: RetentionSettings,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    stop: threading.Event | None = None,
) -> PruneReport:
    """Delete what ``settings`` says is too old, as of ``now`` (default: now), in batches.

    ``dry_run`` counts instead. ``stop``, once set, ends the prune after the current batch.
    A bad setting raises :class:`~netraven.exceptions.ConfigError` before anything is read.
    """
    policy = Policy(settings, now or utcnow())
    started = time.monotonic()
    report = PruneReport(dry_run)
    if dry_run:
        with sessions() as session:
            _count(session, policy, report)
    else:
        try:
            _Pruner(sessions, settings.batch_size, stop, report).run(policy)
        except Exception as exc:
            report.seconds = time.monotonic() - started
            _record(sessions, report, exc)
            raise
    report.seconds = time.monotonic() - started
    if not dry_run:
        _record(sessions, report)
    return report


def report_to_dict(report: PruneReport) -> dict[str, Any]:
    """The JSON view of a report (``netraven prune --json``)."""
    return {
        "dry_run": report.dry_run,
        "deleted" if not report.dry_run else "would_delete": {
            kind.replace(" ", "_"): count for kind, count in report.counts.items()
        },
        "batches": report.batches,
        "seconds": round(report.seconds, 3),
        "stopped": report.stopped,
    }


class _Pruner:
    def __init__(
        self, sessions: sessionmaker[Session], batch: int, stop: threading.Event | None, report: PruneReport
    ) -> None:
        self.sessions, self.batch, self.stop, self.report = sessions, batch, stop, report

    def run(self, policy: Policy) -> None:
        counts = self.report.counts
        for chunk in self._chunks(policy.transcript_runs()):
            counts["transcripts"] += self._delete(ConnectionLog.id, ConnectionLog.run_id.in_(chunk))
        for chunk in self._chunks(policy.runs()):
            counts["job logs"] += self._delete(JobLog.id, JobLog.run_id.in_(chunk))
            counts["transcripts"] += self._delete(ConnectionLog.id, ConnectionLog.run_id.in_(chunk))
            counts["results"] += self._delete(JobResult.id, JobResult.run_id.in_(chunk))
            self._unlink_versions(chunk)
            counts["runs"] += self._execute(
                delete(JobRun).where(JobRun.id.in_(chunk), JobRun.status.not_in(ACTIVE))
            )
        orphans = policy.orphan_logs()
        if orphans is not None:
            counts["job logs"] += self._delete(JobLog.id, orphans)
        for chunk in self._chunks(policy.config_versions()):  # a mark set since is still honoured
            counts["config versions"] += self._execute(
                delete(DC).where(DC.id.in_(chunk), ~DC.keep, ~DC.git_pending)
            )

    def _stopping(self) -> bool:
        if self.stop is not None and self.stop.is_set():
            self.report.stopped = True
        return self.report.stopped

    def _chunks(self, query: Select[int] | None) -> Iterator[list[int]]:
        """The ids ``query`` selects (read once, in a short transaction), ``batch`` at a time."""
        if query is None:
            return
        with self.sessions() as session:
            ids = list(session.scalars(query))
        for start in range(0, len(ids), self.batch):
            if self._stopping():
                return
            yield ids[start : start + self.batch]

    def _delete(self, key: InstrumentedAttribute[int], where: ColumnElement[bool]) -> int:
        """Delete the rows of ``key``'s table matching ``where``, ``batch`` rows per transaction."""
        table = key.class_
        deleted = 0
        while not self._stopping():
            batch = select(key).where(where).limit(self.batch)
            count = self._execute(delete(table).where(key.in_(batch)))
            deleted += count
            if count < self.batch:
                break
        return deleted

    def _unlink_versions(self, runs: list[int]) -> None:
        """Versions stored by these runs keep their text and lose the run (the foreign key's SET NULL,
        done here ``batch`` rows at a time rather than inside the runs' delete)."""
        while not self._stopping():
            batch = select(DC.id).where(DC.run_id.in_(runs)).limit(self.batch)
            if self._execute(update(DC).where(DC.id.in_(batch)).values(run_id=None)) < self.batch:
                break

    def _execute(self, statement: Any) -> int:
        with self.sessions.begin() as session:
            result = session.execute(statement, execution_options={"synchronize_session": False})
        self.report.batches += 1
        return int(getattr(result, "rowcount", 0) or 0)


def _count(session: Session, policy: Policy, report: PruneReport) -> None:
    counts = report.counts
    runs, transcript_runs = policy.runs(), policy.transcript_runs()
    if runs is not None:
        runs = runs.order_by(None)
        counts["runs"] = _rows(session, runs)
        counts["results"] = _rows(session, select(JobResult.id).where(JobResult.run_id.in_(runs)))
        counts["job logs"] = _rows(session, select(JobLog.id).where(JobLog.run_id.in_(runs)))
    orphans = policy.orphan_logs()
    if orphans is not None:
        counts["job logs"] += _rows(session, select(JobLog.id).where(orphans))
    if transcript_runs is not None:
        of_runs = ConnectionLog.run_id.in_(transcript_runs.order_by(None))
        counts["transcripts"] = _rows(session, select(ConnectionLog.id).where(of_runs))
    versions = policy.config_versions()
    if versions is not None:
        counts["config versions"] = _rows(session, versions)


def _rows(session: Session, query: Select[int]) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def _record(sessions: sessionmaker[Session], report: PruneReport, error: BaseException | None = None) -> None:
    """The prune's audit row, in a transaction of its own: the counts, and the error's line if any."""
    changes = {kind.replace(" ", "_"): count for kind, count in report.counts.items()}
    detail = f"{report.batches} batch(es) in {report.seconds:.1f} s"
    if report.stopped:
        detail += "; stopped by the worker's shutdown, the rest goes next time"
    if error is not None:
        why = str(error).strip().splitlines()[0] if isinstance(error, NetRavenError) else type(error).__name__
        detail += f"; failed: {why}"
    try:
        with sessions.begin() as session:
            audit.record(session, "retention.prune", "retention", None, changes,
                         "failed" if error else "succeeded", detail)  # fmt: skip
    except NetRavenError:
        if error is None:
            raise
