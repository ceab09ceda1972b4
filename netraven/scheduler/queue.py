"""The Huey app from settings, with NetRaven's four tasks registered on it.

Nothing exists at import time: :func:`create_queue` builds the Huey instance (``huey.backend``:
SqliteHuey in the data directory by default, PriorityRedisHuey or PostgresHuey) and registers:

- ``dispatch``, periodic (every ``scheduler.tick_seconds`` in :mod:`~netraven.scheduler.worker`):
  fails or re-queues dead runs, queues due jobs, re-enqueues lost runs, and gives each job due
  before the next tick a ``dispatch_job`` task at its time;
- ``dispatch_job``, with an ETA just before a job's due time: waits for it, queues the job if it
  is still due and runs it in the same worker thread, so a job due between ticks starts on time;
- ``run_job``: runs one queued JobRun (:func:`~netraven.runner.execute_run`), or splits a large
  one into shards on the queue (``runner.shard_size``, :mod:`netraven.runner.distributed`);
- ``run_shard``: runs one shard of such a run, on whichever worker takes it;
- ``prune``, periodic (due once a day from ``retention.daily_at``, checked at every tick): deletes
  what the retention settings no longer keep (:func:`~netraven.retention.prune`) in a worker thread.

A worker with ``backup.git_commit`` also commits, at each tick, the config versions other
machines left pending (one commit per run).

The dispatch tasks go ahead of every run in the queue. With ``huey.immediate`` tasks run where
they are enqueued (``netraven job run`` then runs the job in-process).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from huey import Huey, SqliteHuey
from huey import api as huey_api
from huey.exceptions import ConfigurationError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from netraven.configs import ConfigStore
from netraven.configs.git_sync import pending_count
from netraven.credentials.store import stored_secrets
from netraven.credentials.vault import load_vault
from netraven.datadir import private_file
from netraven.db.base import utcnow
from netraven.db.errors import cause, describe_url
from netraven.db.session import create_engine_from_settings, create_session_factory
from netraven.exceptions import ConfigError, CredentialError, JobError, NetRavenError, QueueError
from netraven.jobs.runs import Queued
from netraven.plugins import NetRavenPluginManager, create_plugin_manager
from netraven.redaction import RedactingFormatter, Redactor
from netraven.retention import Policy, prune
from netraven.runner import execute_run
from netraven.runner.distributed import execute_shard, finalize_run
from netraven.runner.execute import default_worker_name
from netraven.scheduler import dispatch
from netraven.scheduler.outage import Outage
from netraven.settings import Settings

log = logging.getLogger("netraven.worker")

DISPATCH_PRIORITY = 1_000_000_000  # dispatch tasks before any run (job priorities are far lower)
SHARD_PRIORITY = DISPATCH_PRIORITY // 2  # a started run's shards before runs not started
ETA_LEAD = timedelta(seconds=2)  # an ETA task is taken from the queue this early, then waits


def create_huey(settings: Settings) -> Huey:
    """The Huey instance ``settings.huey`` describes (no task registered)."""
    conf = settings.huey
    common: dict[str, Any] = {"name": conf.name, "results": False, "utc": True, "immediate": conf.immediate}
    if conf.backend == "sqlite":
        path = Path(conf.url).expanduser() if conf.url else settings.home / "huey.sqlite3"
        if not conf.immediate:  # immediate Huey keeps its queue in memory: no file to create
            private_file(path)
        return SqliteHuey(filename=str(path), **common)
    try:
        if conf.backend == "redis":  # the priority storage needs Redis >= 5 (and the redis extra)
            return huey_api.PriorityRedisHuey(url=conf.url or "redis://127.0.0.1:6379/0", **common)
        # Huey >= 3.1 with psycopg >= 3.2 (the postgres-queue extra)
        return huey_api.PostgresHuey(dsn=conf.url or _libpq_dsn(settings.database_url), **common)
    except (AttributeError, ConfigurationError) as exc:
        raise ConfigError(f"huey.backend = {conf.backend!r}: {exc}", key="huey.backend") from exc
    except Exception as exc:  # PostgresHuey connects at once, to create its tables
        raise _unreachable(settings, exc) from exc


class Runtime:
    """What the tasks need in one process: settings, an engine, the plugins, the stop event.

    ``stop``, once set, makes running runs skip the hosts they have not started. The engine and
    plugin manager are made on first use unless given; :meth:`close` disposes an engine made here.
    ``log_formatter``, when set, is the worker's log formatter: each run refreshes its redactor.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        plugin_manager: NetRavenPluginManager | None = None,
        stop: threading.Event | None = None,
        worker: str | None = None,
    ) -> None:
        self.settings = settings
        self.stop = stop or threading.Event()
        self.worker = worker or default_worker_name()
        self.tz = ZoneInfo(settings.scheduler.timezone)
        self._engine, self._own_engine = engine, engine is None
        self._sessions: sessionmaker[Session] | None = None
        self._pm = plugin_manager
        self._lock = threading.Lock()
        self.log_formatter: RedactingFormatter | None = None

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = create_engine_from_settings(self.settings)
            return self._engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        engine = self.engine
        with self._lock:
            if self._sessions is None:
                self._sessions = create_session_factory(engine)
            return self._sessions

    @property
    def plugin_manager(self) -> NetRavenPluginManager:
        with self._lock:
            if self._pm is None:
                self._pm = create_plugin_manager()
            return self._pm

    def refresh_log_redactor(self) -> None:
        """Mask in the log what the runs' logs mask: the platform patterns, and the secret values of
        every stored credential (as each host's lines mask its own)."""
        if self.log_formatter is None:
            return
        try:
            with self.sessions() as session:
                secrets = stored_secrets(session, load_vault(self.settings))
        except CredentialError:  # no key file yet, so no credential
            secrets = []
        except Exception:  # the run reports the database's failure; the log keeps its known secrets
            log.warning("could not read the stored credentials to mask them in this log", exc_info=True)
            return
        self.log_formatter.redactor = Redactor(secrets)

    def close(self) -> None:
        if self._own_engine and self._engine is not None:
            self._engine.dispose()


