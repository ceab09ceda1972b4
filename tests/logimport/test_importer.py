"""The importer library: chunked writes and a file that breaks halfway."""

import gzip
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from netraven.db.models import JobLog, JobRun
from netraven.logimport import import_logs, importer

LINE = "2025-03-14 02:00:0{n},000 INFO [netraven.jobs.backup] session=ab12 Step {n}\n"


def test_a_file_broken_halfway_leaves_nothing_and_the_rest_imports(
    fresh_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "CHUNK_SIZE", 2)  # chunks written before the damage is reached
    damaged = gzip.compress("".join(LINE.format(n=n) for n in range(6)).encode())[:-12]
    (tmp_path / "netraven.log.1.gz").write_bytes(damaged)
    (tmp_path / "netraven.log").write_text(LINE.format(n=8) + LINE.format(n=9))

    report = import_logs(sessionmaker(fresh_engine), tmp_path, UTC)

    assert (report.files, report.imported, report.runs_created) == (1, 2, 1)
    assert report.unreadable == [
        "netraven.log.1.gz: Compressed file ended before the end-of-stream marker was reached"
    ]
    with Session(fresh_engine) as session:
        run = session.scalars(select(JobRun)).one()
        logs = session.scalars(select(JobLog).order_by(JobLog.timestamp)).all()
    assert [log.message for log in logs] == ["Step 8", "Step 9"]
    assert {log.run_id for log in logs} == {run.id}
    assert run.started_at and run.completed_at
    assert (run.started_at.second, run.completed_at.second) == (8, 9)


def test_identical_entries_in_a_row_are_all_imported_once(fresh_engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "web.log").write_text(3 * "2025-03-14 02:00:00,000 INFO [web] GET / 200\n")
    sessions = sessionmaker(fresh_engine)
    assert import_logs(sessions, tmp_path, UTC).imported == 3
    with (tmp_path / "web.log").open("a") as f:
        f.write("2025-03-14 02:00:00,000 INFO [web] GET / 200\n")
    report = import_logs(sessions, tmp_path, UTC)
    assert (report.imported, report.already_imported) == (1, 3)
