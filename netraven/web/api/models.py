"""The API's typed models of jobs, runs and host results: each validates the domain's one JSON view
(:mod:`netraven.jobs.views`), so the API and ``netraven ... --json`` show the same fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from netraven.web.schemas import Strict

MAX_INT = 2**31 - 1  # the largest id a database integer holds


def job_ref(text: str) -> int | str:
    """A job named in a query: digits a database can take are its id, anything else its name."""
    return int(text) if text.strip().isdigit() and int(text) <= MAX_INT else text


RunStatusName = Literal["queued", "running", "succeeded", "partial", "failed", "cancelled"]
HostStatusName = Literal["succeeded", "failed", "skipped"]


class TargetsIn(Strict):
    """What a job or run reaches: devices by hostname, devices with any of the tags, or all."""

    devices: list[str] = Field(default_factory=list, examples=[["core-1"]])
    tags: list[str] = Field(default_factory=list, examples=[["core"]])
    all: bool = False


class Targets(BaseModel):
    devices: list[str]
    tags: list[str]
    all: bool


class ScheduleIn(Strict):
    """When a job runs: ``type`` and the fields it needs (times of day and cron in
    ``scheduler.timezone``; ``run_at`` ISO, without an offset also in that zone)."""

    type: Literal["immediate", "onetime", "interval", "daily", "weekly", "cron"] = "immediate"
    run_at: str | None = Field(default=None, examples=["2026-12-24T02:00"])
    interval_seconds: int | str | None = Field(default=None, examples=["15m"])
    time_of_day: str | None = Field(default=None, examples=["02:00"])
    days_of_week: list[str] | str | None = Field(default=None, examples=[["mon", "thu"]])
    cron_expression: str | None = Field(default=None, examples=["0 2 * * *"])


class Schedule(BaseModel):
    type: str = Field(examples=["cron"])
    run_at: datetime | None = None
    interval_seconds: int | None = None
    time_of_day: str | None = None
    days_of_week: list[str] = Field(default_factory=list)
    cron_expression: str | None = Field(default=None, examples=["0 2 * * *"])
    description: str | None = Field(default=None, examples=["cron 0 2 * * *"])


class Run(BaseModel):
    """A run's summary (:func:`netraven.jobs.run_to_dict`)."""

    id: int = Field(examples=[42])
    job_id: int | None = Field(examples=[7])
    job: str | None = Field(examples=["nightly-backup"])
    job_type: str = Field(examples=["backup"])
    status: RunStatusName
    triggered_by: str | None = Field(examples=["alice"])
    scheduled_for: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    hosts_total: int
    hosts_succeeded: int
    hosts_failed: int
    message: str | None


class HostResult(BaseModel):
    """One host in one run, with what the job type stored for it (``output``)."""

    hostname: str = Field(examples=["core-1"])
    status: HostStatusName
    error_kind: str | None = Field(examples=[None])
    message: str | None = Field(examples=["config unchanged (version 3)"])
    attempts: int
    changed: bool
    duration_seconds: float | None
    completed_at: datetime | None
    output: dict[str, Any] = Field(examples=[{"version": 3, "changed": False}])


class RunDetail(Run):
    """A run with its targets and every host's result (:func:`netraven.jobs.run_detail`)."""

    targets: dict[str, Any]
    hosts: list[HostResult]


class Job(BaseModel):
    """A job definition and its last run (:func:`netraven.jobs.job_view`)."""

    id: int = Field(examples=[7])
    name: str = Field(examples=["nightly-backup"])
    job_type: str = Field(examples=["backup"])
    parameters: dict[str, Any]
    targets: Targets
    schedule: Schedule
    priority: int
    enabled: bool
    next_run_at: datetime | None
    created_by: str | None
    created_at: datetime
    last_run: Run | None = None
