"""A running run cancelled through the database (netraven.jobs.cancel_run) stops within seconds:
hosts under way finish, the others are skipped, and it ends cancelled saying by whom."""

import threading
import time

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.db import create_session_factory
from netraven.db.models import JobResult, JobRun
from netraven.jobs import Targets, cancel_run, create_run
from netraven.plugins import NetRavenPluginManager
from netraven.runner import execute_run
from netraven.runner.execute import RunReport
from netraven.settings import Settings
from tests.runner.conftest import PROCESSES, make_settings


@PROCESSES
def test_a_running_run_cancelled_from_another_session_ends_cancelled(
    engine: Engine, settings: Settings, lab, plugin_manager: NetRavenPluginManager, processes: int
) -> None:
    settings = make_settings(
        settings.home, processes, NETRAVEN_RUNNER__NUM_WORKERS=str(processes)
    )  # a host at a time each
    lab(6, failures="0-5:slow=0.5")
    sessions = create_session_factory(engine)
    with sessions.begin() as session:
        run_id = create_run(session, "backup", Targets.of(tags=["lab"]), {}, "alice").id
    reports: list[RunReport] = []
    worker = threading.Thread(target=lambda: reports.append(
        execute_run(run_id, settings=settings, engine=engine, plugin_manager=plugin_manager)))  # fmt: skip
    worker.start()
    deadline = time.monotonic() + 60
    while not _results(engine, run_id) and time.monotonic() < deadline:
        time.sleep(0.1)
    asked = time.monotonic()
    with sessions.begin() as session:
        cancel_run(session, run_id, "bob")
    worker.join(60)
    assert not worker.is_alive() and time.monotonic() - asked < 20
    with Session(engine) as session:
        run = session.get(JobRun, run_id)
        assert run is not None and run.status == "cancelled"
        assert run.message is not None and run.message.startswith("cancelled by bob")
    statuses = [r.status for r in _results(engine, run_id)]
    assert len(statuses) == 6 and "skipped" in statuses and "succeeded" in statuses
    assert reports[0].summary.status == "cancelled"


def _results(engine: Engine, run_id: int) -> list[JobResult]:
    with Session(engine) as session:
        return list(session.scalars(select(JobResult).where(JobResult.run_id == run_id)))
