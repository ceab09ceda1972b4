"""``/api/v1/logs`` and run transcripts through FastAPI's TestClient on SQLite and PostgreSQL:
the filters of ``netraven logs``, paged, and the same JSON as ``netraven logs --json``."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from netraven.logs import LogFilter, entry_to_dict, list_logs
from tests.logs.conftest import LINES, Seeded, seed
from tests.web.conftest import assert_envelope


def seeded(db: Callable[[], Session]) -> Seeded:
    with db() as session, session.begin():
        return seed(session)


def test_logs_are_filtered_and_paged_like_the_cli(
    client: TestClient, as_role: dict[str, dict[str, str]], db: Callable[[], Session]
) -> None:
    data, viewer = seeded(db), as_role["viewer"]
    everything = client.get("/api/v1/logs", headers=viewer).json()
    assert [line["message"] for line in everything["items"]] == [line[4] for line in LINES]
    assert everything["total"] == 10
    page = client.get("/api/v1/logs", params={"limit": 3, "offset": 2}, headers=viewer).json()
    assert [line["message"] for line in page["items"]] == [LINES[i][4] for i in (5, 6, 7)]
    warnings = client.get(
        "/api/v1/logs", params={"level": "warning", "job": "nightly"}, headers=viewer
    ).json()
    assert [line["level"] for line in warnings["items"]] == ["WARNING", "ERROR", "CRITICAL"]
    r1 = client.get("/api/v1/logs", params={"device": "r1", "run_id": data.runs[0]}, headers=viewer).json()
    assert [line["hostname"] for line in r1["items"]] == ["r1", "r1"]
    with db() as session:  # the same JSON view as the CLI's --json
        expected = [entry_to_dict(e) for e in list_logs(session, LogFilter(device="r1", run_id=data.runs[0]))]
    assert [line["id"] for line in r1["items"]] == [e["id"] for e in expected]
    assert r1["items"][0]["details"] == expected[0]["details"]
    recent = client.get("/api/v1/logs", params={"since": "1h"}, headers=viewer).json()
    assert recent["total"] == 0  # the seeded lines are from 2025
    word = LINES[3][4].split()[-1]
    found = client.get("/api/v1/logs", params={"text": word.upper()}, headers=viewer).json()
    assert found["total"] >= 1 and all(word.lower() in line["message"].lower() for line in found["items"])


def test_transcripts_of_a_run(
    client: TestClient, as_role: dict[str, dict[str, str]], db: Callable[[], Session]
) -> None:
    data, viewer = seeded(db), as_role["viewer"]
    hosts = client.get(f"/api/v1/runs/{data.runs[0]}/transcripts", headers=viewer).json()
    assert hosts == [
        {"hostname": "r1", "device_id": data.devices["r1"]},
        {"hostname": "r2", "device_id": data.devices["r2"]},
    ]
    one = client.get(f"/api/v1/runs/{data.runs[0]}/transcripts/r2", headers=viewer).json()
    assert one["transcript"] == "r2#show running-config\nhostname r2\n"
    assert_envelope(client.get(f"/api/v1/runs/{data.runs[1]}/transcripts/r2", headers=viewer), 404)
    assert_envelope(client.get("/api/v1/runs/999999/transcripts", headers=viewer), 404)


def test_bad_filters(
    client: TestClient, as_role: dict[str, dict[str, str]], db: Callable[[], Session]
) -> None:
    seeded(db)
    viewer = as_role["viewer"]
    assert (
        "unknown level"
        in assert_envelope(client.get("/api/v1/logs", params={"level": "LOUD"}, headers=viewer), 400)[
            "message"
        ]
    )  # type: ignore[operator]
    assert_envelope(client.get("/api/v1/logs", params={"job": "nope"}, headers=viewer), 404)
    assert_envelope(client.get("/api/v1/logs", params={"device": "ghost"}, headers=viewer), 404)
    assert_envelope(client.get("/api/v1/logs", params={"run_id": 999999}, headers=viewer), 404)
    assert_envelope(client.get("/api/v1/logs", params={"since": "last tuesday"}, headers=viewer), 400)
    assert_envelope(client.get("/api/v1/logs", params={"run_id": "x"}, headers=viewer), 422)
    assert_envelope(client.get("/api/v1/logs/stream", params={"job": "nope"}, headers=viewer), 404)
    assert_envelope(client.get("/api/v1/logs"), 401)
