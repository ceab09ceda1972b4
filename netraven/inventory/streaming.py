"""Devices streamed with SQLAlchemy Core: no ORM import, no object built per row.

``netraven device list`` prints these as they are read; the ORM queries of :mod:`.devices` and
:mod:`.listing` narrow with the same filters (:func:`device_filters`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, exists, func, literal, or_, select

from netraven.db import core
from netraven.exceptions import InventoryError
from netraven.inventory.validation import show

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

PAGE = 1000  # devices read at once when streaming
VIEW_BEFORE_TAGS = ("id", "hostname", "host", "port", "platform", "transport", "enabled", "description")
VIEW_AFTER_TAGS = (
    "data", "last_seen", "last_backup_at", "last_backup_status", "reachability", "reachability_at",
    "latency_ms", "unreachable_since", "circuit", "circuit_failures", "circuit_retry_at", "backup_command",
    "os_version", "model", "serial", "uptime", "facts_at",
)  # fmt: skip
VIEW_COLUMNS = [core.devices.c[name] for name in (*VIEW_BEFORE_TAGS, *VIEW_AFTER_TAGS)]


def device_filters(
    tag_names: Iterable[str] = (),
    platform: str | None = None,
    enabled: bool | None = None,
    unreachable: bool | None = None,
    *,
    os_version: str | None = None,
    model: str | None = None,
) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``devices``: carrying every one of ``tag_names``, of ``platform``, enabled or
    not, found unreachable by their last reachability check or not (never checked: not unreachable),
    whose OS version and model (facts) start with ``os_version`` and ``model`` (any case)."""
    clauses: list[ColumnElement[bool]] = [
        exists().where(
            core.device_tags.c.device_id == core.devices.c.id,
            core.device_tags.c.tag_id == core.tags.c.id,
            core.tags.c.name == name,
        )
        for name in dict.fromkeys(tag_names)
    ]
    if platform is not None:
        clauses.append(core.devices.c.platform == platform.strip().lower())
    if enabled is not None:
        clauses.append(core.devices.c.enabled == enabled)
    if unreachable is not None:
        found = core.devices.c.reachability == "unreachable"
        clauses.append(found if unreachable else or_(core.devices.c.reachability.is_(None), ~found))
    for column, prefix in ((core.devices.c.os_version, os_version), (core.devices.c.model, model)):
        if prefix is not None and prefix.strip():
            clauses.append(_starts_with(column, prefix.strip()))
    return clauses


def _starts_with(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` starts with ``text`` in any case, ``%`` and ``_`` matching themselves (as
    :func:`netraven.db.paging.contains_text`, without importing the ORM)."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return func.lower(column).like(func.lower(literal(f"{escaped}%")), escape="/")


def stream_devices(
    source: Connection | Session,
    tags: Iterable[str] = (),
    platform: str | None = None,
    enabled: bool | None = None,
    limit: int | None = None,
    offset: int = 0,
    unreachable: bool | None = None,
    *,
    os_version: str | None = None,
    model: str | None = None,
) -> Iterator[dict[str, Any]]:
    """The :meth:`~netraven.db.models.Device.to_dict` views of the devices carrying every one of
    ``tags``, of ``platform``, enabled or not, unreachable at their last check or not, OS version and
    model starting with ``os_version`` and ``model``, by hostname, from the ``offset``-th, at most
    ``limit``.

    Read :data:`PAGE` at a time (a server-side cursor on PostgreSQL) with one query for each page's
    tags: the first of 10,000 devices does not wait for the last. ``source`` is a Core connection
    (no ORM needed) or a session.
    """
    for name, value in (("limit", limit), ("offset", offset)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise InventoryError(f"{name} {show(value)} must be a whole number, 0 or more")
    filters = device_filters(tags, platform, enabled, unreachable, os_version=os_version, model=model)
    query = select(*VIEW_COLUMNS).where(*filters)
    query = query.order_by(core.devices.c.hostname)
    connection = source if isinstance(source, Connection) else source.connection()
    result = connection.execute(query.offset(offset or None).limit(limit).execution_options(yield_per=PAGE))
    for page in result.partitions():
        tag_names: dict[int, list[str]] = {row.id: [] for row in page}
        links = select(core.device_tags.c.device_id, core.tags.c.name).join(
            core.tags, core.tags.c.id == core.device_tags.c.tag_id
        )
        links = links.where(core.device_tags.c.device_id.in_(tag_names)).order_by(core.tags.c.name)
        for device_id, name in connection.execute(links):
            tag_names[device_id].append(name)
        for row in page:
            view = row._asdict()
            yield {
                **{k: view[k] for k in VIEW_BEFORE_TAGS},
                "tags": tag_names[row.id],
                **{k: view[k] for k in VIEW_AFTER_TAGS},
            }
