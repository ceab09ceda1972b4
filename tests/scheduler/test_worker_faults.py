"""Workers killed or stopped mid-run: runs end, missed times run once, nothing stays running.

Device 0 of each fleet answers every command half a second late and the runs take their hosts one at
a time, so a run lasts several seconds and a stop lands while its first host is under way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from netraven.cli import main
from netraven.jobs import Schedule
from tests.runner.conftest import shard_pids
from tests.scheduler.workers import SIGINT, SIGTERM, WorkerLab, sessions_open, utc_now, wait_until
from tests.scheduler.workers import worker_lab as worker_lab  # the fixture

LabFactory = Callable[..., WorkerLab]
SLOW = {
    "failures": "0:slow=0.5",
    "NETRAVEN_RUNNER__NUM_WORKERS": "1",
    "NETRAVEN_SCHEDULER__TICK_SECONDS": "1",
}


def slow_lab(worker_lab: LabFactory, backend: str = "sqlite", **env: str) -> WorkerLab:
    return worker_lab(backend, **{**SLOW, **env})


def run_now(lab: WorkerLab, job: str) -> int:
    """``netraven job run JOB --json`` in this process: the run id."""
    result = CliRunner().invoke(main, ["--user", "alice", "job", "run", job, "--json"], env=lab.env)
    assert result.exit_code == 0, result.output
    return int(result.output.split('"run_id": ')[1].split(",")[0])


def running(lab: WorkerLab, job_id: int | None = None) -> list[int]:
    return [run.id for run in lab.runs(job_id) if run.status == "running"]


def test_sigkill_mid_run_then_restart_fails_the_run_and_runs_missed_times_once(
    worker_lab: LabFactory,
) -> None:
    lab = slow_lab(worker_lab)
    job_id = lab.create_job("every-3s", Schedule("interval", interval_seconds=3))
    first = lab.start_worker()
    wait_until(lambda: running(lab, job_id), 15, "a running run")
    time.sleep(1)
    first.kill()
    (dead_id,) = running(lab, job_id)
    time.sleep(6.5)  # at least two due times pass with no worker up
    restart = utc_now()
    second = lab.start_worker()
    wait_until(lambda: lab.runs(job_id)[-1].id > dead_id, 15, "a run after the restart")
    wait_until(lambda: lab.runs(job_id)[-1].status != "queued", 10, "the run to start")
    assert second.signal(SIGTERM) == 0, second.log()

    runs = {run.id: run for run in lab.runs(job_id)}
    dead = runs[dead_id]
    assert dead.status == "failed"
    assert dead.message and dead.message.startswith("worker lost: no heartbeat since ")
    assert dead.message.endswith(f"from {first.name}")
    after = [run for run in runs.values() if run.id > dead_id]
    missed = [run for run in after if run.scheduled_for is not None and run.scheduled_for < restart]
    assert len(missed) == 1, [(r.id, r.scheduled_for) for r in after]  # coalesced, not one per due time
    assert missed[0].scheduled_for is not None and missed[0].scheduled_for <= restart - timedelta(seconds=3)
    assert not [run.id for run in runs.values() if run.status == "running"]


def test_sigkill_mid_run_with_requeue_runs_it_again(worker_lab: LabFactory) -> None:
    lab = slow_lab(worker_lab, NETRAVEN_SCHEDULER__ON_DEAD_RUN="requeue")
    lab.create_job("by-hand", Schedule(), enabled=False)  # runs only when asked
    first = lab.start_worker()
    run_id = run_now(lab, "by-hand")
    wait_until(lambda: running(lab), 15, "the run to start")
    time.sleep(1)
    first.kill()
    second = lab.start_worker()
    wait_until(
        lambda: len(lab.runs()) == 2 and lab.runs()[1].status not in ("queued", "running"), 30, "the rerun"
    )
    assert second.signal(SIGTERM) == 0, second.log()

    dead, rerun = lab.runs()
    assert dead.id == run_id and dead.status == "failed"
    assert dead.message and dead.message.endswith(f"; re-queued as run {rerun.id}")
    assert (rerun.status, rerun.triggered_by, rerun.job_id) == ("succeeded", "alice", dead.job_id)
    assert sorted(result.hostname for result in rerun.results) == sorted(
        d["hostname"] for d in lab.fleet.devices
    )


@pytest.mark.parametrize("signum", [SIGTERM, SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_worker_after_running_hosts(worker_lab: LabFactory, signum: int) -> None:
    lab = slow_lab(worker_lab)
    lab.create_job("by-hand", Schedule(), enabled=False)
    worker = lab.start_worker()
    run_now(lab, "by-hand")
    wait_until(lambda: running(lab), 15, "the run to start")
    time.sleep(1)  # into its first host (the slow one takes some 3 s)
    started = time.monotonic()
    assert worker.signal(signum) == 0, worker.log()
    print(f"stopped {time.monotonic() - started:.1f} s after the signal")

    (run,) = lab.runs()
    statuses = {result.hostname: result.status for result in run.results}
    slow, fast = (device["hostname"] for device in lab.fleet.devices)
    assert (run.status, statuses) == ("cancelled", {slow: "succeeded", fast: "skipped"}), run.message
    assert "run 1 started" in worker.log() and "run 1 cancelled" in worker.log()


def test_a_signal_stops_every_shard_of_a_run(worker_lab: LabFactory) -> None:
    lab = worker_lab(
        "sqlite", devices=4, failures="0:slow=0.5,1:slow=0.5",  # the first host of each shard
        NETRAVEN_RUNNER__NUM_WORKERS="2", NETRAVEN_RUNNER__PROCESSES="2",
        NETRAVEN_RUNNER__MIN_HOSTS_PER_PROCESS="1", NETRAVEN_SCHEDULER__TICK_SECONDS="1",
    )  # fmt: skip
    lab.create_job("by-hand", Schedule(), enabled=False)
    worker = lab.start_worker()
    run_now(lab, "by-hand")
    wait_until(lambda: running(lab), 15, "the run to start")
    wait_until(lambda: len(shard_pids(worker.process.pid)) == 2, 15, "two shard processes")
    shards = shard_pids(worker.process.pid)
    # a shard may take seconds to start on a loaded machine: wait for its first session, not a fixed time
    wait_until(lambda: sessions_open(lab) >= 2, 30, "a session in each shard")
    time.sleep(0.5)  # into the slow hosts, one in each shard
    assert worker.signal(SIGTERM) == 0, worker.log()

    (run,) = lab.runs()
    statuses = {result.hostname: result.status for result in run.results}
    names = [device["hostname"] for device in lab.fleet.devices]
    expected = {names[0]: "succeeded", names[1]: "succeeded", names[2]: "skipped", names[3]: "skipped"}
    assert (run.status, statuses) == ("cancelled", expected), (run.message, worker.log())
    assert "4 hosts in 2 processes" in worker.log()
    wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in shards), 5, "no shard process left")
