"""A JobRun's lifecycle in the database once created (:mod:`netraven.jobs.runs`): claimed once, kept alive,
finished once."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from netraven.db.base import utcnow
from netraven.db.models import Device, JobResult, JobRun
from netraven.exceptions import JobError
from netraven.jobs.events import HostOutcome, RunSummary

log = logging.getLogger("netraven.runner")

CANCEL_POLL = 2.0  # seconds between two looks for a cancel request of a running run


def claim_run(sessions: sessionmaker[Session], run_id: int, worker: str) -> None:
    """Mark run ``run_id`` running for ``worker``; a ``JobError`` if it is not queued.

    One conditional UPDATE: of two workers handed the same run, exactly one claims it.
    """
    now = utcnow()
    with sessions.begin() as session:
        claimed = session.scalar(
            update(JobRun)
            .where(JobRun.id == run_id, JobRun.status == "queued")
            .values(status="running", started_at=now, heartbeat_at=now, worker=worker)
            .returning(JobRun.id)
        )
        if claimed is None:
            run = session.get(JobRun, run_id)
            if run is None:
                raise JobError(f"no run with id {run_id}")
            raise JobError(f"run {run_id} is {run.status}, not queued")


def finish_run(
    sessions: sessionmaker[Session], run_id: int, summary: RunSummary, message: str | None = None
) -> bool:
    """Store the run's final status, counts and message, if it is still running (True then); a run
    cancelled on request says by whom."""
    with sessions.begin() as session:
        by = session.scalar(select(JobRun.cancel_requested_by).where(JobRun.id == run_id))
        if summary.status == "cancelled" and by:
            message = "; ".join(filter(None, (f"cancelled by {by}", message)))
        ended = session.scalar(
            update(JobRun)
            .where(JobRun.id == run_id, JobRun.status == "running")
            .values(
                status=summary.status,
                hosts_total=summary.hosts_total,
                hosts_succeeded=summary.hosts_succeeded,
                hosts_failed=summary.hosts_failed,
                message=message,
                completed_at=utcnow(),
            )
            .returning(JobRun.id)
        )
        return ended is not None


def record_lost_hosts(sessions: sessionmaker[Session], run_id: int, outcomes: Sequence[HostOutcome]) -> None:
    """A JobResult for each host of ``outcomes`` the run lost (no result reached the writer)."""
    if not outcomes:
        return
    try:
        with sessions.begin() as session:
            session.execute(insert(JobResult), [
                {"run_id": run_id, "device_id": o.device_id, "hostname": o.hostname, "status": o.status,
                 "message": o.message, "output": {}}
                for o in outcomes
            ])  # fmt: skip
    except Exception:  # the run's own counts still say they failed
        log.exception("run %s: could not record %d lost host(s)", run_id, len(outcomes))


def record_unreported(
    session: Session,
    run_id: int,
    devices: Sequence[int] | Select[Any],
    status: str,
    message: str,
    now: datetime | None = None,
) -> None:
    """A result with ``status`` and ``message`` for each of ``devices`` (ids, or a query of ids; those
    still in the inventory) that run ``run_id`` has none for: its hosts nobody will report."""
    stored = select(JobResult.device_id).where(JobResult.run_id == run_id, JobResult.device_id.is_not(None))
    rows = session.execute(
        select(Device.id, Device.hostname).where(Device.id.in_(devices), Device.id.not_in(stored))
    )
    completed_at = now or utcnow()
    session.add_all(
        JobResult(run_id=run_id, device_id=device_id, hostname=hostname, status=status, message=message,
                  completed_at=completed_at)
        for device_id, hostname in rows
    )  # fmt: skip
    session.flush()


class Heartbeat:
    """Renews a running run's ``heartbeat_at`` every ``interval`` seconds, in a daemon thread.

    A run whose worker died stops beating; the scheduler finds it by its stale heartbeat. If the
    run is found no longer running (the scheduler took it for dead), ``on_lost`` is called once,
    so that the run stops instead of going on beside its replacement. Every :data:`CANCEL_POLL`
    seconds (or ``interval``, if shorter) the thread also looks whether someone asked the run to
    stop (:func:`netraven.jobs.cancel_run`) and then calls ``on_cancel`` once.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        run_id: int,
        interval: float,
        on_lost: Callable[[], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._run_id = run_id
        self._interval = interval
        self._on_lost = on_lost
        self._on_cancel = on_cancel
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-run-{run_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        step = min(self._interval, CANCEL_POLL)
        last = time.monotonic()
        while not self._stop.wait(step):
            if self._on_cancel is not None and self._cancel_requested():
                log.info("run %s: cancel requested, stopping it", self._run_id)
                self._on_cancel()
                self._on_cancel = None
            if time.monotonic() - last < self._interval - step / 2:
                continue
            last = time.monotonic()
            try:
                with self._sessions.begin() as session:
                    beaten = session.scalar(
                        update(JobRun)
                        .where(JobRun.id == self._run_id, JobRun.status == "running")
                        .values(heartbeat_at=utcnow())
                        .returning(JobRun.id)
                    )
            except Exception:  # a missed beat is retried at the next interval
                log.warning("run %s: could not renew the heartbeat", self._run_id, exc_info=True)
                continue
            if beaten is None:
                log.error("run %s was ended by someone else while running here: stopping it", self._run_id)
                if self._on_lost is not None:
                    self._on_lost()
                return

    def _cancel_requested(self) -> bool:
        try:
            with self._sessions() as session:
                query = select(JobRun.cancel_requested_at).where(JobRun.id == self._run_id)
                return session.scalar(query) is not None
        except Exception:  # looked at again at the next step
            log.warning("run %s: could not look for a cancel request", self._run_id, exc_info=True)
            return False
