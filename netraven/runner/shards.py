"""Large runs split over several processes: one Python process drives devices on one core only.

Talking SSH to hundreds of devices is CPU work in Python (paramiko, netmiko's polling), and
threads of one process share one core. A run with at least ``runner.min_hosts_per_process``
hosts per process therefore splits its hosts over ``runner.processes`` shard processes (default:
one per CPU core), each with its share of ``runner.num_workers`` threads (see
:mod:`netraven.runner.shard_child`). The run's own process stays the only writer: it stores each
host as its report arrives, fires the hooks and counts it, so results, logs, hooks and progress
are the same as in one process. Each host's record comes classified from its shard, as it would
from a thread of this process.

A run stays in one process when it is small, when its job type is not ``shardable``, when its
job type class cannot be imported by name, when the database is an in-memory SQLite one, or off
POSIX (shards talk through inherited pipes).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from multiprocessing.connection import Connection, wait
from typing import cast

from nornir.core.inventory import Host
from sqlalchemy import Engine

from netraven.jobs.base import JobType
from netraven.jobs.events import RunInfo
from netraven.redaction import Redactor
from netraven.runner.record import HostRecord, lost
from netraven.runner.shard_child import STOP, ShardSpec, load_class
from netraven.runner.spawn import ShardProcess, shard_count
from netraven.settings import Settings

log = logging.getLogger("netraven.runner")

POLL_SECONDS = 0.2  # how often a stop request is checked while waiting for reports
# A shard silent for longer than the per-host time limit plus this is hung (once set up, it says
# so, and each host it runs ends within the limit and reports as it ends): it is killed, and its
# unreported hosts fail.
SILENCE_GRACE = 30.0


def plan_shards(
    settings: Settings, engine: Engine, job_cls: type[JobType], run: RunInfo, device_ids: list[int]
) -> list[ShardSpec]:
    """The shards of a run, or ``[]`` to run it in this process (see the module docstring)."""
    count = shard_count(settings, len(device_ids))
    if count < 2 or not job_cls.shardable or os.name != "posix":
        return []
    path = _importable(job_cls)
    in_memory = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
    if path is None or in_memory:
        return []
    url = engine.url.render_as_string(hide_password=False)
    threads = settings.runner.num_workers
    return [
        ShardSpec(index, run, path, device_ids[index::count],
                  max(1, threads // count + (index < threads % count)), settings, url, list(sys.path))
        for index in range(count)
    ]  # fmt: skip


class StartedShards:
    """The shards of a run, their specs sent: they build their inventories and start their hosts
    while the run's process builds its own; :meth:`collect` then hands over what they report.

    Shards run in processes taken from ``spares`` (started earlier,
    :func:`~netraven.runner.spawn.prestarted`) while there are some, in new ones after. Leaving
    the ``with`` block stops and ends any shard still running, whatever happened before.
    """

    def __init__(self, specs: list[ShardSpec], spares: list[ShardProcess] | None = None) -> None:
        spares = spares if spares is not None else []
        self.shards = [_Shard(spec, spares.pop() if spares else ShardProcess()) for spec in specs]
        self._reasons: list[str] | None = None

    def __enter__(self) -> StartedShards:
        return self

    def __exit__(self, *exc: object) -> None:
        self._end()

    def collect(
        self,
        hosts: Mapping[str, Host],
        deliver: Callable[[HostRecord], None],
        stop: threading.Event | None = None,
    ) -> None:
        """Run every shard to its end, handing each host's record to ``deliver`` as its shard reports it.

        A host its shard never reported (the process died, or could not start) is handed over as
        failed, with the reason. ``stop``, once set, is passed on to every shard.
        """
        try:
            _collect(self.shards, hosts, deliver, stop)
        finally:  # also on an exception here (Ctrl-C): no shard is left running
            reasons = self._end()
        by_id = {host.data["device_id"]: host for host in hosts.values()}
        for shard, reason in zip(self.shards, reasons, strict=True):
            for host in shard.unreported(by_id):
                deliver(lost(host, reason))

    def _end(self) -> list[str]:
        if self._reasons is None:
            for shard in self.shards:
                shard.stop()
            self._reasons = [shard.end() for shard in self.shards]
        return self._reasons


def _collect(
    shards: list[_Shard],
    hosts: Mapping[str, Host],
    deliver: Callable[[HostRecord], None],
    stop: threading.Event | None,
) -> None:
    """Hand over every host the shards report, until each has said it is done or has ended."""
    waiting = {shard.results: shard for shard in shards if shard.results is not None}
    stopping = False
    while waiting:
        if stop is not None and stop.is_set() and not stopping:
            stopping = True
            for shard in shards:
                shard.stop()
        for conn, shard in list(waiting.items()):
            if not conn.poll() and shard.hung():  # what it sent while this process was busy counts
                del waiting[conn]
        for ready in wait(list(waiting), timeout=POLL_SECONDS):
            conn = cast(Connection, ready)
            shard = waiting[conn]
            shard.heard = time.monotonic()
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError):
                kind, payload = "ended", None
            if kind == "started":  # set up: silence is counted from now
                continue
            if kind == "host":
                record = cast(HostRecord, payload)
                if record.name not in hosts:  # renamed since this process loaded the inventory: unreported
                    log.warning(
                        "run %s: a shard reported an unknown host %s", shard.spec.run.run_id, record.name
                    )
                    continue
                shard.reported.add(record.name)
                deliver(record)
                continue
            if kind == "error":
                shard.error = str(payload)
            shard.done = kind == "done"
            del waiting[conn]


class _Shard:
    """One shard of the run: its spec, the process running it, and what it reported."""

    def __init__(self, spec: ShardSpec, process: ShardProcess) -> None:
        self.spec = spec
        self.reported: set[str] = set()
        self.shard_process = process
        self.error = process.error
        self.done = False  # it said so: every host it ran is reported, its connections closed
        self.results = process.results
        self.heard = time.monotonic()  # when it last sent anything
        process.send(spec)

    def hung(self) -> bool:
        """True (and the process killed) if it has been silent too long; see SILENCE_GRACE."""
        limit = self.spec.settings.connection.host_time_limit
        process = self.shard_process.process
        if not limit or process is None or time.monotonic() - self.heard < limit + SILENCE_GRACE:
            return False
        log.error("run %s: shard %s sent nothing for %.0f s: killed", self.spec.run.run_id, self.spec.index,
                  limit + SILENCE_GRACE)  # fmt: skip
        self.error = f"it stopped answering (nothing for {limit + SILENCE_GRACE:g} s) and was killed"
        process.kill()
        return True

    def stop(self) -> None:
        self.shard_process.send(STOP)

    def end(self) -> str:
        """Wait for the process (not for one that said it is done); the reason its unreported hosts failed."""
        if self.done:  # only its interpreter's shutdown is left: the run need not wait for it
            self.shard_process.release()
            return "it ended without reporting it"
        code = self.shard_process.close()
        last = self.shard_process.last_line
        if self.error:
            return f"its worker process failed: {self.error}"
        said = f": {Redactor().redact(last)[:200]}" if last else ""
        return f"its worker process ended (exit code {code}) before reporting it{said}"

    def unreported(self, hosts_by_id: Mapping[int, Host]) -> Iterable[Host]:
        for device_id in self.spec.device_ids:
            host = hosts_by_id.get(device_id)
            if host is not None and host.name not in self.reported:
                yield host


def _importable(cls: type) -> str | None:
    """``module:QualName`` if a new process importing that gets this very class, else None."""
    if cls.__module__ == "__main__" or "<locals>" in cls.__qualname__:
        return None
    path = f"{cls.__module__}:{cls.__qualname__}"
    try:
        return path if load_class(path) is cls else None
    except (ImportError, AttributeError):
        return None
