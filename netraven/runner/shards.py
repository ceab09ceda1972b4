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

import contextlib
import logging
import os
import subprocess
import sys
import tempfile
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
from netraven.settings import Settings

log = logging.getLogger("netraven.runner")

POLL_SECONDS = 0.2  # how often a stop request is checked while waiting for reports
# A shard silent for longer than the per-host time limit plus this is hung (each host it runs
# ends within the limit, and reports as it ends): it is killed, its unreported hosts fail.
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


def shard_count(settings: Settings, hosts: int) -> int:
    """How many processes a run of ``hosts`` hosts uses (1: this process alone)."""
    wanted = settings.runner.processes or usable_cores()
    by_size = hosts // max(1, settings.runner.min_hosts_per_process)
    return max(1, min(wanted, by_size, settings.runner.num_workers))


def usable_cores() -> int:
    """The CPU cores this process may run on (its affinity, where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def run_shards(
    specs: list[ShardSpec],
    hosts: Mapping[str, Host],
    deliver: Callable[[HostRecord], None],
    stop: threading.Event | None = None,
) -> None:
    """Run every shard to its end, handing each host's record to ``deliver`` as its shard reports it.

    A host its shard never reported (the process died, or could not start) is handed over as
    failed, with the reason. ``stop``, once set, is passed on to every shard.
    """
    shards = [_Shard(spec) for spec in specs]
    try:
        _collect(shards, hosts, deliver, stop)
    finally:  # also on an exception here (Ctrl-C): no shard is left running
        for shard in shards:
            shard.stop()
        reasons = [shard.end() for shard in shards]
    by_id = {host.data["device_id"]: host for host in hosts.values()}
    for shard, reason in zip(shards, reasons, strict=True):
        for host in shard.unreported(by_id):
            deliver(lost(host, reason))


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
            if shard.hung():
                del waiting[conn]
        for ready in wait(list(waiting), timeout=POLL_SECONDS):
            conn = cast(Connection, ready)
            shard = waiting[conn]
            shard.heard = time.monotonic()
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError):
                kind, payload = "ended", None
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
            del waiting[conn]


class _Shard:
    """A shard process (``python -m netraven.runner.shard_child``) and its two pipes.

    A new interpreter, not a fork: nothing of this process (its threads, its locks, the
    caller's ``__main__``) is copied or run again. The spec goes down the control pipe.
    """

    def __init__(self, spec: ShardSpec) -> None:
        self.spec = spec
        self.reported: set[str] = set()
        self.error: str | None = None
        self.results: Connection | None = None
        self.control: Connection | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.heard = time.monotonic()  # when it last sent anything
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115  # closed in end()
        results_r, results_w = os.pipe()
        control_r, control_w = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "netraven.runner.shard_child", str(results_w), str(control_r)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self.stderr,
                pass_fds=(results_w, control_r),
            )
        except OSError as exc:  # no memory, no interpreter: this shard's hosts fail, with why
            log.error("run %s: shard %s could not start: %s", spec.run.run_id, spec.index, exc)
            self.error = f"its worker process could not start ({type(exc).__name__})"
            os.close(results_r)
            os.close(control_w)
        else:
            self.results, self.control = (
                Connection(results_r, writable=False),
                Connection(control_w, readable=False),
            )
            with contextlib.suppress(OSError):  # a process that died at once reports nothing
                self.control.send(spec)
        finally:  # the child holds its own ends now
            os.close(results_w)
            os.close(control_r)

    def hung(self) -> bool:
        """True (and the process killed) if it has been silent too long; see SILENCE_GRACE."""
        limit = self.spec.settings.connection.host_time_limit
        if not limit or self.process is None or time.monotonic() - self.heard < limit + SILENCE_GRACE:
            return False
        log.error("run %s: shard %s sent nothing for %.0f s: killed", self.spec.run.run_id, self.spec.index,
                  limit + SILENCE_GRACE)  # fmt: skip
        self.error = f"it stopped answering (nothing for {limit + SILENCE_GRACE:g} s) and was killed"
        self.process.kill()
        return True

    def stop(self) -> None:
        if self.control is not None:
            with contextlib.suppress(OSError):  # already gone
                self.control.send(STOP)

    def end(self) -> str:
        """Wait for the process; the reason its unreported hosts failed."""
        for conn in (self.results, self.control):
            if conn is not None:
                conn.close()
        self.results = self.control = None
        code = None
        if self.process is not None:
            try:
                code = self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                code = self.process.wait()
        self.stderr.seek(0)
        last = (self.stderr.read().decode("utf-8", "replace").strip().splitlines() or [""])[-1]
        self.stderr.close()
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
