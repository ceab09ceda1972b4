"""Facts in the device views: the API's JSON and filters, the CLI's list and show, the device page."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.inventory import add_device, list_devices, record_facts, stream_devices

AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def fleet(session: Session) -> None:
    for n, (version, model) in enumerate(
        [("15.2(4)M7", "C2960X"), ("15.9(3)M6", "C9300-48P"), ("4.28.3M", "DCS-7050")]
    ):
        device = add_device(session, f"r{n}", f"10.0.0.{n + 1}", "arista_eos" if n == 2 else "cisco_ios")
        session.flush()
        record_facts(session, device.id, {"os_version": version, "model": model, "serial": f"SN{n}"}, at=AT)
    add_device(session, "never", "10.0.0.9", "cisco_ios")


def test_api_view_and_filters(
    client: TestClient, as_role: dict[str, dict[str, str]], db: Callable[[], Session]
) -> None:
    with db() as session, session.begin():
        fleet(session)
    viewer = as_role["viewer"]
    listed = client.get("/api/v1/devices", params={"os_version": "15."}, headers=viewer).json()
    assert [d["hostname"] for d in listed["items"]] == ["r0", "r1"]
    assert (listed["items"][0]["model"], listed["items"][0]["serial"]) == ("C2960X", "SN0")
    assert listed["items"][0]["facts_at"].startswith("2026-03-01T12:00:00")
    both = client.get(
        "/api/v1/devices", params={"os_version": "15.9", "model": "c9300"}, headers=viewer
    ).json()
    assert [d["hostname"] for d in both["items"]] == ["r1"]
    literal = client.get("/api/v1/devices", params={"os_version": "15_"}, headers=viewer).json()
    assert literal["items"] == []  # '_' matches itself, not any character
    by_model = client.get("/api/v1/devices", params={"sort": "-model"}, headers=viewer).json()
    assert [d["hostname"] for d in by_model["items"] if d["model"]] == ["r2", "r1", "r0"]
    never = client.get("/api/v1/devices", params={"name": "never"}, headers=viewer).json()["items"][0]
    assert (never["os_version"], never["facts_at"]) == (None, None)


def test_domain_cli_list_and_show(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as session, session.begin():
        fleet(session)
    with Session(fresh_engine) as session:
        assert [d.hostname for d in list_devices(session, os_version="15.2")] == ["r0"]
        assert [d["hostname"] for d in stream_devices(session, platform="arista_eos", os_version="4.")] == [
            "r2"
        ]
    env = {"NETRAVEN_DATABASE__URL": fresh_engine.url.render_as_string(hide_password=False)}
    listed = CliRunner().invoke(
        main, ["device", "list", "--platform", "cisco_ios", "--os-version", "15.9"], env=env
    )
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines()[2].split()[:6] == [
        "r1",
        "10.0.0.2",
        "22",
        "cisco_ios",
        "15.9(3)M6",
        "C9300-48P",
    ]
    rows = json.loads(
        CliRunner().invoke(main, ["device", "list", "--json", "--model", "dcs"], env=env).output
    )
    assert [(r["hostname"], r["serial"]) for r in rows] == [("r2", "SN2")]
    shown = CliRunner().invoke(main, ["device", "show", "r0"], env=env).output
    assert "os_version:         15.2(4)M7" in shown and "serial:             SN0" in shown
