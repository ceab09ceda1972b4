"""A run taken for dead while its worker still runs it stops, instead of going on beside its replacement (#13)."""

import logging
import threading

import pytest
from sqlalchemy import Engine, select, update

from netraven.db import create_session_factory
from netraven.db.models import JobResult, JobRun
from netraven.jobs import Targets, create_run
from netraven.plugins import NetRavenPluginManager
from netraven.runner import RunReport, execute_run, run_job
from netraven.runner.writer import ResultsWriter
from netraven.settings import Settings
from tests.runner.conftest import make_settings
from tests.scheduler.workers import wait_until


def test_a_run_ended_by_the_scheduler_stops_skipping_its_other_hosts(
    engine: Engine,
    settings: Settings,
    lab,
    plugin_manager: NetRavenPluginManager,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = make_settings(settings.home, NETRAVEN_RUNNER__NUM_WORKERS="1",
                             NETRAVEN_SCHEDULER__LEASE_SECONDS="1", NETRAVEN_SCHEDULER__HEARTBEAT_SECONDS="0.2")  # fmt: skip
    lab(3, failures="0-2:slow=0.5")  # some 3 s per host, one host at a time
    sessions = create_session_factory(engine)
    with sessions.begin() as session:
        run_id = create_run(session, "backup", Targets.of(all=True)).id
    reports: list[RunReport] = []
    thread = threading.Thread(target=lambda: reports.append(
        execute_run(run_id, settings=settings, engine=engine, plugin_manager=plugin_manager)))  # fmt: skip
    thread.start()
    wait_until(lambda: status(sessions, run_id) == "running", 15, "the run to start")
    with sessions.begin() as session:  # what the dispatcher does to a run it takes for dead
        session.execute(update(JobRun).where(JobRun.id == run_id).values(status="failed", message="lost"))
    with caplog.at_level(logging.ERROR, "netraven.runner"):
        thread.join(30)
    assert not thread.is_alive()

    (report,) = reports
    statuses = [outcome.status for outcome in report.hosts.values()]
    # the host under way (if one had started) finishes; the others are not started
    assert statuses.count("skipped") >= 2 and "failed" not in statuses, report.hosts
    assert f"run {run_id} was ended by someone else while running here: stopping it" in caplog.text
    with sessions() as session:
        run = session.get(JobRun, run_id)
        assert run is not None and (run.status, run.message) == ("failed", "lost")  # not overwritten


def status(sessions, run_id: int) -> str | None:
    with sessions() as session:
        run = session.get(JobRun, run_id)
        return run.status if run else None


def test_a_host_the_writer_lost_still_gets_a_result_row(
    engine: Engine,
    settings: Settings,
    lab,
    plugin_manager: NetRavenPluginManager,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Mocked: a bug in the results writer (it drops one host's batch), which real runs cannot be made to hit."""
    fleet = lab(2)
    dropped = fleet.devices[0]["hostname"]
    store = ResultsWriter.store

    def buggy(self: ResultsWriter, batch: list) -> list:
        if any(record.name == dropped for record in batch):
            raise RuntimeError("a bug")
        return store(self, batch)

    monkeypatch.setattr(ResultsWriter, "store", buggy)
    report = run_job("backup", Targets.of(all=True), settings=make_settings(settings.home, NETRAVEN_RUNNER__NUM_WORKERS="1"),
                     engine=engine, plugin_manager=plugin_manager)  # fmt: skip
    assert report.hosts[dropped].message == f"{dropped}: no result was reported"
    with create_session_factory(engine)() as session:
        rows = {
            r.hostname: r for r in session.scalars(select(JobResult).where(JobResult.run_id == report.run_id))
        }
    assert set(rows) == {d["hostname"] for d in fleet.devices}
    assert (rows[dropped].status, rows[dropped].message) == ("failed", f"{dropped}: no result was reported")
