"""Versions of a device's configuration."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netraven.db.base import Base, intpk, json_dict, utcnow

if TYPE_CHECKING:
    from netraven.db.models.device import Device


class DeviceConfiguration(Base):
    """One version of a device's config: stored only when its normalised text changed.

    ``normalized_hash`` is the SHA-256 of the text with volatile lines removed; ``last_seen_at``
    moves on each time a backup finds the same config again. ``git_pending`` is true until the
    version is in the git history (``git_commit`` then names the commit that wrote it; a version
    superseded before it could be written is no longer pending and has no commit). ``keep`` marks a
    version retention never deletes (:mod:`netraven.retention`).
    """

    __tablename__ = "device_configurations"
    __table_args__ = (
        UniqueConstraint("device_id", "version", name="uq_device_configurations_device_id_version"),
        Index("ix_device_configurations_device_id_retrieved_at", "device_id", "retrieved_at"),
        Index("ix_device_configurations_git_pending", "git_pending"),
        Index("ix_device_configurations_run_id", "run_id"),
    )

    id: Mapped[intpk]
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    version: Mapped[int]
    config_text: Mapped[str] = mapped_column(Text)
    normalized_hash: Mapped[str] = mapped_column(String(64))
    retrieved_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    size_bytes: Mapped[int]
    redacted: Mapped[bool] = mapped_column(default=False)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("job_runs.id", ondelete="SET NULL"))
    git_commit: Mapped[str | None] = mapped_column(String(64))
    git_pending: Mapped[bool] = mapped_column(default=True, server_default=false())
    changed_lines: Mapped[int | None]
    keep: Mapped[bool] = mapped_column(default=False, server_default=false())
    details: Mapped[json_dict]

    device: Mapped[Device] = relationship(back_populates="configurations")

    def __repr__(self) -> str:
        return f"DeviceConfiguration(device_id={self.device_id!r}, version={self.version!r})"
