"""``stream_devices``: the same views as ``Device.to_dict``, read a page at a time, with paging (#13)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.exceptions import InventoryError
from netraven.inventory import add_device, list_devices, stream_devices, streaming


@pytest.fixture
def fleet(session: Session, monkeypatch: pytest.MonkeyPatch) -> Session:
    monkeypatch.setattr(streaming, "PAGE", 3)  # several pages from a few devices
    for i in range(8):
        add_device(session, f"r{i}", f"10.0.0.{i + 1}", ("cisco_ios", "arista_eos")[i % 2],
                   tags=[f"site-{i % 3}", "all"] if i != 5 else [], description=f"d{i}")  # fmt: skip
    session.flush()
    return session


@pytest.mark.parametrize(
    "filters",
    [{}, {"tags": ["all", "site-1"]}, {"platform": "arista_eos"}, {"enabled": True}, {"tags": ["none"]}],
)
def test_same_views_as_to_dict(fleet: Session, filters: dict[str, object]) -> None:
    expected = [device.to_dict() for device in list_devices(fleet, **filters)]  # type: ignore[arg-type]
    assert list(stream_devices(fleet, **filters)) == expected  # type: ignore[arg-type]


def test_limit_and_offset(fleet: Session) -> None:
    names = [d["hostname"] for d in stream_devices(fleet)]
    assert [d["hostname"] for d in stream_devices(fleet, limit=4, offset=3)] == names[3:7]
    assert [d["hostname"] for d in stream_devices(fleet, offset=7)] == names[7:]
    for bad in ({"limit": -1}, {"offset": -2}, {"limit": True}):
        with pytest.raises(InventoryError, match="must be a whole number, 0 or more"):
            list(stream_devices(fleet, **bad))  # type: ignore[arg-type]


@pytest.fixture
def env(fresh_engine: Engine) -> dict[str, str]:
    return {"NETRAVEN_DATABASE__URL": fresh_engine.url.render_as_string(hide_password=False)}


def test_cli_pages_and_streams(env: dict[str, str], fresh_engine: Engine) -> None:
    with Session(fresh_engine) as session, session.begin():
        for i in range(5):
            add_device(session, f"r{i}", f"10.0.0.{i + 1}", "cisco_ios", tags=["core"])

    def run(*args: str) -> str:
        return CliRunner().invoke(main, ["device", "list", *args], env=env).output

    assert [d["hostname"] for d in json.loads(run("--json", "--limit", "2", "--offset", "1"))] == ["r1", "r2"]
    assert json.loads(run("--json", "--tag", "nope")) == []
    lines = run("--limit", "2").splitlines()
    assert lines[0].split() == [
        "Hostname", "Host", "Port", "Platform", "OS", "version", "Model", "Enabled", "Tags", "Reach", "Circuit",
        "Description",
    ]  # fmt: skip
    assert [line.split()[0] for line in lines[2:4]] == ["r0", "r1"] and lines[-1] == "2 device(s)"
    assert lines[2].split()[-2:] == ["-", "closed"]  # never checked; circuit closed
    assert run("--offset", "4").splitlines()[-1] == "1 device(s) (from offset 4)"
