"""Credentials in the database: add, list, remove, order the candidates of devices, rotate keys."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, selectinload

from netraven import audit
from netraven.credentials.vault import Vault, generate_key, load_vault, read_key_file, write_key_file
from netraven.db.base import MAX_INTEGER, utcnow
from netraven.db.models import Credential, Device, credential_devices, credential_tags, device_tags
from netraven.exceptions import CredentialConflict, CredentialError, CredentialNotFound, in_field
from netraven.inventory.tags import resolve_tags
from netraven.inventory.validation import check_name, check_tag_names, check_text, show
from netraven.settings import Settings


@dataclass(frozen=True)
class CandidateCredential:
    """A credential to try on a device: its id, username and encrypted secrets (never plaintext)."""

    id: int
    name: str
    username: str
    password_token: bytes
    secret_token: bytes | None

    def __repr__(self) -> str:
        return f"CandidateCredential(id={self.id!r}, name={self.name!r}, username={self.username!r})"


def vault_for_new_credentials(session: Session, settings: Settings) -> Vault:
    """The vault to encrypt new credentials with; the key file is created only while no credential
    is stored (a new key then would leave the stored ones unreadable: CredentialError instead)."""
    if settings.credentials.keys or settings.key_file.exists():
        return load_vault(settings)
    stored = session.scalar(select(func.count()).select_from(Credential))
    if stored:
        raise CredentialError(
            f"key file {settings.key_file} is missing but {stored} stored credential(s) are encrypted with "
            "it: restore it from your backup (or set credentials.keys), see docs/keys.md"
        )
    return load_vault(settings, create=True)


def add_credential(
    session: Session,
    vault: Vault,
    name: str,
    username: str,
    password: str,
    enable_secret: str | None = None,
    priority: int = 100,
    tags: Iterable[str] = (),
    devices: Iterable[str] = (),
    description: str | None = None,
) -> Credential:
    """Store a credential, encrypted, bound to ``tags`` (created if missing) and ``devices``."""
    with in_field("name"):
        name = check_name(name, "credential name", CredentialError)
    with in_field("username"):
        username = check_name(username, f"credential {show(name)}: username", CredentialError)
    with in_field("description"):
        description = (
            check_text(description, f"credential {show(name)}: description", CredentialError) or None
        )
    if not password:
        raise CredentialError(f"credential {name!r}: the password is empty", field="password")
    check_priority(name, priority)
    if session.scalar(select(Credential.id).where(Credential.name == name)) is not None:
        raise CredentialConflict(f"a credential named {name!r} already exists", field="name")
    hostnames = sorted(set(devices))
    bound = list(session.scalars(select(Device).where(Device.hostname.in_(hostnames)))) if hostnames else []
    missing = sorted(set(hostnames) - {d.hostname for d in bound})
    if missing:
        raise CredentialError(f"credential {name!r}: no device named {missing[0]!r}", field="devices")
    with in_field("tags"):
        tag_names = check_tag_names(tags)
    credential = Credential(
        name=name,
        username=username,
        password_encrypted=vault.encrypt(password),
        enable_secret_encrypted=vault.encrypt(enable_secret) if enable_secret else None,
        priority=priority,
        description=description,
        tags=list(resolve_tags(session, tag_names).values()),
        devices=bound,
    )
    session.add(credential)
    session.flush()
    audit.record(session, "credential.add", "credential", name, {
        "username": username, "password": "set", "enable_secret": "set" if enable_secret else None,
        "priority": priority, "description": description, "tags": credential_view(credential)["tags"],
        "devices": hostnames,
    })  # fmt: skip
    return credential


def check_priority(name: str, priority: object) -> int:
    """``priority`` if it is an integer from 0 to the column's maximum; CredentialError otherwise."""
    if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= MAX_INTEGER:
        raise CredentialError(
            f"credential {name!r}: priority must be 0 or more, up to {MAX_INTEGER}; got {show(priority)}",
            field="priority",
        )
    return priority


