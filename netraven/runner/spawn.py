"""Shard processes, started before their hosts are known so that they get ready while the run sets up.

A shard process (``python -m netraven.runner.shard_child``) spends most of a second importing
Nornir, netmiko and SQLAlchemy before it can talk to a device. ``netraven run`` counts its target
hosts first (SQLAlchemy Core, no ORM), imports the runner and, when the run will be split
(:func:`shard_count`), forks the processes at once (:func:`prestarted`): they have imported
everything already and wait for their hosts (their specs) while this process creates the run
and loads its inventory. A worker, which runs threads, starts new interpreters instead. This
module imports nothing heavy."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from netraven.runner.forked import ForkedChild, can_fork, fork_shard
from netraven.settings import Settings

if TYPE_CHECKING:
    from netraven.runner.shard_child import ShardSpec

log = logging.getLogger("netraven.runner")

_PARENT_ENDS: set[int] = set()  # this process's ends of its shards' pipes, while open


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


class ShardProcess:
    """A shard process and its two pipes: results come up one, the spec and "stop" go down the other.

    A new interpreter by default: nothing of this process (its threads, its locks, the caller's
    ``__main__``) is copied or run again; until :meth:`send` sends its spec it only imports.
    With ``fork=True``, and when this process has no other thread, a fork of this one instead,
    which has imported what this one has (:mod:`netraven.runner.forked`). Closed without a spec,
    it exits.
    """

    def __init__(self, fork: bool = False) -> None:
        self.error: str | None = None
        self.last_line = ""
        self.results: Connection | None = None
        self.control: Connection | None = None
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115  # closed in close()
        results_r, results_w = os.pipe()
        control_r, control_w = os.pipe()
        self.process: subprocess.Popen[bytes] | ForkedChild | None = None
        try:
            if fork and can_fork():  # the child must not hold other shards' pipes open (their EOF)
                parent_ends = (results_r, control_w, *_PARENT_ENDS)
                self.process = fork_shard(results_w, control_r, self.stderr.fileno(), parent_ends)
            else:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "netraven.runner.shard_child", str(results_w), str(control_r)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=self.stderr,
                    pass_fds=(results_w, control_r),
                )
        except OSError as exc:  # no memory, no interpreter: its hosts fail, with why
            log.error("a shard process could not start: %s", exc)
            self.error = f"its worker process could not start ({type(exc).__name__})"
            os.close(results_r)
            os.close(control_w)
        else:
            self.results = Connection(results_r, writable=False)
            self.control = Connection(control_w, readable=False)
            _PARENT_ENDS.update((results_r, control_w))
        finally:  # the child holds its own ends now
            os.close(results_w)
            os.close(control_r)

    def _close_pipes(self) -> None:
        for conn in (self.results, self.control):
            if conn is not None:
                _PARENT_ENDS.discard(conn.fileno())
                conn.close()
        self.results = self.control = None

    def send(self, message: ShardSpec | str) -> None:
        """Send its spec, or "stop"; a process already gone is not an error here (see :meth:`close`)."""
        if self.control is not None:
            with contextlib.suppress(OSError):
                self.control.send(message)

    def close(self, timeout: float = 10) -> int | None:
        """Close the pipes and wait for the process (killed after ``timeout`` s); its exit code.

        The last line it wrote to stderr is kept in :attr:`last_line` (not redacted).
        """
        self._close_pipes()
        code = None
        if self.process is not None:
            try:
                code = self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                code = self.process.wait()
        self.stderr.seek(0)
        self.last_line = (self.stderr.read().decode("utf-8", "replace").strip().splitlines() or [""])[-1]
        self.stderr.close()
        return code

    def release(self) -> None:
        """Close the pipes and let the process exit by itself, reaped by a thread: no one waits."""
        self._close_pipes()
        self.stderr.close()
        if self.process is not None:
            threading.Thread(target=self.process.wait, name="shard-reaper", daemon=True).start()


@contextlib.contextmanager
def prestarted(settings: Settings, hosts: int, fork: bool = False) -> Iterator[list[ShardProcess]]:
    """The shard processes a run over ``hosts`` hosts will use, started (or ``fork``-ed) now.

    The run takes them out of the list (:class:`~netraven.runner.shards.StartedShards`); those left
    when the block ends (the run did not split after all, or failed first) are closed.
    """
    count = shard_count(settings, hosts) if os.name == "posix" else 1
    processes = [ShardProcess(fork) for _ in range(count)] if count > 1 else []
    try:
        yield processes
    finally:
        while processes:
            processes.pop().close()
