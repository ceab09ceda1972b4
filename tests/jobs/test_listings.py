"""Paged job and run listings, schedule previews, editing, queueing and cancelling runs, and the
progress feed, on SQLite and PostgreSQL: bad input refused with one line and nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netraven.db.models import Device, Job, JobResult, JobRun
from netraven.exceptions import JobError, NetRavenError
from netraven.inventory import add_device
from netraven.jobs import (
    JobFilter,
    RunFeed,
    RunFilter,
    Schedule,
    Targets,
    cancel_run,
    create_job,
    edit_job,
    failure_kinds,
    job_preview,
    latest_result_id,
    page_device_results,
    page_jobs,
    page_results,
    page_runs,
    preview,
    queue_run,
)
from tests.scheduler.jobtypes import registry

NOW = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def fleet(session: Session) -> Session:
    for n in range(3):
        add_device(session, f"r{n}", f"10.0.0.{n + 1}", "cisco_ios", tags=["core"])
    session.flush()
    return session


def job(session: Session, name: str, **kwargs: object) -> Job:
    fields: dict[str, object] = {"job_type": "backup", "tags": ["core"], "now": NOW, **kwargs}
    return create_job(session, name=name, job_types=registry(), **fields)  # type: ignore[arg-type]


def run(session: Session, status: str, job_id: int | None = None, by: str = "alice") -> JobRun:
    row = JobRun(job_id=job_id, job_type="backup", status=status, triggered_by=by, targets={"tags": ["core"]})
    session.add(row)
    session.flush()
    return row


def test_jobs_are_paged_filtered_sorted_and_counted(fleet: Session) -> None:
    for name in ("nightly", "hourly-core", "weekly"):
        job(fleet, name, schedule=Schedule("daily", time_of_day="02:00"))
    job(fleet, "adhoc", job_type="command", parameters={"commands": ["show clock"]}, enabled=False)
    page = page_jobs(fleet, limit=2)
    assert [j.name for j in page.items] == ["adhoc", "hourly-core"] and page.total == 4
    assert [j.name for j in page_jobs(fleet, limit=2, offset=2).items] == ["nightly", "weekly"]
    assert [j.name for j in page_jobs(fleet, sort="-name", limit=1).items] == ["weekly"]
    assert [j.name for j in page_jobs(fleet, JobFilter(name="LY")).items] == [
        "hourly-core",
        "nightly",
        "weekly",
    ]
    assert page_jobs(fleet, JobFilter(name="%")).total == 0  # a wildcard is taken literally
    assert [j.name for j in page_jobs(fleet, JobFilter(enabled=False)).items] == ["adhoc"]
    assert page_jobs(fleet, JobFilter(scheduled=True, job_type="backup")).total == 3
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}, {"sort": "secret"}, {"limit": True}):
        with pytest.raises(JobError):
            page_jobs(fleet, **bad)  # type: ignore[arg-type]


def test_runs_are_filtered_by_status_job_type_since_and_who(fleet: Session) -> None:
    nightly = job(fleet, "nightly")
    first = run(fleet, "succeeded", nightly.id)
    second = run(fleet, "failed", by="bob")
    third = run(fleet, "running", nightly.id)
    assert [r.id for r in page_runs(fleet).items] == [third.id, second.id, first.id]
    assert [r.id for r in page_runs(fleet, RunFilter(job="nightly")).items] == [third.id, first.id]
    assert [r.id for r in page_runs(fleet, RunFilter(job=nightly.id, status="succeeded")).items] == [first.id]
    assert [r.id for r in page_runs(fleet, RunFilter(triggered_by="bob")).items] == [second.id]
    assert page_runs(fleet, RunFilter(since=datetime.now(UTC) + timedelta(hours=1))).total == 0
    assert [r.id for r in page_runs(fleet, sort="id", limit=1).items] == [first.id]
    with pytest.raises(JobError, match="unknown run status 'done'"):
        RunFilter(status="done")
    with pytest.raises(JobError, match="no job named 'nope'"):
        page_runs(fleet, RunFilter(job="nope"))


def test_a_runs_results_are_paged_by_hostname(fleet: Session) -> None:
    row = run(fleet, "partial")
    for name, status in (("r2", "failed"), ("r0", "succeeded"), ("r1", "succeeded")):
        fleet.add(JobResult(run_id=row.id, hostname=name, status=status, output={"version": 1}))
    fleet.flush()
    assert [r.hostname for r in page_results(fleet, row.id).items] == ["r0", "r1", "r2"]
    assert [r.hostname for r in page_results(fleet, row.id, status="failed").items] == ["r2"]
    with pytest.raises(JobError, match="no run with id 999999"):
        page_results(fleet, 999_999)
    with pytest.raises(JobError, match="unknown host status"):
        page_results(fleet, row.id, status="ok")


def test_previews_give_the_next_five_times() -> None:
    cron = preview(Schedule.parse("cron", cron_expression="0 2 * * 1"), NOW, PARIS)
    assert [t.astimezone(PARIS).strftime("%a %H:%M") for t in cron] == ["Mon 02:00"] * 5
    assert cron[1] - cron[0] == timedelta(days=7)
    every = preview(Schedule("interval", interval_seconds=900), NOW, UTC)
    assert every == [NOW + timedelta(minutes=15 * n) for n in range(5)]
    once = NOW + timedelta(days=1)
    assert preview(Schedule("onetime", run_at=once), NOW, UTC) == [once]


def test_a_jobs_preview_starts_at_its_next_run_and_is_empty_when_disabled(fleet: Session) -> None:
    daily = job(fleet, "daily", schedule=Schedule("daily", time_of_day="02:00"))
    times = job_preview(daily, NOW, UTC)
    assert times[0] == daily.next_run_at and len(times) == 5 and times[4] - times[0] == timedelta(days=4)
    assert job_preview(job(fleet, "off", enabled=False), NOW, UTC) == []


def test_edit_changes_what_is_given_and_reports_the_changes(fleet: Session) -> None:
    nightly = job(fleet, "nightly", schedule=Schedule("daily", time_of_day="02:00"))
    edited, changes = edit_job(fleet, "nightly", job_types=registry(), name="nightly-2", devices=["r1"],
                               schedule=Schedule.parse("cron", cron_expression="30 3 * * *"), now=NOW)  # fmt: skip
    assert edited.id == nightly.id and edited.name == "nightly-2"
    assert changes["name"] == ["nightly", "nightly-2"] and changes["devices"] == [[], ["r1"]]
    assert "tags" not in changes and edited.next_run_at == datetime(2025, 1, 16, 3, 30, tzinfo=UTC)
    _, none = edit_job(fleet, nightly.id, job_types=registry(), priority=edited.priority)
    assert none == {}
    _, to_all = edit_job(fleet, nightly.id, job_types=registry(), target_all=True, devices=[], tags=[])
    assert to_all["target_all"] == [False, True]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "other"}, "a job named 'other' already exists"),
        ({"parameters": {"retries": "many"}}, "retries"),
        ({"devices": ["nope"]}, "no device named 'nope'"),
        ({"devices": [], "tags": []}, "would have no targets"),
        ({"priority": "high"}, "priority 'high' must be an integer"),
        ({"name": "12"}, "must not be a number"),
    ],
)
def test_a_bad_edit_changes_nothing(fleet: Session, change: dict[str, object], message: str) -> None:
    job(fleet, "nightly")
    job(fleet, "other")
    with pytest.raises(NetRavenError, match=message), fleet.begin_nested():
        edit_job(fleet, "nightly", job_types=registry(), **change)  # type: ignore[arg-type]
    fleet.expire_all()
    kept = fleet.scalars(select(Job).where(Job.name == "nightly")).one()
    assert (
        [t.name for t in kept.tags] == ["core"] and kept.parameters == {"retries": 1} and kept.priority == 0
    )


def test_queue_run_validates_then_creates_a_queued_run(fleet: Session) -> None:
    queued = queue_run(
        fleet, registry(), "command", Targets.of(["r1"]), {"commands": ["show clock"]}, "alice"
    )
    row = fleet.get(JobRun, queued.run_id)
    assert row is not None and (row.status, row.triggered_by, row.parameters) == (
        "queued", "alice", {"commands": ["show clock"]})  # fmt: skip
    before = fleet.scalar(select(func.count()).select_from(JobRun))
    for args, message in (
        (("nope", Targets.of(all=True), {}), "unknown job type"),
        (("command", Targets.of(all=True), {}), "commands"),
        (("backup", Targets.of(["ghost"]), {}), "no device named 'ghost'"),
    ):
        with pytest.raises(NetRavenError, match=message):
            queue_run(fleet, registry(), *args)
    assert fleet.scalar(select(func.count()).select_from(JobRun)) == before


def test_cancel_ends_a_queued_run_and_asks_a_running_one_to_stop(fleet: Session) -> None:
    queued, running, done = run(fleet, "queued"), run(fleet, "running"), run(fleet, "succeeded")
    assert cancel_run(fleet, queued.id, "bob", now=NOW).status == "cancelled"
    assert queued.message == "cancelled by bob before it started" and queued.completed_at == NOW
    asked = cancel_run(fleet, running.id, "bob", now=NOW)
    assert (asked.status, asked.cancel_requested_at, asked.cancel_requested_by) == ("running", NOW, "bob")
    with pytest.raises(JobError, match=f"run {done.id} has ended \\(succeeded\\)"):
        cancel_run(fleet, done.id, "bob")
    with pytest.raises(JobError, match="no run with id 999999"):
        cancel_run(fleet, 999_999)


def test_the_feed_returns_each_host_once_and_ends_after_the_last(fleet: Session) -> None:
    row = run(fleet, "running")
    feed = RunFeed(row.id)
    assert feed.poll(fleet).hosts == [] and not feed.poll(fleet).ended
    fleet.add(JobResult(run_id=row.id, hostname="r0", status="succeeded", output={}))
    fleet.flush()
    first = feed.poll(fleet)
    assert [h["hostname"] for h in first.hosts] == ["r0"] and first.counts["succeeded"] == 1
    fleet.add(JobResult(run_id=row.id, hostname="r1", status="failed", output={}))
    row.status = "partial"
    fleet.flush()
    last = feed.poll(fleet)
    assert [h["hostname"] for h in last.hosts] == ["r1"] and last.ended and last.run["status"] == "partial"
    assert last.counts == {"succeeded": 1, "failed": 1, "skipped": 0, "done": 2}
    again = RunFeed(row.id, after=first.hosts[0]["id"]).poll(fleet)  # a client reconnecting
    assert [h["hostname"] for h in again.hosts] == ["r1"]
    with pytest.raises(JobError, match="no run with id 999999"):
        RunFeed(999_999).poll(fleet)


def test_failure_kinds_count_failed_hosts_by_kind_most_frequent_first(fleet: Session) -> None:
    row = run(fleet, "running")
    assert failure_kinds(fleet, row.id) == {}
    for n, (status, kind) in enumerate(
        [("failed", "timeout"), ("failed", "auth"), ("failed", "auth"), ("failed", None), ("succeeded", None)]
    ):
        fleet.add(JobResult(run_id=row.id, hostname=f"h{n}", status=status, error_kind=kind, output={}))
    fleet.flush()
    assert list(failure_kinds(fleet, row.id).items()) == [("auth", 2), ("other", 1), ("timeout", 1)]
    highest = max(r.id for r in fleet.scalars(select(JobResult).where(JobResult.run_id == row.id)))
    assert latest_result_id(fleet, row.id) == highest and latest_result_id(fleet, 999_999) == 0


def test_job_and_run_changes_are_in_the_audit_trail_with_their_actor(fleet: Session) -> None:
    from netraven import audit
    from netraven.principal import Principal, Role

    alice = Principal(kind="user", username="alice", role=Role.OPERATOR, address="192.0.2.7")
    with audit.acting_as(alice):
        nightly = job(fleet, "nightly")
        edit_job(fleet, nightly.id, job_types=registry(), priority=5)
        queued = queue_run(fleet, registry(), "backup", Targets.of(["r1"]), {}, "alice")
        cancel_run(fleet, queued.run_id, "alice")
    found = audit.list_entries(fleet, actor="alice")
    rows = found.items
    assert found.total == 4
    assert [(r.action, r.object_id, r.address) for r in reversed(rows)] == [
        ("job.create", str(nightly.id), "192.0.2.7"),
        ("job.edit", str(nightly.id), "192.0.2.7"),
        ("run.start", str(queued.run_id), "192.0.2.7"),
        ("run.cancel", str(queued.run_id), "192.0.2.7"),
    ]
    assert rows[2].changes == {"priority": [0, 5]}


def test_a_devices_results_are_paged_newest_first_across_runs(fleet: Session) -> None:
    r0, r1 = (fleet.scalars(select(Device).where(Device.hostname == n)).one() for n in ("r0", "r1"))
    runs = [run(fleet, "succeeded") for _ in range(3)]
    for n, row in enumerate(runs):
        fleet.add(JobResult(run_id=row.id, device_id=r0.id, hostname="r0", status="succeeded",
                            completed_at=NOW + timedelta(minutes=n), output={}))  # fmt: skip
        fleet.add(JobResult(run_id=row.id, device_id=r1.id, hostname="r1", status="failed", output={}))
    fleet.flush()
    found = page_device_results(fleet, r0.id, limit=2)
    assert found.total == 3
    assert [r.run_id for r in found.items] == [runs[2].id, runs[1].id]
    assert found.items[0].run.status == "succeeded"
    assert [r.run_id for r in page_device_results(fleet, r0.id, limit=2, offset=2).items] == [runs[0].id]
    assert page_device_results(fleet, 999_999).total == 0
    with pytest.raises(JobError, match="cannot sort by 'nope'"):
        page_device_results(fleet, r0.id, sort="nope")
