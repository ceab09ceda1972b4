"""Parsing the legacy text and JSON-lines formats, and finding the files."""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from netraven.logimport.files import find_log_files, read_lines
from netraven.logimport.parsing import LogEntry, Unparseable, parse_json, parse_text, parse_timestamp

PARIS = ZoneInfo("Europe/Paris")
DATA = Path(__file__).parent.parent / "data" / "legacy_logs"


def entry(items: list[LogEntry | Unparseable]) -> LogEntry:
    assert len(items) == 1 and isinstance(items[0], LogEntry), items
    return items[0]


def test_bracketed_line_with_context() -> None:
    line = "2025-03-14 02:00:03,512 INFO [netraven.jobs.backup] job_id=12 session=3f2a9c device=core-sw1 Backup completed (1523 bytes)"
    e = entry(list(parse_text([line], PARIS)))
    assert e == LogEntry(
        line=1,
        stamp="2025-03-14 02:00:03,512",
        timestamp=datetime(2025, 3, 14, 1, 0, 3, 512000, tzinfo=UTC),
        level="INFO",
        logger="netraven.jobs.backup",
        message="Backup completed (1523 bytes)",
        context={"job_id": "12", "session": "3f2a9c", "hostname": "core-sw1"},
    )


@pytest.mark.parametrize(
    ("line", "context", "message"),
    [
        (
            "2025-03-14 02:00:04,001 - ERROR - device=edge-r2 - Authentication failed",
            {"hostname": "edge-r2"},
            "Authentication failed",
        ),
        ("2025-03-14 02:00:04,001 - ERROR - Authentication failed", {}, "Authentication failed"),
        (
            "2025-03-14 02:00:04,001 ERROR [x] session_id=ab device_id=3 failed: timeout=30",
            {"session": "ab", "device_id": "3"},
            "failed: timeout=30",
        ),
        ("2025-03-14 02:00:04,001 ERROR [x] note=1 job_id=4 text", {}, "note=1 job_id=4 text"),
        ("2025-03-14 02:00:04,001 ERROR [x] category=auth", {"category": "auth"}, ""),
    ],
)
def test_context_tokens_are_optional_and_partial(line: str, context: dict[str, str], message: str) -> None:
    e = entry(list(parse_text([line], PARIS)))
    assert (e.level, e.context, e.message) == ("ERROR", context, message)


def test_continuation_lines_belong_to_the_entry_before() -> None:
    lines = [
        "2025-03-14 02:00:06,200 ERROR [netraven.jobs.backup] Backup failed",
        "Traceback (most recent call last):",
        '  File "backup.py", line 88, in run',
        "TimeoutError",
        "",
        "2025-03-14 02:00:07,000 WARN [netraven] Next",
    ]
    first, second = parse_text(lines, PARIS)
    assert isinstance(first, LogEntry) and isinstance(second, LogEntry)
    assert (
        first.message
        == 'Backup failed\nTraceback (most recent call last):\n  File "backup.py", line 88, in run\nTimeoutError'
    )
    assert (second.line, second.level) == (6, "WARNING")


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["  File 'x.py', line 1", "TimeoutError"], "continuation line with no entry before it"),
        (["2025-03-14 02:00:06 NOTICE [web] x", "  more"], "unknown level 'NOTICE'"),
        (
            ["2025-03-14 25:00:00,000 INFO [web] x"],
            "invalid timestamp '2025-03-14 25:00:00,000': hour must be in 0..23",
        ),
        (["2025-03-14 02:00:07,000 Just text"], "timestamp not followed by 'LEVEL [logger]' or '- LEVEL -'"),
    ],
)
def test_unparseable_text_is_reported_once_with_its_continuation(lines: list[str], reason: str) -> None:
    assert list(parse_text(lines, PARIS)) == [Unparseable(1, reason)]


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2025-03-14 02:00:03,512", datetime(2025, 3, 14, 1, 0, 3, 512000, tzinfo=UTC)),
        ("2025-07-14T02:00:03", datetime(2025, 7, 14, 0, 0, 3, tzinfo=UTC)),  # summer time
        ("2025-03-14T02:00:03.512Z", datetime(2025, 3, 14, 2, 0, 3, 512000, tzinfo=UTC)),
        ("2025-03-14T02:00:03-0500", datetime(2025, 3, 14, 7, 0, 3, tzinfo=UTC)),
    ],
)
def test_timestamps_without_zone_are_read_in_the_given_zone(stamp: str, expected: datetime) -> None:
    assert parse_timestamp(stamp, PARIS) == expected


