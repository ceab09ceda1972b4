"""The faults suite: runs under faults, on fresh databases and simulated fleets over SSH.

Git faults run backups like the runner tests (their fixtures are re-exported here). Process faults
use real ``netraven`` processes killed or stopped mid-run, and bad keys and credentials.

Process faults run on SQLite (SqliteHuey) and PostgreSQL (PostgresHuey) over a simulated fleet whose
devices answer every command late (``slow=0.5``: some 3 s per backup) and runs that take one host at
a time, so a signal lands while a host is mid-session. After each fault the suite checks the same
things: every target host has exactly one result (nothing written twice), and no run is left
``running`` (after SIGKILL: once the dispatcher has found the dead run).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from netraven.db.models import JobRun
from netraven.scheduler.queue import Runtime, create_queue
from tests.runner.conftest import engine, lab, plugin_manager, recorder, settings, shard_pids  # noqa: F401
from tests.scheduler.workers import WorkerLab, sessions_open, wait_until
from tests.scheduler.workers import worker_lab as worker_lab  # the fixture

LabFactory = Callable[..., WorkerLab]
BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgres"])
SLOW = "0-3:slow=0.5"


def slow_lab(worker_lab: LabFactory, backend: str, processes: int = 1, **env: str) -> WorkerLab:
    """Four slow devices, one host at a time in each of ``processes`` processes."""
    return worker_lab(backend, devices=4, failures=SLOW, NETRAVEN_RUNNER__NUM_WORKERS=str(processes),
                      NETRAVEN_RUNNER__PROCESSES=str(processes), NETRAVEN_RUNNER__MIN_HOSTS_PER_PROCESS="1",
                      NETRAVEN_SCHEDULER__TICK_SECONDS="1", **env)  # fmt: skip


class Command:
    """One ``netraven run backup --tag lab`` subprocess, its output in a file."""

    def __init__(self, wlab: WorkerLab, *args: str) -> None:
        self.log_path: Path = wlab.home / f"run-{time.monotonic_ns()}.log"
        with self.log_path.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "netraven", "--user", "alice", "run", "backup", "--tag", "lab", *args],
                env=wlab.env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=wlab.home,
            )  # fmt: skip

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait(self, timeout: float = 90) -> int:
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def running(wlab: WorkerLab) -> list[int]:
    return [run.id for run in wlab.runs() if run.status == "running"]


def into_first_hosts(wlab: WorkerLab, pid: int, processes: int = 1) -> None:
    """Wait until a run of process ``pid`` has ``processes`` hosts mid-session (one per process)."""
    wait_until(lambda: running(wlab), 30, "a running run")
    if processes > 1:
        wait_until(lambda: len(shard_pids(pid)) == processes, 30, f"{processes} shard processes")
    wait_until(lambda: sessions_open(wlab) >= processes, 30, f"{processes} SSH sessions to the devices")
    time.sleep(0.5)  # into the login; a slow host takes some 3 s


def assert_settled(wlab: WorkerLab, run: JobRun, pid: int) -> None:
    """Every target host has exactly one result, no run is left running, no shard of ``pid`` is left."""
    hosts = Counter(result.hostname for result in run.results)
    assert sorted(hosts) == sorted(d["hostname"] for d in wlab.fleet.devices), (run.status, run.message)
    assert set(hosts.values()) == {1}, hosts  # nothing written twice
    assert not running(wlab), [(r.id, r.status) for r in wlab.runs()]
    wait_until(lambda: not shard_pids(pid), 15, "no shard process left")


def reap(wlab: WorkerLab) -> None:
    """One dispatch tick after the lease has passed: what any worker does to a dead run."""
    time.sleep(float(wlab.env["NETRAVEN_SCHEDULER__LEASE_SECONDS"]) + 0.5)
    queue = create_queue(wlab.settings, Runtime(wlab.settings, engine=wlab.engine))
    try:
        queue.tick()
    finally:
        queue.close()
