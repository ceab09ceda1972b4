"""The Job aggregate: job types, job definitions and their schedules, targets, runs, JSON views.

The job-type contract a plugin implements (:class:`JobType`, :class:`Parameter`, the plain data
passed to hooks, :class:`JobTypeRegistry`) imports nothing heavy. The rest works on the database
and loads on first use: definitions (:func:`create_job`...), schedules (:class:`Schedule`), what
a run reaches (:class:`Targets`), runs (:func:`create_run`, :func:`queue_job_run`...), and
:mod:`netraven.jobs.views`, the one JSON view of jobs and runs that every face prints.
"""

from typing import TYPE_CHECKING, Any

from netraven.jobs.base import HostContext, JobType, RunContext, RunServices
from netraven.jobs.concurrent import ConcurrentJobType
from netraven.jobs.events import DeviceInfo, HostOutcome, HostStatus, RunInfo, RunStatus, RunSummary
from netraven.jobs.parameters import Parameter, parse_assignments
from netraven.jobs.registry import JobTypeRegistry, RegisteredJobType

if TYPE_CHECKING:
    from netraven.jobs.definitions import (
        create_job,
        edit_job,
        get_job,
        job_schedule,
        list_jobs,
        remove_job,
        set_enabled,
    )
    from netraven.jobs.history import get_run, latest_runs, list_runs, run_results, wait_for_run
    from netraven.jobs.progress import Progress, RunFeed, failure_kinds, latest_result_id, result_counts
    from netraven.jobs.queries import (
        JobFilter,
        RunFilter,
        job_preview,
        page_device_results,
        page_jobs,
        page_results,
        page_runs,
        preview,
    )
    from netraven.jobs.runs import Queued, cancel_run, create_run, queue_job_run, queue_run
    from netraven.jobs.schedules import SCHEDULE_TYPES, WEEKDAYS, Schedule, local_to_utc, next_run
    from netraven.jobs.targets import Targets
    from netraven.jobs.views import job_to_dict, job_view, report_to_dict, run_detail, run_to_dict

__all__ = [
    "SCHEDULE_TYPES",
    "WEEKDAYS",
    "ConcurrentJobType",
    "DeviceInfo",
    "HostContext",
    "HostOutcome",
    "HostStatus",
    "JobFilter",
    "JobType",
    "JobTypeRegistry",
    "Parameter",
    "Progress",
    "Queued",
    "RegisteredJobType",
    "RunContext",
    "RunFeed",
    "RunFilter",
    "RunInfo",
    "RunServices",
    "RunStatus",
    "RunSummary",
    "Schedule",
    "Targets",
    "cancel_run",
    "create_job",
    "create_run",
    "edit_job",
    "failure_kinds",
    "get_job",
    "get_run",
    "job_preview",
    "job_schedule",
    "job_to_dict",
    "job_view",
    "latest_result_id",
    "latest_runs",
    "list_jobs",
    "list_runs",
    "local_to_utc",
    "next_run",
    "page_device_results",
    "page_jobs",
    "page_results",
    "page_runs",
    "parse_assignments",
    "preview",
    "queue_job_run",
    "queue_run",
    "remove_job",
    "report_to_dict",
    "result_counts",
    "run_detail",
    "run_results",
    "run_to_dict",
    "set_enabled",
    "wait_for_run",
]

_MODULES = {  # module -> the names it gives this package's face
    "netraven.jobs.definitions": (
        "create_job",
        "edit_job",
        "get_job",
        "job_schedule",
        "list_jobs",
        "remove_job",
        "set_enabled",
    ),
    "netraven.jobs.history": ("get_run", "latest_runs", "list_runs", "run_results", "wait_for_run"),
    "netraven.jobs.progress": ("Progress", "RunFeed", "failure_kinds", "latest_result_id", "result_counts"),
    "netraven.jobs.queries": (
        "JobFilter",
        "RunFilter",
        "job_preview",
        "page_device_results",
        "page_jobs",
        "page_results",
        "page_runs",
        "preview",
    ),
    "netraven.jobs.runs": ("Queued", "cancel_run", "create_run", "queue_job_run", "queue_run"),
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
