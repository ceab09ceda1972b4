"""What a run takes from each host's own thread: its times, its transcript, its record.

:class:`HostRecorder` is the Nornir processor of a run (or of a shard): as each host ends, in its
thread, it turns the host's Nornir result into a :class:`~netraven.runner.record.HostRecord` and
hands it on, to the results writer or to the run's process.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Task

from netraven.db.base import utcnow
from netraven.runner.record import HostRecord, record_host


class HostCapture:
    """Start times and in-memory netmiko session logs of the hosts of one run, safe under threads.

    Give :meth:`connection_options` to the inventory (``open_nornir(extra_options=...)``) so the
    hosts' netmiko sessions log here.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started: dict[str, tuple[float, datetime]] = {}
        self._transcripts: dict[str, io.BytesIO] = {}

    def connection_options(self, host: Host) -> dict[str, Any]:
        """Extra netmiko options for ``host``: a session log kept in memory for its transcript."""
        with self._lock:
            buffer = self._transcripts.setdefault(host.name, io.BytesIO())
        return {"session_log": buffer}

    def started(self, host: Host) -> None:
        with self._lock:
            self._started[host.name] = (time.monotonic(), utcnow())

    def finished(self, host: Host, result: MultiResult) -> HostRecord:
        """The host's record, with its times and transcript (forgotten here)."""
        with self._lock:
            began, started_at = self._started.pop(host.name, (time.monotonic(), utcnow()))
            transcript = self._transcripts.pop(host.name, None)
        return record_host(
            host,
            result,
            started_at,
            utcnow(),
            time.monotonic() - began,
            transcript.getvalue() if transcript is not None else b"",
        )


class HostRecorder:
    """A Nornir processor handing each host's record to ``deliver``, in the host's thread, as it ends."""

    def __init__(self, capture: HostCapture, deliver: Callable[[HostRecord], None]) -> None:
        self.capture = capture
        self.deliver = deliver

    def task_started(self, task: Task) -> None:
        pass

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        pass

    def task_instance_started(self, task: Task, host: Host) -> None:
        self.capture.started(host)

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        self.deliver(self.capture.finished(host, result))

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        pass

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        pass