class Queue:
    """A Huey instance with NetRaven's tasks, bound to a :class:`Runtime`."""

    def __init__(self, huey: Huey, runtime: Runtime) -> None:
        self.huey, self.runtime = huey, runtime
        self.git_outage = Outage("git history", log)
        self._missing: dict[str, set[int]] = {}  # per task name: ids found missing at the last round
        self.run_job = huey.task(name="run_job")(self._run_job)
        self.run_shard = huey.task(name="run_shard", priority=SHARD_PRIORITY)(self._run_shard)
        self.dispatch_job = huey.task(name="dispatch_job", priority=DISPATCH_PRIORITY)(self._dispatch_job)
        # The worker's scheduler paces this task (every tick_seconds), so it is due at every check.
        self.dispatch = huey.periodic_task(_always, name="dispatch", priority=DISPATCH_PRIORITY)(
            self._dispatch
        )
        self.prune = huey.periodic_task(self._prune_due, name="prune")(self._prune)

    def enqueue_run(self, item: Queued) -> None:
        """Hand a queued run to the workers (with ``huey.immediate``, run it now)."""
        with self._reaching():
            self.huey.enqueue(self.run_job.s(item.run_id, priority=item.priority))

    def enqueue_shards(self, shard_ids: list[int]) -> None:
        """Hand shards of a distributed run to the workers (ahead of runs not started yet)."""
        with self._reaching():
            for shard_id in shard_ids:
                self.huey.enqueue(self.run_shard.s(shard_id))

    def enqueue_dispatch_job(self, job_id: int, due: datetime) -> None:
        """Dispatch the job at ``due`` (once: a second call for the same time does nothing)."""
        with self._reaching():
            if self.huey.put_if_empty(_eta_key(job_id, due), True):
                self.huey.enqueue(self.dispatch_job.s(job_id, due.isoformat(), eta=due - ETA_LEAD))

    @contextmanager
    def _reaching(self) -> Iterator[None]:
        """The storage's errors (Redis, psycopg, sqlite3) as :class:`QueueError`; with
        ``huey.immediate`` the task itself runs here, and its errors are its own."""
        if self.huey.immediate:
            yield
            return
        try:
            yield
        except Exception as exc:
            raise _unreachable(self.runtime.settings, exc) from exc

    def close(self) -> None:
        """Close the queue's connections (Huey reopens them on use)."""
        self.huey.storage.close()
        pool = getattr(self.huey.storage, "pool", None)  # Redis storages have no close()
        if pool is not None:
            pool.disconnect()

    def tick(self) -> None:
        """One dispatch round, as the periodic task runs it."""
        self._dispatch()

    def enqueue_periodic(self, now: datetime) -> None:
        """Enqueue Huey's periodic tasks that are due at ``now`` (the dispatch round runs in the tick)."""
        with self._reaching():
            for task in self.huey.read_periodic(now):
                if task.name != "dispatch":
                    self.huey.enqueue(task)

    def _prune_due(self, now: datetime) -> bool:
        """True once per day, from ``retention.daily_at`` in ``scheduler.timezone``, when the policy
        deletes anything: the first worker to see the day's time claims it in the queue's storage
        (one prune a day among many workers; a worker down at that time prunes when it starts)."""
        conf = self.runtime.settings.retention
        if not conf.daily_at or Policy(conf, utcnow()).empty:
            return False
        local = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(self.runtime.tz)
        day = local.date() - timedelta(days=local.time() < time.fromisoformat(conf.daily_at))
        if not self.huey.put_if_empty(f"netraven.prune.{day.isoformat()}", True):
            return False
        self.huey.delete(f"netraven.prune.{day - timedelta(days=1)}")  # the claims stay few
        return True

    def _prune(self) -> None:
        rt = self.runtime
        try:
            report = prune(rt.sessions, rt.settings.retention, stop=rt.stop)
        except NetRavenError as exc:
            log.error("the daily prune failed: %s", exc)
            return
        counts = ", ".join(f"{count} {kind}" for kind, count in report.counts.items())
        log.info("pruned %s in %.1f s%s", counts, report.seconds, " (stopped)" if report.stopped else "")

    @property
    def _horizon(self) -> timedelta:
        """Until the next tick: jobs due sooner get a ``dispatch_job`` task."""
        return timedelta(seconds=max(1, self.runtime.settings.scheduler.tick_seconds))

    def _dispatch(self) -> None:
        rt, conf = self.runtime, self.runtime.settings.scheduler
        now = utcnow()
        with rt.sessions.begin() as session:
            if not dispatch.take_dispatch_lock(session):
                return  # another worker is dispatching right now
            runs = dispatch.reap_dead_runs(
                session, now, conf.lease_seconds, conf.on_dead_run, conf.max_requeues
            )
            runs += dispatch.dispatch_due(session, now, rt.tz)
            soon = dispatch.due_soon(session, now, self._horizon)
            stale = dispatch.stale_queued_runs(session, now, older_than=conf.lease_seconds)
            shards, finalize = dispatch.reap_dead_shards(session, now, conf.lease_seconds)
            stale_shards = dispatch.stale_queued_shards(session, now, older_than=conf.lease_seconds)
        for item in runs:
            self.enqueue_run(item)
        self.enqueue_shards(shards)
        for job in soon:
            self.enqueue_dispatch_job(job.job_id, job.due)
        self._enqueue_lost(stale)
        self._enqueue_lost_shards([s for s in stale_shards if s not in shards])
        for run_id in finalize:
            finalize_run(run_id, settings=rt.settings, sessions=rt.sessions, plugin_manager=rt.plugin_manager)
        self._commit_pending_versions()

    def _dispatch_job(self, job_id: int, due_text: str) -> None:
        rt, due = self.runtime, datetime.fromisoformat(due_text)
        try:
            wait = (due - utcnow()).total_seconds()
            if wait > 0 and rt.stop.wait(wait):
                return  # the worker is stopping; the next worker's tick queues the job
            now = max(utcnow(), due)
            with rt.sessions.begin() as session:
                runs = dispatch.dispatch_due(session, now, rt.tz, job_id=job_id)
                soon = dispatch.due_soon(session, now, self._horizon, job_id=job_id)
        finally:
            self.huey.delete(_eta_key(job_id, due))
        for job in soon:  # a job due more often than the tick: its next time, on time too
            self.enqueue_dispatch_job(job.job_id, job.due)
        for item in runs:
            self._run_job(item.run_id)

    def _run_job(self, run_id: int) -> None:
        rt = self.runtime
        rt.refresh_log_redactor()
        try:
            execute_run(run_id, settings=rt.settings, engine=rt.engine, plugin_manager=rt.plugin_manager,
                        worker=rt.worker, stop=rt.stop, on_start=_log_start,
                        distribute=self.enqueue_shards)  # fmt: skip
        except JobError as exc:  # not queued any more: another worker claimed it, or it was ended
            log.warning("run %s not started: %s", run_id, exc)

    def _run_shard(self, shard_id: int) -> None:
        rt = self.runtime
        rt.refresh_log_redactor()
        execute_shard(shard_id, settings=rt.settings, engine=rt.engine, sessions=rt.sessions,
                      plugin_manager=rt.plugin_manager, worker=rt.worker, stop=rt.stop)  # fmt: skip

    def _enqueue_lost_shards(self, stale: list[int]) -> None:
        lost = self._lost(self.run_shard, stale)
        if lost:
            log.warning("shards %s are queued but were not in the queue: enqueued again", lost)
            self.enqueue_shards(lost)

    def _commit_pending_versions(self) -> None:
        """With ``backup.git_commit``, commit the versions runs left pending (another machine's,
        or a failed write's), one commit per run; a failure is logged once per outage."""
        settings = self.runtime.settings
        if not settings.backup.git_commit:
            return
        with self.runtime.sessions.begin() as session:
            if not pending_count(session):
                return
            synced = ConfigStore(settings).commit_pending(session)
        if synced.error:
            self.git_outage.failed(NetRavenError(f"git history not written: {synced.error}"))
        else:
            self.git_outage.worked()
            if synced.commits:
                log.info("git: %d pending version(s) committed", synced.written)

    def _enqueue_lost(self, stale: list[Queued]) -> None:
        lost = set(self._lost(self.run_job, [item.run_id for item in stale]))
        for item in stale:
            if item.run_id in lost:
                log.warning("run %s is queued but was not in the queue: enqueued again", item.run_id)
                self.enqueue_run(item)

    def _lost(self, task: huey_api.TaskWrapper, stale: list[int]) -> list[int]:
        """Those of ``stale`` (ids queued in the database a while) that no ``task`` in the queue
        carries now nor did at this worker's previous dispatch round: a worker takes a task off the
        queue a moment before it claims the row, and that moment is no loss."""
        pending: set[int] = set()
        if stale:
            tasks = self.huey.pending()
            pending = {t.args[0] for t in tasks if isinstance(t, task.task_class) and t.args}
        missing = {row_id for row_id in stale if row_id not in pending}
        lost = missing & self._missing.get(task.name, set())
        self._missing[task.name] = missing - lost
        return sorted(lost)


