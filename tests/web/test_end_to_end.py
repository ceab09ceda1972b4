"""End to end through HTTP only, against simulated devices over real SSH: ``netraven serve`` and a
``netraven worker`` as separate processes, on SQLite (SqliteHuey) and PostgreSQL (PostgresHuey).

Only the first admin is made outside HTTP (as ``netraven user add`` makes it). Then, over the API:
a user and a personal token, devices imported, a credential, a job; a run started, followed over
server-sent events to its end, its per-host results; a device's config changed on the device and
backed up again, its versions and their diff; the logs; and every change in the audit trail with
its actor. Every wait is bounded and both processes are killed at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from netraven import users
from netraven.db import create_engine_for_url, migrate
from netraven.settings import load_settings
from netraven.simulator.process import FleetProcess
from tests.scheduler.workers import FAST, Worker
from tests.web.conftest import PASSWORD
from tests.web.test_serve import START_TIMEOUT, free_port

BACKENDS = {"sqlite": ("sqlite", "sqlite"), "postgresql": ("postgresql", "postgres")}  # db kind, huey backend
RUN_TIMEOUT = 120.0  # seconds for a backup of three simulated devices on a loaded machine


class Api:
    """An httpx client on the server with a bearer token (closed with every other at the test's end)."""

    opened: list[httpx.Client] = []

    def __init__(self, base: str, token: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=f"{base}/api/v1", headers=headers, timeout=30)
        Api.opened.append(self.http)

    def call(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        return (
            response.json()
            if response.content and "json" in response.headers.get("content-type", "")
            else response
        )

    def follow(self, run_id: int) -> list[dict[str, Any]]:
        """The run's server-sent events until the server closes the stream (after ``end``)."""
        found: list[dict[str, Any]] = []
        current: dict[str, Any] = {}
        with self.http.stream("GET", f"/runs/{run_id}/events", timeout=RUN_TIMEOUT) as response:
            assert response.status_code == 200
            for line in response.iter_lines():
                if line.startswith("event: "):
                    current["event"] = line[7:]
                elif line.startswith("data: "):
                    current["data"] = json.loads(line[6:])
                elif line == "" and current:
                    found.append(current)
                    current = {}
        return found


@pytest.fixture(params=list(BACKENDS))
def stack(
    request: pytest.FixtureRequest, tmp_path: Path, new_database_url: Callable[[str], str],
    simulated_fleet: Callable[..., FleetProcess],
) -> Iterator[tuple[str, FleetProcess, Worker]]:  # fmt: skip
    """(server URL, fleet, worker): a migrated database with an admin ``root``, a served API and a
    worker sharing its settings, and three simulated devices (not in the database)."""
    kind, queue = BACKENDS[request.param]
    home = tmp_path / "home"
    env = {**os.environ, **FAST, "NETRAVEN_HOME": str(home), "NETRAVEN_DATABASE__URL": new_database_url(kind),
           "NETRAVEN_HUEY__BACKEND": queue, "NETRAVEN_HUEY__NAME": f"e2e{os.getpid()}",
           "NETRAVEN_SCHEDULER__TICK_SECONDS": "2", "NETRAVEN_SCHEDULER__LEASE_SECONDS": "4"}  # fmt: skip
    env.pop("NETRAVEN_CONFIG", None)
    settings = load_settings(environ=env)
    engine = create_engine_for_url(settings.database_url)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        users.add_user(session, settings, "root", PASSWORD, "admin")
    engine.dispose()
    marker = request.node.get_closest_marker("fleet")
    fleet = simulated_fleet(3, **(marker.kwargs if marker else {}))
    env.update(marker.args[0] if marker and marker.args else {})
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "netraven", "serve", "--port", str(port)], env=env,
                                  stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)  # fmt: skip
    worker: Worker | None = None
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert server.poll() is None, log.read_text()
            try:
                httpx.get(f"{base}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "netraven serve did not answer in time"
                time.sleep(0.2)
        worker = Worker(env, tmp_path / "worker.log", ())
        yield base, fleet, worker
    finally:
        while Api.opened:
            Api.opened.pop().close()
        if worker is not None:
            worker.kill()
        server.kill()
        server.wait(15)


def add_fleet(operator: Api, admin: Api, fleet: FleetProcess) -> None:
    """The fleet's devices imported (tag ``lab``) and its first credential bound to the tag."""
    rows = [{"hostname": d["hostname"], "host": d["host"], "port": d["port"], "platform": d["platform"]}
            for d in fleet.devices]  # fmt: skip
    file = ("fleet.json", json.dumps(rows), "application/json")
    report = operator.call("POST", "/devices/import", files={"file": file}, data={"default_tags": "lab"})
    assert report
    cred, secret = fleet.credentials[0], fleet.description["secret"]
    admin.call("POST", "/credentials", 201, json={"name": "lab", "username": cred["username"], "password": cred["password"],
                                                   **({"enable_secret": secret} if secret else {}), "tags": ["lab"]})  # fmt: skip


def test_everything_through_http(stack: tuple[str, FleetProcess, Worker]) -> None:
    base, fleet, worker = stack
    anonymous = Api(base)
    root_token = anonymous.call("POST", "/auth/token", json={"username": "root", "password": PASSWORD})
    admin = Api(base, root_token["access_token"])

    # A user and their personal token, which the rest uses.
    admin.call("POST", "/users", 201, json={"username": "olga", "password": PASSWORD, "role": "operator"})
    olga_jwt = anonymous.call("POST", "/auth/token", data={"username": "olga", "password": PASSWORD})
    created = Api(base, olga_jwt["access_token"]).call("POST", "/tokens", 201, json={"name": "e2e"})
    olga = Api(base, created["secret"])
    assert olga.call("GET", "/auth/me")["username"] == "olga"

    # Devices imported, a credential (admins only), a job.
    cred = fleet.credentials[0]
    refused = {"name": "lab", "username": cred["username"], "password": cred["password"]}
    olga.call("POST", "/credentials", 403, json=refused)
    add_fleet(olga, admin, fleet)
    job = olga.call(
        "POST",
        "/jobs",
        201,
        json={
            "name": "e2e-backup",
            "job_type": "backup",
            "targets": {"tags": ["lab"]},
            "schedule": {"type": "cron", "cron_expression": "0 2 * * *"},
        },
    )

    # A run, followed over server-sent events to its end; its per-host results.
    run = olga.call("POST", f"/jobs/{job['id']}/run", 202)
    assert (run["status"], run["triggered_by"]) == ("queued", "olga")
    events = olga.follow(run["id"])
    hosts = sorted((e["data"]["hostname"], e["data"]["status"]) for e in events if e["event"] == "host")
    assert hosts == sorted((d["hostname"], "succeeded") for d in fleet.devices), (events, worker.log())
    assert events[-1]["event"] == "end" and events[-1]["data"]["status"] == "succeeded"
    progress = [e for e in events if e["event"] == "progress"][-1]["data"]
    assert progress["counts"]["succeeded"] == 3
    shown = olga.call("GET", f"/runs/{run['id']}")
    assert shown["hosts_succeeded"] == 3 and all(h["output"] for h in shown["hosts"])
    assert olga.call("GET", "/runs", params={"triggered_by": "olga"})["total"] == 1

    # The config changes on the device; an ad-hoc backup of it makes version 2; the diff shows it.
    hostname = fleet.devices[0]["hostname"]
    fleet.configure(hostname, ["logging host 192.0.2.99"])
    again = olga.call("POST", "/runs", 202, json={"job_type": "backup", "targets": {"devices": [hostname]}})
    assert olga.follow(again["id"])[-1]["data"]["status"] == "succeeded"
    versions = olga.call("GET", f"/configs/{hostname}/versions")
    assert [v["version"] for v in versions["items"]] == [2, 1]
    latest = olga.call("GET", f"/configs/{hostname}/versions/2")
    assert "logging host 192.0.2.99" in latest["text"]
    diff = olga.call("GET", f"/configs/{hostname}/diff", params={"from": 1, "to": 2})["diff"]
    assert "+logging host 192.0.2.99" in diff
    raw = olga.call("GET", f"/configs/{hostname}/versions/1/raw")
    assert raw.headers["content-type"].startswith("text/plain") and "logging host 192.0.2.99" not in raw.text

    # Logs of the run and a connection transcript, with no credential secret in them.
    lines = olga.call("GET", "/logs", params={"run_id": run["id"]})
    assert lines["total"] > 0 and all(cred["password"] not in line["message"] for line in lines["items"])
    transcript = olga.call("GET", f"/runs/{run['id']}/transcripts/{hostname}")["transcript"]
    assert transcript and cred["password"] not in transcript

    # Every change in the audit trail, with its actor.
    trail = admin.call("GET", "/audit", params={"limit": 100})["items"]
    done = {(e["action"], e["actor"]) for e in trail if e["outcome"] == "succeeded"}
    for expected in [("user.add", "root"), ("token.create", "olga"), ("device.import", "olga"),
                     ("credential.add", "root"), ("job.create", "olga"), ("run.start", "olga")]:  # fmt: skip
        assert expected in done, (expected, sorted(done))
    assert ("credential.add", "olga") in {
        (e["action"], e["actor"]) for e in trail if e["outcome"] != "succeeded"
    }
    starts = [(e["actor"], e["outcome"], e["object_id"]) for e in trail if e["action"] == "run.start"]
    assert len(starts) == 2, starts


@pytest.mark.fleet({"NETRAVEN_RUNNER__NUM_WORKERS": "1"}, failures="0-2:slow=0.7")
def test_a_run_in_the_worker_is_cancelled_over_http(stack: tuple[str, FleetProcess, Worker]) -> None:
    """The server and the worker share only the database: the cancel request reaches the worker
    through it, the hosts not started are skipped, and the events stream ends with the run."""
    base, fleet, worker = stack
    token = Api(base).call("POST", "/auth/token", json={"username": "root", "password": PASSWORD})
    admin = Api(base, token["access_token"])
    add_fleet(admin, admin, fleet)
    run = admin.call("POST", "/runs", 202, json={"job_type": "backup", "targets": {"tags": ["lab"]}})
    deadline = time.monotonic() + RUN_TIMEOUT
    while admin.call("GET", f"/runs/{run['id']}/progress")["counts"]["done"] == 0:  # one host at a time
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.2)
    asked = admin.call("POST", f"/runs/{run['id']}/cancel")
    assert asked["status"] == "running"  # asked to stop; the worker ends it
    events = admin.follow(run["id"])
    end = events[-1]
    assert end["event"] == "end" and end["data"]["status"] == "cancelled", (events, worker.log())
    assert end["data"]["message"].startswith("cancelled by root")
    hosts = admin.call("GET", f"/runs/{run['id']}")["hosts"]
    statuses = sorted(h["status"] for h in hosts)
    assert len(hosts) == 3 and "skipped" in statuses and statuses.count("succeeded") >= 1, hosts
    assert "cancel requested" in worker.log()
