"""Importing router.db files into the database (SQLite and PostgreSQL): every mapped model, the
logins as encrypted credentials, all or nothing, and no secret in any message or audit row."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netraven.credentials import load_vault
from netraven.db.models import AuditEntry, Credential, Device
from netraven.inventory import ImportValidationError, add_device, get_device
from netraven.settings import Settings, load_settings
from netraven.toolimport import OXIDIZED, RANCID, import_router_db

SECRET = "Ox-Secret-4!"


@pytest.fixture
def settings() -> Settings:
    return load_settings()


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_every_oxidized_model_imports(session: Session, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "router.db"
    path.write_text("".join(f"{m}-1:10.1.{i // 250}.{i % 250 + 1}:{m}\n" for i, m in enumerate(OXIDIZED)))
    report = import_router_db(session, settings, path, "oxidized", default_tags=["oxidized"])
    assert (report.devices.created, report.credentials_created) == (len(OXIDIZED), 0)
    platforms = {
        name: platform for name, platform in session.execute(select(Device.hostname, Device.platform))
    }
    assert platforms == {f"{model}-1": platform for model, platform in OXIDIZED.items()}


def test_every_rancid_type_imports(session: Session, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "router.db"
    path.write_text("".join(f"{t}-1.example.net;{t};up\n" for t in RANCID) + "spare.example.net;cisco;down\n")
    assert import_router_db(session, settings, path, "rancid").devices.created == len(RANCID) + 1
    rows = session.execute(select(Device.hostname, Device.platform, Device.enabled))
    found = {name: (platform, enabled) for name, platform, enabled in rows}
    assert found == {**{f"{t}-1.example.net": (p, True) for t, p in RANCID.items()},
                     "spare.example.net": ("cisco_ios", False)}  # fmt: skip


def test_logins_become_encrypted_credentials_reused_on_update(
    session: Session, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "router.db"
    path.write_text(
        f"core-1:10.0.0.1:ios:backup:{SECRET}:En-{SECRET}\n"
        f"core-2:10.0.0.2:ios:backup:{SECRET}:En-{SECRET}\n"
        f"core-3:10.0.0.3:ios:backup:Other-{SECRET}\n"
        "edge-1::junos\n"
    )
    report = import_router_db(session, settings, path, "oxidized")
    assert report.to_dict() == {"total": 4, "created": 4, "updated": 0, "tags_created": 0,
                                "credentials_created": 2, "credentials_reused": 0, "logins_ignored": 0}  # fmt: skip
    vault = load_vault(settings)
    creds = {c.name: c for c in session.scalars(select(Credential))}
    assert sorted(creds) == ["oxidized-backup", "oxidized-backup-2"]
    first, second = creds["oxidized-backup"], creds["oxidized-backup-2"]
    assert sorted(d.hostname for d in first.devices) == ["core-1", "core-2"]
    assert [d.hostname for d in second.devices] == ["core-3"]
    assert SECRET.encode() not in first.password_encrypted
    assert (vault.decrypt(first.password_encrypted), vault.decrypt(first.enable_secret_encrypted or b"")) == (
        SECRET, f"En-{SECRET}",
    )  # fmt: skip
    assert second.enable_secret_encrypted is None

    with path.open("a") as handle:
        handle.write(f"core-4:10.0.0.4:ios:backup:{SECRET}:En-{SECRET}\n")
    again = import_router_db(session, settings, path, "oxidized", update=True)
    assert (again.devices.created, again.devices.updated, again.credentials_created, again.credentials_reused) == (
        1, 4, 0, 2,
    )  # fmt: skip
    session.refresh(first)
    assert sorted(d.hostname for d in first.devices) == ["core-1", "core-2", "core-4"]
    audit = " ".join(
        f"{row.object_id} {json.dumps(row.changes)}" for row in session.scalars(select(AuditEntry))
    )
    assert "oxidized-backup" in audit and SECRET not in audit


def test_no_credentials_leaves_the_logins_out(session: Session, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "router.db"
    path.write_text(f"core-1:10.0.0.1:ios:backup:{SECRET}\n")
    report = import_router_db(session, settings, path, "oxidized", credentials=False)
    assert (report.devices.created, report.credentials_created, report.logins_ignored) == (1, 0, 1)
    assert count(session, Credential) == 0
    assert not settings.key_file.exists()  # no credential, no key made for one


def test_a_bad_line_writes_nothing(session: Session, settings: Settings, tmp_path: Path) -> None:
    add_device(session, "taken", "10.9.9.9", "cisco_ios")
    path = tmp_path / "router.db"
    path.write_text(
        f"good-1:10.0.0.1:ios:backup:{SECRET}\n"
        "# comment\n"
        f"bad-1:10.0.0.2:nosuchos:backup:{SECRET}\n"
        f"bad-2:999.1.1.1:ios:backup:{SECRET}\n"
        "taken:10.0.0.4:eos\n"
        "good-1:10.0.0.5:eos\n"
    )
    before = (count(session, Device), count(session, Credential))
    with pytest.raises(ImportValidationError) as caught:
        import_router_db(session, settings, path, "oxidized")
    assert str(caught.value) == "4 of 5 lines are invalid; nothing was imported"
    assert caught.value.errors == (
        "line 3: unknown oxidized model 'nosuchos' (map it with --map nosuchos=DEVICE_TYPE)",
        "line 4: bad address '999.1.1.1': not a valid IPv4 address",
        "line 5: a device named 'taken' already exists",
        "line 6: duplicate hostname 'good-1' (also line 1)",
    )
    assert SECRET not in " ".join(caught.value.errors)
    assert (count(session, Device), count(session, Credential)) == before
    assert get_device(session, "taken").platform == "cisco_ios"