def create_queue(settings: Settings, runtime: Runtime | None = None) -> Queue:
    """The Huey app from ``settings`` with NetRaven's tasks, bound to ``runtime``."""
    return Queue(create_huey(settings), runtime or Runtime(settings))


def _always(_timestamp: datetime) -> bool:
    return True


def _eta_key(job_id: int, due: datetime) -> str:
    return f"netraven.dispatch_job.{job_id}.{due.timestamp()}"


def _log_start(run_id: int, hosts: int) -> None:
    log.info("run %s started: %s host(s)", run_id, hosts)


def _unreachable(settings: Settings, exc: Exception) -> QueueError:
    """``exc`` of the queue's storage as a QueueError naming the queue (its password hidden)."""
    conf = settings.huey
    if conf.backend == "sqlite":
        url = conf.url or str(settings.home / "huey.sqlite3")
    else:
        url = describe_url(make_url(conf.url or _libpq_dsn(settings.database_url)))
    return QueueError(f"cannot reach the queue {url}: {cause(exc)}", url=url)


def _libpq_dsn(database_url: str) -> str:
    """The database URL as a libpq URI, when the database is PostgreSQL."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ConfigError(
            "huey.url: the postgres queue needs a PostgreSQL URL (or a PostgreSQL database.url)",
            key="huey.url",
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
