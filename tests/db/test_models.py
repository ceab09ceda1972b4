"""CRUD and cascades of every model, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netraven.db.models import (
    ConnectionLog,
    Credential,
    Device,
    DeviceConfiguration,
    Job,
    JobLog,
    JobResult,
    JobRun,
    SystemSetting,
    Tag,
    User,
    credential_devices,
    device_tags,
    job_devices,
)


def make_fleet(session: Session) -> tuple[Device, Tag, Credential]:
    tag = Tag(name="core", type="role")
    cred = Credential(name="ops", username="ops", password_encrypted=b"token", priority=10, tags=[tag])
    device = Device(hostname="r1", host="127.0.1.1", platform="cisco_ios", tags=[tag], data={"site": "par"})
    cred.devices.append(device)
    session.add_all([tag, cred, device])
    session.flush()
    return device, tag, cred


def count(session: Session, what: object) -> int:
    return session.scalar(select(func.count()).select_from(what))  # type: ignore[arg-type]


def test_device_crud_and_tags(session: Session) -> None:
    device, _, _ = make_fleet(session)
    session.expire_all()
    loaded = session.scalars(select(Device).where(Device.hostname == "r1")).one()
    assert loaded.port == 22 and loaded.enabled is True and loaded.data == {"site": "par"}
    assert loaded.tag_names() == ["core"]
    assert loaded.created_at.tzinfo is not None
    loaded.description = "edge router"
    session.flush()
    session.expire_all()
    assert session.get(Device, device.id).description == "edge router"  # type: ignore[union-attr]
    assert "Device(" in repr(loaded)


def test_hostname_is_unique(session: Session) -> None:
    make_fleet(session)
    session.add(Device(hostname="r1", host="127.0.1.2", platform="cisco_ios"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_timestamps_come_back_aware_utc(session: Session) -> None:
    device, _, _ = make_fleet(session)
    paris = timezone(timedelta(hours=2))
    device.last_seen = datetime(2026, 7, 1, 12, 0, tzinfo=paris)
    session.flush()
    session.expire_all()
    seen = session.get(Device, device.id).last_seen  # type: ignore[union-attr]
    assert seen == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert seen.utcoffset() == timedelta(0)


def test_naive_datetime_is_refused(session: Session) -> None:
    device, _, _ = make_fleet(session)
    device.last_seen = datetime(2026, 7, 1, 12, 0)
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()


def test_credential_success_rate_in_python_and_sql(session: Session) -> None:
    _, _, cred = make_fleet(session)
    assert cred.success_rate == 0.0
    cred.success_count, cred.failure_count = 3, 1
    session.flush()
    assert cred.success_rate == 0.75
    assert session.scalar(select(Credential.success_rate).where(Credential.id == cred.id)) == 0.75
    assert "token" not in repr(cred)


def test_deleting_a_device_cascades_as_documented(session: Session) -> None:
    device, tag, cred = make_fleet(session)
    device.last_credential = cred
    job = Job(name="nightly", job_type="backup", devices=[device])
    run = JobRun(job=job, job_type="backup")
    session.add_all([job, run])
    session.flush()
    session.add_all(
        [
            DeviceConfiguration(
                device_id=device.id, version=1, config_text="x", normalized_hash="h", size_bytes=1
            ),
            JobResult(run_id=run.id, device_id=device.id, hostname="r1", status="succeeded"),
            JobLog(run_id=run.id, device_id=device.id, message="done"),
            ConnectionLog(run_id=run.id, device_id=device.id, hostname="r1", transcript="r1#"),
        ]
    )
    session.flush()
    session.delete(device)
    session.flush()
    session.expire_all()
    assert count(session, DeviceConfiguration) == 0
    assert count(session, device_tags) == 0 and count(session, credential_devices) == 0
    assert count(session, job_devices) == 0
    result = session.scalars(select(JobResult)).one()
    assert result.device_id is None and result.hostname == "r1"
    assert session.scalars(select(JobLog)).one().device_id is None
    assert session.scalars(select(ConnectionLog)).one().device_id is None
    assert session.get(Tag, tag.id) is not None and session.get(Credential, cred.id) is not None


def test_deleting_a_job_deletes_its_runs_results_and_logs(session: Session) -> None:
    device, _, _ = make_fleet(session)
    job = Job(name="nightly", job_type="backup", tags=[device.tags[0]], parameters={"x": 1})
    run = JobRun(job=job, job_type="backup", status="succeeded", hosts_total=1, hosts_succeeded=1)
    session.add_all([job, run])
    session.flush()
    session.add_all(
        [
            JobResult(run_id=run.id, device_id=device.id, hostname="r1", status="succeeded"),
            JobLog(run_id=run.id, message="hello", level="INFO", category="job"),
            ConnectionLog(run_id=run.id, device_id=device.id, hostname="r1", transcript="r1#"),
            DeviceConfiguration(
                device_id=device.id,
                version=1,
                config_text="x",
                normalized_hash="h",
                size_bytes=1,
                run_id=run.id,
            ),
        ]
    )
    session.flush()
    session.delete(job)
    session.flush()
    session.expire_all()
    for model in (JobRun, JobResult, JobLog, ConnectionLog):
        assert count(session, model) == 0, model
    config = session.scalars(select(DeviceConfiguration)).one()
    assert config.run_id is None  # the config history outlives the run that fetched it
    assert session.get(Device, device.id) is not None


def test_deleting_a_credential_clears_last_good_and_results(session: Session) -> None:
    device, _, cred = make_fleet(session)
    device.last_credential = cred
    run = JobRun(job_type="backup")
    session.add(run)
    session.flush()
    session.add(
        JobResult(run_id=run.id, device_id=device.id, hostname="r1", status="ok", credential_id=cred.id)
    )
    session.flush()
    session.delete(cred)
    session.flush()
    session.expire_all()
    assert session.get(Device, device.id).last_credential_id is None  # type: ignore[union-attr]
    assert session.scalars(select(JobResult)).one().credential_id is None


def test_config_versions_are_unique_per_device(session: Session) -> None:
    device, _, _ = make_fleet(session)
    for version in (1, 1):
        session.add(
            DeviceConfiguration(
                device_id=device.id, version=version, config_text="x", normalized_hash="h", size_bytes=1
            )
        )
    with pytest.raises(IntegrityError):
        session.flush()


def test_system_settings_and_users(session: Session) -> None:
    session.add_all(
        [
            SystemSetting(key="backup.retention", value={"days": 90}, description="keep 90 days"),
            User(username="alice", role="admin"),
        ]
    )
    session.flush()
    session.expire_all()
    assert session.get(SystemSetting, "backup.retention").value == {"days": 90}  # type: ignore[union-attr]
    assert session.scalars(select(User)).one().created_at.tzinfo is not None
    session.add(User(username="alice"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_job_run_summary(session: Session) -> None:
    run = JobRun(job_type="command", status="partial", hosts_total=3, hosts_succeeded=2, hosts_failed=1)
    session.add(run)
    session.flush()
    summary = run.summary()
    assert summary["status"] == "partial" and summary["hosts_failed"] == 1 and summary["job_id"] is None


def test_deleting_a_tag_unlinks_devices_credentials_and_jobs(session: Session) -> None:
    device, tag, cred = make_fleet(session)
    job = Job(name="by-tag", job_type="backup", tags=[tag])
    session.add(job)
    session.flush()
    session.delete(tag)
    session.flush()
    session.expire_all()
    assert count(session, device_tags) == 0
    assert session.get(Device, device.id).tags == []  # type: ignore[union-attr]
    assert session.get(Credential, cred.id).tags == []  # type: ignore[union-attr]
    assert session.get(Job, job.id).tags == []  # type: ignore[union-attr]
