"""Dispatch on SQLite and PostgreSQL: due jobs become runs once, dead runs end, one job at a time."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.db import create_session_factory
from netraven.db.models import Device, Job, JobResult, JobRun
from netraven.exceptions import JobError
from netraven.inventory import add_device, remove_tag
from netraven.jobs import Queued, Schedule, create_job, queue_job_run
from netraven.jobs.targets import Targets
from netraven.scheduler.dispatch import (
    dispatch_due,
    due_soon,
    reap_dead_runs,
    stale_queued_runs,
    take_dispatch_lock,
)
from tests.scheduler.jobtypes import registry

NOW = datetime(2025, 3, 1, 2, 0, 30, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def fleet(session: Session) -> Session:
    add_device(session, "r1", "10.0.0.1", "cisco_ios", tags=["core"])
    add_device(session, "r2", "10.0.0.2", "cisco_ios", tags=["edge"])
    session.flush()
    return session


def create(session: Session, name: str = "every-minute", *, now: datetime = NOW, **kwargs: Any) -> Job:
    fields: dict[str, Any] = {"job_type": "backup", "tags": ["core"], "schedule": Schedule("interval",
                              interval_seconds=60), "priority": 5, **kwargs}  # fmt: skip
    return create_job(session, name=name, job_types=registry(), now=now, **fields)


def runs_of(session: Session, job: Job) -> list[JobRun]:
    return list(session.scalars(select(JobRun).where(JobRun.job_id == job.id).order_by(JobRun.id)))


def test_a_due_job_gets_one_run_with_its_targets_and_moves_on(fleet: Session) -> None:
    job = create(fleet, parameters={"retries": 3}, now=NOW - MINUTE)  # due at NOW - 1 min
    assert dispatch_due(fleet, NOW, UTC) == [Queued(runs_of(fleet, job)[0].id, 5)]
    (run,) = runs_of(fleet, job)
    assert (run.status, run.scheduled_for, run.triggered_by) == ("queued", NOW - MINUTE, "scheduler")
    assert (run.job_type, run.parameters, run.targets) == (
        "backup",
        {"retries": 3},
        {"devices": [], "tags": ["core"], "all": False},
    )
    assert job.next_run_at == NOW - MINUTE + 2 * MINUTE  # the next grid time after now
    assert dispatch_due(fleet, NOW, UTC) == []  # not due any more


def test_missed_times_coalesce_into_one_run(fleet: Session) -> None:
    job = create(fleet, now=NOW - 10 * MINUTE)  # ten runs missed while no worker was up
    assert len(dispatch_due(fleet, NOW, UTC)) == 1
    assert [run.scheduled_for for run in runs_of(fleet, job)] == [NOW - 10 * MINUTE]
    assert job.next_run_at == NOW + MINUTE  # the first time after now on its grid, not now
    daily = create(
        fleet, "daily", schedule=Schedule("daily", time_of_day="01:00"), now=NOW - 3 * timedelta(days=1)
    )
    assert len(dispatch_due(fleet, NOW, UTC)) == 1
    assert daily.next_run_at == datetime(2025, 3, 2, 1, 0, tzinfo=UTC)


def test_only_enabled_due_jobs_only_the_one_asked(fleet: Session) -> None:
    due = create(fleet, "due", now=NOW - MINUTE)
    create(fleet, "later", now=NOW + MINUTE)
    create(fleet, "disabled", now=NOW - MINUTE, enabled=False)
    other = create(fleet, "other", now=NOW - MINUTE)
    assert len(dispatch_due(fleet, NOW, UTC, job_id=other.id)) == 1
    assert [len(runs_of(fleet, job)) for job in (due, other)] == [0, 1]
    assert len(dispatch_due(fleet, NOW, UTC)) == 1
    assert {s.job_id for s in due_soon(fleet, NOW, MINUTE)} == {
        due.id,
        other.id,
        fleet.scalar(select(Job.id).where(Job.name == "later")),
    }
    assert due_soon(fleet, NOW, timedelta(seconds=10)) == []


def test_a_job_with_an_active_run_is_not_dispatched_again(
    fleet: Session, caplog: pytest.LogCaptureFixture
) -> None:
    job = create(fleet, now=NOW - 2 * MINUTE)
    dispatch_due(fleet, NOW - MINUTE, UTC)
    (first,) = runs_of(fleet, job)
    for status in ("queued", "running"):
        first.status = status
        job.next_run_at = NOW
        with caplog.at_level(logging.WARNING, "netraven.scheduler"):
            assert dispatch_due(fleet, NOW, UTC) == []
        assert job.next_run_at == NOW + MINUTE  # it still moves on
        assert f"its run {first.id} is still {status}" in caplog.text
    with pytest.raises(JobError, match=f"already has run {first.id} running: a job never runs twice at once"):
        queue_job_run(fleet, job.id, "alice")
    first.status = "failed"
    queued = queue_job_run(fleet, job.name, "alice")
    run = fleet.get(JobRun, queued.run_id)
    assert run is not None and (run.triggered_by, run.scheduled_for, queued.priority) == ("alice", None, 5)


def test_a_job_without_targets_records_a_failed_run(fleet: Session) -> None:
    job = create(fleet, now=NOW - MINUTE)
    remove_tag(fleet, "core")
    fleet.expire_all()
    assert dispatch_due(fleet, NOW, UTC) == []
    (run,) = runs_of(fleet, job)
    assert (run.status, run.message) == (
        "failed",
        "job 'every-minute' has no targets left: its devices and tags were removed",
    )
    with pytest.raises(JobError, match="no targets left"):
        queue_job_run(fleet, job.id, "alice")


def running_run(
    session: Session, job: Job, heartbeat: datetime | None, started: datetime = NOW - MINUTE
) -> JobRun:
    run = JobRun(job_id=job.id, job_type="backup", targets={"tags": ["core"]}, status="running",
                 scheduled_for=started, started_at=started, heartbeat_at=heartbeat, worker="host:1")  # fmt: skip
    session.add(run)
    session.flush()
    session.add_all(
        JobResult(run_id=run.id, hostname=f"r{n}", status=s) for n, s in enumerate(("succeeded", "failed"))
    )
    session.flush()
    return run


@pytest.mark.parametrize("policy", ["fail", "requeue"])
def test_a_run_without_heartbeat_is_failed_or_requeued(fleet: Session, policy: Any) -> None:
    job = create(fleet, now=NOW + MINUTE)
    dead = running_run(fleet, job, NOW - timedelta(seconds=121))
    dead_unbeaten = running_run(fleet, job, None, started=NOW - timedelta(seconds=200))
    alive = running_run(fleet, job, NOW - timedelta(seconds=100))
    requeued = reap_dead_runs(fleet, NOW, 120, policy)
    assert alive.status == "running"
    core = fleet.scalars(Targets.of(tags=["core"]).query().add_columns(Device.hostname)).all()
    for run in (dead, dead_unbeaten):  # its two results, and a failed one for each core device unreported
        assert (run.status, run.completed_at, run.hosts_succeeded, run.hosts_failed, run.hosts_total) == (
            "failed", NOW, 1, 1 + len(core), 2 + len(core),
        )  # fmt: skip
        added = [r for r in run.results if r.device_id is not None]
        assert sorted(r.device_id for r in added) == sorted(core) and core
        assert all(r.status == "failed" and r.message.startswith("not reported before the run ended: worker lost")
                   for r in added)  # fmt: skip
    assert dead.message is not None and dead.message.startswith(
        "worker lost: no heartbeat since 2025-03-01T01:58:29+00:00 from host:1"
    )
    if policy == "fail":
        assert requeued == [] and "re-queued" not in dead.message
        return
    assert [q.priority for q in requeued] == [5, 5]
    retry = fleet.get(JobRun, requeued[0].run_id)
    assert retry is not None and dead.message.endswith(f"; re-queued as run {retry.id}")
    assert (retry.status, retry.scheduled_for, retry.targets, retry.job_id) == (
        "queued",
        dead.scheduled_for,
        dead.targets,
        job.id,
    )


def test_stale_queued_runs(fleet: Session) -> None:
    job = create(fleet, now=NOW + MINUTE)
    old = JobRun(job_id=job.id, job_type="backup", status="queued", created_at=NOW - timedelta(seconds=300))
    adhoc = JobRun(job_type="backup", status="queued", created_at=NOW - timedelta(seconds=300))
    new = JobRun(job_id=job.id, job_type="backup", status="queued", created_at=NOW - timedelta(seconds=10))
    fleet.add_all([old, adhoc, new])
    fleet.flush()
    assert stale_queued_runs(fleet, NOW, 120) == [Queued(old.id, 5), Queued(adhoc.id, 0)]


def test_concurrent_dispatchers_create_each_run_once(fresh_engine: Engine) -> None:
    sessions = create_session_factory(fresh_engine)
    with sessions.begin() as session:
        add_device(session, "r1", "10.0.0.1", "cisco_ios", tags=["core"])
        session.flush()
        for n in range(30):
            create(session, f"job-{n}", now=NOW - MINUTE)
    barrier = threading.Barrier(4)
    dispatched: list[Queued] = []

    def dispatcher() -> None:
        barrier.wait()
        with sessions.begin() as session:
            dispatched.extend(dispatch_due(session, NOW, UTC))

    threads = [threading.Thread(target=dispatcher) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with sessions() as session:
        runs = list(session.scalars(select(JobRun)))
    assert len(runs) == len(dispatched) == 30
    assert sorted(run.job_id for run in runs if run.job_id) == sorted(
        {run.job_id for run in runs if run.job_id}
    )


def test_one_dispatch_lock_at_a_time(fresh_engine: Engine) -> None:
    sessions = create_session_factory(fresh_engine)
    with sessions.begin() as first:
        assert take_dispatch_lock(first)
        if fresh_engine.dialect.name == "postgresql":
            with sessions.begin() as second:
                assert not take_dispatch_lock(second)
    with sessions.begin() as again:
        assert take_dispatch_lock(again)  # released with the transaction


def test_requeues_are_capped(fleet: Session) -> None:
    job = create(fleet, now=NOW + MINUTE)
    dead = running_run(fleet, job, NOW - timedelta(seconds=121))
    (first,) = reap_dead_runs(fleet, NOW, 120, "requeue", max_requeues=2)
    retry = fleet.get(JobRun, first.run_id)
    assert retry is not None and retry.requeues == 1
    for expected in (2, None):  # the second re-queue is allowed, a third is not
        assert retry is not None
        retry.status, retry.started_at, retry.heartbeat_at = "running", NOW, NOW - timedelta(seconds=121)
        fleet.flush()
        again = reap_dead_runs(fleet, NOW, 120, "requeue", max_requeues=2)
        if expected is None:
            assert again == []
            assert retry.status == "failed" and retry.message is not None
            assert retry.message.endswith(
                "; not re-queued: re-queued 2 time(s) already (scheduler.max_requeues)"
            )
        else:
            (item,) = again
            retry = fleet.get(JobRun, item.run_id)
            assert retry is not None and retry.requeues == expected
    assert dead.status == "failed"
