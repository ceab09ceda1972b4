"""Changing a stored credential, and the paged listing of credentials (never their secrets)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netraven import audit
from netraven.credentials.store import check_priority, credential_view, get_credential
from netraven.credentials.vault import Vault
from netraven.db.models import Credential, Device, Tag
from netraven.db.paging import DEFAULT_LIMIT, Paged, contains_text, paged
from netraven.exceptions import CredentialError, in_field
from netraven.inventory.tags import resolve_tags
from netraven.inventory.validation import check_name, check_tag_names, check_text, show

SORTS = {
    "name": Credential.name,
    "username": Credential.username,
    "priority": Credential.priority,
    "last_used": Credential.last_used,
    "created_at": Credential.created_at,
}


def edit_credential(
    session: Session,
    vault: Vault,
    name_or_id: str | int,
    *,
    username: str | None = None,
    password: str | None = None,
    enable_secret: str | None = None,
    priority: int | None = None,
    description: str | None = None,
    add_tags: Iterable[str] = (),
    remove_tags: Iterable[str] = (),
    add_devices: Iterable[str] = (),
    remove_devices: Iterable[str] = (),
) -> Credential:
    """Change the given fields (None: unchanged); an empty ``enable_secret`` or ``description``
    clears it. Secrets are encrypted with ``vault``; the audit row says they changed, never to what."""
    credential = get_credential(session, name_or_id)
    name = credential.name
    if username is not None:
        with in_field("username"):
            username = check_name(username, f"credential {show(name)}: username", CredentialError)
    if password is not None and not password:
        raise CredentialError(f"credential {name!r}: the password is empty", field="password")
    if priority is not None:
        check_priority(name, priority)
    if description is not None:
        with in_field("description"):
            description = (
                check_text(description, f"credential {show(name)}: description", CredentialError) or None
            )
    with in_field("tags"):
        adding, removing = check_tag_names(add_tags), check_tag_names(remove_tags)
    tag_names = {tag.name for tag in credential.tags}
    missing_tag = next((tag for tag in removing if tag not in tag_names), None)
    if missing_tag is not None:
        raise CredentialError(f"credential {name!r} has no tag {show(missing_tag)}", field="tags")
    new_devices = _devices(session, name, add_devices)
    bound = {device.hostname for device in credential.devices}
    missing_device = next((host for host in sorted(set(remove_devices)) if host not in bound), None)
    if missing_device is not None:
        raise CredentialError(
            f"credential {name!r} is not bound to device {show(missing_device)}", field="devices"
        )
    before = _snapshot(credential)
    changes: dict[str, Any] = {}
    if username is not None:
        credential.username = username
    if priority is not None:
        credential.priority = priority
    if description is not None:
        credential.description = description
    if password is not None:
        credential.password_encrypted = vault.encrypt(password)
        changes["password"] = ["***", "changed"]
    if enable_secret is not None:
        credential.enable_secret_encrypted = vault.encrypt(enable_secret) if enable_secret else None
        changes["enable_secret"] = ["***", "changed" if enable_secret else None]
    if adding or removing:
        kept = [tag for tag in credential.tags if tag.name not in removing]
        fresh = resolve_tags(session, [tag for tag in adding if tag not in tag_names])
        credential.tags = kept + list(fresh.values())
    if new_devices or remove_devices:
        removed = set(remove_devices)
        kept_devices = [d for d in credential.devices if d.hostname not in removed]
        credential.devices = kept_devices + [d for d in new_devices if d.hostname not in bound]
    session.flush()
    changes.update(audit.changed(before, _snapshot(credential)))
    audit.record(session, "credential.edit", "credential", name, changes)
    return credential


def query_credentials(
    session: Session,
    *,
    name: str | None = None,
    tag: str | None = None,
    device: str | None = None,
    sort: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Paged[Credential]:
    """A page of credentials (tags and devices loaded): names containing ``name``, bound to
    ``tag`` or directly to ``device``; sorted by ``sort`` (default ``priority``, then name)."""
    query = select(Credential).options(selectinload(Credential.tags), selectinload(Credential.devices))
    if name:
        query = query.where(contains_text(Credential.name, name.strip()))
    if tag is not None:
        query = query.where(Credential.tags.any(Tag.name == tag))
    if device is not None:
        query = query.where(Credential.devices.any(Device.hostname == device))
    return paged(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=sort,
        columns=SORTS,
        default="priority",
        tiebreak=(Credential.name,),
        error=CredentialError,
    )


def _devices(session: Session, name: str, hostnames: Iterable[str]) -> list[Device]:
    wanted = sorted(set(hostnames))
    if not wanted:
        return []
    found = list(session.scalars(select(Device).where(Device.hostname.in_(wanted))))
    missing = sorted(set(wanted) - {device.hostname for device in found})
    if missing:
        raise CredentialError(f"credential {name!r}: no device named {missing[0]!r}", field="devices")
    return found


def _snapshot(credential: Credential) -> dict[str, Any]:
    view = credential_view(credential)
    return {key: view[key] for key in ("username", "priority", "description", "tags", "devices")}
