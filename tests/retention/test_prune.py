"""Pruning a long history on SQLite and PostgreSQL: exactly what the policy says goes, in bounded
batches of their own transactions; the latest and ``keep`` versions, open runs and versions not
yet in git stay; a dry run deletes nothing; bad settings are refused in one line."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from netraven.db.models import AuditEntry, ConnectionLog, DeviceConfiguration, JobLog, JobResult, JobRun
from netraven.exceptions import ConfigError
from netraven.retention import Policy, prune, report_to_dict
from netraven.settings import RetentionSettings
from tests.retention.history import BIG, NOW, SMALL, History, build, expected, row_counts

DC = DeviceConfiguration
POLICY = RetentionSettings(
    run_days=30, transcript_days=7, config_versions=10, config_days=60, batch_size=1_000
)


@pytest.fixture
def history(engine: Engine) -> History:
    return build(engine, SMALL)


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[tuple[str, int]]]:
    """(verb, rows) of every DELETE and UPDATE the engine runs, and "COMMIT" at each commit."""
    seen: list[tuple[str, int]] = []

    def executed(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in ("DELETE", "UPDATE"):
            seen.append((verb, cursor.rowcount))

    def committed(conn: Any) -> None:
        seen.append(("COMMIT", 0))

    event.listen(engine, "after_cursor_execute", executed)
    event.listen(engine, "commit", committed)
    yield seen
    event.remove(engine, "after_cursor_execute", executed)
    event.remove(engine, "commit", committed)


def audit_rows(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "retention.prune")))


@pytest.mark.slow  # builds 100,000 job logs and 10,000 versions: 3-8 s a database on a busy machine
def test_prune_deletes_exactly_what_the_policy_says(
    engine: Engine, statements: list[tuple[str, int]]
) -> None:
    history = build(engine, BIG)
    statements.clear()
    versions = BIG.versions
    before = row_counts(engine)
    assert (before["job logs"], before["config versions"]) == (100_000, 10_000)
    want = expected(history, 30, 7, 10, 60)
    assert all(want.values())  # every kind has something to delete
    sessions = sessionmaker(engine)

    dry = prune(sessions, POLICY, dry_run=True, now=NOW)
    assert dry.counts == want and dry.batches == 0
    assert row_counts(engine) == before and not statements and not audit_rows(engine)
    assert report_to_dict(dry)["would_delete"]["job_logs"] == want["job logs"]

    report = prune(sessions, POLICY, now=NOW)
    assert report.counts == want and not report.stopped
    after = row_counts(engine)
    assert {kind: before[kind] - after[kind] for kind in before} == want

    # Bounded batches, each in a transaction of its own (the last commit is the audit row's).
    writes = [rows for verb, rows in statements if verb != "COMMIT"]
    assert max(writes) <= POLICY.batch_size and len(writes) == report.batches >= sum(want.values()) // 1_000
    assert all(statements[i + 1][0] == "COMMIT" for i, (verb, _) in enumerate(statements) if verb != "COMMIT")

    with Session(engine) as session:
        kept = set(session.execute(select(DC.device_id, DC.version)))
        runs = {run.id: run for run in session.scalars(select(JobRun))}
        logs_of = dict(session.execute(select(JobLog.run_id, func.count()).group_by(JobLog.run_id)).all())
        results_of = dict(
            session.execute(select(JobResult.run_id, func.count()).group_by(JobResult.run_id)).all()
        )
        orphan_runs = session.scalar(select(func.count()).select_from(DC).where(DC.run_id.not_in(list(runs))))
    for (device, version), (keep, pending, _) in history.versions.items():
        if version == versions or keep or pending:
            assert (device, version) in kept
    assert all((device, versions) in kept for device, _ in history.versions)
    assert sum(1 for key in history.versions if key not in kept) == want["config versions"]
    for run in (history.running, history.queued):  # open and 100 days old: untouched, with their rows
        assert run in runs and logs_of[run] == 100 and results_of[run] == 10
    assert sorted(runs) == sorted(
        [run for run, age in history.ended.items() if age <= 30] + [history.running, history.queued]
    )
    assert orphan_runs == 0  # versions of deleted runs lost the link, not their text

    (row,) = audit_rows(engine)
    assert row.outcome == "succeeded" and row.actor_kind == "system"
    assert row.changes == {kind.replace(" ", "_"): count for kind, count in want.items()}

    again = prune(sessions, POLICY, now=NOW)
    assert again.total == 0 and len(audit_rows(engine)) == 2


def test_keep_versions_only_by_count_or_only_by_age(engine: Engine, history: History) -> None:
    sessions = sessionmaker(engine)
    by_count = replace(RetentionSettings(), config_versions=3, batch_size=7)
    assert prune(sessions, by_count, dry_run=True, now=NOW).counts == expected(history, 0, 0, 3, 0)
    by_age = RetentionSettings(config_days=20, batch_size=7)
    assert prune(sessions, by_age, now=NOW).counts == expected(history, 0, 0, 0, 20)
    # A year on, nothing was seen for long: each device keeps its latest, keep and pending versions.
    prune(sessions, RetentionSettings(config_days=1), now=NOW + timedelta(days=400))
    protected = {key for key, (keep, pending, _) in history.versions.items() if keep or pending}
    latest = {(device, SMALL.versions) for device, _ in history.versions}
    with Session(engine) as session:
        assert set(session.execute(select(DC.device_id, DC.version))) == protected | latest


def test_transcripts_alone_keep_their_runs(engine: Engine, history: History) -> None:
    report = prune(sessionmaker(engine), RetentionSettings(transcript_days=20), now=NOW)
    assert report.counts == expected(history, 0, 20, 0, 0) and report.counts["runs"] == 0
    assert report.counts["transcripts"] > 0
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(JobRun)) == SMALL.runs + 2
        of_running = (
            select(func.count()).select_from(ConnectionLog).where(ConnectionLog.run_id == history.running)
        )
        assert session.scalar(of_running) == 3


def test_the_deletes_check_keep_and_git_again(
    engine: Engine, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Candidates are read once, then deleted batch by batch: a version marked ``keep`` (or pending
    for git) since the read must stay. Here the read is made stale on purpose: it selects all."""
    monkeypatch.setattr(Policy, "config_versions", lambda self: select(DC.id).order_by(DC.id))
    report = prune(sessionmaker(engine), RetentionSettings(config_versions=1), now=NOW)
    protected = {key for key, (keep, pending, _) in history.versions.items() if keep or pending}
    assert report.counts["config versions"] == len(history.versions) - len(protected)
    with Session(engine) as session:
        assert set(session.execute(select(DC.device_id, DC.version))) == protected


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (RetentionSettings(run_days=-1), "retention.run_days = -1: expected an integer from 0 to 100000"),
        (RetentionSettings(config_versions=-3), "retention.config_versions = -3: expected an integer from 0"),
        (RetentionSettings(batch_size=0), "retention.batch_size = 0: expected an integer from 1 to 10000"),
        (RetentionSettings(config_days=1.5), "retention.config_days = 1.5: expected an integer"),  # type: ignore[arg-type]
    ],
)
def test_bad_settings_are_refused_in_one_line(
    engine: Engine, settings: RetentionSettings, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        prune(sessionmaker(engine), settings, now=NOW)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)
    assert not audit_rows(engine)


