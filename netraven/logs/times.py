"""Reading ``--since``/``--until`` values: a duration ago (``30m``, ``1h``, ``2d``) or an ISO time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo

from netraven.exceptions import JobError
from netraven.jobs.schedules import local_to_utc

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_AGO = re.compile(r"^(\d+)\s*([smhdw])$")


def parse_time(text: str, now: datetime, tz: tzinfo, name: str = "time") -> datetime:
    """``text`` as an aware UTC time: ``90s``/``30m``/``1h``/``2d``/``1w`` before ``now``, or an ISO date
    and time (a date alone is its midnight; without an offset it is a wall-clock time in ``tz``).

    ``name`` (e.g. ``--since``) starts the one-line ``JobError`` for anything else.
    """
    value = text.strip()
    if match := _AGO.match(value.lower()):
        return (now - timedelta(seconds=int(match.group(1)) * UNITS[match.group(2)])).astimezone(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise JobError(
            f"{name} {text!r}: expected a duration ago (30m, 1h, 2d) or an ISO time (2025-06-01T02:00)"
        ) from None
    return moment.astimezone(UTC) if moment.utcoffset() is not None else local_to_utc(moment, tz)