def credential_view(credential: Credential) -> dict[str, Any]:
    """A credential as shown to people and the API: never a password or secret, encrypted or not."""
    return {
        "id": credential.id,
        "name": credential.name,
        "username": credential.username,
        "priority": credential.priority,
        "description": credential.description,
        "tags": sorted(tag.name for tag in credential.tags),
        "devices": sorted(device.hostname for device in credential.devices),
        "has_enable_secret": credential.enable_secret_encrypted is not None,
        "last_used": credential.last_used,
        "success_count": credential.success_count,
        "failure_count": credential.failure_count,
        "success_rate": credential.success_rate,
        "created_at": credential.created_at,
    }


def list_credentials(session: Session) -> list[Credential]:
    query = select(Credential).options(selectinload(Credential.tags), selectinload(Credential.devices))
    return list(session.scalars(query.order_by(Credential.priority, Credential.name)))


def stored_secrets(session: Session, vault: Vault) -> list[str]:
    """Every stored password and enable secret the vault can decrypt: for a redactor only.

    One the key cannot decrypt is left out: no run can use it either.
    """
    rows = session.execute(select(Credential.password_encrypted, Credential.enable_secret_encrypted))
    secrets = []
    for token in (token for row in rows for token in row if token is not None):
        with contextlib.suppress(CredentialError):
            secrets.append(vault.decrypt(token))
    return secrets


def get_credential(session: Session, name_or_id: str | int) -> Credential:
    """The credential of this name (or id, given an int), its tags and devices loaded."""
    query = select(Credential).options(selectinload(Credential.tags), selectinload(Credential.devices))
    if isinstance(name_or_id, int):
        credential = session.scalar(query.where(Credential.id == name_or_id))
    else:
        credential = session.scalar(query.where(Credential.name == name_or_id))
    if credential is None:
        what = "id" if isinstance(name_or_id, int) else "named"
        raise CredentialNotFound(f"no credential {what} {show(name_or_id)}")
    return credential


def remove_credential(session: Session, name: str | int) -> None:
    """Delete a credential (by name, or id given an int) and its bindings."""
    credential = get_credential(session, name)
    session.delete(credential)
    session.flush()
    audit.record(session, "credential.remove", "credential", credential.name)


def candidates_for_devices(
    session: Session, device_ids: Sequence[int] | Select[Any]
) -> dict[int, list[CandidateCredential]]:
    """Each device's credentials in the order to try them, in four queries whatever the fleet size.

    ``device_ids`` is a list of ids or a SELECT of them. A device's candidates are the credentials
    bound to it or sharing one of its tags, ordered: the one that last worked on it first, then by
    priority (lowest first), then success rate (highest first), then id.
    """
    wanted = device_ids.order_by(None) if isinstance(device_ids, Select) else list(device_ids)
    if isinstance(wanted, list) and not wanted:
        return {}
    last_good: dict[int, int | None] = {
        device_id: good
        for device_id, good in session.execute(
            select(Device.id, Device.last_credential_id).where(Device.id.in_(wanted))
        )
    }
    links: dict[int, set[int]] = defaultdict(set)
    direct = select(credential_devices.c.device_id, credential_devices.c.credential_id).where(
        credential_devices.c.device_id.in_(wanted)
    )
    by_tag = (
        select(device_tags.c.device_id, credential_tags.c.credential_id)
        .join(credential_tags, credential_tags.c.tag_id == device_tags.c.tag_id)
        .where(device_tags.c.device_id.in_(wanted))
    )
    for query in (direct, by_tag):
        for device_id, credential_id in session.execute(query):
            links[device_id].add(credential_id)
    credentials = {c.id: c for c in session.scalars(select(Credential))}
    result: dict[int, list[CandidateCredential]] = {}
    for device_id, good in last_good.items():
        ranked = sorted(
            (credentials[cid] for cid in links.get(device_id, ())),
            key=lambda c, good=good: (c.id != good, c.priority, -c.success_rate, c.id),  # type: ignore[misc]
        )
        result[device_id] = [
            CandidateCredential(c.id, c.name, c.username, c.password_encrypted, c.enable_secret_encrypted)
            for c in ranked
        ]
    return result


def unreadable_credentials(
    session: Session, vault: Vault | None, device_ids: Sequence[int] | Select[Any]
) -> list[str]:
    """The names of the candidate credentials of ``device_ids`` that ``vault`` cannot decrypt
    (all of them without a vault)."""
    candidates = {c.id: c for found in candidates_for_devices(session, device_ids).values() for c in found}
    return sorted(c.name for c in candidates.values() if vault is None or not _readable(vault, c))


