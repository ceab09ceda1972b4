"""What a run takes from each host's own thread: when it started, when it ended, its transcript."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Task

from netraven.db.base import utcnow


@dataclass
class FinishedHost:
    """A host's Nornir result as its thread handed it over, with the times taken in that thread."""

    host: Host
    result: MultiResult
    started_at: datetime
    completed_at: datetime
    duration: float
    transcript: bytes


class HostCapture:
    """Start times and in-memory netmiko session logs of the hosts of one run, safe under threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started: dict[str, tuple[float, datetime]] = {}
        self._transcripts: dict[str, io.BytesIO] = {}

    def connection_options(self, host: Host) -> dict[str, Any]:
        """Extra netmiko options for ``host``: a session log kept in memory for its transcript."""
        with self._lock:
            buffer = self._transcripts.setdefault(host.name, io.BytesIO())
        return {"session_log": buffer}

    def attach(self, hosts: Iterable[Host]) -> None:
        """Route the logins of ``hosts`` (NetRavenHosts sharing one broker) through this capture.

        Their netmiko sessions log here, and their login outcomes wait on each host's access to
        be counted with its result, so threads logging in never queue for the database.
        """
        first = next(iter(hosts), None)
        if first is None:
            return
        broker = first.access.broker  # type: ignore[attr-defined]  # a NetRavenHost
        broker.extra_options = self.connection_options
        broker.record_later = True

    def started(self, host: Host) -> None:
        with self._lock:
            self._started[host.name] = (time.monotonic(), utcnow())

    def finished(self, host: Host, result: MultiResult) -> FinishedHost:
        """The host's result with its times and transcript (forgotten here)."""
        with self._lock:
            began, started_at = self._started.pop(host.name, (time.monotonic(), utcnow()))
            transcript = self._transcripts.pop(host.name, None)
        return FinishedHost(
            host,
            result,
            started_at,
            utcnow(),
            time.monotonic() - began,
            transcript.getvalue() if transcript is not None else b"",
        )


class CapturingProcessor:
    """A Nornir processor that captures each host (see :class:`HostCapture`) and hands it on.

    Subclasses implement :meth:`host_finished`, called in the host's thread as it ends.
    """

    def __init__(self) -> None:
        self.capture = HostCapture()

    def host_finished(self, finished: FinishedHost) -> None:
        """``finished`` ended in this thread: store it, or send it on."""
        raise NotImplementedError

    def task_started(self, task: Task) -> None:
        pass

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        pass

    def task_instance_started(self, task: Task, host: Host) -> None:
        self.capture.started(host)

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        self.host_finished(self.capture.finished(host, result))

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        pass

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        pass
