"""Versions marked ``keep``, and the history's reads over versions with gaps (after retention)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from netraven.configs import ConfigStore, queries
from netraven.configs.marks import set_keep
from netraven.db.models import AuditEntry, Device, DeviceConfiguration
from netraven.exceptions import InventoryError, InventoryNotFound
from tests.configs.conftest import T0

DC = DeviceConfiguration


def config(n: int) -> str:
    return (
        f"hostname r1\ninterface Gi1\n description uplink {n}\n ip address 10.0.0.1 255.255.255.0\n!\nend\n"
    )


@pytest.fixture
def five_versions(session: Session, store: ConfigStore, add_device: Callable[..., Device]) -> Device:
    device = add_device("r1")
    for n in range(5):
        store.save(session, device.id, config(n), "cisco_ios", retrieved_at=T0 + timedelta(hours=n))
    return device


def test_keep_and_unkeep(session: Session, five_versions: Device) -> None:
    assert set_keep(session, "r1", 2) is True
    assert set_keep(session, five_versions.id, 2) is False  # already kept: no change, no audit row
    assert [v.keep for v in queries.history(session, "r1")] == [False, False, False, True, False]
    assert set_keep(session, "r1", 2, keep=False) is True
    assert not any(v.keep for v in queries.history(session, "r1"))
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action.like("config.%"))).all()
    assert [(a.action, a.object_id, a.changes) for a in audit] == [
        ("config.keep", "r1", {"version": 2, "keep": [False, True]}),
        ("config.unkeep", "r1", {"version": 2, "keep": [True, False]}),
    ]


@pytest.mark.parametrize("version", [0, -1, 2**31, True, "2"])
def test_keep_refuses_a_bad_version(session: Session, five_versions: Device, version: object) -> None:
    with pytest.raises(InventoryError, match="must be an integer from 1 to") as caught:
        set_keep(session, "r1", version)  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)


def test_keep_of_a_missing_version_or_device(session: Session, five_versions: Device) -> None:
    with pytest.raises(InventoryNotFound, match="device 'r1' has no version 9"):
        set_keep(session, "r1", 9)
    with pytest.raises(InventoryNotFound, match="no device named 'nope'"):
        set_keep(session, "nope", 1)


def test_reads_skip_deleted_versions(session: Session, store: ConfigStore, five_versions: Device) -> None:
    session.execute(delete(DC).where(DC.device_id == five_versions.id, DC.version.in_([2, 4])))
    assert [(v.version, v.previous) for v in queries.history(session, "r1")] == [(5, 3), (3, 1), (1, None)]
    assert [v.previous for v in queries.history(session, "r1", limit=1, offset=1)] == [1]  # not of the page
    assert queries.neighbours(session, "r1", 3) == (1, 5)
    assert queries.neighbours(session, "r1", 1) == (None, 3)
    assert queries.neighbours(session, "r1", 5) == (3, None)
    assert store.diff(session, "r1", v2=5).startswith("--- r1 version 3\n+++ r1 version 5\n")
    assert store.diff(session, "r1").startswith("--- r1 version 3\n+++ r1 version 5\n")
    with pytest.raises(InventoryError, match="device 'r1' has no version 0"):
        store.diff(session, "r1", v2=1)
    with pytest.raises(InventoryError, match="device 'r1' has no version 4"):
        store.diff(session, "r1", v2=4)
