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
        list_jobs,
        remove_job,
        set_enabled,
    )
    from netraven.jobs.history import get_run, latest_runs, list_runs, run_results, wait_for_run
    from netraven.jobs.runs import Queued, create_run, queue_job_run
    from netraven.jobs.schedules import SCHEDULE_TYPES, WEEKDAYS, Schedule, local_to_utc, next_run
    from netraven.jobs.targets import Targets
    from netraven.jobs.views import job_to_dict, job_view, report_to_dict, run_detail, run_to_dict

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
    "Queued",
    "RegisteredJobType",
    "RunContext",
    "RunInfo",
    "RunStatus",
    "RunSummary",
    "Schedule",
    "Targets",
    "create_job",
    "create_run",
    "get_job",
    "get_run",
    "job_schedule",
    "job_to_dict",
    "job_view",
    "latest_runs",
    "list_jobs",
    "list_runs",
    "local_to_utc",
    "next_run",
    "parse_assignments",
    "queue_job_run",
    "remove_job",
    "report_to_dict",
    "run_detail",
    "run_results",
    "run_to_dict",
    "set_enabled",
    "wait_for_run",
]

_MODULES = {  # module -> the names it gives this package's face
    "netraven.jobs.definitions": (
        "create_job",
        "get_job",
        "job_schedule",
        "list_jobs",
        "remove_job",
        "set_enabled",
    ),
    "netraven.jobs.history": ("get_run", "latest_runs", "list_runs", "run_results", "wait_for_run"),
    "netraven.jobs.runs": ("Queued", "create_run", "queue_job_run"),
    "netraven.jobs.schedules": ("SCHEDULE_TYPES", "WEEKDAYS", "Schedule", "local_to_utc", "next_run"),
    "netraven.jobs.targets": ("Targets",),
    "netraven.jobs.views": ("job_to_dict", "job_view", "report_to_dict", "run_detail", "run_to_dict"),
}  # fmt: skip
_LAZY = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Import the database parts (SQLAlchemy, croniter) only when first used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'netraven.jobs' has no attribute {name!r}")
