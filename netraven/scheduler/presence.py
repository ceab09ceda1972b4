"""A worker's presence in the registry (:mod:`netraven.jobs.workers`) while it runs.

Registered when it starts (a database that cannot take the row stops the start), renewed every
``scheduler.heartbeat_interval`` seconds from a thread of its own, so a worker busy with long runs or
idle for hours is still seen, and marked stopped when it stops cleanly. A heartbeat that cannot be
written is reported through the worker's database :class:`~netraven.scheduler.outage.Outage`.
"""

from __future__ import annotations

import os
import socket
import threading
from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from netraven._version import __version__
from netraven.jobs.workers import register_worker, worker_heartbeat, worker_stopped
from netraven.scheduler.outage import Outage


class Presence:
    """Context manager: the worker ``name`` is registered inside it and beats every ``interval`` s."""

    def __init__(
        self, sessions: sessionmaker[Session], name: str, *, threads: int, queue: str, interval: float,
        outage: Outage,
    ) -> None:  # fmt: skip
        self._sessions, self.name, self._threads, self._queue = sessions, name, threads, queue
        self._interval, self._outage = interval, outage
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="netraven-heartbeat", daemon=True)

    def __enter__(self) -> Presence:
        with self._sessions.begin() as session:
            register_worker(session, self.name, hostname=socket.gethostname(), pid=os.getpid(),
                            version=__version__, threads=self._threads, queue=self._queue)  # fmt: skip
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()
        try:
            with self._sessions.begin() as session:
                worker_stopped(session, self.name)
        except Exception as failure:  # the database is gone: the worker shows as lost, not stopped
            self._outage.failed(failure)

    def _beat(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                with self._sessions.begin() as session:
                    worker_heartbeat(session, self.name)
            except Exception as exc:  # retried at the next beat; an outage is logged once
                self._outage.failed(exc)
            else:
                self._outage.worked()
