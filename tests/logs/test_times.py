"""``--since``/``--until`` values: durations ago and ISO times, in the configured zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from netraven.exceptions import JobError
from netraven.logs import parse_time

NOW = datetime(2025, 3, 30, 12, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", datetime(2025, 3, 30, 11, 58, 30, tzinfo=UTC)),
        ("30m", datetime(2025, 3, 30, 11, 30, tzinfo=UTC)),
        (" 1h ", datetime(2025, 3, 30, 11, 0, tzinfo=UTC)),
        ("2D", datetime(2025, 3, 28, 12, 0, tzinfo=UTC)),
        ("1w", datetime(2025, 3, 23, 12, 0, tzinfo=UTC)),
        ("2025-03-01T02:00", datetime(2025, 3, 1, 1, 0, tzinfo=UTC)),  # CET, UTC+1
        ("2025-06-01 02:00", datetime(2025, 6, 1, 0, 0, tzinfo=UTC)),  # CEST, UTC+2
        ("2025-06-01", datetime(2025, 5, 31, 22, 0, tzinfo=UTC)),
        ("2025-06-01T02:00+00:00", datetime(2025, 6, 1, 2, 0, tzinfo=UTC)),
        ("2025-03-30T02:30", datetime(2025, 3, 30, 1, 0, tzinfo=UTC)),  # skipped by DST: the change
    ],
)
def test_parse_time(text: str, expected: datetime) -> None:
    result = parse_time(text, NOW, PARIS)
    assert result == expected and result.tzinfo is UTC


@pytest.mark.parametrize("text", ["yesterday", "1y", "-1h", "", "2025-13-01", "h"])
def test_bad_times_are_one_line(text: str) -> None:
    with pytest.raises(JobError) as caught:
        parse_time(text, NOW, PARIS, "--since")
    assert str(caught.value) == (
        f"--since {text!r}: expected a duration ago (30m, 1h, 2d) or an ISO time (2025-06-01T02:00)"
    )
