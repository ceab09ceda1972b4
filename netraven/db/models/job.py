"""Job definitions (what to do, to which targets, when) and their runs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netraven.db.base import Base, created_at, intpk, json_dict, link_table, name_str

if TYPE_CHECKING:
    from netraven.db.models.device import Device, Tag
    from netraven.db.models.result import JobResult

job_devices = link_table("job", "device")

job_tags = link_table("job", "tag")

RUN_STATUSES = ("queued", "running", "succeeded", "partial", "failed", "cancelled")


class Job(Base):
    """What to do (job type + parameters), to which targets, on which schedule.

    Targets are devices, tags, or ``target_all`` for the whole fleet. Deleting a job deletes its
    runs with their results and logs.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_enabled_next_run_at", "enabled", "next_run_at"),)

    id: Mapped[intpk]
    name: Mapped[name_str] = mapped_column(unique=True)
    job_type: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    parameters: Mapped[json_dict]
    target_all: Mapped[bool] = mapped_column(default=False)
    schedule_type: Mapped[str] = mapped_column(String(20), default="immediate")
    run_at: Mapped[datetime | None]
    interval_seconds: Mapped[int | None]
    time_of_day: Mapped[str | None] = mapped_column(String(8))
    days_of_week: Mapped[str | None] = mapped_column(String(32))
    cron_expression: Mapped[str | None] = mapped_column(String(120))
    priority: Mapped[int] = mapped_column(default=0)
    enabled: Mapped[bool] = mapped_column(default=True)
    next_run_at: Mapped[datetime | None]
    created_by: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[created_at]

    devices: Mapped[list[Device]] = relationship(secondary=job_devices)
    tags: Mapped[list[Tag]] = relationship(secondary=job_tags)
    runs: Mapped[list[JobRun]] = relationship(
        back_populates="job", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"Job(id={self.id!r}, name={self.name!r}, job_type={self.job_type!r})"


class JobRun(Base):
    """One execution of a job (or of an ad-hoc ``netraven run``, with no job).

    Status moves queued → running → succeeded | partial | failed | cancelled. ``heartbeat_at`` is
    renewed by the worker running it, so a run whose worker died can be found.
    """

    __tablename__ = "job_runs"
    __table_args__ = (
        Index("ix_job_runs_job_id_created_at", "job_id", "created_at"),
        Index("ix_job_runs_status", "status"),
    )

    id: Mapped[intpk]
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    job_type: Mapped[str] = mapped_column(String(64))
    parameters: Mapped[json_dict]
    targets: Mapped[json_dict]  # {"devices": [...], "tags": [...], "all": bool}, see runner.Targets
    status: Mapped[str] = mapped_column(String(20), default="queued")
    message: Mapped[str | None] = mapped_column(Text)
    scheduled_for: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    worker: Mapped[str | None] = mapped_column(String(255))
    triggered_by: Mapped[str | None] = mapped_column(String(255))
    hosts_total: Mapped[int] = mapped_column(default=0)
    hosts_succeeded: Mapped[int] = mapped_column(default=0)
    hosts_failed: Mapped[int] = mapped_column(default=0)
    requeues: Mapped[int] = mapped_column(default=0)  # times re-queued after a lost worker
    cancel_requested_at: Mapped[datetime | None]  # someone asked the run to stop (netraven.jobs.cancel_run)
    cancel_requested_by: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[created_at]

    job: Mapped[Job | None] = relationship(back_populates="runs")
    results: Mapped[list[JobResult]] = relationship(
        back_populates="run", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"JobRun(id={self.id!r}, job_id={self.job_id!r}, status={self.status!r})"

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "job_id": self.job_id,
            "job_type": self.job_type,
            "status": self.status,
            "triggered_by": self.triggered_by,
            "scheduled_for": self.scheduled_for,
            "started_at": self.started_at,
            "completed_at": self.completed_at,
            "hosts_total": self.hosts_total,
            "hosts_succeeded": self.hosts_succeeded,
            "hosts_failed": self.hosts_failed,
            "message": self.message,
        }


class RunShard(Base):
    """Some of a distributed run's hosts: a task on the queue that any worker may take.

    Status moves queued → running → done, or failed (its worker was lost twice; its unreported
    hosts failed) or cancelled (its run was cancelled before it started). The shard that finishes
    last finalises its run. ``attempts`` counts the workers that took it.
    """

    __tablename__ = "run_shards"
    __table_args__ = (Index("ix_run_shards_run_id_status", "run_id", "status"),)

    id: Mapped[intpk]
    run_id: Mapped[int] = mapped_column(ForeignKey("job_runs.id", ondelete="CASCADE"))
    index: Mapped[int]
    device_ids: Mapped[list[int]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    worker: Mapped[str | None] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created_at]
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    message: Mapped[str | None] = mapped_column(Text)
