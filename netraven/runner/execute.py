"""Run a job: claim its JobRun, run the job type's task over its targets with Nornir, finish it.

:func:`execute_run` runs a queued JobRun (the worker's entry point); :func:`run_job` creates one
and runs it at once (``netraven run``, and Python users). Either way the run ends succeeded,
partial, failed or cancelled with its host counts, and every host has a JobResult.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from netraven.credentials.store import unreadable_note
from netraven.db.migrate import require_current_schema
from netraven.db.models import JobRun
from netraven.db.session import create_engine_from_settings, create_session_factory
from netraven.exceptions import JobError, NetRavenError
from netraven.inventory.circuit import gate_devices
from netraven.jobs.base import RunContext, RunServices
from netraven.jobs.events import HostOutcome, RunInfo, RunSummary
from netraven.jobs.runs import create_run
from netraven.jobs.targets import Targets
from netraven.plugins import NetRavenPluginManager, create_plugin_manager, notify
from netraven.runner.distributed import Distributed, create_shards, shard_parts
from netraven.runner.runs import Heartbeat, claim_run, finish_run
from netraven.runner.shards import StartedShards, plan_shards
from netraven.runner.spawn import ShardProcess
from netraven.runner.stored_run import run_and_store
from netraven.settings import Settings, load_settings

log = logging.getLogger("netraven.runner")

INTERRUPTED = "interrupted before the run ended"


@dataclass(frozen=True)
class RunReport:
    """A finished run: its id, summary, message and every host's outcome (by hostname)."""

    run_id: int
    summary: RunSummary
    message: str | None
    hosts: Mapping[str, HostOutcome]


def run_job(
    job_type: str,
    targets: Targets,
    parameters: Mapping[str, Any] | None = None,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    plugin_manager: NetRavenPluginManager | None = None,
    triggered_by: str | None = None,
    stop: threading.Event | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_host: Callable[[HostOutcome], None] | None = None,
    shard_processes: list[ShardProcess] | None = None,
) -> RunReport:
    """Create a run of ``job_type`` over ``targets`` and run it in this process.

    Unknown job types, invalid parameters and unknown targets raise a one-line error before
    anything is written. ``on_start(run_id, hosts)`` and ``on_host(outcome)`` report progress;
    ``stop`` and ``shard_processes`` are as for :func:`execute_run`.
    """
    settings = settings or load_settings()
    pm = plugin_manager or create_plugin_manager()
    params = pm.job_types.job_type(job_type).validate(parameters or {})
    with _engine(settings, engine) as own_engine:
        sessions = create_session_factory(own_engine)
        with sessions.begin() as session:
            run_id = create_run(session, job_type, targets, params, triggered_by).id
        report = execute_run(
            run_id,
            settings=settings,
            engine=own_engine,
            plugin_manager=pm,
            stop=stop,
            on_start=on_start,
            on_host=on_host,
            shard_processes=shard_processes,
        )
        assert report is not None, "a run is spread over the queue only when asked to"
        return report


def execute_run(
    run_id: int,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    plugin_manager: NetRavenPluginManager | None = None,
    worker: str | None = None,
    stop: threading.Event | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_host: Callable[[HostOutcome], None] | None = None,
    shard_processes: list[ShardProcess] | None = None,
    distribute: Callable[[list[int]], None] | None = None,
) -> RunReport | None:
    """Run the queued run ``run_id`` to its end; a ``JobError`` if it is not queued.

    ``stop``, once set, skips the hosts not yet started and ends the run ``cancelled``. A run
    split over processes uses those of ``shard_processes`` first (started early by the caller,
    :func:`~netraven.runner.spawn.prestarted`), taking them out of the list. With ``distribute``
    (the worker's), a run large enough for ``runner.shard_size`` is split into shards that
    ``distribute(shard ids)`` puts on the queue, and None is returned: the run goes on there
    (:mod:`netraven.runner.distributed`).
    A failure of the run as a whole (unknown job type, bad parameters) ends it ``failed`` with
    the reason as its message; it is not raised.
    """
    settings = settings or load_settings()
    pm = plugin_manager or create_plugin_manager()
    with _engine(settings, engine) as own_engine:
        require_current_schema(own_engine)
        sessions = create_session_factory(own_engine)
        claim_run(sessions, run_id, worker or default_worker_name())
        run_stop = RunStop(stop)
        execution = _Execution(run_id, settings, own_engine, sessions, pm, run_stop, on_start, on_host)
        execution.spares, execution.distribute = shard_processes, distribute
        beat = settings.scheduler.heartbeat_interval
        with Heartbeat(sessions, run_id, beat, on_lost=run_stop.set, on_cancel=run_stop.set):
            try:
                summary, message = execution.run()
            except Distributed as handed:
                log.info("run %s: %d host(s) in %d shard(s) on the queue", run_id, execution.hosts_total,
                         handed.shards)  # fmt: skip
                return None
            except NetRavenError as exc:
                summary, message = execution.summary("failed"), str(exc)
            except Exception as exc:  # the run fails as a whole, with a reason, and is never left running
                log.exception("run %s failed", run_id)
                summary, message = execution.summary("failed"), f"internal error: {type(exc).__name__}"
            except BaseException:  # KeyboardInterrupt, SystemExit: ended, never left running
                finish_run(sessions, run_id, execution.summary("cancelled"), INTERRUPTED)
                raise
        finish_run(sessions, run_id, summary, message)
        log.info("run %s %s: %s", run_id, summary.status, message or _counts(summary))
        if execution.info is not None:
            services = RunServices(settings, sessions)
            notify(pm, "netraven_run_finished", run=execution.info, summary=summary, services=services)
        return RunReport(run_id, summary, message, dict(execution.outcomes))


