"""``/api/v1/runs`` through FastAPI's TestClient on SQLite and PostgreSQL: starting runs (queued for
a worker), listing and showing them with per-host results, cancelling; bad input changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from netraven import audit
from netraven.db.models import JobResult, JobRun
from netraven.inventory import add_device
from netraven.scheduler.queue import create_huey
from netraven.settings import Settings
from tests.web.conftest import assert_envelope, count

BACKUP: dict[str, Any] = {"job_type": "backup", "targets": {"devices": ["r1"]}}


@pytest.fixture
def fleet(db: Callable[[], Session]) -> None:
    with db() as session, session.begin():
        add_device(session, "r1", "10.0.0.1", "cisco_ios", tags=["core"])
        add_device(session, "r2", "10.0.0.2", "cisco_ios", tags=["core"])


def pending(settings: Settings) -> int:
    huey = create_huey(settings)
    try:
        return huey.pending_count()
    finally:
        huey.storage.close()


def finished_run(db: Callable[[], Session], status: str = "partial", by: str = "scheduler") -> int:
    """A run that ended, with two host results (one with the backup's output)."""
    with db() as session, session.begin():
        run = JobRun(job_type="backup", status=status, triggered_by=by, targets={"tags": ["core"]},
                     hosts_total=2, hosts_succeeded=1, hosts_failed=1)  # fmt: skip
        session.add(run)
        session.flush()
        session.add_all([
            JobResult(run_id=run.id, hostname="r1", status="succeeded", changed=True,
                      output={"version": 4, "changed": True}),
            JobResult(run_id=run.id, hostname="r2", status="failed", error_kind="auth",
                      message="r2: authentication failed", output={}),
        ])  # fmt: skip
        return run.id


def test_an_operator_starts_a_run_for_a_worker_and_cancels_it(
    client: TestClient, as_role: dict[str, dict[str, str]], fleet: None, web_settings: Settings,
    db: Callable[[], Session],
) -> None:  # fmt: skip
    operator = as_role["operator"]
    response = client.post("/api/v1/runs", json={**BACKUP, "parameters": {}}, headers=operator)
    assert response.status_code == 202, response.text
    run = response.json()
    assert (run["status"], run["triggered_by"], run["job_type"], run["job"]) == (
        "queued",
        "operator",
        "backup",
        None,
    )
    assert pending(web_settings) == 1  # handed to the workers' queue
    shown = client.get(f"/api/v1/runs/{run['id']}", headers=as_role["viewer"]).json()
    assert shown["targets"] == {"devices": ["r1"], "tags": [], "all": False} and shown["hosts"] == []

    cancelled = client.post(f"/api/v1/runs/{run['id']}/cancel", headers=operator)
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["message"]) == (
        "cancelled", "cancelled by operator before it started")  # fmt: skip
    again = assert_envelope(client.post(f"/api/v1/runs/{run['id']}/cancel", headers=operator), 400)
    assert "has ended (cancelled)" in again["message"]  # type: ignore[operator]
    with db() as session:
        rows = audit.list_entries(session, object_type="run").items
    assert [(e.action, e.actor_name, e.outcome) for e in reversed(rows)] == [
        ("run.start", "operator", "succeeded"), ("run.cancel", "operator", "succeeded"),
        ("run.cancel", "operator", "failed")]  # fmt: skip


def test_running_a_job_now_and_not_twice_at_once(
    client: TestClient, as_role: dict[str, dict[str, str]], fleet: None, engine: Engine
) -> None:
    operator = as_role["operator"]
    job = client.post("/api/v1/jobs", json={"name": "nightly", "job_type": "backup", "targets": {"tags": ["core"]}},
                      headers=operator).json()  # fmt: skip
    first = client.post(f"/api/v1/jobs/{job['id']}/run", headers=operator)
    assert first.status_code == 202 and first.json()["job"] == "nightly"
    twice = assert_envelope(client.post(f"/api/v1/jobs/{job['id']}/run", headers=operator), 400)
    assert "already has run" in twice["message"]  # type: ignore[operator]
    assert count(engine, JobRun) == 1
    assert (
        client.get("/api/v1/jobs", headers=operator).json()["items"][0]["last_run"]["id"]
        == first.json()["id"]
    )


