"""What happened on each host of a run: results, job logs and connection transcripts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netraven.db.base import Base, intpk, json_dict, name_str, utcnow

if TYPE_CHECKING:
    from netraven.db.models.job import JobRun


class JobResult(Base):
    """One host in one run. ``error_kind``: auth, timeout, connection, command or parse (failed), or
    circuit_open or unreachable (skipped without being touched)."""

    __tablename__ = "job_results"
    __table_args__ = (
        Index("ix_job_results_run_id", "run_id"),
        Index("ix_job_results_device_id_completed_at", "device_id", "completed_at"),
    )

    id: Mapped[intpk]
    run_id: Mapped[int] = mapped_column(ForeignKey("job_runs.id", ondelete="CASCADE"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    hostname: Mapped[name_str]
    status: Mapped[str] = mapped_column(String(20))
    error_kind: Mapped[str | None] = mapped_column(String(20))
    message: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    credential_id: Mapped[int | None] = mapped_column(ForeignKey("credentials.id", ondelete="SET NULL"))
    changed: Mapped[bool] = mapped_column(default=False)
    duration_seconds: Mapped[float | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
    output: Mapped[json_dict]

    run: Mapped[JobRun] = relationship(back_populates="results")

    def __repr__(self) -> str:
        return f"JobResult(run_id={self.run_id!r}, hostname={self.hostname!r}, status={self.status!r})"


class JobLog(Base):
    """A log line of a run, optionally about one device; redacted before it is written."""

    __tablename__ = "job_logs"
    __table_args__ = (
        Index("ix_job_logs_run_id_timestamp", "run_id", "timestamp"),
        Index("ix_job_logs_device_id_timestamp", "device_id", "timestamp"),
        Index("ix_job_logs_level_timestamp", "level", "timestamp"),
        Index("ix_job_logs_timestamp", "timestamp"),
    )

    id: Mapped[intpk]
    run_id: Mapped[int | None] = mapped_column(ForeignKey("job_runs.id", ondelete="CASCADE"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    timestamp: Mapped[datetime] = mapped_column(default=utcnow)
    level: Mapped[str] = mapped_column(String(10), default="INFO")
    category: Mapped[str] = mapped_column(String(50), default="job")
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[json_dict]


class ConnectionLog(Base):
    """The redacted SSH session transcript of one host in one run."""

    __tablename__ = "connection_logs"
    __table_args__ = (Index("ix_connection_logs_run_id_device_id", "run_id", "device_id"),)

    id: Mapped[intpk]
    run_id: Mapped[int] = mapped_column(ForeignKey("job_runs.id", ondelete="CASCADE"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    hostname: Mapped[name_str]
    transcript: Mapped[str] = mapped_column(Text)
    timestamp: Mapped[datetime] = mapped_column(default=utcnow)
