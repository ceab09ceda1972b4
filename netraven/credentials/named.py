"""Named secrets: values a setting refers to by name (a webhook token, an SMTP password), encrypted
with the credentials' keys, so no secret is ever written in ``netraven.yaml``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from netraven import audit
from netraven.credentials.store import vault_for_new_credentials
from netraven.credentials.vault import Vault
from netraven.db.base import utcnow
from netraven.db.models import NamedSecret
from netraven.exceptions import CredentialError, CredentialNotFound
from netraven.inventory.validation import check_name
from netraven.settings import Settings


def set_secret(session: Session, settings: Settings, name: str, value: str) -> bool:
    """Store ``value`` under ``name`` (replacing an older value); True if it is new."""
    name = check_name(name, "secret name", CredentialError)
    if not value:
        raise CredentialError(f"secret {name!r}: the value is empty")
    vault = vault_for_new_credentials(session, settings)
    row = session.scalar(select(NamedSecret).where(NamedSecret.name == name))
    created = row is None
    if row is None:
        row = NamedSecret(name=name, value_encrypted=vault.encrypt(value))
        session.add(row)
    else:
        row.value_encrypted, row.updated_at = vault.encrypt(value), utcnow()
    session.flush()
    audit.record(session, "secret.set", "secret", name, {"value": "changed"})
    return created


def secret_names(session: Session) -> list[str]:
    """Every stored secret's name, sorted; never a value."""
    return list(session.scalars(select(NamedSecret.name).order_by(NamedSecret.name)))


def remove_secret(session: Session, name: str) -> None:
    row = session.scalar(select(NamedSecret).where(NamedSecret.name == name))
    if row is None:
        raise CredentialNotFound(f"no secret named {name!r}")
    session.delete(row)
    audit.record(session, "secret.remove", "secret", name)


def read_secrets(session: Session, vault: Vault, names: Iterable[str]) -> dict[str, str]:
    """The decrypted values of ``names``; a one-line error names a secret that is not stored."""
    wanted = sorted(set(names))
    if not wanted:
        return {}
    rows = {row.name: row for row in session.scalars(select(NamedSecret).where(NamedSecret.name.in_(wanted)))}
    missing = [name for name in wanted if name not in rows]
    if missing:
        raise CredentialNotFound(
            f"no secret named {missing[0]!r}: store it with 'netraven notify secret set {missing[0]}'"
        )
    return {name: vault.decrypt(row.value_encrypted) for name, row in rows.items()}


def rotate_secrets(session: Session, vault: Vault, check_only: bool = False) -> int:
    """Re-encrypt every named secret under ``vault``'s first key (with ``check_only``, only decrypt)."""
    rows = list(session.scalars(select(NamedSecret)))
    for row in rows:
        if check_only:
            vault.decrypt(row.value_encrypted)
        else:
            row.value_encrypted = vault.rotate(row.value_encrypted)
    return len(rows)
