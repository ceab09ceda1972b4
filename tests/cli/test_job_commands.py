"""``netraven job`` through click, on SQLite and PostgreSQL, with test job types."""

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
from netraven.cli.job import job
from netraven.db import create_engine_for_url
from netraven.db.models import JobRun
from tests.cli.scheduling import make_env, run

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(params=["sqlite", "postgresql"])
def env(
    request: pytest.FixtureRequest, new_database_url: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    return make_env(request.param, new_database_url, monkeypatch, "Europe/Paris", ("core", "edge"))


def data(env: dict[str, str], *args: str) -> Any:
    result = run(env, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def add_run(env: dict[str, str], job_id: int, status: str, scheduled_for: datetime | None = None) -> None:
    engine = create_engine_for_url(env["NETRAVEN_DATABASE__URL"])
    with Session(engine) as session, session.begin():
        session.add(JobRun(job_id=job_id, job_type="backup", status=status, scheduled_for=scheduled_for,
                           triggered_by="scheduler", hosts_total=2, hosts_succeeded=1, hosts_failed=1))  # fmt: skip
    engine.dispose()


def test_create_list_show(env: dict[str, str]) -> None:
    result = run(env, "--user", "alice", "job", "create", "show-clock", "--type", "command", "--device", "r1",
                 "--tag", "edge", "--param", "commands=show clock,show version", "--schedule-type", "cron",
                 "--cron", "30 2 * * *", "--priority", "7")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Job 'show-clock' created (id 1, cron 30 2 * * *); next run: ")
    assert result.output.endswith(":30 CET.\n") or result.output.endswith(":30 CEST.\n")
    assert run(env, "job", "create", "now", "--type", "backup", "--all").exit_code == 0

    rows = data(env, "job", "list")
    assert [r["name"] for r in rows] == ["now", "show-clock"]
    shown = data(env, "job", "show", "show-clock")
    assert shown == rows[1] == data(env, "job", "show", "1")
    assert {
        k: shown[k] for k in ("job_type", "parameters", "targets", "priority", "enabled", "created_by")
    } == {
        "job_type": "command",
        "parameters": {"commands": ["show clock", "show version"]},
        "targets": {"devices": ["r1"], "tags": ["edge"], "all": False},
        "priority": 7,
        "enabled": True,
        "created_by": "alice",
    }
    assert shown["schedule"]["description"] == "cron 30 2 * * *" and shown["last_run"] is None
    next_run = datetime.fromisoformat(shown["next_run_at"])
    assert next_run.utcoffset() == next_run.astimezone(PARIS).utcoffset()  # shown in the settings' zone
    assert (next_run.hour, next_run.minute) == (2, 30)
    assert timedelta(0) < next_run - datetime.now(UTC) <= timedelta(days=1)
    assert rows[0]["targets"]["all"] and rows[0]["schedule"]["type"] == "immediate"
    assert not data(env, "job", "list", "--disabled")

    table = run(env, "job", "list")
    assert table.exit_code == 0 and "show-clock" in table.output and "Times in Europe/Paris" in table.output
    text = run(env, "job", "show", "show-clock").output
    assert "parameters:   commands=['show clock', 'show version']\n" in text
    assert "targets:      r1, tag:edge\n" in text and "created by:   alice\n" in text


def test_disable_enable_and_runs(env: dict[str, str]) -> None:
    assert run(env, "job", "create", "nightly", "--type", "backup", "--tag", "core", "--schedule-type", "daily",
               "--time", "02:00").exit_code == 0  # fmt: skip
    before = data(env, "job", "show", "nightly")["next_run_at"]
    result = run(env, "job", "disable", "nightly")
    assert result.exit_code == 0 and result.output == "Job 'nightly' disabled.\n"
    assert data(env, "job", "show", "1")["next_run_at"] is None
    assert [r["name"] for r in data(env, "job", "list", "--disabled")] == ["nightly"]
    result = run(env, "job", "enable", "1")
    assert result.exit_code == 0 and result.output.startswith("Job 'nightly' enabled; next run: ")
    assert data(env, "job", "show", "nightly")["next_run_at"] == before

    add_run(env, 1, "succeeded", datetime(2025, 1, 1, 1, tzinfo=UTC))
    add_run(env, 1, "failed")
    runs = data(env, "job", "runs", "nightly")
    assert [(r["id"], r["job"], r["status"]) for r in runs] == [
        (2, "nightly", "failed"),
        (1, "nightly", "succeeded"),
    ]
    assert runs[1]["scheduled_for"] == "2025-01-01T02:00:00+01:00"
    assert [r["id"] for r in data(env, "job", "runs", "--limit", "1")] == [2]
    assert data(env, "job", "show", "nightly")["last_run"]["status"] == "failed"
    table = run(env, "job", "runs")
    assert table.exit_code == 0 and "succeeded" in table.output and "2025-01-01 02:00 CET" in table.output
    assert "last run:     failed (run 2, -)" in run(env, "job", "show", "nightly").output


def test_remove(env: dict[str, str]) -> None:
    assert run(env, "job", "create", "once", "--type", "backup", "--device", "r1").exit_code == 0
    add_run(env, 1, "succeeded")
    assert run(env, "job", "remove", "once", input="n\n").exit_code == 1
    assert [r["name"] for r in data(env, "job", "list")] == ["once"]
    result = run(env, "job", "remove", "1", "--yes")
    assert result.exit_code == 0 and result.output == "Job 'once' removed.\n"
    assert data(env, "job", "list") == [] and data(env, "job", "runs") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "j", "--type", "bakup", "--all"], "unknown job type 'bakup' (known: backup, command)"),
        (["create", "j", "--type", "command", "--all"],
         "job type 'command': parameter 'commands' is required (list[str]: commands to run)"),
        (["create", "j", "--type", "backup", "--all", "--param", "retries"], "parameter 'retries': expected NAME=VALUE"),
        (["create", "j", "--type", "backup", "--all", "--param", "retries=x"],
         "job type 'backup': parameter 'retries' = 'x': expected an integer"),
        (["create", "j", "--type", "backup", "--device", "r9"], "no device named 'r9'"),
        (["create", "j", "--type", "backup", "--tag", "nope"], "no tag named 'nope'"),
        (["create", "j", "--type", "backup"], "job 'j' has no targets: give --device, --tag or --all"),
        (["create", "j", "--type", "backup", "--all", "--device", "r1"],
         "job 'j' targets all devices: give no --device or --tag with --all"),
        (["create", "existing", "--type", "backup", "--all"], "a job named 'existing' already exists"),
        (["create", "12", "--type", "backup", "--all"], "job name '12' must not be a number (numbers are job ids)"),
        (["create", "j", "--type", "backup", "--all", "--schedule-type", "dayly"],
         "unknown schedule type 'dayly' (did you mean daily? known: immediate, onetime, interval, daily, weekly, cron)"),
        (["create", "j", "--type", "backup", "--all", "--schedule-type", "cron", "--cron", "0 2 * *"],
         "bad cron expression '0 2 * *': expected 5 fields (minute hour day month weekday) or one of @yearly, "
         "@annually, @monthly, @weekly, @daily, @midnight, @hourly"),
        (["create", "j", "--type", "backup", "--all", "--schedule-type", "daily", "--time", "25:00"],
         "time of day '25:00' is not a time (expected HH:MM or HH:MM:SS, 00:00-23:59)"),
        (["create", "j", "--type", "backup", "--all", "--schedule-type", "interval", "--interval", "0"],
         "interval 0 must be a positive number of seconds"),
        (["create", "j", "--type", "backup", "--all", "--schedule-type", "onetime", "--at", "2020-06-01T02:00"],
         "run time 2020-06-01 02:00 CEST is in the past"),
        (["create", "j", "--type", "backup", "--all", "--schedule-type", "weekly", "--time", "02:00", "--days", "mon,tuw"],
         "unknown weekday 'tuw' (did you mean tue? use mon, tue, wed, thu, fri, sat, sun)"),
        (["create", "j", "--type", "backup", "--all", "--time", "02:00"], "an immediate schedule takes no time of day"),
        (["show", "nope"], "no job named 'nope'"),
        (["enable", "99"], "no job with id 99"),
        (["disable", "nope"], "no job named 'nope'"),
        (["remove", "nope", "--yes"], "no job named 'nope'"),
        (["runs", "nope"], "no job named 'nope'"),
        (["runs", "--limit", "0"], "limit 0 must be a positive integer"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_writes_nothing(env: dict[str, str], args: list[str], message: str) -> None:
    assert run(env, "job", "create", "existing", "--type", "backup", "--all", "--disabled").exit_code == 0
    before = data(env, "job", "list")
    result = run(env, "job", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {message}\n")
    assert data(env, "job", "list") == before


def test_every_command_has_help() -> None:
    assert job.help
    for name, command in job.commands.items():
        assert command.help, name
        result = CliRunner().invoke(main, ["job", name, "--help"])
        assert result.exit_code == 0 and f" job {name} [OPTIONS]" in result.output


def test_wait_without_a_worker_says_so_and_stops_at_the_timeout(env: dict[str, str]) -> None:
    assert run(env, "job", "create", "by-hand", "--type", "backup", "--tag", "core").exit_code == 0
    started = datetime.now(UTC)
    result = CliRunner().invoke(main, ["job", "run", "by-hand", "--wait", "--timeout", "11"], env=env)
    waited = (datetime.now(UTC) - started).total_seconds()

    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "Run 1 queued; waiting for it to end (Ctrl-C stops waiting, not the run)."
    assert lines[1].startswith("Run 1 is still queued after 1") and lines[1].endswith(
        "s: no worker has taken it (is 'netraven worker' running?)"
    )
    assert lines[2] == "Error: stopped waiting after 11 s: run 1 is still queued (it goes on)"
    assert 11 <= waited < 20
    assert data(env, "job", "runs", "by-hand")[0]["status"] == "queued"  # the run goes on


def test_run_cancel_ends_a_queued_run_asks_a_running_one_and_refuses_an_ended_one(
    env: dict[str, str],
) -> None:
    from netraven import audit

    engine = create_engine_for_url(env["NETRAVEN_DATABASE__URL"])
    with Session(engine) as session, session.begin():
        runs = [
            JobRun(job_type="backup", status=status, targets={"all": True})
            for status in ("queued", "running", "failed")
        ]
        session.add_all(runs)
        session.flush()
        queued, running, failed = (r.id for r in runs)
    result = run(env, "--user", "alice", "run", "cancel", str(queued))
    assert result.exit_code == 0 and result.output == f"Run {queued} cancelled.\n"
    asked = data(env, "--user", "alice", "run", "cancel", str(running))
    assert asked["status"] == "running" and asked["id"] == running
    result = run(env, "run", "cancel", str(failed))
    assert (
        result.exit_code == 1
        and result.output == f"Error: run {failed} has ended (failed): nothing to cancel\n"
    )
    assert run(env, "run", "cancel", "999999").output == "Error: no run with id 999999\n"
    with Session(engine) as session:
        stored = {r.id: r for r in session.query(JobRun)}
        assert (
            stored[queued].status == "cancelled"
            and stored[queued].message == "cancelled by alice before it started"
        )
        assert stored[running].cancel_requested_by == "alice" and stored[failed].cancel_requested_at is None
        entries = audit.list_entries(session, action="run.cancel").items
        assert sorted((e.object_id, e.actor_name, e.outcome) for e in entries if e.outcome == "succeeded") == sorted(
            [(str(queued), "alice", "succeeded"), (str(running), "alice", "succeeded")])  # fmt: skip
    engine.dispose()
