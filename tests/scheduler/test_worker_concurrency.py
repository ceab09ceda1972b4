"""Two worker processes on one database and one queue never run the same JobRun twice."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from netraven.jobs import Queued, Targets, create_run
from netraven.scheduler.queue import create_queue
from tests.scheduler.workers import SIGTERM, WorkerLab, wait_until
from tests.scheduler.workers import worker_lab as worker_lab  # the fixture

RUNS = 12


@pytest.mark.parametrize("backend", ["postgres", "redis"])
def test_two_workers_never_run_the_same_run_twice(worker_lab: Callable[..., WorkerLab], backend: str) -> None:
    lab = worker_lab(backend, NETRAVEN_SCHEDULER__TICK_SECONDS="60")
    workers = [lab.start_worker("--workers", "2") for _ in range(2)]
    with lab.sessions.begin() as session:
        ids = [create_run(session, "backup", Targets.of(tags=["lab"]), {}, "test").id for _ in range(RUNS)]
    queue = create_queue(lab.settings)
    for run_id in ids:  # each run delivered twice in a row, as a lost run enqueued again would be
        queue.enqueue_run(Queued(run_id))
        queue.enqueue_run(Queued(run_id))
    queue.close()
    wait_until(lambda: all(run.status not in ("queued", "running") for run in lab.runs()), 60, "every run")
    for worker in workers:
        assert worker.signal(SIGTERM) == 0, worker.log()

    runs = lab.runs()
    hostnames = sorted(device["hostname"] for device in lab.fleet.devices)
    assert [run.status for run in runs] == ["succeeded"] * RUNS, [
        (
            run.id,
            run.message,
            [(r.hostname, r.error_kind, r.message) for r in run.results if r.status != "succeeded"],
        )
        for run in runs
        if run.status != "succeeded"
    ]
    assert all(sorted(result.hostname for result in run.results) == hostnames for run in runs)  # one set each
    assert len(lab.results()) == RUNS * len(hostnames)
    assert {run.worker for run in runs} == {worker.name for worker in workers}  # both took part
    logs = "\n".join(worker.log() for worker in workers)
    refused = [int(n) for n in re.findall(r"run (\d+) not started: run \1 is \w+, not queued", logs)]
    assert sorted(refused) == ids  # every second delivery was refused by the claim
    assert logs.count(" started: 2 host(s)") == RUNS