def test_runs_are_listed_filtered_and_shown_with_every_hosts_result(
    client: TestClient, as_role: dict[str, dict[str, str]], db: Callable[[], Session]
) -> None:
    viewer = as_role["viewer"]
    old = finished_run(db, "succeeded", by="alice")
    run_id = finished_run(db)
    listed = client.get("/api/v1/runs", headers=viewer).json()
    assert [r["id"] for r in listed["items"]] == [run_id, old] and listed["total"] == 2
    by = client.get("/api/v1/runs", params={"triggered_by": "alice"}, headers=viewer).json()
    assert [r["id"] for r in by["items"]] == [old]
    status = client.get("/api/v1/runs", params={"status": "partial", "sort": "id"}, headers=viewer).json()
    assert [r["id"] for r in status["items"]] == [run_id]
    future = client.get("/api/v1/runs", params={"since": "2999-01-01T00:00:00Z"}, headers=viewer).json()
    assert future["total"] == 0

    shown = client.get(f"/api/v1/runs/{run_id}", headers=viewer).json()
    assert (shown["status"], shown["hosts_total"]) == ("partial", 2)
    assert [(h["hostname"], h["status"], h["output"]) for h in shown["hosts"]] == [
        ("r1", "succeeded", {"version": 4, "changed": True}), ("r2", "failed", {})]  # fmt: skip
    failed = client.get(f"/api/v1/runs/{run_id}/results", params={"status": "failed"}, headers=viewer).json()
    assert [h["hostname"] for h in failed["items"]] == ["r2"] and failed["items"][0]["error_kind"] == "auth"
    progress = client.get(f"/api/v1/runs/{run_id}/progress", headers=viewer).json()
    assert progress["counts"] == {"succeeded": 1, "failed": 1, "skipped": 0, "done": 2}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({**BACKUP, "job_type": "nope"}, 400),  # unknown job type
        ({**BACKUP, "targets": {"devices": ["ghost"]}}, 400),  # unknown device
        ({**BACKUP, "targets": {}}, 400),  # no targets
        ({**BACKUP, "targets": {"all": True, "tags": ["core"]}}, 400),  # both
        ({**BACKUP, "parameters": {"retries": 2}}, 400),  # not a parameter of backup
        ({**BACKUP, "parameters": "x"}, 422),  # wrong type
        ({**BACKUP, "targets": {"devices": "r1"}}, 422),  # wrong type
        ({**BACKUP, "when": "now"}, 422),  # unknown field
    ],
)
def test_bad_runs_are_refused_and_nothing_is_queued(
    client: TestClient, as_role: dict[str, dict[str, str]], fleet: None, engine: Engine, web_settings: Settings,
    body: dict[str, Any], status: int,
) -> None:  # fmt: skip
    assert_envelope(client.post("/api/v1/runs", json=body, headers=as_role["operator"]), status)
    assert count(engine, JobRun) == 0 and pending(web_settings) == 0


def test_unknown_runs_wrong_ids_and_viewers(
    client: TestClient,
    as_role: dict[str, dict[str, str]],
    fleet: None,
    engine: Engine,
    db: Callable[[], Session],
) -> None:
    viewer = as_role["viewer"]
    for path in ("/api/v1/runs/999999", "/api/v1/runs/999999/results", "/api/v1/runs/999999/events"):
        assert_envelope(client.get(path, headers=viewer), 404, "not_found")
    assert_envelope(client.post("/api/v1/runs/999999/cancel", headers=as_role["operator"]), 404)
    assert_envelope(client.get("/api/v1/runs/x", headers=viewer), 422)
    assert_envelope(client.get("/api/v1/runs", params={"status": "done"}, headers=viewer), 422)
    assert_envelope(client.get("/api/v1/runs", params={"job": "nope"}, headers=viewer), 404)
    assert_envelope(client.get("/api/v1/runs", params={"since": "yesterday"}, headers=viewer), 422)
    assert_envelope(client.post("/api/v1/runs", json=BACKUP, headers=viewer), 403)
    run_id = finished_run(db, "running")
    assert_envelope(client.post(f"/api/v1/runs/{run_id}/cancel", headers=viewer), 403)
    assert count(engine, JobRun) == 1
    with db() as session:
        assert session.get(JobRun, run_id).cancel_requested_at is None  # type: ignore[union-attr]


def test_an_unreachable_queue_is_a_503_and_the_run_stays_queued_for_the_dispatcher(
    tmp_path: Path,
    engine: Engine,
    make_user: Callable[..., dict[str, str]],
    fleet: None,
    db: Callable[[], Session],
) -> None:
    from netraven.settings import load_settings
    from netraven.web.app import create_app

    settings = load_settings(environ={"NETRAVEN_HOME": str(tmp_path / "home"), "NETRAVEN_HUEY__BACKEND": "redis",
                                      "NETRAVEN_HUEY__URL": "redis://127.0.0.1:1/0"})  # fmt: skip
    operator = make_user("operator")
    with TestClient(create_app(settings, engine=engine), raise_server_exceptions=False) as client:
        error = assert_envelope(
            client.post("/api/v1/runs", json=BACKUP, headers=operator), 503, "unavailable"
        )
    assert "cannot reach the queue redis://127.0.0.1:1/0" in error["message"]  # type: ignore[operator]
    with db() as session:
        runs = session.query(JobRun).all()
    assert [(r.status, r.triggered_by) for r in runs] == [
        ("queued", "operator")
    ]  # a worker's dispatch re-enqueues it
