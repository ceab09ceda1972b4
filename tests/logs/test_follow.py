"""The polling tail: new lines once each, in id order, also those committed out of id order."""

from sqlalchemy.orm import Session

from netraven.db.models import JobLog
from netraven.logs import LogFilter, Tail, latest_id
from tests.logs.conftest import Seeded


def add(session: Session, message: str, level: str = "INFO", id: int | None = None) -> int:
    row = JobLog(id=id, level=level, category="test", message=message)
    session.add(row)
    session.flush()
    return row.id


def test_tail_returns_each_new_line_once(session: Session, seeded: Seeded) -> None:
    tail = Tail(LogFilter(level="WARNING"), latest_id(session))
    assert tail.poll(session) == []
    add(session, "quiet")
    loud = add(session, "loud", "ERROR")
    assert [e.message for e in tail.poll(session)] == ["loud"]
    assert tail.poll(session) == []
    assert tail.high == loud


def test_tail_finds_a_line_committed_after_higher_ids(session: Session, seeded: Seeded) -> None:
    start = latest_id(session)
    tail = Tail(LogFilter(), start)
    add(session, "third", id=start + 3)
    add(session, "first", id=start + 1)
    assert [e.message for e in tail.poll(session)] == ["first", "third"]
    add(session, "second", id=start + 2)  # its transaction committed late
    assert [e.message for e in tail.poll(session)] == ["second"]
    assert tail.poll(session) == []


def test_tail_skips_lines_the_listing_showed(session: Session, seeded: Seeded) -> None:
    start = latest_id(session)
    shown = add(session, "shown by the listing")
    tail = Tail(LogFilter(), start, seen=[seeded.logs[0], shown])
    new = add(session, "new")
    assert [e.id for e in tail.poll(session)] == [new]
    assert tail.seen == {shown, new}
