"""Paged, filtered, sorted listings of devices and tags, with the count of all matching (the
API's list pages; the CLI streams instead, :func:`~netraven.inventory.streaming.stream_devices`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from netraven.db.models import Device, Tag, device_tags
from netraven.db.paging import DEFAULT_LIMIT, Paged, contains_text, paged
from netraven.exceptions import InventoryError
from netraven.inventory.devices import filter_devices

DEVICE_SORTS = {
    "hostname": Device.hostname,
    "host": Device.host,
    "platform": Device.platform,
    "enabled": Device.enabled,
    "created_at": Device.created_at,
    "last_backup_at": Device.last_backup_at,
    "last_backup_status": Device.last_backup_status,
    "last_seen": Device.last_seen,
    "reachability_at": Device.reachability_at,
    "latency_ms": Device.latency_ms,
    "circuit": Device.circuit,
    "os_version": Device.os_version,
    "model": Device.model,
    "facts_at": Device.facts_at,
}
BACKUP_STATUSES = ("success", "failed", "never")  # never: not backed up yet
TAG_SORTS = {"name": Tag.name, "type": Tag.type, "created_at": Tag.created_at}


def query_devices(
    session: Session,
    *,
    tags: Iterable[str] = (),
    platform: str | None = None,
    enabled: bool | None = None,
    name: str | None = None,
    text: str | None = None,
    backup_status: str | None = None,
    unreachable: bool | None = None,
    os_version: str | None = None,
    model: str | None = None,
    sort: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Paged[Device]:
    """A page of devices (tags loaded) carrying every one of ``tags``, of ``platform``, enabled or
    not, whose hostname contains ``name`` (any case), whose hostname, address or description
    contains ``text`` (any case), whose last backup ended ``backup_status``
    (``success``, ``failed``, ``never``), found unreachable by their last reachability check or not,
    whose OS version and model (facts) start with ``os_version`` and ``model`` (any case); sorted by
    ``sort`` (``hostname``, ``-last_backup_at``...)."""
    query = select(Device).options(selectinload(Device.tags))
    query = filter_devices(query, tags, platform, enabled, unreachable, os_version=os_version, model=model)
    if name:
        query = query.where(contains_text(Device.hostname, name.strip()))
    if text and text.strip():
        columns = (Device.hostname, Device.host, Device.description)
        query = query.where(or_(*(contains_text(c, text.strip()) for c in columns)))
    if backup_status is not None and backup_status not in BACKUP_STATUSES:
        raise InventoryError(
            f"backup status {backup_status!r}: expected one of {', '.join(BACKUP_STATUSES)}",
            field="backup_status",
        )
    if backup_status == "never":
        query = query.where(Device.last_backup_status.is_(None))
    elif backup_status is not None:
        query = query.where(Device.last_backup_status == backup_status)
    return paged(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=sort,
        columns=DEVICE_SORTS,
        default="hostname",
        tiebreak=(Device.id,),
        error=InventoryError,
    )


def query_tags(
    session: Session,
    *,
    name: str | None = None,
    type: str | None = None,
    sort: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Paged[tuple[Tag, int]]:
    """A page of ``(tag, number of its devices)``, names containing ``name``, of ``type``."""
    devices = func.count(device_tags.c.device_id).label("devices")
    query: Any = select(Tag, devices).outerjoin(device_tags, device_tags.c.tag_id == Tag.id).group_by(Tag.id)
    if name:
        query = query.where(contains_text(Tag.name, name.strip()))
    if type is not None:
        query = query.where(Tag.type == type.strip())
    page = paged(
        session,
        query,
        limit=limit,
        offset=offset,
        sort=sort,
        columns={**TAG_SORTS, "devices": devices},
        default="name",
        tiebreak=(Tag.id,),
        error=InventoryError,
        scalars=False,
    )
    return Paged([(row[0], row[1]) for row in page.items], page.total, page.limit, page.offset)
