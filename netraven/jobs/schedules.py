"""When a job is due: a validated :class:`Schedule` and the pure function :func:`next_run`.

Schedule times (daily and weekly times of day, cron fields) are wall-clock times in the scheduler's
time zone (``scheduler.timezone``); every datetime in or out is timezone-aware UTC. Each matching
wall-clock time runs once: a time skipped by a spring-forward change runs at the first instant after
the gap (02:30 → 03:00), and a time repeated by a fall-back change runs at its first occurrence.
croniter is imported only for cron expressions (command help shows the schedule types without it).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any, cast

from netraven.exceptions import JobError

SCHEDULE_TYPES = ("immediate", "onetime", "interval", "daily", "weekly", "cron")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAYS = {**dict(zip(WEEKDAYS, WEEKDAYS, strict=True)), **dict(zip(_DAY_NAMES, WEEKDAYS, strict=True))}
CRON_MAX = 120  # the length of the Job.cron_expression column
CRON_MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")

# The fields each type requires; an interval may also take run_at, the time of its first run.
REQUIRED: dict[str, tuple[str, ...]] = {
    "immediate": (),
    "onetime": ("run_at",),
    "interval": ("interval_seconds",),
    "daily": ("time_of_day",),
    "weekly": ("time_of_day", "days_of_week"),
    "cron": ("cron_expression",),
}
OPTIONAL: dict[str, tuple[str, ...]] = {"interval": ("run_at",)}
# Field: (article, noun, what to give), for "a daily schedule needs a time of day (HH:MM)".
FIELDS = {
    "run_at": ("a ", "run time", "ISO date and time"),
    "interval_seconds": ("an ", "interval", "seconds, or with a unit: 90s, 15m, 2h, 1d"),
    "time_of_day": ("a ", "time of day", "HH:MM"),
    "days_of_week": ("", "days of the week", "e.g. mon,thu"),
    "cron_expression": ("a ", "cron expression", "e.g. '0 2 * * *'"),
}
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_INTERVAL = re.compile(r"^(\d+)\s*([smhd]?)$")


@dataclass(frozen=True)
class Schedule:
    """When a job runs; the constructor validates and normalises, raising a one-line ``JobError``.

    ``run_at`` is an aware datetime (stored as UTC), ``time_of_day`` ``"HH:MM"`` or ``"HH:MM:SS"``,
    ``days_of_week`` names from :data:`WEEKDAYS`. Use :meth:`parse` for text input.
    """

    type: str = "immediate"
    run_at: datetime | None = None
    interval_seconds: int | None = None
    time_of_day: str | None = None
    days_of_week: tuple[str, ...] = ()
    cron_expression: str | None = None

    def __post_init__(self) -> None:
        if self.type not in SCHEDULE_TYPES:
            close = difflib.get_close_matches(str(self.type), SCHEDULE_TYPES, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise JobError(
                f"unknown schedule type {self.type!r} ({hint}known: {', '.join(SCHEDULE_TYPES)})",
                field="type",
            )
        allowed = REQUIRED[self.type] + OPTIONAL.get(self.type, ())
        for name, check in CHECKS.items():
            value = getattr(self, name)
            if value in (None, ()):
                continue
            if name not in allowed:
                raise JobError(f"{_a(self.type)} schedule takes no {FIELDS[name][1]}", field=name)
            try:
                object.__setattr__(self, name, check(value))
            except JobError as exc:
                exc.field = name
                raise
        for name in REQUIRED[self.type]:
            if getattr(self, name) in (None, ()):
                article, noun, hint = FIELDS[name]
                raise JobError(f"{_a(self.type)} schedule needs {article}{noun} ({hint})", field=name)

    @classmethod
    def parse(
        cls,
        type: str,
        *,
        run_at: datetime | str | None = None,
        interval_seconds: int | str | None = None,
        time_of_day: str | None = None,
        days_of_week: str | Iterable[str] | None = None,
        cron_expression: str | None = None,
        tz: tzinfo = UTC,
        now: datetime | None = None,
    ) -> Schedule:
        """A schedule from text (CLI options, a Job row): empty means not given.

        ``run_at`` may be ISO text; without a UTC offset it is a wall-clock time in ``tz``.
        ``days_of_week`` may be ``"mon,thu"``. Given ``now``, a ``run_at`` before it is refused.
        """
        schedule = cls(
            type=type.strip().lower(),
            run_at=_parse_run_at(run_at, tz),
            interval_seconds=_parse_interval(interval_seconds),
            time_of_day=time_of_day.strip() if time_of_day else None,
            days_of_week=tuple(re.findall(r"[^,\s]+", days_of_week))
            if isinstance(days_of_week, str)
            else tuple(days_of_week or ()),
            cron_expression=cron_expression or None,
        )
        if now is not None:
            schedule.check_not_past(now, tz)
        return schedule

    def check_not_past(self, now: datetime, tz: tzinfo = UTC) -> None:
        """Refuse a ``run_at`` before ``now`` (``tz`` only shows the time in the message)."""
        if self.run_at is not None and self.run_at < now:
            raise JobError(f"run time {format_time(self.run_at, tz)} is in the past", field="run_at")

    def as_columns(self) -> dict[str, Any]:
        """The values of the ``Job`` schedule columns."""
        return {
            "schedule_type": self.type,
            "run_at": self.run_at,
            "interval_seconds": self.interval_seconds,
            "time_of_day": self.time_of_day,
            "days_of_week": ",".join(self.days_of_week) or None,
            "cron_expression": self.cron_expression,
        }

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "days_of_week": list(self.days_of_week)}

    def describe(self, tz: tzinfo = UTC) -> str:
        """One short phrase for people: ``"weekly on mon, thu at 02:00"``."""
        if self.type == "onetime":
            return f"once at {format_time(cast(datetime, self.run_at), tz)}"
        if self.type == "interval":
            start = f" from {format_time(self.run_at, tz)}" if self.run_at else ""
            return f"every {format_interval(cast(int, self.interval_seconds))}{start}"
        if self.type == "daily":
            return f"daily at {self.time_of_day}"
        if self.type == "weekly":
            return f"weekly on {', '.join(self.days_of_week)} at {self.time_of_day}"
        if self.type == "cron":
            return f"cron {self.cron_expression}"
        return "immediately"


def next_run(
    schedule: Schedule, now: datetime, tz: tzinfo, last_run: datetime | None = None
) -> datetime | None:
    """The next time ``schedule`` is due, in UTC, or None when it is done.

    ``last_run`` is when the previous run was due (None: it never ran). Immediate is due at ``now``
    and one-time at ``run_at`` (even if past: a missed run is still due) until they have run. An
    interval is first due at ``run_at`` (or ``now``), then at ``last_run`` plus a whole number of
    intervals, the first such time after ``now``: missed runs are skipped, and the times do not
    drift. Daily, weekly and cron are due at their next wall-clock time in ``tz`` after ``now``
    (and after ``last_run``).
    """
    for moment in (now, last_run):
        if moment is not None and moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment.isoformat()}: give timezone-aware times")
    now = now.astimezone(UTC)
    if schedule.type in ("immediate", "onetime"):
        return None if last_run is not None else (schedule.run_at or now)
    if schedule.type == "interval":
        if last_run is None:
            return schedule.run_at or now
        step = timedelta(seconds=cast(int, schedule.interval_seconds))
        return last_run.astimezone(UTC) + step * max(1, (now - last_run) // step + 1)
    after = max(now, last_run) if last_run is not None else now
    if schedule.type == "cron":
        return _next_cron(cast(str, schedule.cron_expression), after, tz)
    clock = time.fromisoformat(cast(str, schedule.time_of_day))
    days = schedule.days_of_week or WEEKDAYS
    return next(due for due in _daily(after, clock, tz, days) if due > after)


def local_to_utc(wall: datetime, tz: tzinfo) -> datetime:
    """A naive wall-clock time in ``tz`` as UTC: an ambiguous time's first occurrence, and for a
    time skipped by a DST change the first instant after the gap (the change itself)."""
    first = wall.replace(tzinfo=tz, fold=0)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall:
        return first.astimezone(UTC)
    # In a gap, fold=0 reads the wall time with the offset from before the change (an instant after
    # it) and fold=1 with the offset from after (an instant before it): bisect to the change.
    before, after = int(wall.replace(tzinfo=tz, fold=1).timestamp()), int(first.timestamp())
    offset = datetime.fromtimestamp(before, tz).utcoffset()
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == offset:
            before = middle
        else:
            after = middle
    return datetime.fromtimestamp(after, UTC)


def format_time(moment: datetime, tz: tzinfo) -> str:
    """``2025-06-01 02:00 CEST``: a UTC time in ``tz``, seconds only when not zero."""
    local = moment.astimezone(tz)
    return local.strftime("%Y-%m-%d %H:%M:%S %Z" if local.second else "%Y-%m-%d %H:%M %Z")


def format_interval(seconds: int) -> str:
    """``90s``, ``15m``, ``2h``, ``1d``: the largest unit dividing ``seconds``."""
    unit, size = next((u, s) for u, s in reversed(UNITS.items()) if seconds % s == 0)
    return f"{seconds // size}{unit}"


def _daily(after: datetime, clock: time, tz: tzinfo, days: tuple[str, ...]) -> Iterator[datetime]:
    """The day's ``clock`` time on each of ``days`` over the 8 days from ``after``'s local date."""
    start = after.astimezone(tz).date()
    for day in (start + timedelta(days=n) for n in range(8)):
        if WEEKDAYS[day.weekday()] in days:
            yield local_to_utc(datetime.combine(day, clock), tz)


def _next_cron(expression: str, after: datetime, tz: tzinfo) -> datetime:
    from croniter import croniter

    # croniter on aware times fires a repeated fall-back time twice; on naive wall-clock times,
    # localised here, every schedule type treats DST changes alike. Times before the wall-clock
    # time of ``after`` cannot localise after it, so the search starts there.
    matches = croniter(expression, after.astimezone(tz).replace(tzinfo=None))
    while True:
        due = local_to_utc(matches.get_next(datetime), tz)
        if due > after:
            return due


def _a(schedule_type: str) -> str:
    return ("an " if schedule_type in ("immediate", "interval") else "a ") + schedule_type


def _check_run_at(value: datetime) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise JobError(f"run time {value!r} must be a timezone-aware datetime")
    return value.astimezone(UTC)


def _check_interval(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise JobError(f"interval {value!r} must be a positive number of seconds")
    return value


def _check_time(value: str) -> str:
    match = _TIME.match(value) if isinstance(value, str) else None
    parts = [int(part) for part in match.groups() if part is not None] if match else []
    if not parts or parts[0] > 23 or any(part > 59 for part in parts[1:]):
        raise JobError(f"time of day {value!r} is not a time (expected HH:MM or HH:MM:SS, 00:00-23:59)")
    return ":".join(f"{part:02}" for part in parts)


def _check_days(values: tuple[str, ...]) -> tuple[str, ...]:
    days = set()
    for value in values:
        day = str(value).strip().lower()
        if day in DAYS:
            days.add(DAYS[day])
        elif day:
            close = difflib.get_close_matches(day, WEEKDAYS, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise JobError(f"unknown weekday {value!r} ({hint}use {', '.join(WEEKDAYS)})")
    return tuple(day for day in WEEKDAYS if day in days)


def _check_cron(value: str) -> str:
    expression = " ".join(str(value).split())
    if expression.lower() in CRON_MACROS:
        expression = expression.lower()
    elif len(expression.split()) != 5:
        raise JobError(
            f"bad cron expression {value!r}: expected 5 fields (minute hour day month weekday) "
            f"or one of {', '.join(CRON_MACROS)}"
        )
    if len(expression) > CRON_MAX:
        raise JobError(f"cron expression {expression[:40]!r}... is longer than {CRON_MAX} characters")
    from croniter import CroniterBadDateError, CroniterError, croniter

    try:
        croniter(expression, datetime(2000, 1, 1)).get_next(datetime)
    except CroniterBadDateError:
        raise JobError(f"cron expression {expression!r} never matches a date") from None
    except (CroniterError, ValueError, TypeError, KeyError) as exc:
        raise JobError(f"bad cron expression {expression!r}: {str(exc).splitlines()[0]}") from None
    return expression


def _parse_run_at(value: datetime | str | None, tz: tzinfo) -> datetime | None:
    if not value:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise JobError(
                f"run time {value!r} is not an ISO date and time (e.g. 2025-06-01T02:00)", field="run_at"
            ) from None
    return value if value.utcoffset() is not None else local_to_utc(value, tz)


def _parse_interval(value: int | str | None) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    match = _INTERVAL.match(value.strip().lower())
    if not match:
        raise JobError(
            f"interval {value!r} must be a positive number of seconds, or with a unit: 90s, 15m, 2h, 1d",
            field="interval_seconds",
        )
    return int(match.group(1)) * UNITS[match.group(2) or "s"]


CHECKS: dict[str, Callable[[Any], Any]] = {
    "run_at": _check_run_at,
    "interval_seconds": _check_interval,
    "time_of_day": _check_time,
    "days_of_week": _check_days,
    "cron_expression": _check_cron,
}
