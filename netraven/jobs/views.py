"""The one JSON-ready view of jobs and runs, for every face (CLI ``--json``, web API).

Times are aware UTC datetimes; a face renders them in its own time zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import tzinfo
from typing import Any, Protocol

from netraven.db.models import Job, JobResult, JobRun
from netraven.jobs.definitions import job_schedule
from netraven.jobs.events import HostOutcome, RunSummary


class FinishedRun(Protocol):
    """A run that ran to its end in this process (:class:`netraven.runner.RunReport`)."""

    @property
    def run_id(self) -> int: ...
    @property
    def summary(self) -> RunSummary: ...
    @property
    def message(self) -> str | None: ...
    @property
    def hosts(self) -> Mapping[str, HostOutcome]: ...


def job_to_dict(job: Job) -> dict[str, Any]:
    """A job's fields: type, parameters, targets, schedule, priority, state."""
    return {
        "id": job.id,
        "name": job.name,
        "job_type": job.job_type,
        "parameters": job.parameters,
        "targets": {
            "devices": sorted(device.hostname for device in job.devices),
            "tags": sorted(tag.name for tag in job.tags),
            "all": job.target_all,
        },
        "schedule": job_schedule(job).to_dict(),
        "priority": job.priority,
        "enabled": job.enabled,
        "next_run_at": job.next_run_at,
        "created_by": job.created_by,
        "created_at": job.created_at,
    }


def job_view(job: Job, last_run: JobRun | None, tz: tzinfo) -> dict[str, Any]:
    """:func:`job_to_dict`, its schedule described in ``tz``, and its last run."""
    data = job_to_dict(job)
    data["schedule"]["description"] = job_schedule(job).describe(tz)
    data["last_run"] = None if last_run is None else run_to_dict(last_run)
    return data


def run_to_dict(run: JobRun) -> dict[str, Any]:
    """A run's summary (status, counts, times, message) with its job's name."""
    return {**run.summary(), "job": run.job.name if run.job else None}


def run_detail(run: JobRun, results: Iterable[JobResult]) -> dict[str, Any]:
    """:func:`run_to_dict`, the run's targets, and one entry per host result."""
    return {**run_to_dict(run), "targets": run.targets, "hosts": [result_to_dict(r) for r in results]}


def result_to_dict(result: JobResult) -> dict[str, Any]:
    """One host's result in a stored run, with what the job type stored for it."""
    return {
        "hostname": result.hostname,
        "status": result.status,
        "error_kind": result.error_kind,
        "message": result.message,
        "attempts": result.attempts,
        "changed": result.changed,
        "duration_seconds": result.duration_seconds,
        "completed_at": result.completed_at,
        "output": result.output,
    }


def report_to_dict(report: FinishedRun) -> dict[str, Any]:
    """A run that just ended: its summary and every host's outcome with its output, by hostname."""
    summary = report.summary
    return {
        "run_id": report.run_id,
        "status": summary.status,
        "hosts_total": summary.hosts_total,
        "hosts_succeeded": summary.hosts_succeeded,
        "hosts_failed": summary.hosts_failed,
        "message": report.message,
        "hosts": [outcome_to_dict(o) for o in sorted(report.hosts.values(), key=lambda o: o.hostname)],
    }


def outcome_to_dict(outcome: HostOutcome) -> dict[str, Any]:
    """One host's outcome in a run that just ended, with what the job type stored for it."""
    return {
        "hostname": outcome.hostname,
        "status": outcome.status,
        "error_kind": outcome.error_kind,
        "message": outcome.message,
        "changed": outcome.changed,
        "duration_seconds": outcome.duration_seconds,
        "output": dict(outcome.output),
    }
