"""``netraven logs --follow``: poll for new lines until Ctrl-C, SIGTERM or ``--follow-seconds``."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from netraven.cli.application import Application
from netraven.cli.logs.output import LinePrinter
from netraven.logs import Tail
from netraven.logs.follow import BATCH

POLL_SECONDS = 1.0


def follow_logs(app: Application, printer: LinePrinter, tail: Tail, seconds: float | None) -> None:
    """Print what ``tail`` finds every :data:`POLL_SECONDS` (at once while it finds full batches)."""
    deadline = None if seconds is None else time.monotonic() + seconds
    try:
        with _sigterm_interrupts():
            while True:
                with app.sessions() as session:
                    entries = tail.poll(session)
                printer.print(entries)
                left = POLL_SECONDS if deadline is None else deadline - time.monotonic()
                if left <= 0:
                    return
                if len(entries) < BATCH:
                    time.sleep(min(POLL_SECONDS, left))
    except KeyboardInterrupt:
        return


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops following as Ctrl-C does (signal handlers belong to the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
