"""Log queries on SQLite and PostgreSQL: every filter, ordering, limit, errors, transcripts."""

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from netraven.db.models import ConnectionLog, Device, JobLog, JobResult
from netraven.exceptions import InventoryError, JobError
from netraven.jobs import get_job
from netraven.logs import LogFilter, device_transcripts, get_transcript, latest_id, list_logs, logs_after
from tests.logs.conftest import LINES, T0, Seeded


def messages(session: Session, **filters: object) -> list[str]:
    return [entry.message for entry in list_logs(session, LogFilter(**filters))]  # type: ignore[arg-type]


def lines(*indexes: int) -> list[str]:
    return [LINES[i][4] for i in indexes]


def test_everything_oldest_first(session: Session, seeded: Seeded) -> None:
    entries = list_logs(session, LogFilter())
    assert [e.message for e in entries] == lines(*range(10))
    assert [e.timestamp for e in entries] == [T0 + timedelta(minutes=m) for m in range(10)]
    first, imported = entries[0], entries[8]
    assert (first.id, first.run_id, first.device_id, first.hostname) == (
        seeded.logs[0],
        seeded.runs[0],
        seeded.devices["r1"],
        "r1",
    )
    assert (first.level, first.category) == ("INFO", "connection")
    assert (imported.run_id, imported.device_id, imported.hostname) == (None, None, "legacy-sw")
    assert entries[7].hostname is None


def test_filters(session: Session, seeded: Seeded) -> None:
    first, second, adhoc = seeded.runs
    assert messages(session, run_id=second) == lines(4, 5)
    assert messages(session, job="nightly") == lines(0, 1, 2, 3, 4, 5)
    assert messages(session, job=get_job(session, "nightly").id) == lines(*range(6))
    assert messages(session, device="r2") == lines(2, 3, 5, 9)
    assert messages(session, category="command") == lines(6, 7, 9)
    assert messages(session, level="warning") == lines(2, 3, 5, 7)
    assert messages(session, level="ERROR") == lines(3, 5)
    assert messages(session, level="critical") == lines(5)
    assert messages(session, level="DEBUG") == lines(*range(10))
    assert messages(session, level="INFO") == lines(0, 1, 2, 3, 5, 6, 7, 8, 9)
    assert messages(session, since=T0 + timedelta(minutes=7)) == lines(7, 8, 9)
    assert messages(session, until=T0 + timedelta(minutes=2)) == lines(0, 1)
    window = dict(since=T0 + timedelta(minutes=3), until=T0 + timedelta(minutes=6))
    assert messages(session, **window) == lines(3, 4, 5)
    assert messages(session, run_id=first, device="r2", level="WARN") == lines(2, 3)
    assert messages(session, job="nightly", level="ERROR", category="backup", **window) == lines(3, 5)
    assert messages(session, device="r1", run_id=adhoc) == lines(6)
    assert messages(session, category="nothing") == []


def test_limit_keeps_the_newest(session: Session, seeded: Seeded) -> None:
    assert messages(session, limit=3) == lines(7, 8, 9)
    assert messages(session, level="WARNING", limit=2) == lines(5, 7)
    assert messages(session, device="r1", limit=1) == lines(6)


def test_same_timestamp_ordered_by_id(session: Session, seeded: Seeded) -> None:
    at = T0 + timedelta(minutes=30)
    for text, level in (("b", "ERROR"), ("a", "WARNING"), ("c", "CRITICAL")):
        session.add(JobLog(timestamp=at, level=level, category="x", message=text))
    session.flush()
    assert messages(session, category="x") == ["b", "a", "c"]
    assert messages(session, category="x", level="WARNING", limit=2) == ["a", "c"]


def test_unknown_references_and_bad_values(session: Session, seeded: Seeded) -> None:
    cases = [
        (dict(run_id=999_999), JobError, "no run with id 999999"),
        (dict(job="weekly"), JobError, "no job named 'weekly'"),
        (dict(job=999_999), JobError, "no job with id 999999"),
        (dict(device="ghost"), InventoryError, "no device named 'ghost'"),
    ]
    for filters, error, message in cases:
        with pytest.raises(error, match=f"^{message}$"):
            list_logs(session, LogFilter(**filters))  # type: ignore[arg-type]
    invalid = [
        (dict(level="loud"), "unknown level 'loud' (known: DEBUG, INFO, WARNING, ERROR, CRITICAL)"),
        (dict(limit=0), "limit must be at least 1, not 0"),
        (dict(since=T0.replace(tzinfo=None)), "since must be a timezone-aware time"),
        (dict(since=T0, until=T0), "since must be before until"),
    ]
    for filters, message in invalid:
        with pytest.raises(JobError) as caught:
            LogFilter(**filters)  # type: ignore[arg-type]
        assert str(caught.value) == message


