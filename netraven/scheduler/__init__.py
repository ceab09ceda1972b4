"""Running jobs when they are due: :mod:`~netraven.scheduler.dispatch` turns due jobs into queued
runs, :mod:`~netraven.scheduler.queue` is the Huey app with NetRaven's tasks, and
:mod:`~netraven.scheduler.worker` the process that consumes it.

Job definitions, schedules and runs themselves live in :mod:`netraven.jobs`.
"""
