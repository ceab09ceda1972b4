"""``netraven migrate-logs`` through click, on SQLite and PostgreSQL."""

import gzip
import json
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.db import create_engine_for_url
from netraven.db.models import JobLog, JobRun

DATA = Path(__file__).parent.parent / "data" / "legacy_logs"
IMPORTED = 22
UNPARSEABLE = 10


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> dict[str, str]:
    env = {"NETRAVEN_DATABASE__URL": new_database_url(request.param)}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    for hostname, host in (("core-sw1", "10.0.0.1"), ("edge-r2", "10.0.0.2")):
        assert run(env, "device", "add", hostname, "--host", host, "--platform", "cisco_ios").exit_code == 0
    return env


@pytest.fixture
def engine(env: dict[str, str]) -> Iterator[Engine]:
    engine = create_engine_for_url(env["NETRAVEN_DATABASE__URL"])
    yield engine
    engine.dispose()


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA, tmp_path / "logs"))


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def migrate(env: dict[str, str], log_dir: Path, *args: str) -> dict[str, Any]:
    result = run(env, "migrate-logs", "--log-dir", str(log_dir), "--timezone", "Europe/Paris", "--json", *args)  # fmt: skip
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.output)
    return report


def counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        logs, runs = (session.scalar(select(func.count(model.id))) for model in (JobLog, JobRun))
        return logs or 0, runs or 0


def run_of(engine: Engine, session_id: str) -> tuple[JobRun, list[JobLog]]:
    with Session(engine) as session:
        runs = [r for r in session.scalars(select(JobRun)) if r.parameters.get("imported_session") == session_id]  # fmt: skip
        assert len(runs) == 1
        logs = session.scalars(select(JobLog).where(JobLog.run_id == runs[0].id).order_by(JobLog.timestamp))
        return runs[0], list(logs)


def test_import_twice_adds_nothing_the_second_time(env: dict[str, str], engine: Engine) -> None:
    first = migrate(env, DATA)
    assert {k: first[k] for k in ("dry_run", "files", "imported", "already_imported", "unparseable", "runs_created")} == {
        "dry_run": False, "files": 6, "imported": IMPORTED, "already_imported": 0, "unparseable": UNPARSEABLE, "runs_created": 6,
    }  # fmt: skip
    assert first["unreadable"] == []
    assert counts(engine) == (IMPORTED, 6)
    second = migrate(env, DATA)
    assert (second["imported"], second["already_imported"], second["runs_created"]) == (0, IMPORTED, 0)
    assert counts(engine) == (IMPORTED, 6)


def test_unparseable_lines_are_reported_with_file_and_line(env: dict[str, str]) -> None:
    result = run(env, "migrate-logs", "--log-dir", str(DATA))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:-1] == [
        "jobs.jsonl:7: invalid JSON: Expecting value",
        "jobs.jsonl:8: expected a JSON object, got list",
        "jobs.jsonl:9: no timestamp",
        "jobs.jsonl:10: invalid timestamp 'yesterday': Invalid isoformat string: 'yesterday'",
        "jobs.jsonl:11: unknown level 'verbose'",
        "netraven.log.1:9: unknown level 'TRACE'",
        "netraven.log:1: continuation line with no entry before it",
        "netraven.log:9: unknown level 'NOTICE'",
        "netraven.log:10: invalid timestamp '2025-03-14 25:00:00,000': hour must be in 0..23",
        "netraven.log:11: timestamp not followed by 'LEVEL [logger]' or '- LEVEL -'",
    ]
    assert lines[-1] == (
        f"6 file(s) read: {IMPORTED} line(s) imported, 0 already imported, {UNPARSEABLE} unparseable; "
        "6 run(s) created."
    )


def test_runs_grouped_by_session_across_files(env: dict[str, str], engine: Engine) -> None:
    migrate(env, DATA)
    run_, logs = run_of(engine, "a1b2c3")  # netraven.log.2.gz then netraven.log.1
    assert (run_.job_type, run_.status, run_.triggered_by, run_.job_id) == ("backup", "partial", "migrate-logs", None)  # fmt: skip
    assert run_.parameters == {"source": "migrate-logs", "imported_session": "a1b2c3"}
    assert run_.started_at == datetime(2025, 3, 13, 1, 0, 1, 100000, tzinfo=UTC)
    assert run_.completed_at == datetime(2025, 3, 13, 1, 0, 6, 300000, tzinfo=UTC)
    assert [(log.details["file"], log.details["line"]) for log in logs] == [
        ("netraven.log.2.gz", 2), ("netraven.log.2.gz", 3), ("netraven.log.1", 1), ("netraven.log.1", 2), ("netraven.log.1", 8),
    ]  # fmt: skip
    assert logs[3].level == "ERROR" and logs[3].message.endswith("NetmikoTimeoutException: Timed-out reading channel")  # fmt: skip

    run_, logs = run_of(engine, "d4e5f6")  # netraven.log (text) and jobs.jsonl
    assert (run_.job_type, run_.status, len(logs)) == ("backup", "succeeded", 5)
    assert {log.details["file"] for log in logs} == {"netraven.log", "jobs.jsonl"}

    with Session(engine) as session:
        per_day = {
            (r.parameters.get("legacy_job_id"), r.parameters.get("imported_day")): (r.job_type, r.status)
            for r in session.scalars(select(JobRun))
            if "imported_day" in r.parameters
        }
        assert per_day == {
            ("15", "2025-03-14"): ("command", "succeeded"),
            ("20", "2025-03-14"): ("imported", "partial"),
            ("30", "2025-03-10"): ("imported", "succeeded"),
        }
        loose = session.scalars(select(JobLog.message).where(JobLog.run_id.is_(None)).order_by(JobLog.id)).all()  # fmt: skip
        assert loose == ["Heartbeat", "Config saved", "Scheduler started", "Authentication failed", "GET /devices 200", "GET /devices 200"]  # fmt: skip


