"""``/credentials`` (secrets write-only), ``/tags`` and ``/plugins``/``/job-types``."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.db.models import AuditEntry, Credential, Tag
from tests.web.conftest import assert_envelope, count
from tests.web.test_permissions import declared, is_stream

PASSWORD = "Pa55-w0rd-never-shown"
ENABLE = "En4ble-never-shown"


def test_credentials_round_trip_without_secrets(
    client: TestClient, as_role: dict[str, dict[str, str]], db: Callable[[], Session]
) -> None:
    admin = as_role["admin"]
    client.post(
        "/api/v1/devices", json={"hostname": "r1", "host": "10.0.0.1", "platform": "cisco_ios"}, headers=admin
    )
    body = {
        "name": "lab",
        "username": "netops",
        "password": PASSWORD,
        "enable_secret": ENABLE,
        "tags": ["lab"],
        "devices": ["r1"],
    }
    created = client.post("/api/v1/credentials", json=body, headers=admin)
    assert created.status_code == 201, created.text
    cred = created.json()
    assert cred["has_enable_secret"] is True and cred["tags"] == ["lab"] and cred["devices"] == ["r1"]
    edited = client.patch(
        f"/api/v1/credentials/{cred['id']}",
        json={"password": PASSWORD + "2", "enable_secret": "", "priority": 5, "remove_devices": ["r1"]},
        headers=admin,
    )
    assert edited.status_code == 200, edited.text
    assert (
        edited.json()["has_enable_secret"] is False
        and edited.json()["priority"] == 5
        and edited.json()["devices"] == []
    )
    listed = client.get("/api/v1/credentials", params={"tag": "lab"}, headers=admin).json()
    assert [c["name"] for c in listed["items"]] == ["lab"]
    with db() as session:
        stored = session.scalar(select(Credential))
        assert stored is not None and stored.password_encrypted != (PASSWORD + "2").encode()
        changes = [
            e.changes
            for e in session.scalars(select(AuditEntry).where(AuditEntry.object_type == "credential"))
        ]
    assert changes[1]["password"] == ["***", "***"] and changes[1]["priority"] == [100, 5]
    assert PASSWORD not in str(changes) and ENABLE not in str(changes)
    assert client.delete(f"/api/v1/credentials/{cred['id']}", headers=admin).status_code == 204
    assert_envelope(client.get(f"/api/v1/credentials/{cred['id']}", headers=admin), 404)


def test_credential_bad_input_changes_nothing_and_echoes_no_secret(
    client: TestClient, as_role: dict[str, dict[str, str]], engine: Engine
) -> None:
    admin = as_role["admin"]
    base = {"name": "lab", "username": "netops", "password": PASSWORD}
    assert client.post("/api/v1/credentials", json=base, headers=admin).status_code == 201
    cases = [
        (client.post("/api/v1/credentials", json=base, headers=admin), 409),
        (client.post("/api/v1/credentials", json={**base, "name": "x", "password": ""}, headers=admin), 400),
        (client.post("/api/v1/credentials", json={**base, "name": "x", "priority": -1}, headers=admin), 400),
        (
            client.post(
                "/api/v1/credentials", json={**base, "name": "x", "devices": ["ghost"]}, headers=admin
            ),
            400,
        ),
        (
            client.post("/api/v1/credentials", json={**base, "name": "x", "password": 12345}, headers=admin),
            422,
        ),
        (
            client.post("/api/v1/credentials", json={**base, "name": "x", "secret": PASSWORD}, headers=admin),
            422,
        ),
        (client.post("/api/v1/credentials", json={**base, "name": "y"}, headers=as_role["operator"]), 403),
        (client.patch("/api/v1/credentials/999999", json={"password": PASSWORD}, headers=admin), 404),
    ]
    for response, status in cases:
        assert_envelope(response, status)
        assert PASSWORD not in response.text and "12345" not in response.text
    assert count(engine, Credential) == 1


def test_no_response_holds_a_credential_secret(
    app: FastAPI, client: TestClient, as_role: dict[str, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    """Every GET route an admin may call, with the ids of real objects, shows no stored secret."""
    admin = as_role["admin"]
    caplog.set_level(logging.DEBUG)
    device = client.post(
        "/api/v1/devices",
        json={"hostname": "r1", "host": "10.0.0.1", "platform": "cisco_ios", "tags": ["lab"]},
        headers=admin,
    ).json()
    body = {
        "name": "lab",
        "username": "netops",
        "password": PASSWORD,
        "enable_secret": ENABLE,
        "tags": ["lab"],
    }
    responses = [client.post("/api/v1/credentials", json=body, headers=admin)]
    cred_id = responses[0].json()["id"]
    responses.append(
        client.patch(
            f"/api/v1/credentials/{cred_id}",
            json={"password": PASSWORD, "enable_secret": ENABLE},
            headers=admin,
        )
    )
    ids = {"device_id": device["id"], "credential_id": cred_id, "name": "lab", "username": "admin"}
    for method, path in declared(app):
        if method != "GET" or is_stream(app, method, path):
            continue
        concrete = path
        for key, value in ids.items():
            concrete = concrete.replace("{" + key + "}", str(value))
        if "{" in concrete:
            continue  # an object of a kind this test does not make
        responses.append(client.get(concrete, headers=admin))
    assert len(responses) > 15
    for response in responses:
        assert response.status_code < 500, response.request.url
        assert PASSWORD not in response.text and ENABLE not in response.text, response.request.url
    assert PASSWORD not in caplog.text and ENABLE not in caplog.text


def test_tags(client: TestClient, as_role: dict[str, dict[str, str]], engine: Engine) -> None:
    op = as_role["operator"]
    assert client.post("/api/v1/tags", json={"name": "empty"}, headers=op).status_code == 201
    assert client.post("/api/v1/tags", json={"name": "site-a", "type": "site"}, headers=op).status_code == 201
    client.post(
        "/api/v1/devices",
        json={"hostname": "r1", "host": "10.0.0.1", "platform": "cisco_ios", "tags": ["site-a", "core"]},
        headers=op,
    )
    page = client.get("/api/v1/tags", params={"sort": "-devices"}, headers=as_role["viewer"]).json()
    assert [(t["name"], t["devices"]) for t in page["items"]] == [("site-a", 1), ("core", 1), ("empty", 0)]
    assert client.get("/api/v1/tags", params={"type": "site"}, headers=op).json()["total"] == 1
    assert client.get("/api/v1/tags/site-a", headers=op).json()["type"] == "site"
    assert_envelope(client.post("/api/v1/tags", json={"name": "site-a"}, headers=op), 409, "conflict")
    assert_envelope(client.post("/api/v1/tags", json={"name": "bad\nname"}, headers=op), 400)
    assert_envelope(client.post("/api/v1/tags", json={"name": ["x"]}, headers=op), 422)
    assert_envelope(client.get("/api/v1/tags/nope", headers=op), 404)
    assert_envelope(client.get("/api/v1/tags", params={"sort": "bogus"}, headers=op), 400)
    assert count(engine, Tag) == 3
    assert client.delete("/api/v1/tags/core", headers=op).status_code == 204
    assert client.get("/api/v1/devices", headers=op).json()["items"][0]["tags"] == ["site-a"]


def test_plugins_and_job_types_with_parameter_schemas(
    client: TestClient, as_role: dict[str, dict[str, str]]
) -> None:
    viewer = as_role["viewer"]
    data = client.get("/api/v1/plugins", headers=viewer).json()
    assert any(p["status"] == "loaded" for p in data["plugins"])
    names = [jt["name"] for jt in client.get("/api/v1/job-types", headers=viewer).json()]
    assert "backup" in names
    backup = client.get("/api/v1/job-types/backup", headers=viewer).json()
    assert backup["plugin"] and all("required" in p and "type" in p for p in backup["parameters"].values())
    assert_envelope(client.get("/api/v1/job-types/nope", headers=viewer), 404)
