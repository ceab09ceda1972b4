"""Marking a config version ``keep``: retention (``netraven prune``) never deletes it."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from netraven import audit
from netraven.configs.queries import resolve_device
from netraven.db.models import DeviceConfiguration
from netraven.exceptions import InventoryError, InventoryNotFound

DC = DeviceConfiguration
MAX_VERSION = 2**31 - 1


def set_keep(session: Session, device: str | int, version: int, keep: bool = True) -> bool:
    """Mark version ``version`` of ``device`` (hostname or id) kept, or no longer kept.

    Returns whether the mark changed; a change is written to the audit trail (``config.keep`` or
    ``config.unkeep``). An unknown device or version raises :class:`InventoryNotFound`.
    """
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= MAX_VERSION:
        raise InventoryError(
            f"version {version!r} must be an integer from 1 to {MAX_VERSION}", field="version"
        )
    found = resolve_device(session, device)
    mine = (DC.device_id == found.id) & (DC.version == version)
    current = session.scalar(select(DC.keep).where(mine))
    if current is None:
        raise InventoryNotFound(f"device {found.hostname!r} has no version {version}")
    if current == keep:
        return False
    session.execute(
        update(DC).where(mine).values(keep=keep), execution_options={"synchronize_session": False}
    )
    action = "config.keep" if keep else "config.unkeep"
    audit.record(session, action, "device", found.hostname, {"version": version, "keep": [current, keep]})
    return True
