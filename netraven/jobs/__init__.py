"""The Job aggregate: job types, job definitions and their schedules, targets, runs, JSON views.

The job-type contract a plugin implements (:class:`JobType`, :class:`Parameter`, the plain data
passed to hooks, :class:`JobTypeRegistry`) imports nothing heavy. The rest works on the database
and loads on first use: definitions (:func:`create_job`...), schedules (:class:`Schedule`), what
a run reaches (:class:`Targets`), runs (:func:`create_run`, :func:`queue_job_run`...), and
:mod:`netraven.jobs.views`, the one JSON view of jobs and runs that every face prints.
"""

from typing import TYPE_CHECKING, Any

from netraven.jobs.base import HostContext, JobType, RunContext
from netraven.jobs.events import DeviceInfo, HostOutcome, HostStatus, RunInfo, RunStatus, RunSummary
from netraven.jobs.parameters import Parameter, parse_assignments
from netraven.jobs.registry import JobTypeRegistry, RegisteredJobType

if TYPE_CHECKING:
    from netraven.jobs.definitions import (
        create_job,
        get_job,
        job_schedule,
        latest_runs,
        list_jobs,
        list_runs,
        remove_job,
        set_enabled,
    )
    from netraven.jobs.history import get_run, run_results
    from netraven.jobs.schedules import SCHEDULE_TYPES, WEEKDAYS, Schedule, local_to_utc, next_run
    from netraven.jobs.targets import Targets

__all__ = [
    "SCHEDULE_TYPES",
    "WEEKDAYS",
    "DeviceInfo",
    "HostContext",
    "HostOutcome",
    "HostStatus",
    "JobType",
    "JobTypeRegistry",
    "Parameter",
    "RegisteredJobType",
    "RunContext",
    "RunInfo",
    "RunStatus",
    "RunSummary",
    "Schedule",
    "Targets",
    "create_job",
    "get_job",
    "get_run",
    "job_schedule",
    "latest_runs",
    "list_jobs",
    "list_runs",
    "local_to_utc",
    "next_run",
    "parse_assignments",
    "remove_job",
    "run_results",
    "set_enabled",
]

_MODULES = {
    "netraven.jobs.definitions": (
        "create_job", "get_job", "job_schedule", "latest_runs", "list_jobs", "list_runs", "remove_job",
        "set_enabled",
    ),
    "netraven.jobs.history": ("get_run", "run_results"),
    "netraven.jobs.schedules": ("SCHEDULE_TYPES", "WEEKDAYS", "Schedule", "local_to_utc", "next_run"),
    "netraven.jobs.targets": ("Targets",),
}  # fmt: skip
_LAZY = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Import the database parts (SQLAlchemy, croniter) only when first used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'netraven.jobs' has no attribute {name!r}")
