"""``netraven run`` stopped by SIGINT/SIGTERM or killed mid-run (#13)."""

from pathlib import Path

import pytest

from tests.faults.conftest import (
    BACKENDS,
    Command,
    LabFactory,
    assert_settled,
    into_first_hosts,
    reap,
    slow_lab,
)
from tests.runner.conftest import shard_pids
from tests.scheduler.workers import SIGINT, SIGKILL, SIGTERM, wait_until

EXIT_HOSTS_FAILED = 3


@BACKENDS
@pytest.mark.parametrize("processes", [1, 2], ids=["one-process", "two-processes"])
@pytest.mark.parametrize("signum", [SIGINT, SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_cancels_the_run_and_keeps_every_host(
    worker_lab: LabFactory, backend: str, processes: int, signum: int
) -> None:
    lab = slow_lab(worker_lab, backend, processes)
    command = Command(lab)
    into_first_hosts(lab, command.process.pid, processes)
    command.process.send_signal(signum)
    assert command.wait() == EXIT_HOSTS_FAILED, command.output()

    (run,) = lab.runs()
    statuses = sorted(result.status for result in run.results)
    assert run.status == "cancelled", (run.message, command.output())
    # each process's host under way finished and was stored; the others were not started (a shard
    # that started sooner may be on its next host when the signal comes: that one finishes too)
    assert set(statuses) == {"skipped", "succeeded"}, command.output()
    assert statuses.count("succeeded") >= processes, command.output()
    assert_settled(lab, run, command.process.pid)
    assert f"Run {run.id} cancelled: {statuses.count('succeeded')}/4 hosts succeeded" in command.output()


@BACKENDS
@pytest.mark.parametrize("processes", [1, 2], ids=["one-process", "two-processes"])
def test_sigkill_leaves_the_run_to_the_dead_run_logic(
    worker_lab: LabFactory, backend: str, processes: int
) -> None:
    lab = slow_lab(worker_lab, backend, processes)
    command = Command(lab)
    into_first_hosts(lab, command.process.pid, processes)
    shards = shard_pids(command.process.pid)
    command.process.send_signal(SIGKILL)
    command.wait()
    wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in shards), 15, "its shards to end")
    reap(lab)

    (run,) = lab.runs()
    assert run.status == "failed" and run.message and run.message.startswith("worker lost: no heartbeat"), (
        run.message
    )
    assert_settled(lab, run, command.process.pid)  # the hosts it never stored are failed, with why
    unreported = [r for r in run.results if r.status == "failed"]
    assert unreported and all(
        r.message.startswith("not reported before the run ended: worker lost") for r in unreported
    )


@BACKENDS
def test_netraven_run_forks_its_shards_and_records_every_host(worker_lab: LabFactory, backend: str) -> None:
    """The shards of ``netraven run`` are forks of it (no second interpreter start-up, #12)."""
    lab = slow_lab(worker_lab, backend, 2)
    command = Command(lab)
    into_first_hosts(lab, command.process.pid, 2)
    own = Path(f"/proc/{command.process.pid}/cmdline").read_bytes()
    shards = shard_pids(command.process.pid)
    assert len(shards) == 2
    assert all(Path(f"/proc/{pid}/cmdline").read_bytes() == own for pid in shards)  # not shard_child
    assert command.wait() == 0, command.output()

    (run,) = lab.runs()
    assert run.status == "succeeded", (run.message, command.output())
    assert_settled(lab, run, command.process.pid)
