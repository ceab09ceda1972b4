"""Job definitions and their schedules: when each job is next due.

:mod:`netraven.scheduler.schedules` is pure (no database); :mod:`netraven.scheduler.definitions`
stores job definitions, validated, on the ``Job`` model.
"""

from netraven.scheduler.schedules import SCHEDULE_TYPES, WEEKDAYS, Schedule, local_to_utc, next_run

__all__ = ["SCHEDULE_TYPES", "WEEKDAYS", "Schedule", "local_to_utc", "next_run"]
