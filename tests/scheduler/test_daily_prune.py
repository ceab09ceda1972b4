"""The worker's daily prune: a Huey periodic task beside the dispatcher, due once a day from
``retention.daily_at`` in the scheduler's time zone, claimed in the queue's storage so one worker
of many runs it, and only when the policy deletes anything."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from netraven.db.models import AuditEntry, JobLog
from netraven.scheduler.outage import Outage
from netraven.scheduler.queue import Queue, Runtime, create_queue
from netraven.scheduler.worker import TickScheduler
from netraven.settings import load_settings
from tests.retention.history import SMALL, build

PARIS = {"NETRAVEN_SCHEDULER__TIMEZONE": "Europe/Paris", "NETRAVEN_RETENTION__DAILY_AT": "03:30"}


def queue_for(home: Path, engine: Engine | None = None, **env: str) -> Queue:
    settings = load_settings(environ={"NETRAVEN_HOME": str(home), **PARIS, **env})
    return create_queue(settings, Runtime(settings, engine=engine))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=None)  # Huey's clock: naive UTC


def due(queue: Queue, at: str) -> list[str]:
    return [task.name for task in queue.huey.read_periodic(utc(at))]


def test_due_once_a_day_after_daily_at_in_the_scheduler_zone(tmp_path: Path) -> None:
    queue = queue_for(tmp_path, NETRAVEN_RETENTION__RUN_DAYS="30")
    # 00:00 UTC is 02:00 in Paris (summer): the last 03:30 was the day before, not pruned yet here.
    assert due(queue, "2026-06-02T00:00") == ["dispatch", "prune"]
    assert due(queue, "2026-06-02T01:00") == ["dispatch"]  # 03:00 in Paris: the same day's claim
    assert due(queue, "2026-06-02T01:31") == ["dispatch", "prune"]  # 03:31 in Paris: a new day
    assert due(queue, "2026-06-02T23:59") == ["dispatch"]
    claims = [queue.huey.get(f"netraven.prune.2026-06-0{day}", peek=True) for day in (1, 2)]
    assert claims == [None, True]  # the day before's claim is gone
    other_worker = queue_for(tmp_path, NETRAVEN_RETENTION__RUN_DAYS="30")  # same queue storage
    assert due(other_worker, "2026-06-02T12:00") == ["dispatch"]
    assert due(other_worker, "2026-06-03T01:30") == ["dispatch", "prune"]


@pytest.mark.parametrize(
    "env", [{}, {"NETRAVEN_RETENTION__RUN_DAYS": "30", "NETRAVEN_RETENTION__DAILY_AT": ""}]
)
def test_never_due_when_nothing_would_go_or_daily_is_off(tmp_path: Path, env: dict[str, str]) -> None:
    queue = queue_for(tmp_path, **env)
    assert due(queue, "2026-06-02T12:00") == ["dispatch"]
    assert queue.huey.get("netraven.prune.2026-06-02", peek=True) is None


def test_the_tick_enqueues_the_prune_and_a_worker_thread_runs_it(
    tmp_path: Path, fresh_engine: Engine
) -> None:
    build(fresh_engine, SMALL)
    queue = queue_for(tmp_path, fresh_engine, NETRAVEN_RETENTION__RUN_DAYS="30")
    scheduler = TickScheduler.__new__(TickScheduler)  # its state as WorkerConsumer sets it up
    scheduler.queue, scheduler.database = queue, Outage("database", logging.getLogger("test"))
    scheduler.queue_outage = Outage("queue", logging.getLogger("test"))
    scheduler.enqueue_periodic_tasks(datetime.now(UTC).replace(tzinfo=None))
    (task,) = [task for task in queue.huey.pending() if task.name == "prune"]  # the queued run is there too
    queue.huey.execute(task)  # as a worker thread does
    with Session(fresh_engine) as session:
        assert (
            session.scalar(select(func.count()).select_from(JobLog)) == 2 * SMALL.open_logs
        )  # the open runs'
        (row,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "retention.prune"))
    assert row.actor_kind == "system" and row.changes and row.changes["runs"] == SMALL.runs
    queue.huey.storage.flush_queue()
    scheduler.enqueue_periodic_tasks(datetime.now(UTC).replace(tzinfo=None))
    assert "prune" not in [task.name for task in queue.huey.pending()]  # claimed for today
