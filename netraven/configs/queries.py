"""Reading the config history: versions, one version's text, diffs, and a search over latest configs.

Each query selects only the columns it needs and relies on the unique (device_id, version) index:
``history`` reads no config text, ``diff`` loads exactly two rows, ``search`` reads every device's
latest version in one query.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

import re2
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netraven.configs.normalize import normalize
from netraven.db.models import Device, DeviceConfiguration
from netraven.db.paging import DEFAULT_LIMIT, Paged, check_page
from netraven.exceptions import InventoryError, InventoryNotFound, NetRavenError
from netraven.redaction import Redactor

DC = DeviceConfiguration
MAX_CONTEXT = 100  # lines either side of a search match, at most
MAX_PATTERN = 1000  # characters of a search pattern, at most


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One stored version, without its text."""

    version: int
    retrieved_at: datetime
    last_seen_at: datetime
    size_bytes: int
    changed_lines: int | None
    git_commit: str | None
    run_id: int | None
    redacted: bool
    git_pending: bool = False  # not in the git history yet (its write failed; the next one catches up)
    command: str | None = None  # the backup command, when not the platform's own
    unchecked: bool = False  # stored without the check that it looks like a config
    keep: bool = False  # retention never deletes it (netraven config keep)
    previous: int | None = None  # the stored version before it (retention may have deleted those between)


@dataclass(frozen=True, slots=True)
class StoredConfig:
    """One stored version of ``hostname``'s config, with its text (redacted when ``redacted``)."""

    hostname: str
    version: int
    text: str
    retrieved_at: datetime
    redacted: bool
    git_commit: str | None


@dataclass(frozen=True, slots=True)
class Match:
    """A line of a device's latest config matching a search, with ``context`` lines either side."""

    hostname: str
    version: int
    line_number: int  # 1-based
    line: str
    before: tuple[str, ...]
    after: tuple[str, ...]


def resolve_device(session: Session, device: str | int) -> Device:
    """The device with id ``device`` (an int) or hostname ``device`` (a str)."""
    if isinstance(device, int):
        found = session.get(Device, device)
        if found is None:
            raise InventoryNotFound(f"no device with id {device}")
        return found
    found = session.scalars(select(Device).where(Device.hostname == device)).one_or_none()
    if found is None:
        raise InventoryNotFound(f"no device named {device!r}")
    return found


def unified_diff(
    hostname: str,
    old: tuple[int, str] | None,
    new: tuple[int, str],
    platform: str,
    extra_patterns: Iterable[str] = (),
    context: int = 3,
) -> tuple[str, int]:
    """The unified diff of two versions (volatile lines left out) and its count of +/- lines.

    ``context`` is the number of unchanged lines shown around each change.
    """
    extra = tuple(extra_patterns)
    old_lines = normalize(old[1], platform, extra).splitlines(keepends=True) if old else []
    new_lines = normalize(new[1], platform, extra).splitlines(keepends=True)
    lines = list(
        difflib.unified_diff(
            old_lines,
            new_lines,
            fromfile=f"{hostname} version {old[0]}" if old else "/dev/null",
            tofile=f"{hostname} version {new[0]}",
            n=context,
        )
    )
    changed = sum(1 for line in lines[2:] if line[:1] in ("+", "-"))
    return "".join(lines), changed


def history(
    session: Session, device: str | int, limit: int | None = None, offset: int = 0
) -> list[VersionInfo]:
    """The ``limit`` newest versions of ``device`` (all by default) after skipping ``offset``,
    newest first, without texts."""
    device_id = resolve_device(session, device).id
    query = (
        select(
            DC.version,
            DC.retrieved_at,
            DC.last_seen_at,
            DC.size_bytes,
            DC.changed_lines,
            DC.git_commit,
            DC.run_id,
            DC.redacted,
            DC.git_pending,
            DC.details,
            DC.keep,
            func.lag(DC.version).over(order_by=DC.version).label("previous"),
        )
        .where(DC.device_id == device_id)
        .order_by(DC.version.desc())
        .limit(limit)
        .offset(offset or None)
    )
    return [
        VersionInfo(
            r.version,
            r.retrieved_at,
            r.last_seen_at,
            r.size_bytes,
            r.changed_lines,
            r.git_commit,
            r.run_id,
            r.redacted,
            r.git_pending,
            r.details.get("command"),
            bool(r.details.get("unchecked")),
            r.keep,
            r.previous,
        )
        for r in session.execute(query)
    ]


