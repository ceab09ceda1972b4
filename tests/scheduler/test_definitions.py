"""Job definitions on SQLite and PostgreSQL: validation first, nothing written on error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netraven.db.models import Job, JobRun
from netraven.exceptions import JobError
from netraven.inventory import add_device, add_tag
from netraven.jobs import (
    Schedule,
    create_job,
    get_job,
    job_to_dict,
    latest_runs,
    list_jobs,
    list_runs,
    remove_job,
    set_enabled,
)
from tests.scheduler.jobtypes import registry

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)  # 13:00 in Paris


@pytest.fixture
def fleet(session: Session) -> Session:
    add_device(session, "r1", "10.0.0.1", "cisco_ios", tags=["core"])
    add_device(session, "r2", "10.0.0.2", "cisco_ios", tags=["core", "edge"])
    add_tag(session, "empty")
    session.flush()
    return session


def create(session: Session, name: str = "nightly", **kwargs: Any) -> Job:
    fields: dict[str, Any] = {"job_type": "backup", "devices": ["r1"], "now": NOW, "tz": PARIS, **kwargs}
    return create_job(session, name=name, job_types=registry(), **fields)


def run(session: Session, job: Job, scheduled_for: datetime | None, status: str = "succeeded") -> JobRun:
    row = JobRun(job_id=job.id, job_type=job.job_type, status=status, scheduled_for=scheduled_for)
    session.add(row)
    session.flush()
    return row


def test_create_stores_targets_parameters_and_the_next_run(fleet: Session) -> None:
    job = create(
        fleet,
        job_type="command",
        parameters={"commands": "show version, show clock"},
        devices=["r2", " r1 ", "r2"],
        tags=["edge"],
        schedule=Schedule.parse("weekly", days_of_week="fri,mon", time_of_day="02:30"),
        priority=5,
        created_by="alice",
    )
    fleet.expire_all()
    job = get_job(fleet, "nightly")
    assert job_to_dict(job) == {
        "id": job.id,
        "name": "nightly",
        "job_type": "command",
        "parameters": {"commands": ["show version", "show clock"]},
        "targets": {"devices": ["r1", "r2"], "tags": ["edge"], "all": False},
        "schedule": {"type": "weekly", "run_at": None, "interval_seconds": None, "time_of_day": "02:30",
                     "days_of_week": ["mon", "fri"], "cron_expression": None},
        "priority": 5,
        "enabled": True,
        "next_run_at": datetime(2025, 1, 17, 1, 30, tzinfo=UTC),  # Friday 02:30 in Paris
        "created_by": "alice",
        "created_at": job.created_at,
    }  # fmt: skip
    assert (job.schedule_type, job.days_of_week, job.time_of_day) == ("weekly", "mon,fri", "02:30")


@pytest.mark.parametrize(
    ("schedule", "enabled", "expected"),
    [
        (None, True, NOW),
        (Schedule("daily", time_of_day="02:00"), True, datetime(2025, 1, 16, 1, 0, tzinfo=UTC)),
        (Schedule("interval", interval_seconds=3600), True, NOW),
        (Schedule("onetime", run_at=NOW + timedelta(days=1)), True, NOW + timedelta(days=1)),
        (Schedule("cron", cron_expression="0 2 * * *"), False, None),
    ],
)
def test_next_run_at(
    fleet: Session, schedule: Schedule | None, enabled: bool, expected: datetime | None
) -> None:
    job = create(fleet, schedule=schedule, enabled=enabled, target_all=True, devices=[])
    assert job.next_run_at == expected and job.enabled is enabled and job.target_all


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"job_type": "bakup"}, "unknown job type 'bakup' (known: backup, command)"),
        ({"job_type": "command"}, "job type 'command': parameter 'commands' is required (list[str]: commands to run)"),
        ({"parameters": {"retries": "many"}}, "job type 'backup': parameter 'retries' = 'many': expected an integer"),
        ({"parameters": {"retry": 1}}, "job type 'backup': unknown parameter 'retry' (known: retries)"),
        ({"devices": ["r1", "r9"]}, "no device named 'r9'"),
        ({"devices": [f"x{i}" for i in range(7)]}, "no devices named 'x0', 'x1', 'x2', 'x3', 'x4' and 2 more"),
        ({"tags": ["nope"]}, "no tag named 'nope'"),
        ({"devices": []}, "job 'nightly' has no targets: give --device, --tag or --all"),
        ({"devices": [" "]}, "job 'nightly' has no targets: give --device, --tag or --all"),
        ({"target_all": True}, "job 'nightly' targets all devices: give no --device or --tag with --all"),
        ({"name": "existing"}, "a job named 'existing' already exists"),
        ({"name": " "}, "job name is empty"),
        ({"name": "x" * 256}, "job name '" + "x" * 55 + "...' is longer than 255 characters"),
        ({"name": "42"}, "job name '42' must not be a number (numbers are job ids)"),
        ({"priority": "high"}, "priority 'high' must be an integer"),
        ({"priority": 2**63}, f"priority {2**63} is outside -2147483647 to 2147483647"),
        ({"schedule": Schedule("onetime", run_at=NOW - timedelta(minutes=1))},
         "run time 2025-01-15 12:59 CET is in the past"),
    ],
)  # fmt: skip
def test_bad_input_writes_nothing(fleet: Session, kwargs: dict[str, Any], message: str) -> None:
    create(fleet, name="existing")
    count = fleet.scalar(select(func.count()).select_from(Job))
    with pytest.raises(JobError) as excinfo:
        create(fleet, **{"name": "nightly", **kwargs})
    assert str(excinfo.value) == message
    assert fleet.scalar(select(func.count()).select_from(Job)) == count
    assert [job.name for job in list_jobs(fleet)] == ["existing"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"job_type": "bakup"}, "job_type"),
        ({"parameters": {"retries": "many"}}, "parameters"),
        ({"devices": ["r9"]}, "devices"),
        ({"tags": ["nope"]}, "tags"),
        ({"devices": []}, "targets"),
        ({"name": "existing"}, "name"),
        ({"name": " "}, "name"),
        ({"name": "42"}, "name"),
        ({"priority": "high"}, "priority"),
        ({"schedule": Schedule("onetime", run_at=NOW - timedelta(minutes=1))}, "run_at"),
    ],
)  # fmt: skip
def test_bad_input_names_its_field(fleet: Session, kwargs: dict[str, Any], field: str) -> None:
    create(fleet, name="existing")
    with pytest.raises(JobError) as excinfo:
        create(fleet, **{"name": "nightly", **kwargs})
    assert excinfo.value.field == field


def test_get_and_list(fleet: Session) -> None:
    daily = create(fleet, "b-daily", schedule=Schedule("daily", time_of_day="02:00"))
    adhoc = create(fleet, "a-adhoc", tags=["core"], devices=[])
    off = create(fleet, "c-off", schedule=Schedule("interval", interval_seconds=60), enabled=False)
    assert get_job(fleet, daily.id) is daily and get_job(fleet, " b-daily ") is daily
    with pytest.raises(JobError, match=r"^no job with id 999$"):
        get_job(fleet, 999)
    with pytest.raises(JobError, match=r"^no job named 'nope'$"):
        get_job(fleet, "nope")
    assert list_jobs(fleet) == [adhoc, daily, off]
    assert list_jobs(fleet, scheduled=True) == [daily, off]
    assert list_jobs(fleet, scheduled=False) == [adhoc]
    assert list_jobs(fleet, enabled=False) == [off]


def test_disable_and_enable(fleet: Session) -> None:
    job = create(fleet, schedule=Schedule("daily", time_of_day="02:00"))
    assert set_enabled(fleet, "nightly", False, now=NOW, tz=PARIS).next_run_at is None
    assert not job.enabled
    later = NOW + timedelta(days=3)
    assert set_enabled(fleet, job.id, True, now=later, tz=PARIS).next_run_at == datetime(
        2025, 1, 19, 1, tzinfo=UTC
    )
    assert set_enabled(fleet, job.id, True, now=NOW, tz=PARIS).next_run_at == datetime(
        2025, 1, 19, 1, tzinfo=UTC
    )


def test_re_enabling_keeps_an_interval_on_its_grid(fleet: Session) -> None:
    job = create(fleet, schedule=Schedule("interval", interval_seconds=3600))
    run(fleet, job, NOW)
    set_enabled(fleet, job.id, False)
    job = set_enabled(fleet, job.id, True, now=NOW + timedelta(hours=5, minutes=10), tz=PARIS)
    assert job.next_run_at == NOW + timedelta(hours=6)


@pytest.mark.parametrize("ran", [False, True])
def test_re_enabling_a_one_time_job(fleet: Session, ran: bool) -> None:
    at = NOW + timedelta(hours=1)
    job = create(fleet, schedule=Schedule("onetime", run_at=at))
    if ran:
        run(fleet, job, at)
    set_enabled(fleet, job.id, False)
    assert set_enabled(fleet, job.id, True, now=at + timedelta(days=1)).next_run_at == (None if ran else at)


def test_runs_and_remove(fleet: Session) -> None:
    first, second = create(fleet, "first"), create(fleet, "second")
    runs = [run(fleet, first, NOW), run(fleet, second, None, "failed"), run(fleet, first, None, "running")]
    adhoc = JobRun(job_type="backup", status="queued")
    fleet.add(adhoc)
    fleet.flush()
    assert list_runs(fleet) == [adhoc, runs[2], runs[1], runs[0]]
    assert list_runs(fleet, job_id=first.id) == [runs[2], runs[0]]
    assert list_runs(fleet, limit=1) == [adhoc]
    assert latest_runs(fleet) == {first.id: runs[2], second.id: runs[1]}
    with pytest.raises(JobError, match=r"^limit 0 must be a positive integer$"):
        list_runs(fleet, limit=0)

    remove_job(fleet, "first")
    assert [job.name for job in list_jobs(fleet)] == ["second"]
    assert fleet.scalar(select(func.count()).select_from(JobRun).where(JobRun.job_id == first.id)) == 0
    with pytest.raises(JobError, match=r"^no job named 'first'$"):
        remove_job(fleet, "first")


def test_deleting_a_device_or_tag_leaves_the_job(fleet: Session) -> None:
    from netraven.inventory import remove_device, remove_tag

    job = create(fleet, devices=["r1", "r2"], tags=["edge"])
    remove_device(fleet, "r1")
    remove_tag(fleet, "edge")
    fleet.expire_all()
    assert job_to_dict(get_job(fleet, job.id))["targets"] == {"devices": ["r2"], "tags": [], "all": False}
