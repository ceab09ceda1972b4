"""SIGINT and SIGTERM during ``netraven run``: stop the run cleanly instead of dying mid-run."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def stop_on_signals(stop: threading.Event, say: Callable[[str], None]) -> Iterator[None]:
    """While inside, SIGINT (Ctrl-C) and SIGTERM set ``stop`` (and ``say`` why, once).

    The run then skips the hosts it has not started, lets those under way finish, stores them all
    and ends ``cancelled``; the previous handlers come back on exit.
    """

    def handle(signum: int, _frame: FrameType | None) -> None:
        if not stop.is_set():
            name = signal.Signals(signum).name
            say(f"{name}: stopping the run; hosts under way finish, the others are skipped")
        stop.set()

    previous = {signum: signal.signal(signum, handle) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
