"""``netraven worker`` and ``netraven job run``: queued for a worker, in-process, followed to the end."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from netraven.cli import main
from netraven.db import create_engine_for_url, migrate
from netraven.jobs import Schedule
from netraven.scheduler.queue import create_queue
from netraven.settings import load_settings
from netraven.simulator.process import FleetProcess
from tests.inventory_plugin.conftest import load_fleet
from tests.scheduler.workers import FAST, SIGTERM, WorkerLab
from tests.scheduler.workers import worker_lab as worker_lab  # the fixture


def invoke(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, ["--user", "alice", *args], env=env)


@pytest.fixture
def env(new_database_url: Callable[[str], str]) -> dict[str, str]:
    env = {"NETRAVEN_DATABASE__URL": new_database_url("sqlite"), **FAST}
    assert invoke(env, "db", "upgrade").exit_code == 0
    return env


def fleet_in(env: dict[str, str], fleet: FleetProcess) -> list[str]:
    """Store the fleet (tag ``lab``) in the env's database; its hostnames."""
    engine = create_engine_for_url(env["NETRAVEN_DATABASE__URL"])
    load_fleet(engine, load_settings(), fleet.devices, fleet.credentials, fleet.description["secret"])
    engine.dispose()
    return [device["hostname"] for device in fleet.devices]


def test_job_run_queues_for_the_worker_once(
    env: dict[str, str], simulated_fleet: Callable[..., FleetProcess]
) -> None:
    fleet_in(env, simulated_fleet(1))
    assert (
        invoke(env, "job", "create", "nightly", "--type", "backup", "--tag", "lab", "--disabled").exit_code
        == 0
    )
    result = invoke(env, "job", "run", "nightly")
    assert (result.exit_code, result.output) == (0, "Run 1 queued; a worker runs it (netraven worker).\n")
    refused = invoke(env, "job", "run", "1", "--json")
    assert refused.exit_code == 1
    assert refused.output == "Error: job 'nightly' already has run 1 queued: a job never runs twice at once\n"
    queue = create_queue(load_settings())
    assert [(task.name, task.args, task.priority) for task in queue.huey.pending()] == [("run_job", (1,), 0)]
    queue.close()
    runs = json.loads(invoke(env, "job", "runs", "--json").output)
    assert [(r["status"], r["triggered_by"], r["scheduled_for"]) for r in runs] == [("queued", "alice", None)]
    assert invoke(env, "job", "run", "nope").output == "Error: no job named 'nope'\n"


def test_job_run_wait_in_process_with_huey_immediate(
    env: dict[str, str], simulated_fleet: Callable[..., FleetProcess]
) -> None:
    up, _refused = fleet_in(env, simulated_fleet(2, failures="1:refuse"))
    env["NETRAVEN_HUEY__IMMEDIATE"] = "true"
    assert invoke(env, "job", "create", "all", "--type", "backup", "--tag", "lab").exit_code == 0
    assert invoke(env, "job", "create", "one", "--type", "backup", "--device", up).exit_code == 0

    partial = invoke(env, "job", "run", "all", "--wait")
    assert partial.exit_code == 3, partial.output
    assert partial.stderr.startswith("Run 1 queued; waiting for it to end")
    assert partial.stdout.startswith("Run 1 of job 'all' partial: 1 of 2 host(s) succeeded, 1 failed.\n")
    done = invoke(env, "job", "run", "one", "--json")  # no --wait needed: it ran here
    assert done.exit_code == 0, done.output
    data: dict[str, Any] = json.loads(done.stdout)
    assert {k: data[k] for k in ("id", "job", "status", "hosts_succeeded", "triggered_by")} == {
        "id": 2, "job": "one", "status": "succeeded", "hosts_succeeded": 1, "triggered_by": "alice",
    }  # fmt: skip
    assert not os.path.exists(load_settings().home / "huey.sqlite3")  # no queue: it ran here

    stopped = invoke(env, "worker")
    assert stopped.exit_code == 1
    assert stopped.output.startswith("Error: huey.immediate is set: tasks run where they are queued")


def test_worker_refuses_a_database_without_schema(new_database_url: Callable[[str], str]) -> None:
    result = invoke({"NETRAVEN_DATABASE__URL": new_database_url("sqlite")}, "worker", "--workers", "1")
    assert result.exit_code == 1 and "netraven db upgrade" in result.output


def test_worker_refuses_a_schema_newer_than_it_knows(new_database_url: Callable[[str], str]) -> None:
    """A worker left at an older version, on a machine the others have upgraded: one line, exit 1."""
    url = new_database_url("postgresql")
    engine = create_engine_for_url(url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        engine.dispose()
    result = invoke({"NETRAVEN_DATABASE__URL": url}, "worker", "--workers", "1")
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert "is at revision 9999, which this NetRaven does not know" in result.output
    assert "upgrade NetRaven" in result.output


def test_job_run_wait_follows_a_run_on_a_real_worker(worker_lab: Callable[..., WorkerLab]) -> None:
    lab = worker_lab("sqlite")
    lab.create_job("by-hand", Schedule(), enabled=False)
    worker = lab.start_worker("--workers", "1")
    result = invoke(lab.env, "job", "run", "by-hand", "--wait", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # stderr says it waits
    assert (data["status"], data["hosts_succeeded"], data["triggered_by"]) == ("succeeded", 2, "alice")
    assert worker.signal(SIGTERM) == 0
    assert f"run {data['id']} started: 2 host(s)" in worker.log()
    assert f"run {data['id']} succeeded" in worker.log()
