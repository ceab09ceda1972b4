"""Parsing the two log formats of NetRaven's file-logging era into :class:`LogEntry` records.

Text files (``*.log``) hold lines in one of two historical layouts::

    2025-03-14 02:00:03,512 INFO [netraven.jobs.backup] job_id=12 session=3f2a9c device=core-sw1 Backed up
    2025-03-14 02:00:04,001 - ERROR - device=edge-r2 - Authentication failed

The timestamp may use ``T``, ``.`` or ``,`` before the fraction, and a zone (``Z``, ``+01:00``);
levels are DEBUG, INFO, WARNING (or WARN), ERROR, CRITICAL (or FATAL). The message may start with
context tokens, any of them, in any order: ``job_id=``, ``session=`` (or ``session_id=``),
``device=`` (or ``hostname=``), ``device_id=``, ``category=``, ``job_type=``. A line that does not
start with a timestamp continues the entry before it (a traceback); one that does start with a
timestamp but fits neither layout is unparseable, with its continuation lines.

JSON-lines files (``*.jsonl``) hold one object per line: ``timestamp`` (or ``time``, ``@timestamp``,
``asctime``; ISO 8601 with or without a zone, or epoch seconds), ``level`` (or ``levelname``; default
INFO), ``logger`` (or ``name``), ``message`` (or ``msg``), ``exc_info`` (or ``traceback``, appended to
the message), the context keys above (``session_id``...), and any other keys, kept as ``extra``.

Timestamps without a zone are read in the zone given to the parser; entries carry them in UTC.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from typing import Any

LEVELS = {
    "DEBUG": "DEBUG",
    "INFO": "INFO",
    "WARN": "WARNING",
    "WARNING": "WARNING",
    "ERROR": "ERROR",
    "CRITICAL": "CRITICAL",
    "FATAL": "CRITICAL",
}
# Context keys as written in the old logs → the name an entry's context uses.
CONTEXT_KEYS = {
    "session": "session",
    "session_id": "session",
    "job_id": "job_id",
    "device": "hostname",
    "hostname": "hostname",
    "device_id": "device_id",
    "category": "category",
    "job_type": "job_type",
}
_JSON_FIELDS = {
    "timestamp": ("timestamp", "time", "@timestamp", "asctime"),
    "level": ("level", "levelname"),
    "logger": ("logger", "name"),
    "message": ("message", "msg"),
    "traceback": ("exc_info", "traceback"),
}

_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?(?=\s|$)")
_BRACKETED = re.compile(r"\s+(?P<level>[A-Za-z]+)\s+\[(?P<logger>[^\]]*)\]\s?(?P<rest>.*)")
_DASHED = re.compile(r"\s+-\s+(?P<level>[A-Za-z]+)\s+-\s?(?P<rest>.*)")
_TOKEN = re.compile(r"(?P<key>[a-z_]+)=(?P<value>\S+)\s*")


@dataclass(frozen=True)
class LogEntry:
    """One log entry: a first line and its continuation lines, or one JSON object.

    ``line`` is the 1-based number of its first line; ``stamp`` the timestamp as written (part of
    the entry's identity whatever zone it is read in); ``context`` maps the context names of
    :data:`CONTEXT_KEYS` to their values as text.
    """

    line: int
    stamp: str
    timestamp: datetime
    level: str
    logger: str | None
    message: str
    context: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Unparseable:
    """A line that is not a log entry, and why."""

    line: int
    reason: str


def parse_text(lines: Iterable[str], tz: tzinfo) -> Iterator[LogEntry | Unparseable]:
    """The entries and unparseable lines of a text log, in file order."""
    pending: tuple[LogEntry, list[str]] | Unparseable | None = None
    for number, line in enumerate(lines, 1):
        stamp = _STAMP.match(line)
        if stamp is None:
            if isinstance(pending, tuple):
                pending[1].append(line)
            elif pending is None and line.strip():
                # Often the tail of a traceback whose start went to the previous (rotated) file.
                pending = Unparseable(number, "continuation line with no entry before it")
            continue
        if pending is not None:
            yield _finish(pending)
        pending = _text_entry(number, line, stamp, tz)
    if pending is not None:
        yield _finish(pending)


def parse_json(lines: Iterable[str], tz: tzinfo) -> Iterator[LogEntry | Unparseable]:
    """The entries and unparseable lines of a JSON-lines log, in file order; blank lines are skipped."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Unparseable(number, f"invalid JSON: {exc.msg}")
            continue
        if not isinstance(record, dict):
            yield Unparseable(number, f"expected a JSON object, got {type(record).__name__}")
            continue
        yield _json_entry(number, record, tz)


def parse_timestamp(stamp: str, tz: tzinfo) -> datetime:
    """``stamp`` (ISO 8601, ``,`` allowed before the fraction) in UTC; without a zone it is in ``tz``.

    Raises ``ValueError`` for an impossible date or time.
    """
    value = datetime.fromisoformat(stamp)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def _text_entry(
    number: int, line: str, stamp: re.Match[str], tz: tzinfo
) -> tuple[LogEntry, list[str]] | Unparseable:
    rest = line[stamp.end() :]
    head = _BRACKETED.fullmatch(rest) or _DASHED.fullmatch(rest)
    if head is None:
        return Unparseable(number, "timestamp not followed by 'LEVEL [logger]' or '- LEVEL -'")
    level = LEVELS.get(head["level"].upper())
    if level is None:
        return Unparseable(number, f"unknown level {head['level']!r}")
    try:
        timestamp = parse_timestamp(stamp[0], tz)
    except ValueError as exc:
        return Unparseable(number, f"invalid timestamp {stamp[0]!r}: {exc}")
    context, message = _split_context(head["rest"])
    logger = head.groupdict().get("logger") or None
    return LogEntry(number, stamp[0], timestamp, level, logger, message, context), []


def _split_context(rest: str) -> tuple[dict[str, str], str]:
    """The leading ``key=value`` context tokens of a message, and the message after them."""
    context: dict[str, str] = {}
    position = 0
    while (token := _TOKEN.match(rest, position)) and token["key"] in CONTEXT_KEYS:
        context[CONTEXT_KEYS[token["key"]]] = token["value"]
        position = token.end()
    message = rest[position:]
    if context and message.startswith("- "):  # the dashed layout: "device=edge-r2 - message"
        message = message[2:]
    return context, message


def _finish(pending: tuple[LogEntry, list[str]] | Unparseable) -> LogEntry | Unparseable:
    if isinstance(pending, Unparseable):
        return pending
    entry, more = pending
    return replace(entry, message="\n".join([entry.message, *more]).rstrip()) if more else entry


def _json_entry(number: int, record: dict[str, Any], tz: tzinfo) -> LogEntry | Unparseable:
    fields = {name: _pop_first(record, keys) for name, keys in _JSON_FIELDS.items()}
    raw_stamp, raw_level, message = fields["timestamp"], fields["level"], fields["message"]
    if raw_stamp is None:
        return Unparseable(number, "no timestamp")
    if message is None:
        return Unparseable(number, "no message")
    try:
        timestamp = _json_timestamp(raw_stamp, tz)
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        return Unparseable(number, f"invalid timestamp {raw_stamp!r}: {exc}")
    level = LEVELS.get(str(raw_level).upper()) if raw_level is not None else "INFO"
    if level is None:
        return Unparseable(number, f"unknown level {raw_level!r}")
    text = _text(message)
    if fields["traceback"]:
        text = f"{text}\n{_text(fields['traceback'])}".rstrip()
    context = {}
    for key in [key for key in record if key in CONTEXT_KEYS]:
        value = record.pop(key)
        if value is not None:
            context[CONTEXT_KEYS[key]] = _text(value)
    logger = _text(fields["logger"]) if fields["logger"] else None
    return LogEntry(number, str(raw_stamp), timestamp, level, logger, text, context, record)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _pop_first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    """The value of the first of ``keys`` in ``record``; all of them are removed from it."""
    values = [record.pop(key) for key in keys if key in record]
    return values[0] if values else None


def _json_timestamp(value: Any, tz: tzinfo) -> datetime:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError(f"expected text or a number, got {type(value).__name__}")
    if isinstance(value, str):
        return parse_timestamp(value.strip(), tz)
    return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, UTC)  # seconds or ms
