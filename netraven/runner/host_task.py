"""The task the runner gives Nornir for each host: the job type's task, bounded in time.

Around the job type's task it adds what every host needs: a per-host time limit that stops a
hung device (its socket is shut down, so the blocked read fails at once), a way to skip hosts not
yet started when the worker is stopping, and closing the host's connections as soon as it is done,
so 500 hosts never hold 500 open sessions.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from nornir.core.task import Result, Task

from netraven.jobs.base import JobType

log = logging.getLogger("netraven.runner")


class HostSkipped(Exception):  # a signal between the task and the processor, not an error
    """The host was not started: the run is being stopped."""


def host_task(
    task: Task,
    job: JobType,
    params: dict[str, Any],
    time_limit: float,
    stop: threading.Event | None = None,
) -> Result:
    """Run ``job``'s task on ``task.host`` within ``time_limit`` seconds, then close its connections."""
    if stop is not None and stop.is_set():
        raise HostSkipped("not started: the run was stopped")
    host = task.host
    access = getattr(host, "access", None)
    timer = None
    if access is not None and time_limit > 0:
        timer = threading.Timer(
            time_limit, access.abort, args=(f"stopped after the per-host time limit of {time_limit:g} s",)
        )
        timer.daemon = True
        timer.start()
    try:
        return job.task(task, **params)
    finally:
        if timer is not None:
            timer.cancel()
        try:
            host.close_connections()
        except Exception:  # a connection that fails to close is gone anyway
            log.debug("%s: closing the connection failed", host.name, exc_info=True)
