"""Runs spread over the workers of every machine: shards of a run as tasks on the shared queue.

A worker's run of more than ``runner.shard_size`` hosts, when the database is PostgreSQL and the
queue Redis or PostgreSQL (every machine reaches both) and its job type is ``distributable``, is
split into :class:`~netraven.db.models.RunShard` rows, each enqueued as a task. Any worker takes
one, runs its hosts with its own Nornir threads and writes their rows itself, renewing the
shard's and the run's heartbeats. The shard that ends last finalises the run, once: its counts
from its results, the job type's ``finish`` (a backup's git commit), its status and the
``netraven_run_finished`` hook. A shard whose worker was lost is re-queued once (hosts it stored
are not run again), then its unreported hosts fail (see :mod:`netraven.scheduler.dispatch`). A
cancel request stops running shards at their next heartbeat and skips the hosts of queued ones.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from netraven.credentials.store import unreadable_note
from netraven.db.base import utcnow
from netraven.db.models import JobResult, JobRun, RunShard
from netraven.inventory.circuit import gate_devices
from netraven.jobs.base import JobType, RunContext, RunServices
from netraven.jobs.events import RunInfo, RunSummary
from netraven.plugins import NetRavenPluginManager, notify
from netraven.runner.runs import CANCEL_POLL, finish_run, record_unreported
from netraven.runner.stored_run import run_and_store
from netraven.settings import Settings

log = logging.getLogger("netraven.runner")

ATTEMPTS = 2  # a shard is run at most this many times (re-queued once after a lost worker)
UNFINISHED = ("queued", "running")


class Distributed(Exception):  # control flow, not an error
    """The run was split into ``shards`` shards on the queue: it goes on there."""

    def __init__(self, shards: int) -> None:
        super().__init__(f"{shards} shards")
        self.shards = shards


def shard_parts(
    settings: Settings, engine: Engine, job_cls: type[JobType], device_ids: list[int]
) -> list[list[int]]:
    """The device ids of each shard of a run over ``device_ids``, or ``[]`` to run it on this worker."""
    size = settings.runner.shard_size
    if not size or len(device_ids) <= size or not job_cls.distributable:
        return []
    if engine.dialect.name != "postgresql" or settings.huey.backend == "sqlite" or settings.huey.immediate:
        return []  # another machine could not reach the database or the queue (documented)
    ids = sorted(device_ids)
    count = -(-len(ids) // size)
    return [ids[index * len(ids) // count : (index + 1) * len(ids) // count] for index in range(count)]


def create_shards(sessions: sessionmaker[Session], run_id: int, parts: list[list[int]]) -> list[int]:
    """Store the queued shards of run ``run_id`` (committed: they may be enqueued); their ids."""
    with sessions.begin() as session:
        shards = [
            RunShard(run_id=run_id, index=i, device_ids=part, status="queued") for i, part in enumerate(parts)
        ]
        session.add_all(shards)
        session.flush()
        return [shard.id for shard in shards]


def execute_shard(
    shard_id: int,
    *,
    settings: Settings,
    engine: Engine,
    sessions: sessionmaker[Session],
    plugin_manager: NetRavenPluginManager,
    worker: str,
    stop: threading.Event,
) -> None:
    """Run shard ``shard_id`` here if it is still queued, and finalise its run if it ends last."""
    claimed = _claim(sessions, shard_id, worker)
    if claimed is None:
        return
    shard, run = claimed
    info = RunInfo(run.id, run.job_id, run.job_type, dict(run.parameters), run.triggered_by or "")
    if run.cancel_requested_at is not None:
        with sessions.begin() as session:
            record_unreported(
                session, run.id, shard.device_ids, "skipped", "not started: the run was cancelled"
            )
        status = "cancelled"
    else:
        job_cls = plugin_manager.job_types.job_type(run.job_type)
        params = job_cls.validate(run.parameters)
        job = job_cls()
        with sessions.begin() as session:
            job.prepare(RunContext(session, settings, info))
            stored = set(session.scalars(select(JobResult.device_id).where(JobResult.run_id == run.id)))
            todo = [device_id for device_id in shard.device_ids if device_id not in stored]
            skips = gate_devices(session, todo, settings) if job_cls.logs_in else {}
        todo = [device_id for device_id in todo if device_id not in skips]
        shard_stop, interval = _Stop(stop), settings.scheduler.heartbeat_interval
        with ShardBeat(sessions, shard.id, run.id, worker, interval, shard_stop.set):
            run_and_store(info=info, job=job, params=params, device_ids=todo, settings=settings,
                          engine=engine, sessions=sessions, plugin_manager=plugin_manager,
                          stop=shard_stop, skips=skips)  # fmt: skip
        status = "done"
    if end_shard(sessions, shard.id, run.id, worker, status):
        finalize_run(run.id, settings=settings, sessions=sessions, plugin_manager=plugin_manager)


def end_shard(sessions: sessionmaker[Session], shard_id: int, run_id: int, worker: str, status: str) -> bool:
    """Mark the shard ended if ``worker`` still holds it; True when it was the last of its run to
    end. The run's row is locked meanwhile: of two shards ending at once, exactly one sees none left."""
    with sessions.begin() as session:
        session.execute(select(JobRun.id).where(JobRun.id == run_id).with_for_update())
        mine = (RunShard.id == shard_id, RunShard.status == "running", RunShard.worker == worker)
        ended = update(RunShard).where(*mine).values(status=status, completed_at=utcnow())
        if session.scalar(ended.returning(RunShard.id)) is None:
            return False
        return not _unfinished(session, run_id)


