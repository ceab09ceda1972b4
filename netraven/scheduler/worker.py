"""The worker: Huey's consumer (thread workers) running NetRaven's runs, plus the dispatcher.

:func:`run_worker` runs in the foreground until SIGINT or SIGTERM. Either stops it gracefully:
no new task is taken, running runs skip the hosts they have not started and end ``cancelled``,
and running hosts finish. Runs still running when the shutdown timeout ends (or at a second
SIGINT, which stops at once) are cancelled by the worker itself: a worker that stops leaves
nothing ``running``. A worker killed outright leaves its runs to the dispatcher's lease.

The dispatch tick runs in the consumer's scheduler thread, not in a worker thread, so it never
waits behind long runs.
"""

from __future__ import annotations

import logging
from typing import Any

from huey.consumer import Consumer, Scheduler, Worker
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from netraven.db.base import utcnow
from netraven.db.migrate import require_current_schema
from netraven.db.models import JobRun
from netraven.exceptions import ConfigError, DatabaseError, QueueError
from netraven.plugins import NetRavenPluginManager
from netraven.redaction import RedactingFormatter
from netraven.scheduler.dispatch import finish_with_results
from netraven.scheduler.outage import Outage
from netraven.scheduler.presence import Presence
from netraven.scheduler.queue import Queue, Runtime, create_queue
from netraven.settings import Settings

log = logging.getLogger("netraven.worker")

POLL_MAX_SECONDS = 0.5  # an idle worker thread polls a non-blocking queue (SQLite) at least this often
ABANDONED = "the worker stopped before the run ended"
SHUTDOWN_GRACE = 30.0  # seconds allowed past the per-host time limit for running hosts to finish


class TickScheduler(Scheduler):  # type: ignore[misc]  # huey is untyped
    """Huey's scheduler thread: moves ETA tasks to the queue when due, and runs the dispatch round
    itself every ``periodic_task_seconds`` (set from ``scheduler.tick_seconds``), then enqueues the
    other periodic tasks that are due (the daily prune). A database that cannot be reached is
    logged once per outage (:class:`Outage`), whatever the tick."""

    queue: Queue
    database: Outage
    queue_outage: Outage

    def enqueue_periodic_tasks(self, now: Any) -> None:
        try:
            self.queue.tick()
        except DatabaseError as exc:
            self.database.failed(exc)
        except QueueError as exc:
            self.queue_outage.failed(exc)
        except Exception:  # a bug in a round must not stop the next one
            log.exception("the dispatch round failed")
        else:
            self.database.worked()
        try:
            self.queue.enqueue_periodic(now)
        except QueueError as exc:
            self.queue_outage.failed(exc)
        except Exception:
            log.exception("enqueueing the periodic tasks failed")


class _ScheduleReader:
    """The scheduler thread's view of the Huey instance: a schedule that cannot be read (the
    queue is down) is logged once per outage, not once a second."""

    def __init__(self, huey: Any, outage: Outage) -> None:
        self._huey, self._outage = huey, outage

    def __getattr__(self, name: str) -> Any:
        return getattr(self._huey, name)

    def read_schedule(self, now: Any) -> list[Any]:
        try:
            tasks: list[Any] = self._huey.read_schedule(now)
        except Exception as exc:
            self._outage.failed(exc)
            return []
        self._outage.worked()
        return tasks


class QueueWorker(Worker):  # type: ignore[misc]
    """Huey's worker thread; a queue that cannot be read is logged once per outage, not per poll."""

    outage: Outage

    def loop(self, now: Any = None) -> None:
        try:
            task = self.huey.dequeue()
        except Exception as exc:
            self.outage.failed(exc)
            self.sleep()
            return
        self.outage.worked()
        if task is None:
            if not self.huey.storage.blocking:
                self.sleep()
            return
        self.delay = self.default_delay
        self.huey.execute(task, now)  # huey logs a task's error and carries on


