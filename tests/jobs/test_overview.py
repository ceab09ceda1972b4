"""The dashboard's figures (:func:`netraven.jobs.overview.fleet_overview`) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from netraven.db.models import Device, DeviceConfiguration, JobResult, JobRun
from netraven.inventory import add_device
from netraven.jobs.overview import fleet_overview

NOW = datetime(2025, 3, 10, 15, 0, tzinfo=UTC)


def backup_run(session: Session, at: datetime, results: dict[Device, tuple[str, str | None]]) -> None:
    succeeded = sum(1 for status, _ in results.values() if status == "succeeded")
    run = JobRun(job_type="backup", status="partial", targets={"all": True}, created_at=at, completed_at=at,
                 hosts_succeeded=succeeded)  # fmt: skip
    session.add(run)
    session.flush()
    for device, (status, kind) in results.items():
        session.add(JobResult(run_id=run.id, device_id=device.id, hostname=device.hostname, status=status,
                              error_kind=kind, completed_at=at, output={}))  # fmt: skip
    session.flush()


def version(session: Session, device: Device, number: int, at: datetime) -> None:
    session.add(DeviceConfiguration(device_id=device.id, version=number, config_text="x", normalized_hash=str(number),
                                    retrieved_at=at, last_seen_at=at, size_bytes=1, details={}))  # fmt: skip
    session.flush()


def test_a_new_install_has_nothing(session: Session) -> None:
    overview = fleet_overview(session, NOW)
    assert (overview.devices, overview.credentials, overview.backups_ever, overview.failing_total) == (
        0,
        0,
        0,
        0,
    )
    assert len(overview.days) == 30 and overview.days[-1].day == date(2025, 3, 10)
    assert overview.days[0].day == date(2025, 2, 9)
    assert all(d.backups == 0 and d.changes == 0 for d in overview.days)


def test_the_fleet_figures(session: Session) -> None:
    r1, r2, r3, r4 = (add_device(session, f"r{n}", f"10.0.0.{n}", "cisco_ios") for n in range(1, 5))
    r4.enabled = False
    r1.last_backup_at, r1.last_backup_status = NOW - timedelta(hours=2), "success"
    r2.last_backup_at, r2.last_backup_status = NOW - timedelta(hours=30), "success"
    r3.last_backup_at, r3.last_backup_status = NOW - timedelta(hours=1), "failed"
    session.flush()
    yesterday, today = NOW - timedelta(days=1), NOW - timedelta(hours=1)
    # yesterday r2 and r3 failed; today r2 succeeded again, r3 timed out, r4 failed to log in
    backup_run(session, yesterday, {r1: ("succeeded", None), r2: ("failed", "auth"), r3: ("failed", "auth")})
    backup_run(session, today, {r1: ("succeeded", None), r2: ("succeeded", None), r3: ("failed", "timeout"),
                                r4: ("failed", "auth")})  # fmt: skip
    backup_run(session, NOW - timedelta(days=45), {r1: ("failed", "connection")})  # too old to count
    version(session, r1, 1, yesterday)
    version(session, r1, 2, today)
    version(session, r2, 1, today)  # a first backup is no change
    overview = fleet_overview(session, NOW)
    assert (overview.devices, overview.enabled) == (4, 3)
    assert overview.backed_up_24h == 1  # r2's success is 30 h old, r3's latest save failed
    assert overview.failing == {"auth": 1, "timeout": 1}
    assert overview.failing_total == 2
    assert overview.changed_today == 1
    assert overview.backups_ever == 3  # runs
    session.add(JobRun(job_type="command", status="succeeded", targets={"all": True}, completed_at=NOW,
                       hosts_succeeded=9))  # fmt: skip
    backup_run(session, NOW, {r1: ("succeeded", None)})  # a command run is no backup; r1's latest is ok
    session.flush()
    overview = fleet_overview(session, NOW)
    days = {d.day: d for d in overview.days}
    assert (days[date(2025, 3, 9)].backups, days[date(2025, 3, 9)].changes) == (1, 0)
    assert (days[date(2025, 3, 10)].backups, days[date(2025, 3, 10)].changes) == (3, 1)
    assert sum(d.backups for d in overview.days) == 4
    assert overview.failing == {"auth": 1, "timeout": 1}
