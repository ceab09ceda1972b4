"""Runs split over shard processes: when they split, stopping them, and shards that die or fail."""

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven import hookimpl
from netraven.db import create_engine_for_url
from netraven.db.models import JobResult
from netraven.db.session import create_session_factory
from netraven.jobs import JobType, Targets, create_run
from netraven.jobs.events import HostOutcome, RunInfo
from netraven.plugins import create_plugin_manager
from netraven.runner import execute_run, run_job, shards
from netraven.runner.shards import plan_shards
from netraven.runner.spawn import shard_count
from netraven.settings import Settings
from netraven_jobs import Backup
from tests.runner.conftest import make_settings, shard_pids

RUN = RunInfo(1, None, "backup")


def results(engine: Engine, run_id: int) -> dict[str, JobResult]:
    with Session(engine) as session:
        return {r.hostname: r for r in session.scalars(select(JobResult).where(JobResult.run_id == run_id))}


# -- planning -------------------------------------------------------------------------------------


def test_shard_count_follows_cores_size_and_threads(tmp_path: Path) -> None:
    auto = make_settings(tmp_path, 0, NETRAVEN_RUNNER__MIN_HOSTS_PER_PROCESS="100")
    assert shard_count(auto, 199) == 1  # too small for a second process
    assert shard_count(auto, 10_000) == len(os.sched_getaffinity(0))
    four = make_settings(tmp_path, 4, NETRAVEN_RUNNER__MIN_HOSTS_PER_PROCESS="100")
    assert [shard_count(four, n) for n in (150, 250, 399, 400, 5_000)] == [1, 2, 3, 4, 4]
    few_threads = make_settings(tmp_path, 4, NETRAVEN_RUNNER__NUM_WORKERS="3")
    assert shard_count(few_threads, 5_000) == 3  # a process needs a thread at least