def test_logs_after(session: Session, seeded: Seeded) -> None:
    assert [e.message for e in logs_after(session, LogFilter(), seeded.logs[6])] == lines(7, 8, 9)
    assert [e.message for e in logs_after(session, LogFilter(device="r2"), seeded.logs[3])] == lines(5, 9)
    assert [e.message for e in logs_after(session, LogFilter(limit=1), seeded.logs[0], limit=2)] == lines(
        1, 2
    )
    assert logs_after(session, LogFilter(), seeded.logs[9]) == []
    assert latest_id(session) == seeded.logs[9]


def test_transcript(session: Session, seeded: Seeded) -> None:
    first = seeded.runs[0]
    transcript = get_transcript(session, first, "r2")
    assert (transcript.run_id, transcript.device_id, transcript.hostname) == (
        first,
        seeded.devices["r2"],
        "r2",
    )
    assert transcript.text == "r2#show running-config\nhostname r2\n"
    with pytest.raises(JobError, match=rf"^run {seeded.runs[1]} has no connection transcript for 'r1'$"):
        get_transcript(session, seeded.runs[1], "r1")
    with pytest.raises(JobError, match=r"^no run with id 999999$"):
        get_transcript(session, 999_999, "r1")


def test_transcript_of_a_renamed_device(session: Session, seeded: Seeded) -> None:
    device = session.get(Device, seeded.devices["r1"])
    assert device is not None
    device.hostname = "core-1"
    session.flush()
    assert get_transcript(session, seeded.runs[0], "core-1").hostname == "r1"
    assert get_transcript(session, seeded.runs[0], "r1").hostname == "r1"


def test_offset_pages_back_from_the_newest_and_count_counts_all(session: Session, seeded: Seeded) -> None:
    from netraven.logs.queries import count_logs, list_transcripts

    assert messages(session, limit=3, offset=2) == lines(5, 6, 7)
    assert messages(session, level="warning", limit=2, offset=1) == lines(3, 5)  # the per-level merge too
    assert count_logs(session, LogFilter(level="warning")) == 4
    assert count_logs(session, LogFilter(run_id=seeded.runs[0], limit=1, offset=5)) == 4
    assert list_transcripts(session, seeded.runs[0]) == [
        ("r1", seeded.devices["r1"]),
        ("r2", seeded.devices["r2"]),
    ]
    with pytest.raises(JobError, match="offset must be at least 0"):
        LogFilter(offset=-1)
    with pytest.raises(JobError, match="no run with id 999999"):
        list_transcripts(session, 999_999)


def test_device_transcripts_are_those_of_its_latest_runs(session: Session, seeded: Seeded) -> None:
    r1, r2 = seeded.devices["r1"], seeded.devices["r2"]
    assert device_transcripts(session, r1) == []  # no result yet: no run of r1 to look in
    for n, run_id in enumerate(seeded.runs):
        session.add(JobResult(run_id=run_id, device_id=r1, hostname="r1", status="succeeded",
                              completed_at=T0 + timedelta(hours=n), output={}))  # fmt: skip
        session.add(ConnectionLog(run_id=run_id, device_id=r1, hostname="r1", transcript=f"run {n}\n"))
    session.flush()
    found = device_transcripts(session, r1, runs=2)
    assert [(t.run_id, t.text) for t in found] == [(seeded.runs[2], "run 2\n"), (seeded.runs[1], "run 1\n")]
    assert all(t.device_id == r1 for t in device_transcripts(session, r1))
    assert device_transcripts(session, r2) == []  # r2's transcript is in a run with no result of r2


def test_text_filter_matches_a_part_of_the_message_in_any_case(session: Session, seeded: Seeded) -> None:
    word = LINES[3][4].split()[-1]
    assert messages(session, text=word.upper()) == [m for m in lines(*range(10)) if word.lower() in m.lower()]
    assert messages(session, text="100%_no_such") == []
    assert messages(session, text="") == lines(*range(10))
