"""``/devices``: CRUD, filters, sorting, bulk import; bad input leaves the database unchanged."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from netraven import audit
from netraven.db.models import AuditEntry, Device
from tests.web.conftest import assert_envelope, count

CORE = {"hostname": "core-1", "host": "10.0.0.1", "platform": "cisco_ios", "tags": ["core", "site-a"]}


def add(client: TestClient, headers: dict[str, str], **fields: object) -> dict[str, object]:
    response = client.post("/api/v1/devices", json={**CORE, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_crud_round_trip_is_audited(
    client: TestClient, as_role: dict[str, dict[str, str]], db: Callable[[], Session]
) -> None:
    op = as_role["operator"]
    device = add(client, op, description="core switch")
    assert device["tags"] == ["core", "site-a"] and device["port"] == 22
    shown = client.get(f"/api/v1/devices/{device['id']}", headers=as_role["viewer"]).json()
    assert shown == device
    edited = client.patch(
        f"/api/v1/devices/{device['id']}", json={"port": 2222, "remove_tags": ["core"]}, headers=op
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["port"] == 2222 and edited.json()["tags"] == ["site-a"]
    assert client.delete(f"/api/v1/devices/{device['id']}", headers=op).status_code == 204
    assert_envelope(client.get(f"/api/v1/devices/{device['id']}", headers=op), 404, "not_found")
    with db() as session:
        rows = audit.list_entries(session, object_type="device", limit=10).items
    assert [(r.action, r.actor_name, r.outcome) for r in reversed(rows)] == [
        ("device.add", "operator", "succeeded"),
        ("device.edit", "operator", "succeeded"),
        ("device.remove", "operator", "succeeded"),
    ]
    assert rows[1].changes == {"port": [22, 2222], "tags": [["core", "site-a"], ["site-a"]]}
    assert rows[0].address == "testclient"


def test_list_filters_sorts_and_pages(client: TestClient, as_role: dict[str, dict[str, str]]) -> None:
    op = as_role["operator"]
    for i in range(5):
        add(
            client,
            op,
            hostname=f"edge-{i}",
            host=f"10.0.1.{i}",
            platform="arista_eos" if i % 2 else "cisco_ios",
            tags=["edge"] + (["odd"] if i % 2 else []),
            enabled=i != 4,
        )
    viewer = as_role["viewer"]

    def names(**params: object) -> list[str]:
        response = client.get("/api/v1/devices", params=params, headers=viewer)
        assert response.status_code == 200, response.text
        return [d["hostname"] for d in response.json()["items"]]

    assert names() == [f"edge-{i}" for i in range(5)]
    assert names(tag=["edge", "odd"]) == ["edge-1", "edge-3"]
    assert names(platform="arista_eos") == ["edge-1", "edge-3"]
    assert names(enabled="false") == ["edge-4"]
    assert names(name="GE-2") == ["edge-2"]
    assert names(backup_status="never", sort="-hostname", limit=2, offset=1) == ["edge-3", "edge-2"]
    assert names(backup_status="success") == []
    page = client.get("/api/v1/devices", params={"limit": 2}, headers=viewer).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (5, 2, 0, 2)
    assert_envelope(client.get("/api/v1/devices", params={"sort": "password"}, headers=viewer), 400)
    assert_envelope(client.get("/api/v1/devices", params={"limit": 0}, headers=viewer), 422)
    assert_envelope(client.get("/api/v1/devices", params={"limit": 1001}, headers=viewer), 422)
    assert_envelope(client.get("/api/v1/devices", params={"backup_status": "maybe"}, headers=viewer), 422)


def test_bad_input_is_refused_and_changes_nothing(
    client: TestClient, as_role: dict[str, dict[str, str]], engine: Engine, db: Callable[[], Session]
) -> None:
    op = as_role["operator"]
    add(client, op)
    before = count(engine, Device)
    audit_before = count(engine, AuditEntry)
    cases = [
        (
            client.post(
                "/api/v1/devices",
                content=b'{"hostname": "x",',
                headers={**op, "Content-Type": "application/json"},
            ),
            400,
        ),
        (client.post("/api/v1/devices", json={**CORE, "hostname": "x2", "port": "twenty"}, headers=op), 422),
        (client.post("/api/v1/devices", json={**CORE, "hostname": "x3", "colour": "red"}, headers=op), 422),
        (
            client.post(
                "/api/v1/devices", json={**CORE, "hostname": "x4", "platform": "cisco_iox"}, headers=op
            ),
            400,
        ),
        (
            client.post("/api/v1/devices", json={**CORE, "hostname": "x5", "host": "10.0.0.300"}, headers=op),
            400,
        ),
        (client.post("/api/v1/devices", json=CORE, headers=op), 409),
        (client.post("/api/v1/devices", json=[CORE], headers=op), 422),
        (client.patch("/api/v1/devices/999999", json={"port": 23}, headers=op), 404),
        (client.patch("/api/v1/devices/abc", json={"port": 23}, headers=op), 422),
        (client.delete("/api/v1/devices/999999", headers=op), 404),
    ]
    for response, status in cases:
        assert_envelope(response, status)
    unknown = client.post(
        "/api/v1/devices", json={**CORE, "hostname": "x3", "colour": "red"}, headers=op
    ).json()
    assert unknown["error"]["details"][0]["field"] == "body.colour"
    assert (
        "cisco_iox"
        in client.post(
            "/api/v1/devices", json={**CORE, "hostname": "x4", "platform": "cisco_iox"}, headers=op
        ).json()["error"]["message"]
    )
    assert count(engine, Device) == before
    with db() as session:
        found = audit.list_entries(session, limit=100)
        rows, total = found.items, found.total
    failed = [r for r in rows if r.outcome == "failed"]
    assert total > audit_before and failed and all(r.actor_name == "operator" for r in failed)
    assert {r.action for r in failed} >= {"device.add", "device.edit", "device.remove"}


def test_import_is_all_or_nothing_with_every_bad_row(
    client: TestClient, as_role: dict[str, dict[str, str]], engine: Engine
) -> None:
    op = as_role["operator"]
    bad = "hostname,host,platform\nr1,10.0.0.1,cisco_ios\nr2,999.1.1.1,cisco_ios\nr3,10.0.0.3,nope\n"
    response = client.post(
        "/api/v1/devices/import", files={"file": ("fleet.csv", bad, "text/csv")}, headers=op
    )
    error = assert_envelope(response, 400)
    assert len(error["details"]) == 2 and error["details"][0].startswith("row 2:")  # type: ignore[index,union-attr,arg-type]
    assert count(engine, Device) == 0
    good = "hostname,host,platform,tags\nr1,10.0.0.1,cisco_ios,a;b\nr2,10.0.0.2,arista_eos,\n"
    response = client.post(
        "/api/v1/devices/import",
        files={"file": ("fleet.csv", good, "text/csv")},
        data={"default_tags": ["imported"]},
        headers=op,
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"total": 2, "created": 2, "updated": 0, "tags_created": 3}
    listed = client.get("/api/v1/devices", params={"tag": "imported"}, headers=op).json()
    assert [d["hostname"] for d in listed["items"]] == ["r1", "r2"]
    again = client.post("/api/v1/devices/import", files={"file": ("fleet.csv", good, "text/csv")}, headers=op)
    assert_envelope(again, 400)
    assert "/tmp" not in again.text and "upload" not in again.text
    wrong = client.post(
        "/api/v1/devices/import", files={"file": ("fleet.txt", good, "text/plain")}, headers=op
    )
    assert "fleet.txt" in assert_envelope(wrong, 400)["message"]  # type: ignore[operator]
    yaml_file = "devices:\n  - {hostname: y1, host: 10.0.0.9, platform: juniper_junos}\n"
    response = client.post("/api/v1/devices/import", files={"file": ("lab.yaml", yaml_file)}, headers=op)
    assert response.status_code == 200 and response.json()["created"] == 1


def test_viewer_cannot_change_devices(
    client: TestClient, as_role: dict[str, dict[str, str]], engine: Engine
) -> None:
    assert_envelope(client.post("/api/v1/devices", json=CORE, headers=as_role["viewer"]), 403, "forbidden")
    assert count(engine, Device) == 0


def test_a_device_backup_command_is_set_shown_and_cleared(
    client: TestClient, as_role: dict[str, dict[str, str]]
) -> None:
    op = as_role["operator"]
    device = add(client, op, backup_command="show running-config all")
    assert device["backup_command"] == "show running-config all"
    bad = client.patch(f"/api/v1/devices/{device['id']}", json={"backup_command": "x" * 256}, headers=op)
    assert bad.status_code in (400, 422) and "longer than 255 characters" in bad.text
    cleared = client.patch(f"/api/v1/devices/{device['id']}", json={"backup_command": ""}, headers=op)
    assert cleared.status_code == 200 and cleared.json()["backup_command"] is None


def test_reachability_and_circuit_are_shown_and_filtered(
    client: TestClient, as_role: dict[str, dict[str, str]], db: Callable[[], Session]
) -> None:
    from datetime import UTC, datetime

    from netraven.inventory.reachability import Check, record_checks

    op, viewer = as_role["operator"], as_role["viewer"]
    up, down, never = (add(client, op, hostname=name) for name in ("up-1", "down-1", "never-1"))
    at = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
    with db() as session, session.begin():
        record_checks(
            session, [Check(int(str(up["id"])), True, 0.4, at), Check(int(str(down["id"])), False, None, at)]
        )
        session.get(Device, down["id"]).circuit = "open"  # type: ignore[union-attr]
    shown = client.get(f"/api/v1/devices/{down['id']}", headers=viewer).json()
    assert (shown["reachability"], shown["unreachable_since"], shown["circuit"]) == (
        "unreachable", "2026-12-02T05:00:00Z", "open"
    )  # fmt: skip
    assert client.get(f"/api/v1/devices/{up['id']}", headers=viewer).json()["latency_ms"] == 0.4
    found = client.get("/api/v1/devices?unreachable=true", headers=viewer).json()
    assert [d["hostname"] for d in found["items"]] == ["down-1"]
    others = client.get("/api/v1/devices?unreachable=false", headers=viewer).json()
    assert [d["hostname"] for d in others["items"]] == ["never-1", "up-1"]
    assert never["reachability"] is None and never["circuit"] == "closed"