def test_shards_cover_every_host_once_and_share_the_threads(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, 3, NETRAVEN_RUNNER__NUM_WORKERS="50")
    engine = create_engine_for_url(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    ids = list(range(1, 101))
    specs = plan_shards(settings, engine, Backup, RUN, ids)
    assert len(specs) == 3
    assert sorted(i for spec in specs for i in spec.device_ids) == ids
    assert [spec.num_workers for spec in specs] == [17, 17, 16]
    assert {spec.job_class for spec in specs} == {"netraven_jobs.backup:Backup"}
    assert str(tmp_path / "db.sqlite3") not in repr(specs[0])  # nor settings: they may hold keys


def test_runs_that_stay_in_one_process(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, 2)
    file_db = create_engine_for_url(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    memory_db = create_engine_for_url("sqlite://")

    class Local(Backup):  # defined here: a new process cannot import it
        name = "local-backup"

    class Unshardable(JobType):
        name = "unshardable"

        def task(self, task: Any, **params: Any) -> Any:
            raise NotImplementedError

    ids = [1, 2, 3, 4]
    assert len(plan_shards(settings, file_db, Backup, RUN, ids)) == 2
    assert plan_shards(settings, memory_db, Backup, RUN, ids) == []
    assert plan_shards(settings, file_db, Local, RUN, ids) == []
    assert plan_shards(settings, file_db, Unshardable, RUN, ids) == []
    assert plan_shards(settings, file_db, Backup, RUN, [1]) == []


def test_a_job_type_only_this_process_knows_runs_here(
    engine: Engine, settings: Settings, lab, caplog: pytest.LogCaptureFixture
) -> None:
    class Local(Backup):
        name = "local-backup"

    class Plugin:
        @hookimpl
        def netraven_register_job_types(self) -> list[type[JobType]]:
            return [Local]

    lab(2)
    report = run_job("local-backup", Targets.of(all=True), settings=make_settings(settings.home, 2),
                     engine=engine, plugin_manager=create_plugin_manager(plugins=[Plugin()]))  # fmt: skip
    assert report.summary.status == "succeeded" and report.summary.hosts_succeeded == 2
    assert "processes" not in caplog.text


# -- stopping, dying, failing to start ------------------------------------------------------------


def test_stop_reaches_every_shard(engine: Engine, settings: Settings, lab) -> None:
    settings = make_settings(settings.home, 2, NETRAVEN_RUNNER__NUM_WORKERS="2")  # 1 thread per shard
    fleet = lab(8, failures="0-7:slow=0.3")
    stop = threading.Event()

    def on_host(outcome: HostOutcome) -> None:
        stop.set()

    with create_session_factory(engine).begin() as session:
        run_id = create_run(session, "backup", Targets.of(all=True)).id
    report = execute_run(run_id, settings=settings, engine=engine, stop=stop, on_host=on_host)

    assert report.summary.status == "cancelled"
    stored = results(engine, report.run_id)
    assert set(stored) == {d["hostname"] for d in fleet.devices}  # no host lost
    statuses = [r.status for r in stored.values()]
    assert statuses.count("skipped") >= 4, statuses  # each shard stopped after its host under way
    assert all(
        r.message == "not started: the run was stopped" for r in stored.values() if r.status == "skipped"
    )


def test_hosts_of_a_killed_shard_fail_with_the_reason(engine: Engine, settings: Settings, lab) -> None:
    settings = make_settings(settings.home, 2, NETRAVEN_RUNNER__NUM_WORKERS="2")
    fleet = lab(8, failures="0-7:slow=0.3")
    killed: list[int] = []

    def on_host(outcome: HostOutcome) -> None:
        if not killed:
            killed.append(shard_pids(os.getpid())[0])
            os.kill(killed[0], signal.SIGKILL)

    report = run_job("backup", Targets.of(all=True), settings=settings, engine=engine, on_host=on_host)

    stored = results(engine, report.run_id)
    assert set(stored) == {d["hostname"] for d in fleet.devices}  # every host has its row
    lost = [r for r in stored.values() if "worker process ended" in r.message]
    assert lost, [r.message for r in stored.values()]
    assert all(r.status == "failed" and r.error_kind is None for r in lost)
    assert all("(exit code -9) before reporting it" in r.message for r in lost)
    assert report.summary.status == "partial"
    assert report.summary.hosts_succeeded + len(lost) == 8


def test_a_hung_shard_is_killed_and_its_hosts_fail(
    engine: Engine, settings: Settings, lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shards, "SILENCE_GRACE", 3.0)  # hung after 3 + 3 s of silence, not 3 + 30
    settings = make_settings(settings.home, 2, NETRAVEN_RUNNER__NUM_WORKERS="2",
                             NETRAVEN_CONNECTION__HOST_TIME_LIMIT="3")  # fmt: skip
    fleet = lab(6, failures="0-5:slow=0.2")  # each shard is still at work when its first host is in
    frozen: list[int] = []

    def on_host(outcome: HostOutcome) -> None:
        if not frozen:
            frozen.append(shard_pids(os.getpid())[0])
            os.kill(frozen[0], signal.SIGSTOP)  # alive, silent: as a deadlocked process would be

    started = time.monotonic()
    report = run_job("backup", Targets.of(all=True), settings=settings, engine=engine, on_host=on_host)

    assert time.monotonic() - started < 20
    stored = results(engine, report.run_id)
    assert set(stored) == {d["hostname"] for d in fleet.devices}
    hung = [r for r in stored.values() if "stopped answering" in r.message]
    assert hung and all(r.status == "failed" for r in hung)
    assert all(r.message.endswith("its worker process failed: it stopped answering (nothing for 6 s) and was killed")
               for r in hung)  # fmt: skip
    assert frozen[0] not in shard_pids(os.getpid())


class FailsInShards(Backup):
    """A backup that cannot be set up in a shard process (say, a module it needs is missing there)."""

    name = "fails-in-shards"

    def __init__(self) -> None:
        super().__init__()
        if os.environ.get("NETRAVEN_TEST_RUN_PID") != str(os.getpid()):
            raise RuntimeError("no TACACS+ library in this process")


class FailsInShardsPlugin:
    @hookimpl
    def netraven_register_job_types(self) -> list[type[JobType]]:
        return [FailsInShards]


def test_a_shard_that_cannot_start_fails_its_hosts_in_one_line(
    engine: Engine, settings: Settings, lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETRAVEN_TEST_RUN_PID", str(os.getpid()))
    fleet = lab(4)
    report = run_job("fails-in-shards", Targets.of(all=True), settings=make_settings(settings.home, 2),
                     engine=engine, plugin_manager=create_plugin_manager(plugins=[FailsInShardsPlugin()]))  # fmt: skip

    assert report.summary.status == "failed"
    stored = results(engine, report.run_id)
    assert set(stored) == {d["hostname"] for d in fleet.devices}
    for hostname, row in stored.items():
        assert row.message == (
            f"{hostname}: its worker process failed: RuntimeError: no TACACS+ library in this process"
        )


class Unpicklable(Backup):
    """A backup whose task returns what cannot leave its process (a lock)."""

    name = "unpicklable"

    def task(self, task: Any, **params: Any) -> Any:
        result = super().task(task, **params)
        result.result = threading.Lock()
        return result


class UnpicklablePlugin:
    @hookimpl
    def netraven_register_job_types(self) -> list[type[JobType]]:
        return [Unpicklable]


def test_a_result_that_cannot_leave_its_shard_fails_its_host(engine: Engine, settings: Settings, lab) -> None:
    fleet = lab(2)
    report = run_job("unpicklable", Targets.of(all=True), settings=make_settings(settings.home, 2),
                     engine=engine, plugin_manager=create_plugin_manager(plugins=[UnpicklablePlugin()]))  # fmt: skip
    stored = results(engine, report.run_id)
    assert set(stored) == {d["hostname"] for d in fleet.devices}
    for hostname, row in stored.items():
        assert (row.status, row.error_kind) == ("failed", "command")
        assert row.message == f"{hostname}: the task's result cannot be passed to the run (TypeError)"