class RunStop(threading.Event):
    """Set when this run must stop: by itself (its run was taken away) or with ``outer`` (the worker)."""

    def __init__(self, outer: threading.Event | None) -> None:
        super().__init__()
        self._outer = outer

    def is_set(self) -> bool:
        return super().is_set() or (self._outer is not None and self._outer.is_set())


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class _Execution:
    """The steps of one run, with what they learn on the way."""

    def __init__(
        self,
        run_id: int,
        settings: Settings,
        engine: Engine,
        sessions: sessionmaker[Session],
        pm: NetRavenPluginManager,
        stop: threading.Event,
        on_start: Callable[[int, int], None] | None,
        on_host: Callable[[HostOutcome], None] | None,
    ) -> None:
        self.run_id, self.settings, self.engine, self.sessions = run_id, settings, engine, sessions
        self.pm, self.stop, self.on_start, self.on_host = pm, stop, on_start, on_host
        self.info: RunInfo | None = None
        self.spares: list[ShardProcess] | None = None  # shard processes started before the run
        self.distribute: Callable[[list[int]], None] | None = None  # puts shards on the queue
        self.outcomes: dict[str, HostOutcome] = {}
        self.hosts_total = 0

    def run(self) -> tuple[RunSummary, str | None]:
        with self.sessions() as session:
            row = session.get(JobRun, self.run_id)
            if row is None:
                raise JobError(f"no run with id {self.run_id}")
            job_cls = self.pm.job_types.job_type(row.job_type)
            params = job_cls.validate(row.parameters)
            targets = Targets.from_dict(row.targets)
            device_ids = targets.device_ids(session)
            info = RunInfo(self.run_id, row.job_id, row.job_type, params, row.triggered_by or "")
        self.info, self.hosts_total = info, len(device_ids)
        if self.on_start is not None:
            self.on_start(self.run_id, len(device_ids))
        notify(self.pm, "netraven_run_started", run=info)
        if not device_ids:
            return self.summary("succeeded"), f"no enabled device matches the targets ({targets.describe()})"
        with self.sessions() as session:
            unreadable = unreadable_note(session, self.settings, device_ids)
        job = job_cls()
        with self.sessions.begin() as session:
            job.prepare(RunContext(session, self.settings, info))
        parts = shard_parts(self.settings, self.engine, job_cls, device_ids) if self.distribute else []
        if parts and self.distribute is not None:
            self.distribute(create_shards(self.sessions, self.run_id, parts))
            raise Distributed(len(parts))
        with self.sessions.begin() as session:
            skips = gate_devices(session, device_ids, self.settings) if job_cls.logs_in else {}
        started = [device_id for device_id in device_ids if device_id not in skips]
        # A split run sends its shards their hosts now: they load while this process does.
        specs = plan_shards(self.settings, self.engine, job_cls, info, started)
        if specs:
            log.info("run %s: %d hosts in %d processes", self.run_id, len(started), len(specs))
        with StartedShards(specs, self.spares) as shards:
            self.outcomes = run_and_store(
                info=info, job=job, params=params, device_ids=started, settings=self.settings,
                engine=self.engine, sessions=self.sessions, plugin_manager=self.pm, stop=self.stop,
                on_host=self.on_host, shards=shards, skips=skips,
            )  # fmt: skip
        with self.sessions.begin() as session:
            message = job.finish(RunContext(session, self.settings, info))
        if unreadable:  # each host's log says it skipped them; the run says it once
            log.warning("run %s: %s", self.run_id, unreadable)
            message = "; ".join(filter(None, (message, unreadable)))
        return self.summary(self._status()), message

    def _status(self) -> str:
        """Cancelled when stopped with hosts left; else succeeded only if every host did (a host
        skipped for its open circuit was not backed up either)."""
        statuses = [outcome.status for outcome in self.outcomes.values()]
        if self.stop.is_set() and "skipped" in statuses:
            return "cancelled"
        if all(status == "succeeded" for status in statuses):
            return "succeeded"
        return "partial" if "succeeded" in statuses else "failed"

    def summary(self, status: str) -> RunSummary:
        statuses = [outcome.status for outcome in self.outcomes.values()]
        return RunSummary(
            status,  # type: ignore[arg-type]
            max(self.hosts_total, len(statuses)),
            statuses.count("succeeded"),
            statuses.count("failed"),
        )


def _counts(summary: RunSummary) -> str:
    return f"{summary.hosts_succeeded}/{summary.hosts_total} hosts succeeded"


class _engine:  # lower case: used as a context manager like a function
    """The given engine, or one made from settings and disposed at the end."""

    def __init__(self, settings: Settings, engine: Engine | None) -> None:
        self._own = engine is None
        self.engine = engine or create_engine_from_settings(settings)

    def __enter__(self) -> Engine:
        return self.engine

    def __exit__(self, *exc: object) -> None:
        if self._own:
            self.engine.dispose()