class WorkerConsumer(Consumer):  # type: ignore[misc]
    """Huey's consumer with thread workers, the dispatch tick and a graceful stop on any signal."""

    scheduler_class = TickScheduler
    worker_class = QueueWorker

    def __init__(self, queue: Queue, workers: int, shutdown_timeout: float) -> None:
        self.queue = queue
        self.outages = {what: Outage(what, log) for what in ("database", "queue")}
        super().__init__(queue.huey, workers=workers, periodic=True, initial_delay=0.05, backoff=1.2,
                         max_delay=POLL_MAX_SECONDS, scheduler_interval=1, worker_type="thread",
                         shutdown_timeout=shutdown_timeout)  # fmt: skip

    def _create_scheduler(self) -> Any:
        scheduler = super()._create_scheduler()
        scheduler.periodic_task_seconds = max(1, self.queue.runtime.settings.scheduler.tick_seconds)
        scheduler.queue, scheduler.database = self.queue, self.outages["database"]
        scheduler.queue_outage = self.outages["queue"]
        scheduler.huey = _ScheduleReader(self.huey, self.outages["queue"])
        return scheduler

    def _create_worker(self) -> Any:
        worker = super()._create_worker()
        worker.outage = self.outages["queue"]
        return worker

    def start(self) -> None:
        super().start()
        rt, conf = self.queue.runtime, self.queue.runtime.settings
        log.info("worker %s started: %s thread(s), %s queue %r, dispatch every %s s",
                 rt.worker, self.workers, conf.huey.backend, conf.huey.name,
                 max(1, conf.scheduler.tick_seconds))  # fmt: skip

    def stop(self, graceful: bool = False) -> None:
        """Stop after the running hosts (SIGTERM too, which Huey would not wait for)."""
        self.queue.runtime.stop.set()  # running runs skip the hosts they have not started
        super().stop(graceful=True)


def run_worker(
    settings: Settings,
    workers: int | None = None,
    *,
    engine: Engine | None = None,
    plugin_manager: NetRavenPluginManager | None = None,
    log_formatter: RedactingFormatter | None = None,
) -> None:
    """Run a worker in the foreground until SIGINT or SIGTERM (call it from the main thread).

    ``log_formatter`` (the formatter of the worker's log) masks what the runs' own logs mask,
    its known secret values renewed at the start and before each run.
    """
    if settings.huey.immediate:
        raise ConfigError(
            "huey.immediate is set: tasks run where they are queued, so there is no queue for a worker",
            key="huey.immediate",
        )
    runtime = Runtime(settings, engine=engine, plugin_manager=plugin_manager)
    runtime.log_formatter = log_formatter
    try:
        require_current_schema(runtime.engine)
        runtime.refresh_log_redactor()
        _ = runtime.plugin_manager  # load the plugins now: a broken one is reported at start
        threads = max(1, workers or settings.huey.workers)
        consumer = WorkerConsumer(create_queue(settings, runtime), threads,
                                  settings.connection.host_time_limit + SHUTDOWN_GRACE)  # fmt: skip
        presence = Presence(runtime.sessions, runtime.worker, threads=threads, queue=settings.huey.name,
                            interval=settings.scheduler.heartbeat_interval,
                            outage=consumer.outages["database"])  # fmt: skip
        try:
            with presence:
                consumer.run()
        finally:
            for run_id in end_abandoned_runs(runtime.sessions, runtime.worker):
                log.warning("run %s cancelled: the worker stopped before it ended", run_id)
        log.info("worker %s stopped", runtime.worker)
    finally:
        runtime.close()


def end_abandoned_runs(sessions: sessionmaker[Session], worker: str) -> list[int]:
    """Cancel the runs ``worker`` still holds (their ends, if they come, change nothing)."""
    with sessions.begin() as session:
        runs = list(
            session.scalars(
                select(JobRun).where(JobRun.status == "running", JobRun.worker == worker).with_for_update()
            )
        )
        for run in runs:
            finish_with_results(session, run, "cancelled", ABANDONED, utcnow())
        return [run.id for run in runs]