def test_devices_matched_by_hostname_or_existing_id(env: dict[str, str], engine: Engine) -> None:
    migrate(env, DATA)
    with Session(engine) as session:
        rows = session.execute(select(JobLog.details, JobLog.device_id)).all()
    by_host = {(d.get("hostname"), d.get("device_id")): device_id for d, device_id in rows}
    assert by_host[("core-sw1", None)] == 1
    assert by_host[("EDGE-R2", None)] == 2
    assert by_host[("core-sw2", "4")] is None  # unknown hostname; device 4 does not exist either
    assert by_host[(None, "1")] == 1


def test_secrets_are_redacted_in_the_database(env: dict[str, str], engine: Engine) -> None:
    migrate(env, DATA)
    with Session(engine) as session:
        rows = session.execute(select(JobLog.message, JobLog.details)).all()
    stored = json.dumps([tuple(row) for row in rows])
    for secret in ("0822455D0A16", "$1$abc$xyz", "s3cret", "hunter2", "private"):
        assert secret not in stored
    messages = {message for message, _ in rows}
    assert "Sent: username admin password 7 <redacted>" in messages
    assert "Config line: enable secret 5 <redacted>" in messages
    assert "Pushed: snmp-server community <redacted> RO" in messages
    extra = next(details["extra"] for _, details in rows if details.get("job_id") == "20")
    assert extra == {"password": "<redacted>", "command": "snmp-server community <redacted> RW"}


def test_dry_run_writes_nothing(env: dict[str, str], engine: Engine) -> None:
    report = migrate(env, DATA, "--dry-run")
    assert (report["dry_run"], report["imported"], report["runs_created"]) == (True, IMPORTED, 6)
    assert counts(engine) == (0, 0)
    text = run(env, "migrate-logs", "--log-dir", str(DATA), "--dry-run").output.splitlines()[-1]
    assert text.startswith(f"6 file(s) read: {IMPORTED} line(s) would be imported")
    assert text.endswith("6 run(s) would be created. Dry run: nothing was written.")
    assert migrate(env, DATA)["imported"] == IMPORTED


def test_grown_rotated_and_damaged_files(env: dict[str, str], engine: Engine, log_dir: Path) -> None:
    migrate(env, log_dir)
    with (log_dir / "netraven.log").open("a") as f:
        f.write("2025-03-14 02:00:08,000 INFO [netraven.web] GET /devices 200\n")  # a third identical line
        f.write("2025-03-14 02:20:00,000 ERROR [netraven.jobs.backup] session=d4e5f6 device=edge-r2 Lost\n")
    report = migrate(env, log_dir)
    assert (report["imported"], report["already_imported"], report["runs_created"]) == (2, IMPORTED, 0)
    run_, logs = run_of(engine, "d4e5f6")
    assert (run_.status, run_.completed_at, logs[-1].message) == (
        "partial",
        datetime(2025, 3, 14, 1, 20, tzinfo=UTC),
        "Lost",
    )

    # Rotation: netraven.log.2.gz is dropped, the others move up one and the old live file is gzipped.
    (log_dir / "netraven.log.2.gz").unlink()
    (log_dir / "netraven.log.1").rename(log_dir / "netraven.log.2")
    with (log_dir / "netraven.log").open("rb") as src, gzip.open(log_dir / "netraven.log.1.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    (log_dir / "netraven.log").write_text("")
    (log_dir / "broken.log.gz").write_bytes(b"not gzip")
    report = migrate(env, log_dir)
    assert (report["imported"], report["runs_created"]) == (0, 0)
    assert report["unreadable"] == ["broken.log.gz: Not a gzipped file (b'no')"]
    assert counts(engine) == (IMPORTED + 2, 6)


def test_bad_timezone_and_help(env: dict[str, str]) -> None:
    result = run(env, "migrate-logs", "--log-dir", str(DATA), "--timezone", "Mars/Olympus")
    assert result.exit_code == 2 and "unknown time zone 'Mars/Olympus'" in result.output
    help_ = CliRunner().invoke(main, ["migrate-logs", "--help"])
    assert help_.exit_code == 0 and "--dry-run" in help_.output
    assert main.commands["migrate-logs"].help
