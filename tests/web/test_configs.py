"""``/api/v1/configs`` through FastAPI's TestClient on SQLite and PostgreSQL: history, a version
(JSON and raw text), diffs and search; secrets masked for everyone but admins."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from netraven.configs import ConfigStore
from netraven.inventory import add_device
from netraven.settings import Settings
from tests.web.conftest import assert_envelope

SECRET = "0822455D0A16"


def config(n: int) -> str:
    return (f"hostname r1\nusername admin password 7 {SECRET}\ninterface Gi1\n description uplink {n}\n"
            " ip address 10.0.0.1 255.255.255.0\n!\nend\n")  # fmt: skip


@pytest.fixture
def device_id(db: Callable[[], Session], web_settings: Settings) -> int:
    """Device r1 with three versions."""
    store = ConfigStore(web_settings)
    with db() as session, session.begin():
        device = add_device(session, "r1", "10.0.0.1", "cisco_ios")
        session.flush()
        for n in range(3):
            store.save(session, device.id, config(n), "cisco_ios")
        return device.id


def test_history_versions_and_raw_text(
    client: TestClient, as_role: dict[str, dict[str, str]], device_id: int
) -> None:
    viewer = as_role["viewer"]
    history = client.get("/api/v1/configs/r1/versions", params={"limit": 2}, headers=viewer).json()
    assert [v["version"] for v in history["items"]] == [3, 2] and history["total"] == 3
    assert history["items"][0]["changed_lines"] == 2 and history["items"][0]["size_bytes"] == len(config(2))
    assert client.get(f"/api/v1/configs/{device_id}/versions", headers=viewer).json()["total"] == 3  # by id

    version = client.get("/api/v1/configs/r1/versions/2", headers=viewer).json()
    assert (version["hostname"], version["version"], version["masked"]) == ("r1", 2, True)
    assert "description uplink 1" in version["text"] and SECRET not in version["text"]
    latest = client.get("/api/v1/configs/r1/latest", headers=viewer).json()
    assert latest["version"] == 3

    raw = client.get("/api/v1/configs/r1/versions/1/raw", headers=viewer)
    assert raw.status_code == 200 and raw.headers["content-type"].startswith("text/plain")
    assert raw.headers["content-disposition"] == 'attachment; filename="r1-v1.cfg"'
    assert raw.text == config(0).replace(SECRET, "<redacted>")
    admin_raw = client.get("/api/v1/configs/r1/versions/1/raw", headers=as_role["admin"])
    assert admin_raw.text == config(0)  # admins read configs as stored


def test_diff_between_any_two_versions(
    client: TestClient, as_role: dict[str, dict[str, str]], device_id: int
) -> None:
    viewer = as_role["viewer"]
    latest = client.get("/api/v1/configs/r1/diff", headers=viewer).json()
    assert latest["diff"].startswith("--- r1 version 2\n+++ r1 version 3\n")
    assert "- description uplink 1\n+ description uplink 2\n" in latest["diff"]
    wide = client.get(
        "/api/v1/configs/r1/diff", params={"from": 1, "to": 3, "context": 0}, headers=viewer
    ).json()
    assert (wide["from_version"], wide["to_version"]) == (1, 3)
    assert wide["diff"].startswith("--- r1 version 1\n+++ r1 version 3\n") and "uplink 1" not in wide["diff"]


def test_search_is_paged_and_masks_secrets_for_viewers(
    client: TestClient, as_role: dict[str, dict[str, str]], device_id: int
) -> None:
    found = client.get("/api/v1/configs/search", params={"pattern": "^interface", "context": 1},
                       headers=as_role["viewer"]).json()  # fmt: skip
    assert found["total"] == 1
    match = found["items"][0]
    assert (match["hostname"], match["version"], match["line"], match["after"]) == (
        "r1", 3, "interface Gi1", [" description uplink 2"])  # fmt: skip
    probe = {"pattern": "password 7 08"}
    assert client.get("/api/v1/configs/search", params=probe, headers=as_role["viewer"]).json()["total"] == 0
    assert client.get("/api/v1/configs/search", params=probe, headers=as_role["admin"]).json()["total"] == 1


def test_bad_requests(client: TestClient, as_role: dict[str, dict[str, str]], device_id: int) -> None:
    viewer = as_role["viewer"]
    assert_envelope(client.get("/api/v1/configs/ghost/versions", headers=viewer), 404, "not_found")
    assert_envelope(client.get("/api/v1/configs/999999/latest", headers=viewer), 404, "not_found")
    assert_envelope(client.get("/api/v1/configs/r1/versions/9", headers=viewer), 404)
    assert_envelope(client.get("/api/v1/configs/r1/versions/0", headers=viewer), 422)
    assert_envelope(client.get("/api/v1/configs/r1/diff", params={"from": 1, "to": 7}, headers=viewer), 404)
    assert_envelope(client.get("/api/v1/configs/r1/diff", params={"from": "x"}, headers=viewer), 422)
    bad = assert_envelope(
        client.get("/api/v1/configs/search", params={"pattern": "(a)\\1"}, headers=viewer), 400
    )
    assert "invalid regular expression" in bad["message"]  # type: ignore[operator]
    assert_envelope(client.get("/api/v1/configs/search", headers=viewer), 422)
    assert_envelope(client.get("/api/v1/configs/r1/versions"), 401)
