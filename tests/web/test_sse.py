"""Server-sent events read from the database: a run's progress written by another session (as a
worker elsewhere writes it), log lines as they are committed, and streams that end when the
client leaves (a real uvicorn server on 127.0.0.1)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from netraven.db.models import JobLog, JobResult, JobRun
from netraven.web.api import events
from tests.web.conftest import assert_envelope


@pytest.fixture(autouse=True)
def _fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events, "POLL_SECONDS", 0.1)


def parse(lines: Iterator[str], stop: Callable[[list[dict[str, Any]]], bool]) -> list[dict[str, Any]]:
    """The events of a stream (``name``, ``id``, ``data``; comments as ``comment``) until ``stop``."""
    found: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    for line in lines:
        if line.startswith(":"):
            found.append({"event": "comment", "data": line[1:].strip()})
        elif line.startswith("event: "):
            current["event"] = line[7:]
        elif line.startswith("id: "):
            current["id"] = int(line[4:])
        elif line.startswith("data: "):
            current["data"] = json.loads(line[6:])
        elif line == "" and current:
            found.append(current)
            current = {}
        if stop(found):
            break
    return found


def new_run(db: Callable[[], Session], status: str = "running") -> int:
    with db() as session, session.begin():
        run = JobRun(job_type="backup", status=status, targets={"all": True}, hosts_total=3)
        session.add(run)
        session.flush()
        return run.id


def report(db: Callable[[], Session], run_id: int, hostname: str, status: str = "succeeded") -> None:
    with db() as session, session.begin():
        session.add(JobResult(run_id=run_id, hostname=hostname, status=status, output={"version": 1}))


def test_a_runs_progress_streams_each_host_then_the_end(
    client: TestClient, as_role: dict[str, dict[str, str]], db: Callable[[], Session]
) -> None:
    run_id = new_run(db)
    report(db, run_id, "r1")

    def worker_elsewhere() -> None:  # another session writes, as a worker process would
        time.sleep(0.5)
        report(db, run_id, "r2", "failed")
        time.sleep(0.3)
        report(db, run_id, "r3")
        with db() as session, session.begin():
            session.execute(update(JobRun).where(JobRun.id == run_id).values(
                status="partial", hosts_succeeded=2, hosts_failed=1))  # fmt: skip

    writer = threading.Thread(target=worker_elsewhere)
    writer.start()
    with client.stream("GET", f"/api/v1/runs/{run_id}/events", headers=as_role["viewer"]) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        found = parse(response.iter_lines(), lambda f: len(f) > 20)  # the stream closes after "end"
    writer.join()
    hosts = [e for e in found if e["event"] == "host"]
    assert [(h["data"]["hostname"], h["data"]["status"]) for h in hosts] == [
        ("r1", "succeeded"), ("r2", "failed"), ("r3", "succeeded")]  # fmt: skip
    assert all(h["id"] == h["data"]["id"] for h in hosts) and hosts[0]["data"]["output"] == {"version": 1}
    assert found[-1]["event"] == "end" and found[-1]["data"]["status"] == "partial"
    last = [e for e in found if e["event"] == "progress"][-1]["data"]
    assert last["counts"] == {"succeeded": 2, "failed": 1, "skipped": 0, "done": 3}

    # Reconnecting with Last-Event-ID: only what came after, then the end at once.
    again_headers = {**as_role["viewer"], "Last-Event-ID": str(hosts[1]["id"])}
    with client.stream("GET", f"/api/v1/runs/{run_id}/events", headers=again_headers) as response:
        again = parse(response.iter_lines(), lambda f: False)
    assert [e["data"]["hostname"] for e in again if e["event"] == "host"] == ["r3"]
    assert [e["event"] for e in again] == ["host", "progress", "end"]


def test_run_events_need_a_reader_and_a_known_run(
    client: TestClient, as_role: dict[str, dict[str, str]]
) -> None:
    assert_envelope(client.get("/api/v1/runs/999999/events", headers=as_role["viewer"]), 404)
    assert_envelope(client.get("/api/v1/runs/1/events"), 401)
    assert_envelope(client.get("/api/v1/logs/stream"), 401)


@pytest.fixture
def server(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free port of 127.0.0.1, in a thread, stopped at the end."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(20)


def test_following_logs_over_http_ends_when_the_client_leaves(
    server: str, app: FastAPI, as_role: dict[str, dict[str, str]], db: Callable[[], Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(events, "KEEPALIVE_SECONDS", 0.2)
    run_id = new_run(db)
    with db() as session, session.begin():
        session.add(JobLog(run_id=run_id, level="INFO", category="backup", message="before the stream"))

    def write_later() -> None:
        time.sleep(1.0)  # quiet long enough for a keep-alive first
        with db() as session, session.begin():
            session.add(JobLog(run_id=run_id, level="DEBUG", category="backup", message="too low"))
            session.add(JobLog(run_id=run_id, level="WARNING", category="backup", message="new line"))

    writer = threading.Thread(target=write_later)
    params = {"run_id": run_id, "level": "info"}
    with (
        httpx.Client(base_url=server, timeout=20) as http,
        http.stream("GET", "/api/v1/logs/stream", params=params, headers=as_role["viewer"]) as response,
    ):
        assert response.status_code == 200  # the stream starts after the lines there are now
        writer.start()
        lines = response.iter_lines()  # kept: dropping it would close the connection
        found = parse(lines, lambda f: any(e["event"] == "log" for e in f))
        assert app.state.open_streams == 1
    writer.join()
    logs = [e for e in found if e["event"] == "log"]
    assert [e["data"]["message"] for e in logs] == ["new line"]  # only new lines, above the level
    assert any(e["event"] == "comment" for e in found)  # keep-alive comments while quiet
    deadline = time.monotonic() + 10
    while app.state.open_streams:  # the server notices the client left and ends the stream
        assert time.monotonic() < deadline, "the stream outlived its client"
        time.sleep(0.1)


def test_a_stream_ends_after_its_time_and_on_a_database_failure(
    client: TestClient, as_role: dict[str, dict[str, str]], db: Callable[[], Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from netraven.exceptions import DatabaseError
    from netraven.jobs import RunFeed

    monkeypatch.setattr(events, "MAX_STREAM_SECONDS", 0.5)
    with client.stream("GET", "/api/v1/logs/stream", headers=as_role["viewer"]) as response:
        started = time.monotonic()
        assert parse(response.iter_lines(), lambda f: False) == []  # closed by the server, nothing sent
    assert time.monotonic() - started < 10

    run_id = new_run(db)

    def broken(self: RunFeed, session: Session) -> None:
        raise DatabaseError("the database sqlite:///x is unreachable: connection refused")

    monkeypatch.setattr(RunFeed, "poll", broken)
    with client.stream("GET", f"/api/v1/runs/{run_id}/events", headers=as_role["viewer"]) as response:
        found = parse(response.iter_lines(), lambda f: False)
    assert found == [
        {"event": "error", "data": {"message": "the database sqlite:///x is unreachable: connection refused"}}
    ]
