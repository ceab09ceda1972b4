"""The task the runner gives Nornir for each host: the job type's task, bounded in time.

Around the job type's task it adds what every host needs: a per-host time limit that stops a
hung device, a way to skip hosts not yet started when the worker is stopping, and closing the
host's connections as soon as it is done, so 500 hosts never hold 500 open sessions.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from typing import Any

from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.processor import Processor
from nornir.core.task import AggregatedResult, Result, Task

from netraven.connections.opener import HostAccess
from netraven.jobs.base import JobType
from netraven.settings import Settings

log = logging.getLogger("netraven.runner")


class HostSkipped(Exception):  # a signal between the task and the processor, not an error
    """The host was not started: the run is being stopped."""


class HostTimeLimitExceeded(Exception):  # raised in the host's thread by its deadline
    """The host ran past the per-host time limit."""


def run_hosts(
    nornir: Nornir,
    processor: Processor,
    job: JobType,
    job_type: str,
    params: dict[str, Any],
    settings: Settings,
    stop: threading.Event | None = None,
) -> AggregatedResult:
    """Run ``job`` on every host of ``nornir`` with :func:`host_task`, reporting to ``processor``."""
    _quiet_device_loggers()
    return nornir.with_processors([processor]).run(
        task=host_task,
        name=job_type,
        job=job,
        params=params,
        time_limit=settings.connection.host_time_limit,
        stop=stop,
    )


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
    deadline = _Deadline(access, time_limit) if access is not None and time_limit > 0 else None
    failed = True
    try:
        result = job.task(task, **params)
        failed = False
        return result
    finally:
        try:
            _close(host, graceful=not failed)
            if deadline is not None:
                deadline.end()
        except HostTimeLimitExceeded:  # delivered just as the task ended
            _close(host, graceful=False)


def _close(host: Host, graceful: bool) -> None:
    """Close the host's connections: a healthy session logs out, a failed one is dropped at once.

    netmiko's logout waits for the prompt; on a session that just hung or broke, that wait is
    only more of the same timeout.
    """
    try:
        if graceful:
            host.close_connections()
            return
        for name, plugin in list(host.connections.items()):
            client = getattr(plugin.connection, "remote_conn_pre", None)  # paramiko's SSHClient
            if client is not None:
                client.close()
            del host.connections[name]
    except Exception:  # a connection that fails to close is gone anyway
        log.debug("%s: closing the connection failed", host.name, exc_info=True)


class _Deadline:
    """Stops the calling thread's host after ``seconds``.

    netmiko waits for output by polling in Python, and does not notice a closed channel: shutting
    the socket down alone would leave the thread waiting for its read timeout. So the deadline
    also raises :class:`HostTimeLimitExceeded` in the host's thread (``PyThreadState_SetAsyncExc``),
    which lands at the next Python instruction of that polling loop.
    """

    def __init__(self, access: HostAccess, seconds: float) -> None:
        self._access = access
        self._seconds = seconds
        self._thread_id = threading.get_ident()
        self._lock = threading.Lock()
        self._running = True
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        with self._lock:
            if not self._running:
                return
            self._access.abort(f"stopped after the per-host time limit of {self._seconds:g} s")
            _async_raise(self._thread_id, HostTimeLimitExceeded)

    def end(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._running = False
            _async_raise(self._thread_id, None)  # drop an exception not yet delivered


def _async_raise(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None
    )


def _quiet_device_loggers() -> None:
    """Keep what devices said out of the application log: the run stores it, redacted.

    netmiko's DEBUG log holds every byte read from devices, secrets included (the run keeps a
    redacted transcript per host in ConnectionLog); Nornir logs each failed host's traceback at
    ERROR (the run records each failure, classified, in its JobResult and JobLog).
    """
    netmiko = logging.getLogger("netmiko")
    if netmiko.getEffectiveLevel() < logging.INFO:
        netmiko.setLevel(logging.INFO)
    logging.getLogger("nornir.core.task").setLevel(logging.CRITICAL)
