"""Delivery rows: queued in one transaction after a run, then updated by the sender per attempt.

The sender updates each row in a short transaction of its own, so the log shows a delivery's
attempts while it is retried, and a process that ends mid-delivery leaves it recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from netraven.db.base import utcnow
from netraven.db.models import DELIVERY_STATUSES, NotificationDelivery
from netraven.db.paging import Paged, paged
from netraven.exceptions import NotificationError

MAX_ERROR = 500
COLUMNS = {"id": NotificationDelivery.id, "created_at": NotificationDelivery.created_at}


@dataclass(frozen=True)
class NewDelivery:
    """A message about to be queued: which event, to which channel, because of which rule."""

    event: str
    channel: str
    subject: str
    rule: str | None = None
    run_id: int | None = None
    device_id: int | None = None


@dataclass(frozen=True)
class DeliveryFilter:
    """Which deliveries ``netraven notify log`` shows; None matches any."""

    status: str | None = None
    channel: str | None = None
    event: str | None = None
    run_id: int | None = None

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in DELIVERY_STATUSES:
            raise NotificationError(
                f"unknown delivery status {self.status!r} (known: {', '.join(DELIVERY_STATUSES)})"
            )


def queue_deliveries(session: Session, new: Iterable[NewDelivery]) -> list[int]:
    """Add a pending row per delivery in the caller's transaction; their ids, in order."""
    rows = [NotificationDelivery(**vars(item), status="pending", attempts=0) for item in new]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def record_attempt(sessions: sessionmaker[Session], delivery_id: int, attempts: int, error: str) -> None:
    """A failed attempt that will be retried: the count and why, in a transaction of its own."""
    _set(sessions, [delivery_id], status="retrying", attempts=attempts, last_error=error[:MAX_ERROR])


def finish_delivery(
    sessions: sessionmaker[Session], delivery_id: int, attempts: int, error: str | None = None
) -> None:
    """The delivery's end: ``sent`` (no ``error``) or ``failed`` with the last attempt's error."""
    if error is None:
        _set(sessions, [delivery_id], status="sent", attempts=attempts, sent_at=utcnow())
    else:
        _set(sessions, [delivery_id], status="failed", attempts=attempts, last_error=error[:MAX_ERROR])


def give_up(sessions: sessionmaker[Session], delivery_ids: Sequence[int], reason: str) -> None:
    """Record deliveries not finished (the process is ending) as failed, keeping their attempts."""
    if delivery_ids:
        _set(sessions, delivery_ids, status="failed", last_error=reason[:MAX_ERROR], only_open=True)


def _set(sessions: sessionmaker[Session], ids: Sequence[int], only_open: bool = False, **values: Any) -> None:
    statement = update(NotificationDelivery).where(NotificationDelivery.id.in_(ids))
    if only_open:
        statement = statement.where(NotificationDelivery.status.in_(("pending", "retrying")))
    with sessions.begin() as session:
        session.execute(statement.values(updated_at=utcnow(), **values))


def list_deliveries(
    session: Session, filters: DeliveryFilter, limit: int = 50, offset: int = 0
) -> Paged[NotificationDelivery]:
    """Deliveries matching ``filters``, newest first."""
    query = select(NotificationDelivery)
    for name in ("status", "channel", "event", "run_id"):
        value = getattr(filters, name)
        if value is not None:
            query = query.where(getattr(NotificationDelivery, name) == value)
    return paged(
        session,
        query,
        limit=limit,
        offset=offset,
        sort="-id",
        columns=COLUMNS,
        default="-id",
        error=NotificationError,
    )


def delivery_view(row: NotificationDelivery) -> dict[str, Any]:
    """A delivery as JSON-able data."""
    return {
        "id": row.id,
        "event": row.event,
        "channel": row.channel,
        "rule": row.rule,
        "subject": row.subject,
        "run_id": row.run_id,
        "device_id": row.device_id,
        "status": row.status,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
    }
