"""A worker stopped by SIGTERM or killed by SIGKILL mid-run (#13)."""

import json

from click.testing import CliRunner

from netraven.cli import main
from netraven.jobs import Schedule
from tests.faults.conftest import BACKENDS, LabFactory, assert_settled, into_first_hosts, running, slow_lab
from tests.scheduler.workers import SIGTERM, WorkerLab, wait_until


def run_now(wlab: WorkerLab) -> int:
    """``netraven job run by-hand --json`` in this process: the run id."""
    result = CliRunner().invoke(main, ["--user", "alice", "job", "run", "by-hand", "--json"], env=wlab.env)
    assert result.exit_code == 0, result.output
    return int(json.loads(result.stdout)["run_id"])


@BACKENDS
def test_sigterm_cancels_the_run_and_keeps_every_host(worker_lab: LabFactory, backend: str) -> None:
    lab = slow_lab(worker_lab, backend)
    lab.create_job("by-hand", Schedule(), enabled=False)
    worker = lab.start_worker()
    run_now(lab)
    into_first_hosts(lab, worker.process.pid)
    assert worker.signal(SIGTERM) == 0, worker.log()

    (run,) = lab.runs()
    assert run.status == "cancelled", (run.message, worker.log())
    statuses = [r.status for r in run.results]
    assert set(statuses) == {"skipped", "succeeded"} and statuses.count("succeeded") >= 1, statuses
    assert_settled(lab, run, worker.process.pid)


@BACKENDS
def test_sigkill_then_a_new_worker_fails_and_reruns_the_run_once(
    worker_lab: LabFactory, backend: str
) -> None:
    lab = slow_lab(worker_lab, backend, NETRAVEN_SCHEDULER__ON_DEAD_RUN="requeue")
    lab.create_job("by-hand", Schedule(), enabled=False)
    first = lab.start_worker()
    run_id = run_now(lab)
    into_first_hosts(lab, first.process.pid)
    first.kill()
    assert running(lab) == [run_id]  # until the lease runs out
    second = lab.start_worker()
    wait_until(
        lambda: len(lab.runs()) == 2 and lab.runs()[1].status not in ("queued", "running"), 60, "the rerun"
    )
    assert second.signal(SIGTERM) == 0, second.log()

    dead, rerun = lab.runs()
    assert (
        dead.status == "failed" and dead.message and dead.message.endswith(f"; re-queued as run {rerun.id}")
    )
    assert (rerun.status, rerun.requeues) == ("succeeded", 1), rerun.message
    assert_settled(lab, rerun, second.process.pid)
    hosts = sorted(r.hostname for r in dead.results)  # each target host once, unreported ones failed
    assert hosts == sorted(d["hostname"] for d in lab.fleet.devices), dead.results


@BACKENDS
def test_a_live_run_longer_than_its_lease_is_never_taken_for_dead(
    worker_lab: LabFactory, backend: str
) -> None:
    lab = slow_lab(worker_lab, backend, NETRAVEN_SCHEDULER__LEASE_SECONDS="2",
                   NETRAVEN_SCHEDULER__ON_DEAD_RUN="requeue")  # fmt: skip
    lab.create_job("by-hand", Schedule(), enabled=False)
    worker = lab.start_worker()
    run_now(lab)
    wait_until(lambda: lab.runs()[0].status not in ("queued", "running"), 90, "the run to end")
    assert worker.signal(SIGTERM) == 0, worker.log()

    (run,) = lab.runs()  # ran once, some 12 s under a 2 s lease: never re-queued
    assert run.status == "succeeded" and run.requeues == 0, run.message
    assert_settled(lab, run, worker.process.pid)
    assert "worker lost" not in worker.log()


def test_a_lease_shorter_than_two_heartbeats_stops_the_worker_at_start(worker_lab: LabFactory) -> None:
    lab = worker_lab("sqlite", devices=1)
    result = CliRunner().invoke(main, ["worker"], env={**lab.env, "NETRAVEN_SCHEDULER__LEASE_SECONDS": "0"})
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: scheduler.lease_seconds = 0: must be at least twice the heartbeat interval (1 s, "
        "scheduler.heartbeat_seconds), else live runs are taken for dead"
    )
