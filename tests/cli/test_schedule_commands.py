"""``netraven schedule`` through click, on SQLite and PostgreSQL, with test job types."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.cli.schedule import schedule
from netraven.db import create_engine_for_url
from netraven.db.models import JobRun
from tests.cli.scheduling import make_env, run

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(params=["sqlite", "postgresql"])
def env(
    request: pytest.FixtureRequest, new_database_url: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    return make_env(request.param, new_database_url, monkeypatch, "America/New_York", ("core", "core"))


def listed(env: dict[str, str]) -> list[dict[str, Any]]:
    result = run(env, "schedule", "list", "--json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.output)
    return rows


def test_add_list_remove(env: dict[str, str]) -> None:
    result = run(env, "--user", "bob", "schedule", "add", "r1", "--schedule-type", "daily", "--time", "02:30")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Schedule 'backup-r1-daily' added (job 1, daily at 02:30); next run: ")
    assert result.output.endswith((" 02:30 EST.\n", " 02:30 EDT.\n"))
    commands = ["schedule", "add", "--tag", "core", "--schedule-type", "weekly", "--days", "thu,mon", "--time", "03:00",
                "--job-type", "command", "--param", "commands=show run", "--priority", "5"]  # fmt: skip
    assert run(env, *commands).exit_code == 0
    assert (
        run(env, "schedule", "add", "--all", "--schedule-type", "interval", "--interval", "2h").exit_code == 0
    )
    at = (datetime.now(NEW_YORK) + timedelta(days=2)).replace(tzinfo=None, second=0, microsecond=0)
    result = run(
        env, "schedule", "add", "r2", "--schedule-type", "onetime", "--at", at.isoformat(), "--name", "later"
    )
    assert result.exit_code == 0, result.output
    assert run(env, "job", "create", "adhoc", "--type", "backup", "--all").exit_code == 0  # not a schedule

    rows = listed(env)
    assert [(r["id"], r["name"], r["job_type"], r["schedule"]["description"]) for r in rows] == [
        (3, "backup-all-interval", "backup", "every 2h"),
        (1, "backup-r1-daily", "backup", "daily at 02:30"),
        (2, "command-core-weekly", "command", "weekly on mon, thu at 03:00"),
        (4, "later", "backup", f"once at {at:%Y-%m-%d %H:%M} {at.replace(tzinfo=NEW_YORK):%Z}"),
    ]
    assert rows[1]["created_by"] == "bob"
    assert rows[2]["parameters"] == {"commands": ["show run"]} and rows[2]["priority"] == 5
    assert rows[2]["targets"] == {"devices": [], "tags": ["core"], "all": False}
    assert rows[0]["targets"]["all"] and rows[3]["targets"]["devices"] == ["r2"]
    interval_next = datetime.fromisoformat(rows[0]["next_run_at"])
    assert abs(interval_next - datetime.now(UTC)) < timedelta(minutes=1)  # an interval starts at once
    assert rows[3]["next_run_at"] == at.replace(tzinfo=NEW_YORK).isoformat()  # shown in the settings' zone

    result = run(env, "schedule", "remove", "1", input="n\n")
    assert result.exit_code == 1 and len(listed(env)) == 4
    result = run(env, "schedule", "remove", "1", "--yes")
    assert result.exit_code == 0 and result.output == "Schedule 'backup-r1-daily' removed.\n"
    assert run(env, "schedule", "remove", "later", "--yes").exit_code == 0
    assert [r["name"] for r in listed(env)] == ["backup-all-interval", "command-core-weekly"]


def test_list_shows_the_last_run_and_its_status(env: dict[str, str]) -> None:
    assert run(env, "schedule", "add", "r1", "--schedule-type", "cron", "--cron", "0 2 * * *").exit_code == 0
    engine = create_engine_for_url(env["NETRAVEN_DATABASE__URL"])
    with Session(engine) as session, session.begin():
        started = datetime(2025, 7, 1, 6, 0, 5, tzinfo=UTC)
        session.add(JobRun(job_id=1, job_type="backup", status="partial", started_at=started))
    engine.dispose()
    assert listed(env)[0]["last_run"]["status"] == "partial"
    assert listed(env)[0]["last_run"]["started_at"] == "2025-07-01T02:00:05-04:00"
    table = run(env, "schedule", "list")
    assert table.exit_code == 0 and "backup-r1-cron" in table.output and "partial" in table.output
    assert "2025-07-01 02:00:05 EDT" in table.output and "Times in America/New_York" in table.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["r1", "--schedule-type", "dayly", "--time", "02:00"],
         "unknown schedule type 'dayly' (did you mean daily? known: immediate, onetime, interval, daily, weekly, cron)"),
        (["r1", "--schedule-type", "daily", "--time", "02:00", "--days", "mon"],
         "a daily schedule takes no days of the week"),
        (["r1", "--schedule-type", "daily"], "a daily schedule needs a time of day (HH:MM)"),
        (["r1", "--schedule-type", "weekly", "--time", "02:00"],
         "a weekly schedule needs days of the week (e.g. mon,thu)"),
        (["r1", "--schedule-type", "cron", "--cron", "0 0 30 2 *"], "cron expression '0 0 30 2 *' never matches a date"),
        (["r1", "--schedule-type", "interval", "--interval", "-1"],
         "interval '-1' must be a positive number of seconds, or with a unit: 90s, 15m, 2h, 1d"),
        (["r1", "--schedule-type", "onetime", "--at", "soon"],
         "run time 'soon' is not an ISO date and time (e.g. 2025-06-01T02:00)"),
        (["r9", "--schedule-type", "daily", "--time", "02:00"], "no device named 'r9'"),
        (["--tag", "nope", "--schedule-type", "daily", "--time", "02:00"], "no tag named 'nope'"),
        (["--schedule-type", "daily", "--time", "02:00"],
         "job 'backup-all-daily' has no targets: give --device, --tag or --all"),
        (["r1", "--schedule-type", "daily", "--time", "04:00"], "a job named 'backup-r1-daily' already exists"),
        (["r1", "--schedule-type", "daily", "--time", "02:00", "--job-type", "restore"],
         "unknown job type 'restore' (known: backup, command)"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_writes_nothing(env: dict[str, str], args: list[str], message: str) -> None:
    assert run(env, "schedule", "add", "r1", "--schedule-type", "daily", "--time", "01:00").exit_code == 0
    before = listed(env)
    result = run(env, "schedule", "add", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {message}\n")
    assert listed(env) == before
    result = run(env, "schedule", "remove", "7", "--yes")
    assert (result.exit_code, result.stderr) == (1, "Error: no job with id 7\n")


def test_every_command_has_help() -> None:
    assert schedule.help
    for name, command in schedule.commands.items():
        assert command.help, name
        result = CliRunner().invoke(main, ["schedule", name, "--help"])
        assert result.exit_code == 0 and f" schedule {name} [OPTIONS]" in result.output