def page_history(
    session: Session, device: str | int, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Paged[VersionInfo]:
    """One page of ``device``'s versions, newest first, with how many there are."""
    check_page(limit, offset, InventoryError)
    device_id = resolve_device(session, device).id  # then found in the session by id, no query
    total = count_versions(session, device_id)
    return Paged(history(session, device_id, limit, offset), total, limit, offset)


def count_versions(session: Session, device: str | int) -> int:
    """How many versions of ``device`` are stored."""
    device_id = resolve_device(session, device).id
    return session.scalar(select(func.count()).select_from(DC).where(DC.device_id == device_id)) or 0


def neighbours(session: Session, device: str | int, version: int) -> tuple[int | None, int | None]:
    """The stored versions just before and just after ``version`` of ``device`` (None: there is none).

    Versions are numbered without reuse, but retention deletes some: the neighbours are not always
    ``version - 1`` and ``version + 1``.
    """
    device_id = resolve_device(session, device).id
    mine = DC.device_id == device_id
    before = select(func.max(DC.version)).where(mine, DC.version < version).scalar_subquery()
    after = select(func.min(DC.version)).where(mine, DC.version > version).scalar_subquery()
    older, newer = session.execute(select(before, after)).one()
    return older, newer


def get(session: Session, device: str | int, version: int | None = None, reveal: bool = True) -> StoredConfig:
    """Version ``version`` of ``device``'s config (the latest by default); without ``reveal``, its
    secrets masked (:func:`masked`)."""
    found = resolve_device(session, device)
    query = select(DC.version, DC.config_text, DC.retrieved_at, DC.redacted, DC.git_commit).where(
        DC.device_id == found.id
    )
    if version is None:
        query = query.order_by(DC.version.desc()).limit(1)
    else:
        query = query.where(DC.version == version)
    row = session.execute(query).one_or_none()
    if row is None:
        what = "no stored config" if version is None else f"no version {version}"
        raise InventoryNotFound(f"device {found.hostname!r} has {what}")
    stored = StoredConfig(found.hostname, *row)
    return stored if reveal or stored.redacted else replace(stored, text=masked(stored.text))


def diff(
    session: Session,
    device: str | int,
    v1: int | None = None,
    v2: int | None = None,
    extra_patterns: Iterable[str] = (),
    context: int = 3,
    reveal: bool = True,
) -> str:
    """The unified diff from version ``v1`` to ``v2`` (default: the previous stored version to the
    latest); without ``reveal``, secrets are masked in both versions first."""
    found = resolve_device(session, device)
    query = select(DC.version, DC.config_text).where(DC.device_id == found.id)
    if v1 is None and v2 is None:
        query = query.order_by(DC.version.desc()).limit(2)
    elif v1 is None:
        assert v2 is not None
        before = select(func.max(DC.version)).where(DC.device_id == found.id, DC.version < v2)
        query = query.where(DC.version.in_([before.scalar_subquery(), v2]))
    elif v2 is None:
        latest = select(func.max(DC.version)).where(DC.device_id == found.id).scalar_subquery()
        query = query.where(DC.version.in_([v1, latest]))
    else:
        query = query.where(DC.version.in_([v1, v2]))
    rows: dict[int, str] = {version: text for version, text in session.execute(query)}
    if v1 is None and v2 is None:
        if len(rows) < 2:
            raise InventoryError(f"device {found.hostname!r} has fewer than two versions to compare")
        v1, v2 = min(rows), max(rows)
    elif v1 is None:
        assert v2 is not None
        v1 = min(rows) if len(rows) == 2 else v2 - 1
    elif v2 is None:
        v2 = max(rows, default=v1)
    for version in (v1, v2):
        if version not in rows:
            raise InventoryNotFound(f"device {found.hostname!r} has no version {version}")
    if not reveal:
        rows = {version: masked(text) for version, text in rows.items()}
    text, _ = unified_diff(
        found.hostname, (v1, rows[v1]), (v2, rows[v2]), found.platform, extra_patterns, context
    )
    return text


def masked(text: str) -> str:
    """``text`` with the secrets a config carries (by pattern) masked, for readers who may not see them."""
    return Redactor().redact(text)


def compile_pattern(pattern: str) -> re2._Regexp:
    """``pattern`` compiled with RE2, whose matching time is linear in the text whatever the pattern.

    A search can then never hang on a pattern that backtracks catastrophically (``^(\\w+\\s?)*$``).
    RE2 refuses what would need backtracking (backreferences, lookarounds, possessive quantifiers):
    a one-line :class:`NetRavenError` says so.
    """
    if len(pattern) > MAX_PATTERN:
        raise NetRavenError(f"the pattern is longer than {MAX_PATTERN} characters", field="pattern")
    options = re2.Options()
    options.log_errors = False  # RE2 would print each refusal to stderr
    try:
        return re2.compile(pattern, options=options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise NetRavenError(
            f"invalid regular expression {pattern!r}: {reason} "
            "(RE2 syntax: no backreferences, lookarounds or possessive quantifiers)",
            field="pattern",
        ) from None


def search(
    session: Session, pattern: str, context: int = 0, devices: Iterable[str | int] = (), reveal: bool = True
) -> list[Match]:
    """Lines matching the regex ``pattern`` in every device's latest config (``devices``' only, if given).

    ``pattern`` is RE2 syntax (see :func:`compile_pattern`): the work is bounded by the text's size.
    Without ``reveal`` the configs are searched with their secrets masked, so a pattern cannot
    probe a secret character by character.
    """
    regex = compile_pattern(pattern)
    newest = select(DC.device_id, func.max(DC.version).label("version")).group_by(DC.device_id)
    device_ids = [resolve_device(session, device).id for device in devices]
    if device_ids:
        newest = newest.where(DC.device_id.in_(device_ids))
    latest = newest.subquery("latest")
    query = (
        select(Device.hostname, DC.version, DC.config_text)
        .join(latest, (DC.device_id == latest.c.device_id) & (DC.version == latest.c.version))
        .join(Device, Device.id == DC.device_id)
        .order_by(Device.hostname)
    )
    matches: list[Match] = []
    for hostname, version, text in session.execute(query):
        lines = (text if reveal else masked(text)).splitlines()
        for index, line in enumerate(lines):
            if regex.search(line):
                before = tuple(lines[max(0, index - context) : index])
                after = tuple(lines[index + 1 : index + 1 + context])
                matches.append(Match(hostname, version, index + 1, line, before, after))
    return matches


def page_search(
    session: Session,
    pattern: str,
    context: int = 0,
    devices: Iterable[str | int] = (),
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    reveal: bool = True,
) -> Paged[Match]:
    """One page of :func:`search`'s matches (by hostname, then line), with how many there are."""
    check_page(limit, offset, NetRavenError)
    if isinstance(context, bool) or not isinstance(context, int) or not 0 <= context <= MAX_CONTEXT:
        raise NetRavenError(
            f"context {context!r} must be an integer from 0 to {MAX_CONTEXT}", field="context"
        )
    matches = search(session, pattern, context, devices, reveal)
    return Paged(matches[offset : offset + limit], len(matches), limit, offset)