def test_json_lines_with_varying_keys() -> None:
    lines = [
        '{"timestamp": "2025-03-14T02:00:03.512Z", "level": "info", "logger": "netraven.jobs", "message": "Done",'
        ' "job_id": 12, "session_id": "3f2a9c", "device": "core-sw1", "device_id": 4, "category": "backup"}',
        "",
        '{"time": 1741917600, "levelname": "WARN", "name": "n", "msg": "Slow", "session": null, "duration": 4.5}',
        '{"asctime": "2025-03-14 03:00:00,000", "message": "Boom", "exc_info": "Traceback\\nError", "ms": 1741917600000}',
    ]
    first, second, third = parse_json(lines, PARIS)
    assert first == LogEntry(
        1, "2025-03-14T02:00:03.512Z", datetime(2025, 3, 14, 2, 0, 3, 512000, tzinfo=UTC), "INFO", "netraven.jobs", "Done",
        {"job_id": "12", "session": "3f2a9c", "hostname": "core-sw1", "device_id": "4", "category": "backup"},
    )  # fmt: skip
    assert second == LogEntry(
        3,
        "1741917600",
        datetime(2025, 3, 14, 2, 0, tzinfo=UTC),
        "WARNING",
        "n",
        "Slow",
        {},
        {"duration": 4.5},
    )
    assert isinstance(third, LogEntry)
    assert (third.timestamp, third.level, third.message) == (
        datetime(2025, 3, 14, 2, 0, tzinfo=UTC),
        "INFO",
        "Boom\nTraceback\nError",
    )
    assert third.extra == {"ms": 1741917600000}
    assert next(iter(parse_json(['{"timestamp": 1741917600000, "message": "ms"}'], UTC))) == LogEntry(
        1, "1741917600000", datetime(2025, 3, 14, 2, 0, tzinfo=UTC), "INFO", None, "ms"
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not JSON", "invalid JSON: Expecting value"),
        ("[1, 2]", "expected a JSON object, got list"),
        ('{"level": "info", "message": "x"}', "no timestamp"),
        ('{"timestamp": "2025-03-14T02:00:00Z"}', "no message"),
        (
            '{"timestamp": "yesterday", "message": "x"}',
            "invalid timestamp 'yesterday': Invalid isoformat string: 'yesterday'",
        ),
        (
            '{"timestamp": true, "message": "x"}',
            "invalid timestamp True: expected text or a number, got bool",
        ),
        (
            '{"timestamp": "2025-03-14T02:00:00Z", "level": "verbose", "message": "x"}',
            "unknown level 'verbose'",
        ),
    ],
)
def test_unparseable_json_lines(line: str, reason: str) -> None:
    assert list(parse_json([line], UTC)) == [Unparseable(1, reason)]


def test_files_by_stream_oldest_first() -> None:
    files = find_log_files(DATA)
    assert [(f.name, f.stream, f.kind) for f in files] == [
        ("archive/scheduler.log.2025-03-10", "archive/scheduler.log", "text"),
        ("jobs.jsonl.1.gz", "jobs.jsonl", "json"),
        ("jobs.jsonl", "jobs.jsonl", "json"),
        ("netraven.log.2.gz", "netraven.log", "text"),
        ("netraven.log.1", "netraven.log", "text"),
        ("netraven.log", "netraven.log", "text"),
    ]
    assert next(read_lines(files[3])).startswith("2025-03-13 02:00:00,001 INFO [netraven.scheduler]")


def test_dated_rotations_sort_before_numbered_ones(tmp_path: Path) -> None:
    for name in (
        "a.log",
        "a.log.10",
        "a.log.2",
        "a.log.2025-01-02_03-00",
        "a.log.2024-12-31",
        "a.log.x",
        "b.txt",
    ):
        (tmp_path / name).write_text("")
    assert [f.name for f in find_log_files(tmp_path)] == [
        "a.log.2024-12-31",
        "a.log.2025-01-02_03-00",
        "a.log.10",
        "a.log.2",
        "a.log",
    ]
