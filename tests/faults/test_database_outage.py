"""The database lost under a running ``netraven run`` or ``netraven worker`` (#13 defect 9).

Real processes against a real PostgreSQL database that is dropped (``WITH (FORCE)``) or whose
connections are refused for a while (``ALLOW_CONNECTIONS false`` plus ``pg_terminate_backend``),
over simulated devices. The command ends with one line per problem and no traceback; hosts it
could not store go to the unsaved-results file; a worker logs one line when an outage starts and
one when it ends, not a line per attempt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url

from netraven.db.models import JobResult
from netraven.simulator.process import FleetProcess
from tests.conftest import migrated_engine
from tests.inventory_plugin.conftest import load_fleet
from tests.runner.conftest import FAST, make_settings
from tests.scheduler.workers import SIGTERM, WorkerLab, wait_until
from tests.scheduler.workers import worker_lab as worker_lab  # the fixture


def _stored_results(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(JobResult)) or 0


def test_a_database_dropped_mid_run_ends_in_one_line_per_problem(
    tmp_path: Path,
    new_database_url: Callable[[str], str],
    postgres_admin: Engine,
    simulated_fleet: Callable[..., FleetProcess],
) -> None:
    url = new_database_url("postgresql")
    home = tmp_path / "home"
    settings = make_settings(home)
    fleet = simulated_fleet(8, failures="0-7:slow=0.3")
    with migrated_engine(url) as engine:
        load_fleet(engine, settings, fleet.devices, fleet.credentials, fleet.description["secret"])
        env = {**os.environ, **FAST, "NETRAVEN_HOME": str(home), "NETRAVEN_DATABASE__URL": url,
               "NETRAVEN_RUNNER__NUM_WORKERS": "2", "NETRAVEN_RUNNER__PROCESSES": "1"}  # fmt: skip
        command = subprocess.Popen([sys.executable, "-m", "netraven", "run", "backup", "--all"], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            wait_until(lambda: _stored_results(engine) >= 1, 60, "the first stored host")
        except AssertionError as exc:
            command.kill()
            raise AssertionError(command.communicate()) from exc
    database = make_url(url).database
    with postgres_admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{database}" WITH (FORCE)'))
    stdout, stderr = command.communicate(timeout=120)

    assert command.returncode != 0
    assert "Traceback" not in stderr and "Traceback" not in stdout, stderr
    problems = [line for line in stderr.splitlines() if line.startswith("Error:")]
    assert len(problems) == 1, stderr
    assert problems[0].startswith(f"Error: cannot reach the database {make_url(url).render_as_string()}")
    assert len(stderr.splitlines()) <= 10, stderr  # the progress bar's last state and the one error line
    unsaved = home / "logs" / "unsaved-results.jsonl"
    assert unsaved.is_file(), stderr
    hosts = {json.loads(line)["host"] for line in unsaved.read_text().splitlines()}
    assert hosts and hosts <= {device["hostname"] for device in fleet.devices}
    print(f"stderr ({len(stderr.splitlines())} lines):\n{stderr}\n{len(hosts)} host(s) in {unsaved.name}")


def _refuse_connections(admin: Engine, database: str, refuse: bool) -> None:
    """Refuse new connections to ``database`` and end its open ones (or allow them again)."""
    with admin.connect() as connection:
        connection.execute(
            text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {"false" if refuse else "true"}')
        )
        if refuse:
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :db"),
                {"db": database},
            )


@pytest.mark.parametrize("queue", ["sqlite", "postgres"])
def test_a_worker_logs_one_line_when_the_database_goes_and_one_when_it_is_back(
    worker_lab: Callable[..., WorkerLab], postgres_admin: Engine, queue: str
) -> None:
    lab = worker_lab("postgres", NETRAVEN_HUEY__BACKEND=queue, NETRAVEN_SCHEDULER__TICK_SECONDS="1")
    database = lab.engine.url.database
    assert database is not None
    worker = lab.start_worker("--workers", "4")
    time.sleep(2)
    lab.engine.dispose()
    before = len(worker.log().splitlines())
    _refuse_connections(postgres_admin, database, True)
    try:
        time.sleep(10)  # ten ticks, some 80 polls of the queue by each thread
        during = worker.log().splitlines()[before:]
    finally:
        _refuse_connections(postgres_admin, database, False)
    try:
        wait_until(lambda: worker.log().count(" back after ") == len(during), 15, "the worker to see it back")
    except AssertionError as exc:
        raise AssertionError(worker.log()) from exc
    time.sleep(2)
    lines = worker.log().splitlines()[before:]
    assert worker.signal(SIGTERM) == 0, worker.log()

    print(
        f"{queue} queue: {len(during)} line(s) logged in 10 s of outage, {len(lines)} in all:",
        *lines,
        sep="\n",
    )
    assert "Traceback" not in worker.log()
    services = ["database"] if queue == "sqlite" else ["database", "queue"]
    assert len(during) == len(services), during
    assert all(" ERROR " in line and "retrying until it is back" in line for line in during), during
    assert any("cannot reach the database" in line or "lost the connection" in line for line in during)
    assert (
        sorted(line.split(": ", 1)[1].split(" back after ")[0] for line in lines[len(during) :]) == services
    ), lines
