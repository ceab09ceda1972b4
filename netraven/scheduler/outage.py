"""One log line when a service the worker polls stops answering, and one when it is back.

The worker touches the database every tick and its queue several times a second per thread;
logging each failure would write a traceback per attempt for as long as an outage lasts. An
:class:`Outage` logs the first failure in one line and the first success after it with how long
it lasted; the attempts in between are silent (they keep retrying). A success within
:data:`SETTLE` seconds of a failure does not end the outage: while connections are being cut,
one thread's attempt may still get through between two others' failures.
"""

from __future__ import annotations

import logging
import threading
import time

from netraven.exceptions import NetRavenError, one_line

SETTLE = 1.0  # seconds without a failure before a success ends an outage


class Outage:
    """The state of one service (``what``: "database", "queue"), shared by the worker's threads."""

    def __init__(self, what: str, log: logging.Logger) -> None:
        self.what, self.log = what, log
        self._since: float | None = None
        self._last_failure = 0.0
        self._lock = threading.Lock()

    def failed(self, exc: BaseException) -> None:
        """An attempt failed: logged if it is the first since the service last worked."""
        with self._lock:
            self._last_failure = time.monotonic()
            if self._since is not None:
                return
            self._since = self._last_failure
        reason = str(exc) if isinstance(exc, NetRavenError) else f"{self.what}: {one_line(exc)}"
        self.log.error("%s; retrying until it is back", reason)

    def worked(self) -> None:
        """An attempt succeeded: logged if it ends an outage."""
        if self._since is None:  # the usual case, without taking the lock
            return
        with self._lock:
            since = self._since
            if since is None or time.monotonic() - self._last_failure < SETTLE:
                return
            self._since = None
        self.log.warning("%s back after %.0f s", self.what, time.monotonic() - since)
