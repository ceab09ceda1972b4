"""The audit trail: who acts, what every domain change records (secrets masked), failures in a
transaction of their own, listing with filters; on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from netraven import audit
from netraven.configs import ConfigStore
from netraven.db.base import utcnow
from netraven.db.models import AuditEntry, Job, JobRun
from netraven.exceptions import InventoryError, NetRavenError
from netraven.inventory import add_device, add_tag, edit_device, import_devices, remove_device, remove_tag
from netraven.jobs import Targets, cancel_run, create_job, edit_job, queue_run, remove_job, set_enabled
from netraven.principal import SYSTEM, Principal, Role
from netraven.settings import Settings
from tests.audit.conftest import Trail
from tests.scheduler.jobtypes import registry

ALICE = Principal("user", "alice", Role.OPERATOR, user_id=7, address="192.0.2.10")


def actions(trail: Trail) -> list[tuple[str, str | None, str]]:
    return [(e.action, e.object_id, e.outcome) for e in trail()]


def test_the_actor_is_set_per_block_and_thread() -> None:
    assert audit.current_actor() is SYSTEM and audit.acting_user() is None
    seen: list[Principal] = []
    with audit.acting_as(ALICE):
        assert audit.current_actor() is ALICE and audit.acting_user() == "alice"
        other = threading.Thread(target=lambda: seen.append(audit.current_actor()))
        other.start()
        other.join()
        with audit.acting_as(SYSTEM):
            assert audit.current_actor() is SYSTEM
        assert audit.current_actor() is ALICE
    assert audit.current_actor() is SYSTEM and seen == [SYSTEM]


def test_a_row_names_the_actor_and_masks_secrets(session: Session, trail: Trail) -> None:
    with audit.acting_as(ALICE):
        audit.record(session, "credential.edit", "credential", 3, {
            "password": ["old-secret", "new-secret"],
            "username": ["a", "b"],
            "data": [None, {"site": "par", "netmiko_options": {"secret": "enable-me"}, "snmp_community": "pub"}],
            "enable_secret": None,
        })  # fmt: skip
    (entry,) = trail()
    assert (entry.actor_kind, entry.actor_name, entry.actor_user_id, entry.address, entry.object_id) == (
        "user", "alice", 7, "192.0.2.10", "3"
    )  # fmt: skip
    assert entry.changes == {
        "password": ["***", "***"],
        "username": ["a", "b"],
        "data": [None, {"site": "par", "netmiko_options": {"secret": "***"}, "snmp_community": "***"}],
        "enable_secret": None,
    }
    with pytest.raises(ValueError, match="outcome 'maybe'"):
        audit.record(session, "x.y", "x", outcome="maybe")


def test_inventory_changes_are_recorded(session: Session, tmp_path: Path, trail: Trail) -> None:
    with audit.acting_as(ALICE):
        add_device(session, "r1", "192.0.2.1", "cisco_ios", tags=["core"], data={"password": "device-pw"})
        edit_device(session, "r1", port=2222, remove_tags=["core"])
        add_tag(session, "edge", "role")
        remove_tag(session, "edge")
        remove_device(session, "r1")
        source = tmp_path / "fleet.csv"
        source.write_text("hostname,host,platform\nr2,192.0.2.2,cisco_ios\nr3,192.0.2.3,arista_eos\n")
        import_devices(session, source)
    assert actions(trail) == [
        ("device.add", "r1", "succeeded"),
        ("device.edit", "r1", "succeeded"),
        ("tag.add", "edge", "succeeded"),
        ("tag.remove", "edge", "succeeded"),
        ("device.remove", "r1", "succeeded"),
        ("device.import", None, "succeeded"),
    ]
    rows = trail()
    assert rows[0].changes["data"] == ["password"]  # type: ignore[index]  # free-form data: its keys only
    assert rows[1].changes == {"port": [22, 2222], "tags": [["core"], []]}
    assert rows[5].changes == {"file": str(source), "total": 2, "created": 2, "updated": 0, "tags_created": 0}
    assert {r.actor_name for r in rows} == {"alice"} and "device-pw" not in repr([r.changes for r in rows])


def test_bad_input_records_nothing_in_the_callers_transaction(session: Session, trail: Trail) -> None:
    with pytest.raises(InventoryError):
        add_device(session, "r1", "not an address!", "cisco_ios")
    assert actions(trail) == []


def test_jobs_and_runs_record_their_actor(session: Session, trail: Trail) -> None:
    add_device(session, "r1", "192.0.2.1", "cisco_ios", tags=["core"])
    with audit.acting_as(ALICE):
        job = create_job(session, name="nightly", job_type="backup", job_types=registry(), tags=["core"])
        edit_job(session, "nightly", job_types=registry(), priority=5)
        set_enabled(session, "nightly", False)
        set_enabled(session, "nightly", False)  # no change: no row
        set_enabled(session, "nightly", True)
        queued = queue_run(session, registry(), "backup", Targets.of(["r1"], [], False))
        cancel_run(session, queued.run_id)
        remove_job(session, job.id)
    run = session.get(JobRun, queued.run_id)
    assert run is not None and run.triggered_by == "alice" and run.cancel_requested_by == "alice"
    assert job.created_by == "alice"
    assert [a for a, _, _ in actions(trail)] == [
        "device.add", "job.create", "job.edit", "job.disable", "job.enable", "run.start", "run.cancel", "job.remove"
    ]  # fmt: skip
    (first,) = trail(AuditEntry.action == "device.add")
    assert first.actor_kind == "system"  # outside acting_as: NetRaven itself
    assert session.scalars(select(Job)).all() == []


def test_system_runs_keep_no_triggered_by(session: Session) -> None:
    add_device(session, "r1", "192.0.2.1", "cisco_ios")
    queued = queue_run(session, registry(), "backup", Targets.of(["r1"], [], False))
    assert session.get(JobRun, queued.run_id).triggered_by is None  # type: ignore[union-attr]


def test_sync_git_is_recorded(session: Session, tmp_path: Path, trail: Trail) -> None:
    store = ConfigStore(Settings(home=tmp_path))
    with audit.acting_as(ALICE):
        synced = store.sync_git(session)
    (entry,) = trail()
    assert (entry.action, entry.outcome, entry.actor_name) == ("config.sync-git", "succeeded", "alice")
    assert entry.changes == {"commits": len(synced.commits), "written": 0, "superseded": 0}


def test_a_failure_is_recorded_in_its_own_transaction(fresh_engine: Engine) -> None:
    sessions = sessionmaker(fresh_engine)
    with audit.acting_as(ALICE):
        with sessions() as session:
            with pytest.raises(InventoryError) as caught:
                add_device(session, "r1", "192.0.2.1", "cisco_ios")
                add_device(session, "r1", "192.0.2.1", "cisco_ios")
            session.rollback()
        audit.record_failure(fresh_engine, "device.add", "device", "r1", caught.value)
        audit.record_failure(sessions, "device.edit", "device", "r1", RuntimeError("db password=hunter2"))
    with sessions() as session:
        rows = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(r.action, r.outcome, r.actor_name, r.detail) for r in rows] == [
        ("device.add", "failed", "alice", "a device named 'r1' already exists"),
        ("device.edit", "failed", "alice", "RuntimeError"),  # not ours: its text may hold a secret
    ]


def test_entries_are_listed_newest_first_filtered_and_paged(session: Session) -> None:
    # Actions and object types of their own: the shared databases hold other tests' rows.
    for n, (who, action) in enumerate(
        [("ann", "widget.add"), ("bob", "widget.remove"), ("ann", "gadget.make")]
    ):
        with audit.acting_as(Principal("cli", f"{who}-listing", Role.ADMIN)):
            audit.record(session, action, action.split(".")[0], f"o{n}")
    session.flush()

    def ids(**filters: object) -> list[str | None]:
        return [e.object_id for e in audit.list_entries(session, **filters).items]  # type: ignore[arg-type]

    assert ids(actor="ann-listing") == ["o2", "o0"]
    assert ids(action="widget.*") == ids(action="widget.") == ["o1", "o0"]
    assert ids(action="widget") == [] and ids(object_type="gadget") == ["o2"]
    assert ids(action="widget.*", since=utcnow() + timedelta(minutes=1)) == []
    one = audit.list_entries(session, action="widget.*", limit=1, offset=1, sort="actor")
    assert (one.total, [e.actor_name for e in one.items]) == (2, ["bob-listing"])
    assert audit.entry_to_dict(one.items[0])["actor"] == "bob-listing"
    assert ids(action="widget.*", until=utcnow() - timedelta(minutes=1)) == []
    assert ids(action="widget.*", outcome="failed") == [] and ids(action="widget.*", outcome="succeeded")
    with pytest.raises(NetRavenError) as refused:
        audit.list_entries(session, outcome="maybe")
    assert refused.value.field == "outcome"
    for bad in ({"limit": 0}, {"offset": -1}, {"sort": "password"}):
        with pytest.raises(NetRavenError):
            audit.list_entries(session, **bad)  # type: ignore[arg-type]
