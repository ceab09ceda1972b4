"""A real ``netraven worker`` process runs scheduled jobs on time, on every queue backend."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta

import pytest

from netraven.jobs import Schedule
from tests.scheduler.workers import SIGTERM, WorkerLab, seconds, utc_now, wait_until
from tests.scheduler.workers import worker_lab as worker_lab  # the fixture

LabFactory = Callable[..., WorkerLab]


@pytest.mark.parametrize("backend", ["sqlite", "postgres", "redis"])
def test_an_interval_job_runs_on_time_repeatedly(worker_lab: LabFactory, backend: str) -> None:
    # The tick (7 s) is longer than the interval (3 s): every run after the first is started by
    # its ETA task, each of which queues the next one.
    lab = worker_lab(backend, NETRAVEN_SCHEDULER__TICK_SECONDS="7")
    job_id = lab.create_job("every-3s", Schedule("interval", interval_seconds=3))
    worker = lab.start_worker("--workers", "2")
    wait_until(lambda: sum(r.status == "succeeded" for r in lab.runs(job_id)) >= 4, 30, "four runs")
    assert worker.signal(SIGTERM) == 0, worker.log()

    runs = [r for r in lab.runs(job_id) if r.status != "cancelled"][:4]
    assert [r.status for r in runs] == ["succeeded"] * 4, [r.message for r in runs]
    assert all(len(r.results) == 2 for r in runs)
    due = [r.scheduled_for for r in runs]
    assert {seconds(b, a) for a, b in itertools.pairwise(due[1:])} == {3.0}  # none skipped, no drift
    late = [seconds(r.started_at, r.scheduled_for) for r in runs[1:]]
    print(f"{backend}: interval runs started {', '.join(f'{s:.3f}' for s in late)} s after their due times")
    assert all(0 <= s < 1.0 for s in late), late
    after = lab.runs(job_id)
    assert worker.log().count(" started: 2 host(s)") == sum(r.started_at is not None for r in after)
    assert "running" not in {r.status for r in after}  # SIGTERM left nothing running


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_daily_job_starts_within_2_s_of_its_time(worker_lab: LabFactory, backend: str) -> None:
    lab = worker_lab(backend, NETRAVEN_SCHEDULER__TICK_SECONDS="60")  # no tick between start and due time
    at = (utc_now() + timedelta(seconds=5)).replace(microsecond=0)
    job_id = lab.create_job("daily", Schedule("daily", time_of_day=at.strftime("%H:%M:%S")))
    worker = lab.start_worker()
    wait_until(lambda: any(r.status == "succeeded" for r in lab.runs(job_id)), 20, "the daily run")
    (run,) = lab.runs(job_id)
    assert run.scheduled_for == at
    late = seconds(run.started_at, at)
    print(f"{backend}: daily job started {late:.3f} s after its time")
    assert 0 <= late < 2.0
    assert worker.signal(SIGTERM) == 0, worker.log()
