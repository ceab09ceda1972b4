"""Job definitions and their schedules: when each job is next due.

:mod:`netraven.scheduler.schedules` is pure (no database); :mod:`netraven.scheduler.definitions`
stores job definitions, validated, on the ``Job`` model.
"""

from netraven.scheduler.definitions import (
    create_job,
    get_job,
    job_schedule,
    job_to_dict,
    latest_runs,
    list_jobs,
    list_runs,
    remove_job,
    set_enabled,
)
from netraven.scheduler.schedules import SCHEDULE_TYPES, WEEKDAYS, Schedule, local_to_utc, next_run

__all__ = [
    "SCHEDULE_TYPES",
    "WEEKDAYS",
    "Schedule",
    "create_job",
    "get_job",
    "job_schedule",
    "job_to_dict",
    "latest_runs",
    "list_jobs",
    "list_runs",
    "local_to_utc",
    "next_run",
    "remove_job",
    "set_enabled",
]
