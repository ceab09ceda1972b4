"""The app's frame: health, docs, the error envelope, request ids, body limits."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from netraven.jobs.workers import register_worker, worker_stopped
from tests.web.conftest import assert_envelope


def test_health_is_public_and_reports_each_part(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["schema_current"]["ok"] is True
    assert body["queue"]["ok"] is True
    assert body["workers"] == {
        "seen_recently": False,
        "last_seen_at": None,
        "last_worker": None,
        "registered": [],
    }
    assert body["status"] == "degraded"  # no worker seen


def test_health_lists_registered_workers_and_is_ok_while_one_runs(
    client: TestClient, db: Callable[[], Session]
) -> None:
    with db() as session, session.begin():
        register_worker(session, "box-1:11", hostname="box-1", pid=11, version="9.9", threads=4, queue="nr")
        register_worker(session, "box-2:22", hostname="box-2", pid=22, version="9.9", threads=2, queue="nr")
        worker_stopped(session, "box-2:22")
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok", body
    workers = {w["name"]: w for w in body["workers"]["registered"]}
    assert {name: w["state"] for name, w in workers.items()} == {"box-1:11": "running", "box-2:22": "stopped"}
    assert workers["box-1:11"]["threads"] == 4 and workers["box-1:11"]["hostname"] == "box-1"
    with db() as session, session.begin():
        worker_stopped(session, "box-1:11")
    assert client.get("/api/v1/health").json()["status"] == "degraded"  # every worker stopped


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/health" in spec["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_unknown_route_and_wrong_method_get_the_envelope(client: TestClient) -> None:
    assert "/api/v1/nothing" in assert_envelope(client.get("/api/v1/nothing"), 404, "not_found")["message"]
    response = client.delete("/api/v1/health")
    assert_envelope(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    given = client.get("/api/v1/health", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = client.get("/api/v1/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert made.headers["x-request-id"] != "bad id\twith spaces" and len(made.headers["x-request-id"]) == 32
    error = client.get("/api/v1/nothing", headers={"X-Request-ID": "req-42"}).json()["error"]
    assert error["request_id"] == "req-42"


def test_request_id_is_in_the_log_lines_of_the_request(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    from netraven.web.context import RequestIdFilter

    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="netraven.web"):
        client.get("/api/v1/health", headers={"X-Request-ID": "trace-me"})
    lines = [r for r in caplog.records if r.name == "netraven.web.access"]
    assert lines and all(r.request_id == "trace-me" for r in lines)  # type: ignore[attr-defined]
    assert "GET /api/v1/health 200" in lines[0].getMessage()


def test_oversized_body_is_413(client: TestClient) -> None:
    big = b"x" * 300_000  # web_settings: max_body_bytes 200000
    response = client.post("/api/v1/auth/token", content=big, headers={"Content-Type": "application/json"})
    assert_envelope(response, 413, "payload_too_large")


def test_a_bug_is_a_500_without_trace(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import netraven.web.api.health as health

    def broken(_session: object) -> None:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(health, "last_heartbeat", broken)
    response = client.get("/api/v1/health", headers={"X-Request-ID": "boom-1"})
    error = assert_envelope(response, 500, "internal_error")
    assert "secret" not in response.text and "Traceback" not in response.text
    assert error["request_id"] == "boom-1"


def test_login_token_and_me(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("operator", "olga")
    from tests.web.conftest import PASSWORD

    form = client.post("/api/v1/auth/token", data={"username": "olga", "password": PASSWORD})
    assert form.status_code == 200, form.text
    as_json = client.post("/api/v1/auth/token", json={"username": "olga", "password": PASSWORD})
    assert as_json.status_code == 200, as_json.text
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {form.json()['access_token']}"})
    assert me.json()["username"] == "olga" and me.json()["role"] == "operator"
    assert_envelope(client.get("/api/v1/auth/me"), 401, "unauthenticated")
    assert_envelope(client.post("/api/v1/auth/token", json={"username": "olga", "password": "wrong"}), 401)
    assert_envelope(
        client.post("/api/v1/auth/token", content=b"{not json", headers={"Content-Type": "application/json"}),
        400,
        "malformed_json",
    )
    error = assert_envelope(
        client.post("/api/v1/auth/token", json={"username": "olga", "password": PASSWORD, "x": 1}), 422
    )
    assert error["details"][0]["field"] == "body.x"  # type: ignore[index]


def test_cors_is_off_by_default_and_on_for_listed_origins(
    client: TestClient, engine: object, tmp_path: object
) -> None:
    from netraven.settings import load_settings
    from netraven.web.app import create_app

    preflight = {"Origin": "https://tools.example.net", "Access-Control-Request-Method": "GET"}
    off = client.options("/api/v1/devices", headers=preflight)
    assert "access-control-allow-origin" not in off.headers
    settings = load_settings(
        environ={"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_WEB__CORS_ORIGINS": "https://tools.example.net"}
    )
    with TestClient(create_app(settings, engine=engine)) as cors:  # type: ignore[arg-type]
        on = cors.options("/api/v1/devices", headers=preflight)
        assert on.headers["access-control-allow-origin"] == "https://tools.example.net"
        other = cors.options("/api/v1/devices", headers={**preflight, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_openapi_declares_the_bearer_scheme_on_protected_routes(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"
    assert spec["paths"]["/api/v1/devices"]["get"]["security"] == [{"OAuth2PasswordBearer": []}]
    assert "security" not in spec["paths"]["/api/v1/health"]["get"]


def test_health_is_503_when_the_database_is_down_or_behind(
    web_settings: object, new_database_url: object
) -> None:
    from netraven.db import create_engine_for_url
    from netraven.web.app import create_app

    down = create_engine_for_url("postgresql+psycopg2://postgres@127.0.0.1:1/nothing")
    empty = create_engine_for_url(new_database_url("sqlite"))  # type: ignore[operator]
    try:
        for engine, database_ok in ((down, False), (empty, True)):
            with TestClient(create_app(web_settings, engine=engine)) as client:  # type: ignore[arg-type]
                response = client.get("/api/v1/health")
                body = response.json()
                assert response.status_code == 503 and body["status"] == "failing"
                assert body["database"]["ok"] is database_ok and body["schema_current"]["ok"] is False
                assert "password" not in response.text
    finally:
        down.dispose()
        empty.dispose()


def test_log_lines_from_the_route_thread_and_a_bug_carry_the_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import netraven.web.api.health as health
    from netraven.web.context import RequestIdFilter

    def noisy(_session: object) -> tuple[None, None]:
        logging.getLogger("netraven.jobs").warning("looking for workers")
        return None, None

    caplog.handler.addFilter(RequestIdFilter())
    monkeypatch.setattr(health, "last_heartbeat", noisy)
    with caplog.at_level(logging.INFO):
        client.get("/api/v1/health", headers={"X-Request-ID": "in-thread"})
        monkeypatch.setattr(health, "last_heartbeat", lambda _s: 1 / 0)
        client.get("/api/v1/health", headers={"X-Request-ID": "a-bug"})
    found = {(r.getMessage(), r.request_id) for r in caplog.records}  # type: ignore[attr-defined]
    assert ("looking for workers", "in-thread") in found
    assert ("unhandled error", "a-bug") in found
    bug = next(r for r in caplog.records if r.getMessage() == "unhandled error")
    assert bug.exc_info is not None and bug.exc_info[0] is ZeroDivisionError  # the trace is in the log
