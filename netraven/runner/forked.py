"""Shard processes forked from ``netraven run``: they start with everything it has imported.

A new interpreter (:class:`~netraven.runner.spawn.ShardProcess`'s default) spends most of a
second of CPU importing Nornir, netmiko and SQLAlchemy again, on the cores the run's own process
and the devices' sessions need. ``netraven run`` has imported all of that by the time it knows
its run will be split, and has started no thread yet: a fork then costs milliseconds. A process
with threads never forks (a lock held by another thread would stay held in the child forever);
:func:`can_fork` says so, and the caller starts a new interpreter instead.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import subprocess
import threading
import time
import traceback


def can_fork() -> bool:
    """True where forking is safe: POSIX, and this process runs one thread only."""
    return hasattr(os, "fork") and threading.active_count() == 1


class ForkedChild:
    """The parts of :class:`subprocess.Popen` a shard needs, for a forked child: ``pid``,
    ``returncode``, :meth:`wait` and :meth:`kill`."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._lock = threading.Lock()

    def poll(self) -> int | None:
        with self._lock:
            if self.returncode is None:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
            return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the child to end (``subprocess.TimeoutExpired`` after ``timeout`` s)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = 0.001
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"shard process {self.pid}", timeout or 0)
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        return code

    def kill(self) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


def fork_shard(results_fd: int, control_fd: int, stderr_fd: int, parent_fds: tuple[int, ...]) -> ForkedChild:
    """Fork a shard: the child closes ``parent_fds`` (the run's ends of its pipes), reads its spec on
    ``control_fd``, runs it (:func:`~netraven.runner.shard_child.main`) and exits without running
    this process's exit handlers; its stdout goes nowhere, its stderr to ``stderr_fd``."""
    gc.freeze()  # the objects of now stay out of collections: neither process copies their pages
    pid = os.fork()
    if pid:
        return ForkedChild(pid)
    code = 1
    try:
        for fd in parent_fds:
            os.close(fd)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.dup2(stderr_fd, 2)
        from netraven.runner import shard_child

        shard_child.main([str(results_fd), str(control_fd)])
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)
