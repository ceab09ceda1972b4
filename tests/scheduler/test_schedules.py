"""Schedules: validation, and next_run for every type, month ends, leap days and DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from netraven.exceptions import JobError
from netraven.jobs import Schedule, local_to_utc, next_run

PARIS, NEW_YORK = ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")


def at(text: str) -> datetime:
    """An ISO time with its offset ("2024-03-31T03:00+02:00"), as UTC."""
    return datetime.fromisoformat(text).astimezone(UTC)


def daily(clock: str) -> Schedule:
    return Schedule("daily", time_of_day=clock)


def weekly(days: str, clock: str) -> Schedule:
    return Schedule.parse("weekly", days_of_week=days, time_of_day=clock)


def cron(expression: str) -> Schedule:
    return Schedule("cron", cron_expression=expression)


def interval(seconds: int, run_at: str | None = None) -> Schedule:
    return Schedule("interval", interval_seconds=seconds, run_at=at(run_at) if run_at else None)


# (schedule, time zone, now, last run, expected next run)
CASES: dict[str, tuple[Schedule, ZoneInfo, str, str | None, str | None]] = {
    # immediate and one-time: once
    "immediate-first": (Schedule(), ZoneInfo("UTC"), "2024-05-01T10:00Z", None, "2024-05-01T10:00Z"),
    "immediate-done": (Schedule(), ZoneInfo("UTC"), "2024-05-01T10:01Z", "2024-05-01T10:00Z", None),
    "onetime-future": (Schedule("onetime", run_at=at("2024-06-01T02:00+02:00")), PARIS,
                       "2024-05-01T10:00Z", None, "2024-06-01T00:00Z"),
    "onetime-missed-is-still-due": (Schedule("onetime", run_at=at("2024-04-01T00:00Z")), PARIS,
                                    "2024-05-01T10:00Z", None, "2024-04-01T00:00Z"),
    "onetime-done": (Schedule("onetime", run_at=at("2024-04-01T00:00Z")), PARIS,
                     "2024-05-01T10:00Z", "2024-04-01T00:00Z", None),
    # interval: first now or at run_at, then anchored on the previous due time
    "interval-first-now": (interval(3600), PARIS, "2024-05-01T10:00:07Z", None, "2024-05-01T10:00:07Z"),
    "interval-first-at-run-at": (interval(3600, "2024-05-02T00:00Z"), PARIS,
                                 "2024-05-01T10:00Z", None, "2024-05-02T00:00Z"),
    "interval-next": (interval(3600), PARIS, "2024-05-01T10:00:05Z", "2024-05-01T10:00Z", "2024-05-01T11:00Z"),
    "interval-late-tick-does-not-drift": (interval(3600), PARIS, "2024-05-01T11:00:59Z", "2024-05-01T11:00Z",
                                          "2024-05-01T12:00Z"),
    "interval-missed-runs-skipped": (interval(3600), PARIS, "2024-05-01T12:30Z", "2024-05-01T10:00Z",
                                     "2024-05-01T13:00Z"),
    "interval-exactly-on-the-grid": (interval(3600), PARIS, "2024-05-01T12:00Z", "2024-05-01T10:00Z",
                                     "2024-05-01T13:00Z"),
    "interval-clock-behind-last-run": (interval(3600), PARIS, "2024-05-01T09:59Z", "2024-05-01T10:00Z",
                                       "2024-05-01T11:00Z"),
    "interval-is-absolute-across-dst": (interval(3600), PARIS, "2024-10-27T00:31Z", "2024-10-27T00:30Z",
                                        "2024-10-27T01:30Z"),
    "interval-odd-step": (interval(90), PARIS, "2024-05-01T10:03:01Z", "2024-05-01T10:00Z", "2024-05-01T10:04:30Z"),
    # daily
    "daily-later-today": (daily("02:00"), ZoneInfo("UTC"), "2024-05-01T01:00Z", None, "2024-05-01T02:00Z"),
    "daily-tomorrow": (daily("02:00"), ZoneInfo("UTC"), "2024-05-01T03:00Z", None, "2024-05-02T02:00Z"),
    "daily-exactly-now-is-next-day": (daily("02:00"), ZoneInfo("UTC"), "2024-05-01T02:00Z", "2024-05-01T02:00Z",
                                      "2024-05-02T02:00Z"),
    "daily-seconds": (daily("02:00:30"), ZoneInfo("UTC"), "2024-05-01T02:00:10Z", None, "2024-05-01T02:00:30Z"),
    "daily-month-end": (daily("23:30"), ZoneInfo("UTC"), "2024-01-31T23:45Z", None, "2024-02-01T23:30Z"),
    "daily-30-day-month-end": (daily("23:30"), ZoneInfo("UTC"), "2024-04-30T23:45Z", None, "2024-05-01T23:30Z"),
    "daily-year-end": (daily("00:00"), ZoneInfo("UTC"), "2024-12-31T00:00:01Z", None, "2025-01-01T00:00Z"),
    "daily-leap-day": (daily("00:00"), ZoneInfo("UTC"), "2024-02-28T12:00Z", None, "2024-02-29T00:00Z"),
    "daily-no-leap-day": (daily("00:00"), ZoneInfo("UTC"), "2025-02-28T12:00Z", None, "2025-03-01T00:00Z"),
    "daily-local-time": (daily("02:00"), PARIS, "2024-01-10T12:00Z", None, "2024-01-11T02:00+01:00"),
    "daily-local-date-ahead-of-utc": (daily("00:30"), PARIS, "2024-01-10T23:15Z", None, "2024-01-11T00:30+01:00"),
    "daily-noon-before-spring": (daily("12:00"), PARIS, "2024-03-30T12:00+01:00", None, "2024-03-31T12:00+02:00"),
    "daily-paris-spring-gap": (daily("02:30"), PARIS, "2024-03-30T12:00+01:00", None, "2024-03-31T03:00+02:00"),
    "daily-paris-gap-start": (daily("02:00"), PARIS, "2024-03-30T12:00+01:00", None, "2024-03-31T03:00+02:00"),
    "daily-paris-after-gap": (daily("02:30"), PARIS, "2024-03-31T03:00+02:00", "2024-03-31T03:00+02:00",
                              "2024-04-01T02:30+02:00"),
    "daily-paris-fall-first": (daily("02:30"), PARIS, "2024-10-26T12:00+02:00", None, "2024-10-27T02:30+02:00"),
    "daily-paris-fall-once": (daily("02:30"), PARIS, "2024-10-27T02:30+02:00", "2024-10-27T02:30+02:00",
                              "2024-10-28T02:30+01:00"),
    "daily-paris-fall-in-repeat": (daily("02:30"), PARIS, "2024-10-27T02:10+01:00", None,
                                   "2024-10-28T02:30+01:00"),
    "daily-new-york-spring-gap": (daily("02:30"), NEW_YORK, "2024-03-09T12:00-05:00", None,
                                  "2024-03-10T03:00-04:00"),
    "daily-new-york-fall-first": (daily("01:30"), NEW_YORK, "2024-11-02T12:00-04:00", None,
                                  "2024-11-03T01:30-04:00"),
    "daily-new-york-fall-once": (daily("01:30"), NEW_YORK, "2024-11-03T01:30-04:00", "2024-11-03T01:30-04:00",
                                 "2024-11-04T01:30-05:00"),
    # weekly (2024-05-01 is a Wednesday)
    "weekly-next-day-this-week": (weekly("mon,thu", "02:00"), ZoneInfo("UTC"), "2024-05-01T12:00Z", None,
                                  "2024-05-02T02:00Z"),
    "weekly-wraps-to-monday": (weekly("mon,thu", "02:00"), ZoneInfo("UTC"), "2024-05-02T03:00Z", None,
                               "2024-05-06T02:00Z"),
    "weekly-later-today": (weekly("mon,thu", "02:00"), ZoneInfo("UTC"), "2024-05-06T01:00Z", None,
                           "2024-05-06T02:00Z"),
    "weekly-one-day-next-week": (weekly("wed", "02:00"), ZoneInfo("UTC"), "2024-05-01T02:00Z", "2024-05-01T02:00Z",
                                 "2024-05-08T02:00Z"),
    "weekly-sunday": (weekly("sun", "23:00"), ZoneInfo("UTC"), "2024-05-01T00:00Z", None, "2024-05-05T23:00Z"),
    "weekly-month-end": (weekly("fri", "08:00"), ZoneInfo("UTC"), "2024-05-29T00:00Z", None, "2024-05-31T08:00Z"),
    "weekly-local-day": (weekly("mon", "00:30"), PARIS, "2024-05-05T22:00Z", None, "2024-05-06T00:30+02:00"),
    "weekly-paris-spring-gap": (weekly("sun", "02:30"), PARIS, "2024-03-25T12:00+01:00", None,
                                "2024-03-31T03:00+02:00"),
    "weekly-paris-fall-once": (weekly("sun", "02:30"), PARIS, "2024-10-27T02:30+02:00", "2024-10-27T02:30+02:00",
                               "2024-11-03T02:30+01:00"),
    "weekly-new-york-fall": (weekly("sun,mon", "01:30"), NEW_YORK, "2024-11-03T01:30-04:00",
                             "2024-11-03T01:30-04:00", "2024-11-04T01:30-05:00"),
    # cron
    "cron-daily": (cron("0 2 * * *"), ZoneInfo("UTC"), "2024-05-01T01:00Z", None, "2024-05-01T02:00Z"),
    "cron-every-15-minutes": (cron("*/15 * * * *"), ZoneInfo("UTC"), "2024-05-01T10:07:30Z", None,
                              "2024-05-01T10:15Z"),
    "cron-strictly-after": (cron("*/15 * * * *"), ZoneInfo("UTC"), "2024-05-01T10:15Z", "2024-05-01T10:15Z",
                            "2024-05-01T10:30Z"),
    "cron-weekdays": (cron("0 9 * * mon-fri"), ZoneInfo("UTC"), "2024-05-03T10:00Z", None, "2024-05-06T09:00Z"),
    "cron-local-time": (cron("0 2 * * *"), PARIS, "2024-01-10T12:00Z", None, "2024-01-11T02:00+01:00"),
    "cron-leap-day": (cron("0 0 29 2 *"), ZoneInfo("UTC"), "2025-03-01T00:00Z", None, "2028-02-29T00:00Z"),
    "cron-leap-day-skips-2100": (cron("0 0 29 2 *"), ZoneInfo("UTC"), "2096-03-01T00:00Z", None,
                                 "2104-02-29T00:00Z"),
    "cron-leap-day-local": (cron("0 0 29 2 *"), PARIS, "2024-02-28T23:30Z", None, "2028-02-29T00:00+01:00"),
    "cron-31st-skips-short-months": (cron("0 0 31 * *"), ZoneInfo("UTC"), "2024-04-01T00:00Z", None,
                                     "2024-05-31T00:00Z"),
    "cron-last-day-leap": (cron("0 0 L * *"), ZoneInfo("UTC"), "2024-02-10T00:00Z", None, "2024-02-29T00:00Z"),
    "cron-last-day": (cron("0 0 L * *"), ZoneInfo("UTC"), "2023-02-10T00:00Z", None, "2023-02-28T00:00Z"),
    "cron-macro": (cron("@monthly"), ZoneInfo("UTC"), "2024-01-31T12:00Z", None, "2024-02-01T00:00Z"),
    "cron-paris-spring-gap": (cron("30 2 * * *"), PARIS, "2024-03-30T12:00+01:00", None, "2024-03-31T03:00+02:00"),
    "cron-paris-after-gap": (cron("30 2 * * *"), PARIS, "2024-03-31T03:00+02:00", "2024-03-31T03:00+02:00",
                             "2024-04-01T02:30+02:00"),
    "cron-paris-gap-every-30": (cron("*/30 * * * *"), PARIS, "2024-03-31T01:30+01:00", "2024-03-31T01:30+01:00",
                                "2024-03-31T03:00+02:00"),
    "cron-paris-gap-runs-once": (cron("*/30 * * * *"), PARIS, "2024-03-31T03:00+02:00", "2024-03-31T03:00+02:00",
                                 "2024-03-31T03:30+02:00"),
    "cron-paris-fall-first": (cron("30 2 * * *"), PARIS, "2024-10-27T00:00+02:00", None, "2024-10-27T02:30+02:00"),
    "cron-paris-fall-once": (cron("30 2 * * *"), PARIS, "2024-10-27T02:30+02:00", "2024-10-27T02:30+02:00",
                             "2024-10-28T02:30+01:00"),
    "cron-paris-fall-hourly-wall-clock": (cron("0 * * * *"), PARIS, "2024-10-27T02:00+02:00",
                                          "2024-10-27T02:00+02:00", "2024-10-27T03:00+01:00"),
    "cron-paris-fall-in-repeat": (cron("45 2 * * *"), PARIS, "2024-10-27T02:50+01:00", None,
                                  "2024-10-28T02:45+01:00"),
    "cron-new-york-spring-gap": (cron("30 2 * * *"), NEW_YORK, "2024-03-09T12:00-05:00", None,
                                 "2024-03-10T03:00-04:00"),
    "cron-new-york-fall-once": (cron("30 1 * * *"), NEW_YORK, "2024-11-03T01:30-04:00", "2024-11-03T01:30-04:00",
                                "2024-11-04T01:30-05:00"),
    "cron-last-run-ahead-of-clock": (cron("0 * * * *"), ZoneInfo("UTC"), "2024-05-01T10:10Z", "2024-05-01T11:00Z",
                                     "2024-05-01T12:00Z"),
}  # fmt: skip


@pytest.mark.parametrize(("schedule", "tz", "now", "last_run", "expected"), CASES.values(), ids=CASES.keys())
def test_next_run(
    schedule: Schedule, tz: ZoneInfo, now: str, last_run: str | None, expected: str | None
) -> None:
    due = next_run(schedule, at(now), tz, last_run=at(last_run) if last_run else None)
    assert due == (at(expected) if expected else None)
    assert due is None or due.tzinfo is UTC


@pytest.mark.parametrize("tz", [PARIS, NEW_YORK, ZoneInfo("UTC")], ids=str)
@pytest.mark.parametrize("schedule", [daily("02:30"), daily("01:30"), cron("30 2 * * *"), cron("*/20 1-3 * * *"),
                                      weekly("sun", "02:30")], ids=Schedule.describe)  # fmt: skip
def test_a_year_of_runs_has_each_wall_clock_time_once(schedule: Schedule, tz: ZoneInfo) -> None:
    """Run the schedule like the scheduler does for 2024 (both DST changes): no repeat, no gap."""
    due, runs = next_run(schedule, at("2024-01-01T00:00Z"), tz), []
    while due is not None and due.year == 2024:
        runs.append(due)
        due = next_run(schedule, due + timedelta(seconds=7), tz, last_run=due)  # a tick a little late
    walls = [run.astimezone(tz).replace(tzinfo=None) for run in runs]
    assert runs == sorted(set(runs)) and len(set(walls)) == len(walls)
    days = {wall.date() for wall in walls}
    if schedule.type == "daily":
        assert len(days) == 366
    if schedule.type == "weekly":
        assert len(days) == 52


def test_next_run_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        next_run(daily("02:00"), datetime(2024, 5, 1), PARIS)


@pytest.mark.parametrize(
    ("wall", "tz", "expected"),
    [
        ("2024-05-01T12:00", PARIS, "2024-05-01T12:00+02:00"),
        ("2024-03-31T02:30", PARIS, "2024-03-31T03:00+02:00"),  # gap: its end
        ("2024-10-27T02:30", PARIS, "2024-10-27T02:30+02:00"),  # repeated: the first
        ("2024-03-10T02:00", NEW_YORK, "2024-03-10T03:00-04:00"),
        ("2024-11-03T01:59", NEW_YORK, "2024-11-03T01:59-04:00"),
        ("2024-10-06T02:15", ZoneInfo("Australia/Lord_Howe"), "2024-10-06T02:30+11:00"),  # a 30-minute change
        ("2011-12-30T12:00", ZoneInfo("Pacific/Apia"), "2011-12-31T00:00+14:00"),  # a skipped day
    ],
)
def test_local_to_utc(wall: str, tz: ZoneInfo, expected: str) -> None:
    assert local_to_utc(datetime.fromisoformat(wall), tz) == at(expected)


@pytest.mark.parametrize(
    ("type_", "fields", "expected"),
    [
        ("Daily", {"time_of_day": " 2:05 "}, Schedule("daily", time_of_day="02:05")),
        ("daily", {"time_of_day": "02:05:09"}, Schedule("daily", time_of_day="02:05:09")),
        ("weekly", {"time_of_day": "23:59", "days_of_week": "Thu, monday,mon"},
         Schedule("weekly", time_of_day="23:59", days_of_week=("mon", "thu"))),
        ("weekly", {"time_of_day": "00:00", "days_of_week": ["SUN", "sat"]},
         Schedule("weekly", time_of_day="00:00", days_of_week=("sat", "sun"))),
        ("interval", {"interval_seconds": "15m"}, Schedule("interval", interval_seconds=900)),
        ("interval", {"interval_seconds": "2h"}, Schedule("interval", interval_seconds=7200)),
        ("interval", {"interval_seconds": "1d"}, Schedule("interval", interval_seconds=86400)),
        ("interval", {"interval_seconds": " 90 "}, Schedule("interval", interval_seconds=90)),
        ("interval", {"interval_seconds": 30, "run_at": ""}, Schedule("interval", interval_seconds=30)),
        ("cron", {"cron_expression": "  0  2 * * * "}, Schedule("cron", cron_expression="0 2 * * *")),
        ("cron", {"cron_expression": "@DAILY"}, Schedule("cron", cron_expression="@daily")),
        ("onetime", {"run_at": "2030-06-01T02:00", "tz": PARIS},
         Schedule("onetime", run_at=at("2030-06-01T00:00Z"))),
        ("onetime", {"run_at": "2030-06-01T02:00Z", "tz": PARIS},
         Schedule("onetime", run_at=at("2030-06-01T02:00Z"))),
        ("onetime", {"run_at": "2030-03-31T02:30", "tz": PARIS},  # in a gap: its end
         Schedule("onetime", run_at=at("2030-03-31T03:00+02:00"))),
        ("immediate", {"time_of_day": "", "cron_expression": None, "days_of_week": ""}, Schedule()),
    ],
)  # fmt: skip
def test_parse_normalises(type_: str, fields: dict[str, Any], expected: Schedule) -> None:
    schedule = Schedule.parse(type_, **fields)
    assert schedule == expected
    assert (
        Schedule.parse(schedule.type, **{k: v for k, v in schedule.to_dict().items() if k != "type"})
        == schedule
    )


NOW = at("2025-01-01T00:00Z")


@pytest.mark.parametrize(
    ("type_", "fields", "message"),
    [
        ("dayly", {}, "unknown schedule type 'dayly' (did you mean daily? known: immediate, onetime, interval, "
                      "daily, weekly, cron)"),
        ("hourly", {}, "unknown schedule type 'hourly' (known: immediate, onetime, interval, daily, weekly, cron)"),
        ("cron", {"cron_expression": "61 * * * *"},
         "bad cron expression '61 * * * *': [61 * * * *] is not acceptable, out of range"),
        ("cron", {"cron_expression": "0 2 * * xyz"}, "bad cron expression '0 2 * * xyz': [0 2 * * xyz] is not acceptable"),
        ("cron", {"cron_expression": "0 2 * *"}, "bad cron expression '0 2 * *': expected 5 fields (minute hour day "
                 "month weekday) or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"),
        ("cron", {"cron_expression": "0 0 2 * * *"}, "bad cron expression '0 0 2 * * *': expected 5 fields (minute "
                 "hour day month weekday) or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"),
        ("cron", {"cron_expression": "0 0 30 2 *"}, "cron expression '0 0 30 2 *' never matches a date"),
        ("cron", {"cron_expression": "0 " + ",".join(["1"] * 60) + " * * *"},
         "cron expression '0 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,'... is longer than 120 characters"),
        ("cron", {"cron_expression": "0 0 31 4,6 *"}, "cron expression '0 0 31 4,6 *' never matches a date"),
        ("daily", {"time_of_day": "25:00"}, "time of day '25:00' is not a time (expected HH:MM or HH:MM:SS, 00:00-23:59)"),
        ("daily", {"time_of_day": "12:60"}, "time of day '12:60' is not a time (expected HH:MM or HH:MM:SS, 00:00-23:59)"),
        ("daily", {"time_of_day": "12:00:60"},
         "time of day '12:00:60' is not a time (expected HH:MM or HH:MM:SS, 00:00-23:59)"),
        ("daily", {"time_of_day": "noon"}, "time of day 'noon' is not a time (expected HH:MM or HH:MM:SS, 00:00-23:59)"),
        ("interval", {"interval_seconds": 0}, "interval 0 must be a positive number of seconds"),
        ("interval", {"interval_seconds": -5}, "interval -5 must be a positive number of seconds"),
        ("interval", {"interval_seconds": "0"}, "interval 0 must be a positive number of seconds"),
        ("interval", {"interval_seconds": "-5"},
         "interval '-5' must be a positive number of seconds, or with a unit: 90s, 15m, 2h, 1d"),
        ("interval", {"interval_seconds": "1w"},
         "interval '1w' must be a positive number of seconds, or with a unit: 90s, 15m, 2h, 1d"),
        ("onetime", {"run_at": "2024-12-31T23:59Z", "now": NOW}, "run time 2024-12-31 23:59 UTC is in the past"),
        ("onetime", {"run_at": "2025-01-01T00:30", "now": NOW, "tz": PARIS},
         "run time 2025-01-01 00:30 CET is in the past"),
        ("interval", {"interval_seconds": 60, "run_at": "2024-12-31T23:59:30Z", "now": NOW},
         "run time 2024-12-31 23:59:30 UTC is in the past"),
        ("onetime", {"run_at": "tomorrow"}, "run time 'tomorrow' is not an ISO date and time (e.g. 2025-06-01T02:00)"),
        ("onetime", {}, "a onetime schedule needs a run time (ISO date and time)"),
        ("interval", {}, "an interval schedule needs an interval (seconds, or with a unit: 90s, 15m, 2h, 1d)"),
        ("daily", {}, "a daily schedule needs a time of day (HH:MM)"),
        ("weekly", {"days_of_week": "mon"}, "a weekly schedule needs a time of day (HH:MM)"),
        ("weekly", {"time_of_day": "02:00"}, "a weekly schedule needs days of the week (e.g. mon,thu)"),
        ("weekly", {"time_of_day": "02:00", "days_of_week": " , "},
         "a weekly schedule needs days of the week (e.g. mon,thu)"),
        ("cron", {}, "a cron schedule needs a cron expression (e.g. '0 2 * * *')"),
        ("weekly", {"time_of_day": "02:00", "days_of_week": "mon,mom"},
         "unknown weekday 'mom' (did you mean mon? use mon, tue, wed, thu, fri, sat, sun)"),
        ("weekly", {"time_of_day": "02:00", "days_of_week": "xx"},
         "unknown weekday 'xx' (use mon, tue, wed, thu, fri, sat, sun)"),
        ("daily", {"time_of_day": "02:00", "cron_expression": "0 2 * * *"}, "a daily schedule takes no cron expression"),
        ("daily", {"time_of_day": "02:00", "days_of_week": "mon"}, "a daily schedule takes no days of the week"),
        ("immediate", {"interval_seconds": "5"}, "an immediate schedule takes no interval"),
        ("onetime", {"run_at": "2030-01-01T00:00Z", "time_of_day": "02:00"}, "a onetime schedule takes no time of day"),
        ("cron", {"cron_expression": "0 2 * * *", "run_at": "2030-01-01T00:00Z"}, "a cron schedule takes no run time"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line(type_: str, fields: dict[str, Any], message: str) -> None:
    with pytest.raises(JobError) as excinfo:
        Schedule.parse(type_, **fields)
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    "kwargs",
    [{"run_at": datetime(2030, 1, 1)}, {"run_at": "2030-01-01"}, {"interval_seconds": True}],
    ids=["naive-run-at", "text-run-at", "bool-interval"],
)
def test_the_constructor_wants_python_values(kwargs: dict[str, Any]) -> None:
    with pytest.raises(JobError):
        Schedule("onetime" if "run_at" in kwargs else "interval", **kwargs)


def test_columns_and_descriptions() -> None:
    schedule = weekly("thu,mon", "02:00")
    assert schedule.as_columns() == {
        "schedule_type": "weekly", "run_at": None, "interval_seconds": None, "time_of_day": "02:00",
        "days_of_week": "mon,thu", "cron_expression": None,
    }  # fmt: skip
    assert (
        Schedule.parse(**{k.removeprefix("schedule_"): v for k, v in schedule.as_columns().items()})
        == schedule
    )
    assert schedule.describe() == "weekly on mon, thu at 02:00"
    assert daily("02:00").describe() == "daily at 02:00"
    assert cron("0 2 * * *").describe() == "cron 0 2 * * *"
    assert Schedule().describe() == "immediately"
    assert interval(90).describe() == "every 90s"
    assert interval(7200, "2030-06-01T00:00Z").describe(PARIS) == "every 2h from 2030-06-01 02:00 CEST"
    assert (
        Schedule("onetime", run_at=at("2030-01-01T00:00:30Z")).describe(PARIS)
        == "once at 2030-01-01 01:00:30 CET"
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"type": "nightly"}, "type"),
        ({"type": "cron", "cron_expression": "61 * * * *"}, "cron_expression"),
        ({"type": "cron", "cron_expression": "* *"}, "cron_expression"),
        ({"type": "cron"}, "cron_expression"),
        ({"type": "daily", "time_of_day": "25:00"}, "time_of_day"),
        ({"type": "weekly", "time_of_day": "02:00", "days_of_week": "mon,fnord"}, "days_of_week"),
        ({"type": "interval", "interval_seconds": "soon"}, "interval_seconds"),
        ({"type": "onetime", "run_at": "tomorrow"}, "run_at"),
        ({"type": "daily", "time_of_day": "02:00", "cron_expression": "* * * * *"}, "cron_expression"),
    ],
)
def test_a_bad_schedule_names_its_field(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(JobError) as excinfo:
        Schedule.parse(**kwargs)
    assert excinfo.value.field == field