def finalize_run(
    run_id: int, *, settings: Settings, sessions: sessionmaker[Session], plugin_manager: NetRavenPluginManager
) -> RunSummary | None:
    """End the distributed run ``run_id`` from its results (once: None if it has ended already)."""
    with sessions() as session:
        run = session.get(JobRun, run_id)
        if run is None or run.status != "running":
            return None
        info = RunInfo(run.id, run.job_id, run.job_type, dict(run.parameters), run.triggered_by or "")
        cancelled = run.cancel_requested_at is not None
    message: str | None
    try:
        job = plugin_manager.job_types.job_type(info.job_type)()  # distributable: no prepare() needed
        with sessions.begin() as session:
            message = job.finish(RunContext(session, settings, info))
    except Exception as exc:  # the run still ends, with its counts and the reason
        log.exception("run %s: finishing it failed", run_id)
        message = f"finishing the run failed: {type(exc).__name__}"
    with sessions() as session:
        counts: dict[str, int] = dict(
            session.execute(  # type: ignore[arg-type]
                select(JobResult.status, func.count())
                .where(JobResult.run_id == run_id)
                .group_by(JobResult.status)
            ).all()
        )
        parts = session.scalars(select(RunShard.device_ids).where(RunShard.run_id == run_id))
        unreadable = unreadable_note(session, settings, [device_id for part in parts for device_id in part])
    if unreadable:  # as a run in one place: each host's log says it skipped them, the run says it once
        log.warning("run %s: %s", run_id, unreadable)
        message = "; ".join(filter(None, (message, unreadable)))
    succeeded, failed = counts.get("succeeded", 0), counts.get("failed", 0)
    if cancelled and counts.get("skipped"):
        status = "cancelled"
    elif succeeded == sum(counts.values()):  # as a run in one place: a skipped host was not done either
        status = "succeeded"
    else:
        status = "partial" if succeeded else "failed"
    summary = RunSummary(status, sum(counts.values()), succeeded, failed)  # type: ignore[arg-type]
    if not finish_run(sessions, run_id, summary, message):
        return None
    log.info("run %s %s: %s", run_id, status, message or f"{succeeded}/{summary.hosts_total} hosts succeeded")
    notify(
        plugin_manager,
        "netraven_run_finished",
        run=info,
        summary=summary,
        services=RunServices(settings, sessions),
    )
    return summary


class ShardBeat:
    """Renews a running shard's heartbeat and its run's, in a daemon thread; calls ``on_stop`` once
    when the run is cancelled or the shard was taken from this worker (its worker taken for lost)."""

    def __init__(
        self, sessions: sessionmaker[Session], shard_id: int, run_id: int, worker: str, interval: float,
        on_stop: Any,
    ) -> None:  # fmt: skip
        self._sessions, self._shard_id, self._run_id, self._worker = sessions, shard_id, run_id, worker
        self._interval, self._on_stop = min(interval, CANCEL_POLL), on_stop
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-shard-{shard_id}", daemon=True)

    def __enter__(self) -> ShardBeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _beat(self) -> None:
        mine = (RunShard.id == self._shard_id, RunShard.status == "running", RunShard.worker == self._worker)
        while not self._done.wait(self._interval):
            now = utcnow()
            try:
                with self._sessions.begin() as session:
                    held = session.scalar(
                        update(RunShard).where(*mine).values(heartbeat_at=now).returning(RunShard.id)
                    )
                    run = update(JobRun).where(JobRun.id == self._run_id, JobRun.status == "running")
                    session.execute(run.values(heartbeat_at=now))
                    asked = select(JobRun.cancel_requested_at).where(JobRun.id == self._run_id)
                    cancelled = session.scalar(asked)
            except Exception:  # a missed beat is retried at the next one
                log.warning("shard %s: could not renew the heartbeat", self._shard_id, exc_info=True)
                continue
            if held is None or cancelled is not None:
                why = (
                    "cancel requested"
                    if held is not None
                    else "it was taken from this worker, taken for lost"
                )
                log.info("run %s: shard %s stopping: %s", self._run_id, self._shard_id, why)
                self._on_stop()
                return


class _Stop(threading.Event):
    """Set for this shard alone, or with the worker's ``outer`` stop."""

    def __init__(self, outer: threading.Event) -> None:
        super().__init__()
        self._outer = outer

    def is_set(self) -> bool:
        return super().is_set() or self._outer.is_set()


def _claim(sessions: sessionmaker[Session], shard_id: int, worker: str) -> tuple[RunShard, JobRun] | None:
    """Take the shard for ``worker`` if it is queued and its run running; the shard and its run."""
    now = utcnow()
    with sessions.begin() as session:
        running = select(JobRun.id).where(JobRun.status == "running")
        taken = session.scalar(
            update(RunShard)
            .where(RunShard.id == shard_id, RunShard.status == "queued", RunShard.run_id.in_(running))
            .values(
                status="running",
                worker=worker,
                started_at=now,
                heartbeat_at=now,
                attempts=RunShard.attempts + 1,
            )
            .returning(RunShard.id)
        )
        if taken is None:
            log.info("shard %s not started: it is no longer queued, or its run has ended", shard_id)
            return None
        shard = session.get_one(RunShard, shard_id)
        run = session.get_one(JobRun, shard.run_id)
        session.expunge_all()
        return shard, run


def _unfinished(session: Session, run_id: int) -> int:
    query = (
        select(func.count())
        .select_from(RunShard)
        .where(RunShard.run_id == run_id, RunShard.status.in_(UNFINISHED))
    )
    return session.scalar(query) or 0
