"""Notifications: the delivery log, and the named secrets channels use (tokens, SMTP passwords)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from netraven.db.base import Base, created_at, intpk, name_str, utcnow

DELIVERY_STATUSES = ("pending", "retrying", "sent", "failed")


class NotificationDelivery(Base):
    """One message of one event to one channel: queued, retried, sent or given up on.

    ``last_error`` is one line, never a secret (channel secrets are masked before it is stored).
    A delivery outlives the run and the device it is about (their ids become NULL).
    """

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        Index("ix_notification_deliveries_created_at", "created_at"),
        Index("ix_notification_deliveries_status", "status"),
    )

    id: Mapped[intpk]
    event: Mapped[str] = mapped_column(String(40))
    channel: Mapped[name_str]
    rule: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(Text)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("job_runs.id", ondelete="SET NULL"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"NotificationDelivery(id={self.id!r}, event={self.event!r}, channel={self.channel!r})"


class NamedSecret(Base):
    """A secret a setting refers to by name (a webhook token, an SMTP password), Fernet-encrypted
    with the credentials' keys; only the vault decrypts ``value_encrypted``."""

    __tablename__ = "named_secrets"

    id: Mapped[intpk]
    name: Mapped[name_str] = mapped_column(unique=True)
    value_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"NamedSecret(id={self.id!r}, name={self.name!r})"


__all__ = ["DELIVERY_STATUSES", "NamedSecret", "NotificationDelivery"]
