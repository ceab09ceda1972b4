"""Devices: add, get, list, edit and remove, each validated before the session is touched."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from netraven import audit
from netraven.db.models import Device
from netraven.exceptions import ConfigError, InventoryConflict, InventoryError, InventoryNotFound
from netraven.inventory.streaming import device_filters
from netraven.inventory.tags import resolve_tags
from netraven.inventory.validation import (
    check_address,
    check_backup_command,
    check_description,
    check_enabled,
    check_hostname,
    check_platform,
    check_port,
    check_tag_names,
    check_telnet_capable,
    check_transport,
    checked,
    show,
)
from netraven.platforms import check_netmiko_options


def add_device(
    session: Session,
    hostname: str,
    host: str,
    platform: str,
    port: int | None = None,
    tags: Iterable[str] = (),
    description: str | None = None,
    enabled: bool = True,
    data: dict[str, Any] | None = None,
    backup_command: str | None = None,
    transport: str | None = None,
) -> Device:
    """Create a device; tags named but missing are created. InventoryError on any bad field.

    ``backup_command``: its own command printing its configuration, over its tags' and platform's.
    ``port`` defaults to 22, or 23 with ``transport`` telnet."""
    hostname = checked("hostname", check_hostname, hostname)
    transport = checked("transport", check_transport, transport)
    platform = checked("platform", check_platform, platform)
    check_telnet_capable(platform, transport)
    fields = {
        "host": checked("host", check_address, host),
        "platform": platform,
        "transport": transport,
        "port": checked(
            "port", check_port, port if port is not None else 23 if transport == "telnet" else 22
        ),
        "enabled": checked("enabled", check_enabled, enabled),
        "description": checked("description", check_description, description),
        "data": checked("data", _data, data),
        "backup_command": checked("backup_command", check_backup_command, backup_command),
    }
    tag_names = checked("tags", check_tag_names, tags)
    taken = f"a device named {show(hostname)} already exists"
    if session.scalar(select(Device.id).where(Device.hostname == hostname)) is not None:
        raise InventoryConflict(taken, field="hostname")
    try:
        with session.begin_nested():  # a concurrent insert rolls back only this savepoint
            device = Device(hostname=hostname, tags=list(resolve_tags(session, tag_names).values()), **fields)
            session.add(device)
    except IntegrityError as exc:
        raise InventoryConflict(taken, field="hostname") from exc
    audit.record(session, "device.add", "device", hostname, {**_audited(fields), "tags": sorted(tag_names)})
    return device


def get_device(session: Session, hostname_or_id: str | int) -> Device:
    """The device with this hostname (or id, given an int), its tags loaded."""
    query = select(Device).options(selectinload(Device.tags))
    if isinstance(hostname_or_id, int):
        device = session.scalar(query.where(Device.id == hostname_or_id))
    else:
        device = session.scalar(query.where(Device.hostname == hostname_or_id.strip()))
    if device is None:
        what = "id" if isinstance(hostname_or_id, int) else "named"
        raise InventoryNotFound(f"no device {what} {show(hostname_or_id)}")
    return device


def list_devices(
    session: Session,
    tags: Iterable[str] = (),
    platform: str | None = None,
    enabled: bool | None = None,
    unreachable: bool | None = None,
    *,
    os_version: str | None = None,
    model: str | None = None,
) -> list[Device]:
    """Devices carrying every one of ``tags``, of ``platform``, enabled or not, unreachable at their
    last check or not, OS version and model starting with ``os_version`` and ``model``; by hostname,
    tags loaded."""
    query = select(Device).options(selectinload(Device.tags))
    query = filter_devices(query, tags, platform, enabled, unreachable, os_version=os_version, model=model)
    return list(session.scalars(query.order_by(Device.hostname)))


def filter_devices(
    query: Select[Any],
    tags: Iterable[str],
    platform: str | None,
    enabled: bool | None,
    unreachable: bool | None = None,
    *,
    os_version: str | None = None,
    model: str | None = None,
) -> Select[Any]:
    """``query`` narrowed to devices with every one of ``tags``, of ``platform``, enabled or not,
    unreachable at their last check or not, OS version and model starting with ``os_version`` and
    ``model`` (any case)."""
    filters = device_filters(tags, platform, enabled, unreachable, os_version=os_version, model=model)
    return query.where(*filters)


def edit_device(
    session: Session,
    hostname: str | int,
    *,
    host: str | None = None,
    port: int | None = None,
    platform: str | None = None,
    description: str | None = None,
    enabled: bool | None = None,
    add_tags: Iterable[str] = (),
    remove_tags: Iterable[str] = (),
    data: dict[str, Any] | None = None,
    backup_command: str | None = None,
    transport: str | None = None,
) -> Device:
    """Change the given fields (None: unchanged; an empty description, backup command or transport
    clears it) of the device named ``hostname`` (or of that id, given an int); return the device."""
    given = {"host": host, "port": port, "platform": platform, "description": description,
             "enabled": enabled, "data": data, "backup_command": backup_command,
             "transport": transport}  # fmt: skip
    changes = {name: checked(name, CHECKS[name], value) for name, value in given.items() if value is not None}
    adding, removing = (
        checked("add_tags", check_tag_names, add_tags),
        checked("remove_tags", check_tag_names, remove_tags),
    )
    both = set(adding) & set(removing)
    if both:
        raise InventoryError(f"tag {show(min(both))} is both added and removed", field="remove_tags")
    device = get_device(session, hostname)
    check_telnet_capable(changes.get("platform", device.platform), changes.get("transport", device.transport))
    missing = [name for name in removing if name not in device.tag_names()]
    if missing:
        raise InventoryError(
            f"device {show(device.hostname)} has no tag {show(missing[0])}", field="remove_tags"
        )
    before = {**_audited({name: getattr(device, name) for name in changes}), "tags": device.tag_names()}
    for name, value in changes.items():
        setattr(device, name, value)
    current = set(device.tag_names())
    new_tags = resolve_tags(session, [name for name in adding if name not in current])
    device.tags = [tag for tag in device.tags if tag.name not in removing] + list(new_tags.values())
    session.flush()
    after = {**_audited({name: getattr(device, name) for name in changes}), "tags": device.tag_names()}
    audit.record(session, "device.edit", "device", device.hostname, audit.changed(before, after))
    return device


def remove_device(session: Session, hostname: str | int) -> None:
    """Delete a device (by hostname, or id given an int) with its tag links, credential bindings
    and stored configurations."""
    device = get_device(session, hostname)
    session.delete(device)
    session.flush()
    audit.record(session, "device.remove", "device", device.hostname)


def _data(value: object) -> dict[str, Any]:
    """Free-form data: a mapping whose ``netmiko_options``, if any, netmiko accepts."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InventoryError(f"data: expected a mapping, got {type(value).__name__}")
    if "netmiko_options" in value:
        try:
            check_netmiko_options(value["netmiko_options"], "data.netmiko_options")
        except ConfigError as exc:
            raise InventoryError(str(exc)) from None
    return value


CHECKS: dict[str, Callable[[Any], Any]] = {
    "host": check_address,
    "port": check_port,
    "platform": check_platform,
    "description": check_description,
    "enabled": check_enabled,
    "data": _data,
    "backup_command": check_backup_command,
    "transport": check_transport,
}


def _audited(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields as the audit trail shows them: ``data`` (free-form, may hold options) by its keys."""
    if "data" in fields:
        return {**fields, "data": sorted(fields["data"] or {})}
    return fields
