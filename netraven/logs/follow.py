"""Following the job logs: the lines committed since the last look, each shown once.

Rows get their ids when they are inserted but become visible when their transaction commits, and
the runner's threads commit concurrently: a row can appear after rows with higher ids. So each look
goes back :data:`LOOKBACK` ids below the highest id seen and skips the ids already returned.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from netraven.logs.queries import LogEntry, LogFilter, after, conditions

LOOKBACK = 1000  # ids: far more rows than the runner's threads have in flight at once
BATCH = 1000


class Tail:
    """New lines matching ``filters`` with ids above ``start``, in id order, as they are committed.

    ``seen`` are ids above ``start`` already shown (by the listing that came before).
    """

    def __init__(self, filters: LogFilter, start: int, seen: Iterable[int] = ()) -> None:
        self.filters = filters
        self.start = start
        self.seen = {i for i in seen if i > start}
        self.high = max(self.seen, default=start)
        self._where: list[ColumnElement[bool]] | None = None

    def poll(self, session: Session) -> list[LogEntry]:
        """The lines committed since the last poll (at most :data:`BATCH` new ones)."""
        if self._where is None:
            self._where = conditions(session, self.filters)
        floor = max(self.start, self.high - LOOKBACK)
        # At most LOOKBACK rows lie between floor and high, so BATCH more always include new ones.
        rows = [r for r in after(session, self._where, floor, LOOKBACK + BATCH) if r.id not in self.seen]
        self.seen.update(r.id for r in rows)
        self.high = max(self.high, *(r.id for r in rows)) if rows else self.high
        lowest = max(self.start, self.high - LOOKBACK)
        self.seen = {i for i in self.seen if i > lowest}
        return rows
