"""Bulk import of devices from a CSV or fleet file: every row validated first, then all or nothing.

Fields (case-insensitive): ``hostname``, ``host`` (or ``address``, ``ip``), ``platform`` (or
``device_type``), ``port`` (default 22), ``tags`` (a list, or names separated by ``;`` or ``|``),
``description``, ``enabled`` (default true), ``transport`` (``ssh`` or ``telnet``; blank: the tags
decide, else SSH). Other fields (username, password...) are ignored and
never quoted. Row N is the Nth device of the file (a CSV header is not counted).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from netraven import audit
from netraven.db.models import Device, Tag, device_tags
from netraven.exceptions import InventoryError
from netraven.inventory.batches import batched
from netraven.inventory.sources import SUFFIXES, read_records
from netraven.inventory.tags import resolve_tags
from netraven.inventory.validation import (
    check_address,
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

ALIASES = {"address": "host", "ip": "host", "device_type": "platform"}
REQUIRED = ("hostname", "host", "platform")


# Checks per field; a blank port or enabled means "the default" (or "unchanged" when updating).
CHECKS: dict[str, Callable[[Any], Any]] = {
    "hostname": check_hostname,
    "host": check_address,
    "platform": check_platform,
    "port": check_port,
    "enabled": check_enabled,
    "tags": check_tag_names,
    "description": check_description,
    "transport": check_transport,
}
BLANK_IS_DEFAULT = frozenset({"port", "enabled"})
DEFAULTS = {"port": 22, "enabled": True, "description": None}


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    total: int
    created: int
    updated: int
    tags_created: int

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


class ImportValidationError(InventoryError):
    """Rows of an import file are invalid; ``errors`` holds one line per problem ("row 3: ...")."""

    def __init__(self, errors: Sequence[str], invalid_rows: int, total_rows: int, unit: str = "row") -> None:
        super().__init__(f"{invalid_rows} of {total_rows} {unit}s are invalid; nothing was imported")
        self.errors = tuple(errors)


def import_devices(
    session: Session,
    path: str | os.PathLike[str],
    default_tags: Iterable[str] = (),
    update: bool = False,
    label: str | None = None,
) -> ImportReport:
    """Add the devices of a CSV/YAML/JSON file, all or none; ``default_tags`` go on every one.

    Existing hostnames are errors, or with ``update`` are updated: the fields the row gives replace
    the device's (its tags too, when the row has a tags field; ``default_tags`` are always added).
    Raises :class:`ImportValidationError` listing every bad row, having written nothing. Errors
    name the file ``label`` (an uploaded file's name), by default its path.
    """
    path = Path(path)
    where = label or str(path)
    checked("default_tags", check_tag_names, default_tags)  # before the file: it may not be read
    records = read_records(path, where)
    if records:
        _require_fields(path, where, records)
    return import_records(session, records, where, default_tags, update)


def import_records(
    session: Session,
    records: Sequence[object],
    where: str,
    default_tags: Iterable[str] = (),
    update: bool = False,
    *,
    lines: Sequence[int] | None = None,
    unit: str = "row",
    problems: Iterable[tuple[int, str]] = (),
) -> ImportReport:
    """:func:`import_devices` of device ``records`` (mappings of fields) read from the file ``where``.

    Errors number each record by ``lines`` (by default the Nth record is N) after ``unit``
    ("row 3", "line 7"). ``problems`` are ``(number, message)`` found before, of entries left out
    of ``records``: they are reported with the records' own, and nothing is written while any exist.
    """
    defaults = checked("default_tags", check_tag_names, default_tags)
    numbers = list(lines) if lines is not None else list(range(1, len(records) + 1))
    found = list(problems)
    total = len(records) + len({number for number, _ in found})
    if not total:
        raise InventoryError(f"{where}: no devices found")
    rows: dict[str, tuple[int, dict[str, Any]]] = {}
    for number, record in zip(numbers, records, strict=True):
        row = _parse(number, record, found)
        if row is None:
            continue
        if row["hostname"] in rows:
            first = rows[row["hostname"]][0]
            found.append((number, f"duplicate hostname {show(row['hostname'])} (also {unit} {first})"))
        else:
            rows[row["hostname"]] = (number, row)
    existing = _existing(session, list(rows), load=update)
    if not update:
        found += [(rows[name][0], f"a device named {show(name)} already exists") for name in existing]
    if found:
        found.sort(key=lambda item: item[0])
        invalid = len({number for number, _ in found})
        raise ImportValidationError([f"{unit} {n}: {message}" for n, message in found], invalid, total, unit)
    try:
        with session.begin_nested():  # a conflicting concurrent change rolls back only this savepoint
            report = _write(session, [row for _, row in rows.values()], existing, defaults)
    except IntegrityError as exc:
        raise InventoryError(
            "a device or tag in the file was created meanwhile; nothing was imported"
        ) from exc
    audit.record(session, "device.import", "device", None, {"file": where, **report.to_dict()})
    return report


def import_upload(
    session: Session, filename: str, content: bytes, default_tags: Iterable[str] = (), update: bool = False
) -> ImportReport:
    """:func:`import_devices` of an uploaded file's ``content``; its ``filename`` (a name ending in
    one of :data:`SUFFIXES`) chooses the format and names it in errors."""
    name = Path(filename or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InventoryError(f"file {name!r}: expected a name ending in {', '.join(SUFFIXES)}", field="file")
    with tempfile.TemporaryDirectory(prefix="netraven-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        return import_devices(session, path, default_tags, update=update, label=name)


def _parse(number: int, record: object, problems: list[tuple[int, str]]) -> dict[str, Any] | None:
    """The validated fields of one record, or None after adding its problems."""
    if not isinstance(record, Mapping):
        problems.append((number, f"expected a mapping of device fields, got {type(record).__name__}"))
        return None
    fields: dict[str, Any] = {}
    for key, value in record.items():
        name = _field(key)
        if name in CHECKS:
            fields[name] = value
    row: dict[str, Any] = {}
    before = len(problems)
    for name, check in CHECKS.items():
        if name not in fields and name not in REQUIRED:
            continue
        if name in BLANK_IS_DEFAULT and _blank(fields[name]):
            continue
        try:
            row[name] = check(fields.get(name))
        except InventoryError as exc:
            problems.append((number, str(exc)))
    if len(problems) == before and "platform" in row:
        try:
            check_telnet_capable(row["platform"], row.get("transport"))
        except InventoryError as exc:
            problems.append((number, str(exc)))
    return row if len(problems) == before else None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _field(key: object) -> str:
    name = str(key).strip().lower()
    return ALIASES.get(name, name)


def _require_fields(path: Path, label: str, records: Sequence[object]) -> None:
    """A wrong header (no required field, or one field under two names) is one error, not one per row."""
    for number, keys in _key_sets(records).items():
        names = [_field(key) for key in keys]
        twice = next((name for i, name in enumerate(names) if name in CHECKS and name in names[:i]), None)
        if twice is not None:
            given = [show(key) for key in keys if _field(key) == twice]
            place = "the header" if path.suffix.lower() == ".csv" else f"row {number}"
            raise InventoryError(f"{label}: {place} gives {twice!r} twice ({' and '.join(given)})")
    seen = {_field(key) for record in records if isinstance(record, Mapping) for key in record}
    missing = [name for name in REQUIRED if name not in seen]
    if missing and len(seen) > 0:
        raise InventoryError(
            f"{label}: no {missing[0]!r} field in any row (fields: hostname, host/address/ip, "
            "platform/device_type, port, tags, description, enabled)"
        )


def _key_sets(records: Sequence[object]) -> dict[int, tuple[object, ...]]:
    """Each distinct set of keys among the records, with the number of its first row."""
    found: dict[tuple[object, ...], int] = {}
    for number, record in enumerate(records, 1):
        if isinstance(record, Mapping):
            found.setdefault(tuple(record), number)
    return {number: keys for keys, number in found.items()}


def _existing(session: Session, hostnames: list[str], load: bool) -> dict[str, Device | None]:
    """Hostnames already in the database; with ``load``, their devices with tags."""
    found: dict[str, Device | None] = {}
    for batch in batched(hostnames):
        if load:
            query = select(Device).options(selectinload(Device.tags)).where(Device.hostname.in_(batch))
            found.update((device.hostname, device) for device in session.scalars(query))
        else:
            found.update(
                (name, None)
                for name in session.scalars(select(Device.hostname).where(Device.hostname.in_(batch)))
            )
    return found


def _write(
    session: Session,
    rows: list[dict[str, Any]],
    existing: Mapping[str, Device | None],
    defaults: tuple[str, ...],
) -> ImportReport:
    tags = resolve_tags(session, {*defaults, *(name for row in rows for name in row.get("tags", ()))})
    tags_created = sum(1 for tag in tags.values() if tag.id is None)
    session.flush()  # new tags get their ids
    new = [row for row in rows if existing.get(row["hostname"]) is None]
    if new:
        # Bulk INSERT ... RETURNING: several times faster than unit-of-work objects for a big fleet.
        values = [{**DEFAULTS, **{k: v for k, v in row.items() if k != "tags"}} for row in new]
        ids = session.scalars(insert(Device).returning(Device.id, sort_by_parameter_order=True), values)
        links = [
            {"device_id": device_id, "tag_id": tags[name].id}
            for device_id, row in zip(ids, new, strict=True)
            for name in dict.fromkeys((*row.get("tags", ()), *defaults))
        ]
        if links:
            session.execute(insert(device_tags), links)
    for row in rows:
        device = existing.get(row["hostname"])
        if device is not None:
            _update(device, row, tags, defaults)
    return ImportReport(len(rows), len(new), len(rows) - len(new), tags_created)


def _update(
    device: Device, row: Mapping[str, Any], tags: Mapping[str, Tag], defaults: tuple[str, ...]
) -> None:
    """Replace the fields the row gives (its tags too, when it has them), then add the default tags."""
    for name, value in row.items():
        if name != "tags":
            setattr(device, name, value)
    wanted = [*(device.tags if "tags" not in row else (tags[name] for name in row["tags"]))]
    wanted += [tags[name] for name in defaults]
    device.tags = list({tag.name: tag for tag in wanted}.values())
