"""The audit rows a test wrote: the shared databases hold other tests' committed rows too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from netraven.db.models import AuditEntry

Trail = Callable[..., list[AuditEntry]]


@pytest.fixture
def trail(session: Session) -> Trail:
    """``trail(*conditions)``: the audit rows added since the test began, oldest first."""
    start = session.scalar(select(func.max(AuditEntry.id))) or 0

    def rows(*conditions: ColumnElement[bool]) -> list[AuditEntry]:
        query = select(AuditEntry).where(AuditEntry.id > start, *conditions).order_by(AuditEntry.id)
        return list(session.scalars(query))

    return rows