def unreadable_note(
    session: Session, settings: Settings, device_ids: Sequence[int] | Select[Any]
) -> str | None:
    """A line for a run's message naming the candidate credentials of ``device_ids`` that the key of
    ``settings`` cannot decrypt (with why, when there is no key at all); None when all are readable.
    Names only, never a secret."""
    try:
        vault, no_key = load_vault(settings), None
    except CredentialError as exc:  # every credential is unreadable then
        vault, no_key = None, str(exc)
    unreadable = unreadable_credentials(session, vault, device_ids)
    if not unreadable:
        return None
    skipped = f"credentials that could not be decrypted: {', '.join(unreadable)} (wrong or missing key)"
    return "; ".join(filter(None, (no_key, skipped)))


def _readable(vault: Vault, candidate: CandidateCredential) -> bool:
    try:
        for token in (candidate.password_token, candidate.secret_token):
            if token is not None:
                vault.decrypt(token)
    except CredentialError:
        return False
    return True


def record_attempt(session: Session, credential_id: int, device_id: int | None, success: bool) -> None:
    """Count one login attempt; on success make it the device's last-good credential."""
    record_logins(session, [(credential_id, device_id, success)])


def record_logins(session: Session, outcomes: Iterable[tuple[int, int | None, bool]]) -> None:
    """Count many login outcomes ``(credential id, device id, success)`` in a few statements.

    Each credential's counters and ``last_used`` move in one UPDATE per credential; each device
    with a successful login gets that credential as its last-good one.
    """
    now = utcnow()
    tallies: dict[int, list[int]] = {}
    last_good: dict[int, int] = {}
    for credential_id, device_id, success in outcomes:
        tallies.setdefault(credential_id, [0, 0])[0 if success else 1] += 1
        if success and device_id is not None:
            last_good[device_id] = credential_id
    for credential_id, (good, bad) in sorted(tallies.items()):
        session.execute(
            update(Credential)
            .where(Credential.id == credential_id)
            .values(
                success_count=Credential.success_count + good,
                failure_count=Credential.failure_count + bad,
                last_used=now,
            )
        )
    if last_good:
        session.execute(
            update(Device),
            [{"id": d, "last_credential_id": c, "last_seen": now} for d, c in sorted(last_good.items())],
        )


def rotate_keys(session: Session, settings: Settings) -> int:
    """Re-encrypt every credential (and named secret) under a new key, in the caller's transaction;
    return the count of credentials.

    With a key file, a new key is generated and written first in the file (the old keys stay, so
    nothing becomes unreadable if the transaction fails; :func:`retire_old_keys` drops them after
    commit). With ``credentials.keys`` in settings, the first key listed is the new one.
    Every stored secret is decrypted before anything changes: a wrong key changes nothing.
    """
    from netraven.credentials.named import rotate_secrets

    vault = load_vault(settings)
    credentials = list(session.scalars(select(Credential)))
    for credential in credentials:
        for token in (credential.password_encrypted, credential.enable_secret_encrypted):
            if token is not None:
                vault.decrypt(token)
    rotate_secrets(session, vault, check_only=True)
    if not settings.credentials.keys:
        keys = [generate_key(), *read_key_file(settings.key_file)]
        write_key_file(settings.key_file, keys)
        vault = Vault(keys, source=f"key file {settings.key_file}")
    for credential in credentials:
        credential.password_encrypted = vault.rotate(credential.password_encrypted)
        if credential.enable_secret_encrypted is not None:
            credential.enable_secret_encrypted = vault.rotate(credential.enable_secret_encrypted)
    rotate_secrets(session, vault)
    session.flush()
    source = "credentials.keys" if settings.credentials.keys else "key file"
    audit.record(
        session, "keys.rotate", "credential", None, {"credentials": len(credentials), "from": source}
    )
    return len(credentials)


def retire_old_keys(settings: Settings) -> int:
    """Keep only the newest key in the key file (after a committed rotation); return keys dropped."""
    if settings.credentials.keys:
        return 0
    keys = read_key_file(settings.key_file)
    write_key_file(settings.key_file, keys[:1])
    return len(keys) - 1
