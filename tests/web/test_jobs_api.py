"""``/api/v1/jobs`` through FastAPI's TestClient on SQLite and PostgreSQL: CRUD, enable/disable,
schedule previews, running a job; bad input answered with the envelope and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from netraven import audit
from netraven.db.models import Job, JobRun
from netraven.inventory import add_device
from tests.web.conftest import assert_envelope, count

NIGHTLY: dict[str, Any] = {
    "name": "nightly",
    "job_type": "backup",
    "targets": {"tags": ["core"]},
    "schedule": {"type": "cron", "cron_expression": "0 2 * * *"},
}


@pytest.fixture
def fleet(db: Callable[[], Session]) -> None:
    with db() as session, session.begin():
        add_device(session, "r1", "10.0.0.1", "cisco_ios", tags=["core"])
        add_device(session, "r2", "10.0.0.2", "cisco_ios", tags=["edge"])


def create(client: TestClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post("/api/v1/jobs", json={**NIGHTLY, **changes}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_an_operator_creates_reads_edits_and_removes_a_job(
    client: TestClient, as_role: dict[str, dict[str, str]], fleet: None, db: Callable[[], Session]
) -> None:
    operator, viewer = as_role["operator"], as_role["viewer"]
    job = create(client, operator)
    assert (job["name"], job["targets"], job["created_by"]) == (
        "nightly",
        {"devices": [], "tags": ["core"], "all": False},
        "operator",
    )
    assert (
        job["schedule"]["description"] == "cron 0 2 * * *" and job["next_run_at"] and job["last_run"] is None
    )
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=viewer).json() == job

    edited = client.patch(f"/api/v1/jobs/{job['id']}", headers=operator,
                          json={"name": "nightly-core", "devices": ["r2"], "priority": 3})  # fmt: skip
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["name"], body["priority"], body["targets"]["devices"]) == ("nightly-core", 3, ["r2"])

    disabled = client.post(f"/api/v1/jobs/{job['id']}/disable", headers=operator).json()
    assert (disabled["enabled"], disabled["next_run_at"]) == (False, None)
    assert client.get(f"/api/v1/jobs/{job['id']}/schedule", headers=viewer).json()["next_runs"] == []
    enabled = client.post(f"/api/v1/jobs/{job['id']}/enable", headers=operator).json()
    assert enabled["enabled"] and enabled["next_run_at"]
    preview = client.get(f"/api/v1/jobs/{job['id']}/schedule", headers=viewer).json()
    assert len(preview["next_runs"]) == 5
    assert datetime.fromisoformat(preview["next_runs"][0]) == datetime.fromisoformat(enabled["next_run_at"])

    assert client.delete(f"/api/v1/jobs/{job['id']}", headers=operator).status_code == 204
    assert_envelope(client.get(f"/api/v1/jobs/{job['id']}", headers=viewer), 404, "not_found")
    with db() as session:
        actions = [
            (e.action, e.actor_name) for e in reversed(audit.list_entries(session, object_type="job").items)
        ]
    assert actions == [("job.create", "operator"), ("job.edit", "operator"), ("job.disable", "operator"),
                       ("job.enable", "operator"), ("job.remove", "operator")]  # fmt: skip


def test_jobs_are_listed_filtered_sorted_and_paged(
    client: TestClient, as_role: dict[str, dict[str, str]], fleet: None
) -> None:
    for name in ("b-core", "a-edge", "c-core"):
        create(client, as_role["operator"], name=name)
    viewer = as_role["viewer"]
    page = client.get("/api/v1/jobs", params={"limit": 2}, headers=viewer).json()
    assert [j["name"] for j in page["items"]] == ["a-edge", "b-core"] and (page["total"], page["limit"]) == (
        3,
        2,
    )
    names = client.get("/api/v1/jobs", params={"name": "CORE", "sort": "-name"}, headers=viewer).json()
    assert [j["name"] for j in names["items"]] == ["c-core", "b-core"]
    assert_envelope(client.get("/api/v1/jobs", params={"sort": "password"}, headers=viewer), 400)
    assert_envelope(client.get("/api/v1/jobs", params={"limit": 0}, headers=viewer), 422)


def test_schedule_preview_before_creating_a_job(
    client: TestClient, as_role: dict[str, dict[str, str]]
) -> None:
    viewer = as_role["viewer"]
    found = client.get("/api/v1/jobs/schedule-preview", params={"type": "interval", "interval_seconds": "15m"},
                       headers=viewer)  # fmt: skip
    assert found.status_code == 200, found.text
    assert found.json()["schedule"]["description"] == "every 15m" and len(found.json()["next_runs"]) == 5
    bad = client.get("/api/v1/jobs/schedule-preview", params={"type": "cron", "cron_expression": "61 * * * *"},
                     headers=viewer)  # fmt: skip
    assert "bad cron expression" in assert_envelope(bad, 400)["message"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({**NIGHTLY, "schedule": {"type": "cron", "cron_expression": "99 2 * * *"}}, 400),  # bad cron
        ({**NIGHTLY, "job_type": "nope"}, 400),  # unknown job type
        ({**NIGHTLY, "targets": {"devices": ["ghost"]}}, 400),  # unknown device
        ({**NIGHTLY, "targets": {}}, 400),  # no targets
        ({**NIGHTLY, "priority": "high"}, 422),  # wrong type
        ({**NIGHTLY, "colour": "red"}, 422),  # unknown field
        ({**NIGHTLY, "schedule": {"type": "hourly"}}, 422),  # not a schedule type
        ({"job_type": "backup"}, 422),  # missing fields
    ],
)
def test_bad_jobs_are_refused_and_nothing_is_stored(
    client: TestClient,
    as_role: dict[str, dict[str, str]],
    fleet: None,
    engine: Engine,
    body: dict[str, Any],
    status: int,
) -> None:
    assert_envelope(client.post("/api/v1/jobs", json=body, headers=as_role["operator"]), status)
    assert count(engine, Job) == 0


def test_duplicates_unknown_ids_and_viewers_change_nothing(
    client: TestClient, as_role: dict[str, dict[str, str]], fleet: None, engine: Engine
) -> None:
    job = create(client, as_role["operator"])
    assert_envelope(client.post("/api/v1/jobs", json=NIGHTLY, headers=as_role["operator"]), 409, "conflict")
    assert_envelope(
        client.post("/api/v1/jobs", json={**NIGHTLY, "name": "x"}, headers=as_role["viewer"]), 403
    )
    assert_envelope(
        client.patch(f"/api/v1/jobs/{job['id']}", json={"priority": 9}, headers=as_role["viewer"]), 403
    )
    assert_envelope(client.delete(f"/api/v1/jobs/{job['id']}", headers=as_role["viewer"]), 403)
    assert_envelope(client.post(f"/api/v1/jobs/{job['id']}/run", headers=as_role["viewer"]), 403)
    assert_envelope(client.get("/api/v1/jobs/999999", headers=as_role["viewer"]), 404, "not_found")
    assert_envelope(
        client.patch("/api/v1/jobs/999999", json={"priority": 1}, headers=as_role["operator"]), 404
    )
    assert_envelope(client.get("/api/v1/jobs/abc", headers=as_role["viewer"]), 422)
    assert_envelope(client.patch(f"/api/v1/jobs/{job['id']}", json={"schedule": {"type": "cron", "cron_expression": "x"}},
                                 headers=as_role["operator"]), 400)  # fmt: skip
    assert_envelope(client.get("/api/v1/jobs"), 401)
    malformed = {**as_role["operator"], "Content-Type": "application/json"}
    assert_envelope(client.post("/api/v1/jobs", content=b'{"name": "x",', headers=malformed), 400)
    assert count(engine, Job) == 1 and count(engine, JobRun) == 0
    got = client.get(f"/api/v1/jobs/{job['id']}", headers=as_role["viewer"]).json()
    assert (got["priority"], got["schedule"]["cron_expression"]) == (0, "0 2 * * *")
