"""Credential storage, candidate ordering, outcome tracking and key rotation, on both databases."""

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.orm import Session

from netraven.credentials.store import (
    add_credential,
    candidates_for_devices,
    record_attempt,
    remove_credential,
    retire_old_keys,
    rotate_keys,
)
from netraven.credentials.vault import Vault, load_vault, read_key_file
from netraven.db.models import Credential, Device, Tag
from netraven.exceptions import CredentialError
from netraven.settings import load_settings


@pytest.fixture
def vault() -> Vault:
    return Vault([Fernet.generate_key()])


def devices(session: Session) -> tuple[Device, Device]:
    core, edge = Tag(name="core"), Tag(name="edge")
    r1 = Device(hostname="r1", host="127.0.1.1", platform="cisco_ios", tags=[core])
    r2 = Device(hostname="r2", host="127.0.1.2", platform="cisco_ios", tags=[edge])
    session.add_all([r1, r2])
    session.flush()
    return r1, r2


def test_add_encrypts_and_binds(session: Session, vault: Vault) -> None:
    devices(session)
    cred = add_credential(session, vault, "ops", "netops", "Pw-Add-1", "En-Add-1", 5, tags=["core", "new"])
    assert vault.decrypt(cred.password_encrypted) == "Pw-Add-1"
    assert vault.decrypt(cred.enable_secret_encrypted or b"") == "En-Add-1"
    assert sorted(t.name for t in cred.tags) == ["core", "new"]
    assert b"Pw-Add-1" not in cred.password_encrypted
    assert session.scalar(select(Tag).where(Tag.name == "new")) is not None


@pytest.mark.parametrize(
    ("kwargs", "message", "field"),
    [
        ({"name": "ops"}, "a credential named 'ops' already exists", "name"),
        ({"name": "x", "password": ""}, "credential 'x': the password is empty", "password"),
        ({"name": "x", "priority": -1}, "priority must be 0 or more", "priority"),
        ({"name": "x", "priority": 2**63}, "priority must be 0 or more, up to 2147483647; got", "priority"),
        ({"name": "x", "devices": ["nope"]}, "no device named 'nope'", "devices"),
        ({"name": " ", "username": "u"}, "credential name is empty", "name"),
        ({"name": "x", "username": ""}, "username is empty", "username"),
    ],
)
def test_bad_input_writes_nothing(
    session: Session, vault: Vault, kwargs: dict, message: str, field: str
) -> None:
    devices(session)
    add_credential(session, vault, "ops", "netops", "Pw-1")
    args = {"name": "x", "username": "u", "password": "Pw-2", **kwargs}
    with pytest.raises(CredentialError, match=message) as caught:
        add_credential(session, vault, **args)
    assert caught.value.field == field
    assert [c.name for c in session.scalars(select(Credential))] == ["ops"]


def test_candidates_order_last_good_then_priority_then_success_rate(session: Session, vault: Vault) -> None:
    r1, r2 = devices(session)
    low = add_credential(session, vault, "low", "u1", "p1", priority=50, tags=["core"])
    high = add_credential(session, vault, "high", "u2", "p2", priority=10, tags=["core"])
    good = add_credential(session, vault, "good", "u3", "p3", priority=50, devices=["r1"])
    good.success_count, low.failure_count = 9, 3  # same priority: the better rate first
    session.flush()
    order = candidates_for_devices(session, [r1.id, r2.id])
    assert [c.name for c in order[r1.id]] == ["high", "good", "low"]
    assert order[r2.id] == []  # no credential shares a tag with r2
    r1.last_credential_id = low.id
    session.flush()
    assert [c.name for c in candidates_for_devices(session, [r1.id])[r1.id]] == ["low", "high", "good"]
    assert "p1" not in repr(order[r1.id])
    assert high.id in {c.id for c in order[r1.id]}


def test_record_attempt_counts_and_sets_last_good(session: Session, vault: Vault) -> None:
    r1, _ = devices(session)
    cred = add_credential(session, vault, "ops", "u", "p", tags=["core"])
    record_attempt(session, cred.id, r1.id, success=False)
    record_attempt(session, cred.id, r1.id, success=True)
    session.expire_all()
    assert (cred.success_count, cred.failure_count, cred.success_rate) == (1, 1, 0.5)
    assert cred.last_used is not None
    device = session.get(Device, r1.id)
    assert device is not None and device.last_credential_id == cred.id and device.last_seen is not None


def test_remove(session: Session, vault: Vault) -> None:
    add_credential(session, vault, "ops", "u", "p")
    remove_credential(session, "ops")
    assert session.scalars(select(Credential)).all() == []
    with pytest.raises(CredentialError, match="no credential named 'ops'"):
        remove_credential(session, "ops")


def test_rotate_keys_with_key_file(session: Session, tmp_path: Path) -> None:
    settings = load_settings(environ={"NETRAVEN_HOME": str(tmp_path)})
    old_vault = load_vault(settings, create=True)
    old_key = read_key_file(settings.key_file)[0]
    cred = add_credential(session, old_vault, "ops", "u", "Pw-Rot-1", "En-Rot-1")
    old_token = cred.password_encrypted
    assert rotate_keys(session, settings) == 1
    keys = read_key_file(settings.key_file)
    assert len(keys) == 2 and keys[1] == old_key
    assert cred.password_encrypted != old_token
    new_only = Vault(keys[:1])
    assert new_only.decrypt(cred.password_encrypted) == "Pw-Rot-1"
    assert new_only.decrypt(cred.enable_secret_encrypted or b"") == "En-Rot-1"
    assert retire_old_keys(settings) == 1
    assert read_key_file(settings.key_file) == keys[:1]


def test_rotate_with_wrong_key_changes_nothing(session: Session, tmp_path: Path) -> None:
    settings = load_settings(environ={"NETRAVEN_HOME": str(tmp_path)})
    load_vault(settings, create=True)
    key_file_before = settings.key_file.read_bytes()
    cred = add_credential(session, Vault([Fernet.generate_key()]), "ops", "u", "Pw-Wrong")
    token = cred.password_encrypted
    with pytest.raises(CredentialError, match="wrong or missing key"):
        rotate_keys(session, settings)
    assert cred.password_encrypted == token
    assert settings.key_file.read_bytes() == key_file_before
