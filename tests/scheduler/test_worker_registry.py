"""Workers register, beat and stop in the worker registry; `netraven worker list` shows them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from netraven._version import __version__
from netraven.db.base import utcnow
from netraven.db.models import Worker
from netraven.jobs.workers import list_workers, register_worker, worker_heartbeat, worker_stopped
from tests.scheduler.workers import SIGKILL, SIGTERM, WorkerLab, wait_until
from tests.scheduler.workers import worker_lab as worker_lab  # the fixture

LEASE = timedelta(seconds=60)


def listed(lab: WorkerLab, *args: str) -> dict[str, dict[str, Any]]:
    """``netraven worker list --json`` run as a user would, by worker name."""
    done = subprocess.run([sys.executable, "-m", "netraven", "worker", "list", "--json", *args], env=lab.env,
                          capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    return {w["name"]: w for w in json.loads(done.stdout)}


def test_states_follow_heartbeats_and_stops(session: Session) -> None:
    for name in ("a:1", "b:2", "c:3", "d:4"):
        register_worker(session, name, hostname=name[0], pid=int(name[2]), version="1", threads=2, queue="q")
    past = utcnow() - timedelta(days=3)
    session.execute(update(Worker).where(Worker.name.in_(["b:2", "c:3"])).values(heartbeat_at=past))
    worker_stopped(session, "c:3")  # stopped now: listed
    worker_stopped(session, "d:4")
    session.execute(update(Worker).where(Worker.name == "d:4").values(stopped_at=past))  # long ago
    session.flush()
    states = {w["name"]: w["state"] for w in list_workers(session, LEASE)}
    assert states == {"a:1": "running", "b:2": "lost", "c:3": "stopped"}
    assert {w["name"] for w in list_workers(session, LEASE, everything=True)} == {"a:1", "b:2", "c:3", "d:4"}
    worker_heartbeat(session, "b:2")
    session.expire_all()
    assert {w["name"]: w["state"] for w in list_workers(session, LEASE)}["b:2"] == "running"
    register_worker(session, "c:3", hostname="c", pid=3, version="2", threads=8, queue="q")  # pid reused
    session.flush()
    (again,) = [w for w in list_workers(session, LEASE) if w["name"] == "c:3"]
    assert (again["state"], again["version"], again["threads"], again["stopped_at"]) == (
        "running",
        "2",
        8,
        None,
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_worker_process_registers_beats_and_says_it_stopped(
    worker_lab: Callable[..., WorkerLab], backend: str
) -> None:
    lab = worker_lab(backend, NETRAVEN_SCHEDULER__HEARTBEAT_SECONDS="0.5")
    first, second = lab.start_worker("--workers", "3"), lab.start_worker()
    seen = listed(lab)
    assert set(seen) == {first.name, second.name}
    mine = seen[first.name]
    assert (mine["state"], mine["pid"], mine["threads"], mine["version"]) == (
        "running", first.process.pid, 3, __version__)  # fmt: skip
    assert mine["queue"] == lab.env["NETRAVEN_HUEY__NAME"]
    wait_until(lambda: listed(lab)[first.name]["heartbeat_at"] > mine["heartbeat_at"], 20, "a heartbeat")

    assert first.signal(SIGTERM) == 0, first.log()
    second.kill()  # SIGKILL: it never says it stopped
    assert second.process.returncode == -SIGKILL
    wait_until(lambda: listed(lab)[second.name]["state"] == "lost", 20, "the killed worker to show as lost")
    after = listed(lab)
    assert after[first.name]["state"] == "stopped" and after[first.name]["stopped_at"] is not None
    assert after[second.name]["stopped_at"] is None
