"""The audit trail: one row per state change or login, by whom, from where, with what outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from netraven.db.base import Base, intpk, utcnow


class AuditEntry(Base):
    """Who did what to which object, when, from where, and how it ended.

    The actor's user and token ids are plain numbers, not foreign keys: the row stays as it was
    when the user or token is removed. ``changes`` maps a field to ``[old, new]``, secrets as ``***``.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_at", "at"),
        Index("ix_audit_entries_actor_name_at", "actor_name", "at"),
        Index("ix_audit_entries_action_at", "action", "at"),
        Index("ix_audit_entries_object_type_object_id", "object_type", "object_id"),
    )

    id: Mapped[intpk]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_name: Mapped[str] = mapped_column(String(255))
    actor_user_id: Mapped[int | None]
    actor_token_id: Mapped[int | None]
    address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(255))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(16), default="succeeded")
    detail: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return (
            f"AuditEntry(id={self.id!r}, action={self.action!r}, actor={self.actor_name!r}, "
            f"outcome={self.outcome!r})"
        )


__all__ = ["AuditEntry"]
