"""Shard processes started before the run (``netraven run`` does): used by the run, or closed (#12)."""

import os
import subprocess
import threading
import time

from sqlalchemy import Engine

from netraven.jobs import Targets
from netraven.runner import run_job
from netraven.runner.forked import can_fork
from netraven.runner.spawn import prestarted
from netraven.settings import Settings
from tests.runner.conftest import make_settings, shard_pids
from tests.runner.test_shards import results


def test_a_split_run_uses_the_processes_started_before_it(engine: Engine, settings: Settings, lab) -> None:
    settings = make_settings(settings.home, 2, NETRAVEN_RUNNER__NUM_WORKERS="4")
    fleet = lab(6)
    with prestarted(settings, hosts=6) as processes:
        started = sorted(p.process.pid for p in processes if p.process is not None)
        assert len(started) == 2 and sorted(shard_pids(os.getpid())) == started
        report = run_job("backup", Targets.of(all=True), settings=settings, engine=engine,
                         shard_processes=processes)  # fmt: skip
        assert processes == []  # the run took both: it started no others
    assert report.summary.status == "succeeded", report.message
    stored = results(engine, report.run_id)
    assert sorted(stored) == sorted(d["hostname"] for d in fleet.devices)
    assert all(r.status == "succeeded" for r in stored.values())


def test_processes_a_run_does_not_use_are_closed(engine: Engine, settings: Settings, lab) -> None:
    settings = make_settings(settings.home, 2, NETRAVEN_RUNNER__MIN_HOSTS_PER_PROCESS="2")
    fleet = lab(2)
    with prestarted(settings, hosts=4) as processes:  # a guess of 4 hosts: two processes
        popens = [p.process for p in processes if p.process is not None]
        assert len(popens) == 2
        one = Targets.of(devices=[fleet.devices[0]["hostname"]])  # one host: the run stays here
        report = run_job("backup", one, settings=settings, engine=engine, shard_processes=processes)
        assert len(processes) == 2  # untouched
    assert report.summary.status == "succeeded", report.message
    assert all(p.returncode is not None for p in popens)  # closed and waited for at the block's end
    assert shard_pids(os.getpid()) == []


def test_no_processes_for_a_run_that_stays_in_one(settings: Settings) -> None:
    small = make_settings(settings.home, 2, NETRAVEN_RUNNER__MIN_HOSTS_PER_PROCESS="100")
    before = time.monotonic()
    with prestarted(small, hosts=150) as processes:
        assert processes == []
    assert time.monotonic() - before < 1


def test_a_process_with_threads_starts_interpreters_instead_of_forking(settings: Settings) -> None:
    """A fork would copy locks held by other threads (held forever in the child): never with threads."""
    settings = make_settings(settings.home, 2, NETRAVEN_RUNNER__MIN_HOSTS_PER_PROCESS="1")
    release = threading.Event()
    other = threading.Thread(target=release.wait, daemon=True)
    other.start()
    try:
        assert not can_fork()
        with prestarted(settings, hosts=4, fork=True) as processes:
            assert len(processes) == 2
            assert all(isinstance(p.process, subprocess.Popen) for p in processes)
            assert sorted(shard_pids(os.getpid())) == sorted(p.process.pid for p in processes if p.process)
    finally:
        release.set()
        other.join()
    assert shard_pids(os.getpid()) == []