def test_a_set_stop_ends_the_prune_between_batches(engine: Engine, history: History) -> None:
    stop = threading.Event()
    stop.set()
    report = prune(sessionmaker(engine), POLICY, now=NOW, stop=stop)
    assert report.stopped and report.total == 0 and report.batches == 0
    (row,) = audit_rows(engine)
    assert "stopped by the worker's shutdown" in (row.detail or "")


def test_a_prune_that_fails_part_way_records_what_it_deleted(
    engine: Engine, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netraven.exceptions import DatabaseError
    from netraven.retention import pruning as module

    real = module._Pruner._execute
    calls = []

    def failing(self: Any, statement: Any) -> int:
        if len(calls) == 3:
            raise DatabaseError("database at sqlite:///x is unreachable: disk I/O error")
        calls.append(statement)
        return real(self, statement)

    monkeypatch.setattr(module._Pruner, "_execute", failing)
    before = row_counts(engine)
    with pytest.raises(DatabaseError):
        prune(sessionmaker(engine), POLICY, now=NOW)
    (row,) = audit_rows(engine)
    assert row.outcome == "failed" and "failed: database at sqlite:///x is unreachable" in (row.detail or "")
    gone = {kind.replace(" ", "_"): before[kind] - n for kind, n in row_counts(engine).items()}
    assert row.changes == gone and sum(gone.values()) > 0  # the batches committed before the failure
