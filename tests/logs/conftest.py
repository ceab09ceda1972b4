"""Log rows inserted directly: two devices, a job with two runs, an ad-hoc run, an imported line."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from netraven.db.models import ConnectionLog, Device, Job, JobLog, JobRun

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class Seeded:
    runs: list[int]  # the job's two runs, then the ad-hoc run
    devices: dict[str, int]
    logs: list[int]  # ids in time order


def seed(session: Session) -> Seeded:
    """Ten lines one minute apart from T0 (see LINES), one transcript per device in the first run."""
    devices = {name: Device(hostname=name, host=f"10.0.0.{i}", platform="cisco_ios")
               for i, name in enumerate(("r1", "r2"), 1)}  # fmt: skip
    job = Job(name="nightly", job_type="backup")
    runs = [
        JobRun(job=job, job_type="backup"),
        JobRun(job=job, job_type="backup"),
        JobRun(job_type="command"),
    ]
    session.add_all([*devices.values(), job, *runs])
    session.flush()
    rows = []
    for minute, (run, device, level, category, message) in enumerate(LINES):
        rows.append(
            JobLog(
                run_id=runs[run].id if run is not None else None,
                device_id=devices[device].id if device else None,
                timestamp=T0 + timedelta(minutes=minute),
                level=level,
                category=category,
                message=message,
                details={"hostname": "legacy-sw"} if run is None else {},
            )
        )
    session.add_all(rows)
    for name, device in devices.items():
        session.add(ConnectionLog(run_id=runs[0].id, device_id=device.id, hostname=name,
                                  transcript=f"{name}#show running-config\nhostname {name}\n"))  # fmt: skip
    session.flush()
    return Seeded([r.id for r in runs], {n: d.id for n, d in devices.items()}, [r.id for r in rows])


# (run index or None, device or None, level, category, message), one a minute from T0.
LINES = [
    (0, "r1", "INFO", "connection", "r1: login as admin (lab): success"),
    (0, "r1", "INFO", "backup", "r1: succeeded: done"),
    (0, "r2", "WARNING", "connection", "r2: login as admin (lab): authentication failed"),
    (0, "r2", "ERROR", "backup", "r2: failed: authentication failed"),
    (1, "r1", "DEBUG", "backup", "r1: debug detail"),
    (1, "r2", "CRITICAL", "backup", "r2: failed: [bold]disk[/bold] full"),
    (2, "r1", "INFO", "command", "r1: succeeded: 2 commands"),
    (2, None, "WARNING", "command", "run without a device"),
    (None, None, "INFO", "imported", "legacy line"),
    (2, "r2", "INFO", "command", "r2: succeeded: 2 commands"),
]


@pytest.fixture
def seeded(session: Session) -> Seeded:
    return seed(session)
