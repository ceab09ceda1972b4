"""The Huey app from settings and one dispatch tick, without a worker: what lands in the queue."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import pytest
from huey import SqliteHuey
from sqlalchemy import Engine, select

from netraven.db.base import utcnow
from netraven.db.models import Job, JobRun, RunShard
from netraven.exceptions import ConfigError
from netraven.inventory import add_device
from netraven.jobs import Schedule, create_job
from netraven.scheduler.queue import (
    DISPATCH_PRIORITY,
    ETA_LEAD,
    SHARD_PRIORITY,
    Queue,
    Runtime,
    create_huey,
    create_queue,
)
from netraven.settings import Settings, load_settings
from tests.scheduler.jobtypes import plugin_manager, registry


def settings_for(home: Path, **env: str) -> Settings:
    return load_settings(environ={"NETRAVEN_HOME": str(home), **env})


def test_the_backend_comes_from_settings(tmp_path: Path) -> None:
    default = create_huey(settings_for(tmp_path / "home"))
    assert isinstance(default, SqliteHuey) and default.storage.filename == str(
        tmp_path / "home" / "huey.sqlite3"
    )
    assert not default._registry._registry  # no task until a Queue registers them
    pg = settings_for(tmp_path, NETRAVEN_HUEY__BACKEND="postgres", NETRAVEN_DATABASE__URL="sqlite:///x.db")
    with pytest.raises(ConfigError, match=r"huey\.url: the postgres queue needs a PostgreSQL URL"):
        create_huey(pg)
    queue = create_queue(settings_for(tmp_path, NETRAVEN_HUEY__IMMEDIATE="true", NETRAVEN_HUEY__NAME="q2"))
    assert queue.huey.immediate and queue.huey.name == "q2"
    assert sorted(queue.huey._registry._registry) == [
        f"netraven.scheduler.queue.{name}"
        for name in ("dispatch", "dispatch_job", "prune", "run_job", "run_shard")
    ]


@pytest.fixture
def queue(tmp_path: Path, fresh_engine: Engine) -> Queue:
    settings = settings_for(
        tmp_path, NETRAVEN_SCHEDULER__TICK_SECONDS="30", NETRAVEN_SCHEDULER__LEASE_SECONDS="60"
    )
    runtime = Runtime(settings, engine=fresh_engine, plugin_manager=plugin_manager())
    with runtime.sessions.begin() as session:
        add_device(session, "r1", "10.0.0.1", "cisco_ios", tags=["core"])
    return create_queue(settings, runtime)


def add_job(queue: Queue, name: str, due_in: timedelta, priority: int = 0) -> int:
    with queue.runtime.sessions.begin() as session:
        job = create_job(session, name=name, job_type="backup", job_types=registry(), tags=["core"],
                         schedule=Schedule("interval", interval_seconds=3600), priority=priority,
                         now=utcnow() + due_in, tz=UTC)  # fmt: skip
        session.flush()
        return job.id


def queued_tasks(queue: Queue) -> list[tuple[str, tuple[object, ...], object]]:
    return [(task.name, task.args, task.priority) for task in queue.huey.pending()]


def test_a_tick_queues_due_runs_by_priority_and_near_ones_for_their_time(queue: Queue) -> None:
    due = add_job(queue, "due", -timedelta(minutes=5), priority=7)
    soon = add_job(queue, "soon", timedelta(seconds=20))
    add_job(queue, "later", timedelta(minutes=5))
    queue.tick()
    queue.tick()  # a second tick (another worker's) queues nothing twice
    with queue.runtime.sessions() as session:
        (run,) = session.scalars(select(JobRun))
    assert run.job_id == due
    tasks = queue.huey.pending()
    assert [(t.name, t.args[0], t.priority) for t in tasks] == [
        ("dispatch_job", soon, DISPATCH_PRIORITY),  # dispatch tasks first
        ("run_job", run.id, 7),
    ]
    with queue.runtime.sessions() as session:
        due_at = session.get_one(Job, soon).next_run_at
    assert due_at is not None and tasks[0].args[1] == due_at.isoformat()
    assert tasks[0].eta == (due_at - ETA_LEAD).replace(tzinfo=None)  # Huey keeps naive UTC


def test_a_queued_run_missing_from_the_queue_is_enqueued_again_once(queue: Queue) -> None:
    with queue.runtime.sessions.begin() as session:
        lost = JobRun(job_type="backup", targets={"tags": ["core"]}, status="queued",
                      created_at=utcnow() - timedelta(seconds=61))  # fmt: skip
        young = JobRun(job_type="backup", targets={"tags": ["core"]}, status="queued")
        session.add_all([lost, young])
    queue.tick()
    assert queued_tasks(queue) == []  # missing at one round: maybe on its way to a worker
    queue.tick()
    queue.tick()
    assert queued_tasks(queue) == [("run_job", (lost.id,), 0)]


def test_a_shard_missing_from_the_queue_at_two_rounds_is_enqueued_again_once(queue: Queue) -> None:
    """A worker takes a shard's task off the queue a moment before it claims the shard: a shard
    missing at one round and claimed by the next is left alone; one missing at two is lost."""
    old = utcnow() - timedelta(seconds=61)
    with queue.runtime.sessions.begin() as session:
        run = JobRun(job_type="backup", targets={"tags": ["core"]}, status="running", heartbeat_at=utcnow())
        session.add(run)
        session.flush()
        taken, lost = (RunShard(run_id=run.id, index=i, device_ids=[i], created_at=old) for i in (0, 1))
        session.add_all([taken, lost])
    queue.tick()
    assert queued_tasks(queue) == []
    with queue.runtime.sessions.begin() as session:  # a worker claims the first one
        session.get_one(RunShard, taken.id).status = "running"
    queue.tick()
    queue.tick()
    assert queued_tasks(queue) == [("run_shard", (lost.id,), SHARD_PRIORITY)]
