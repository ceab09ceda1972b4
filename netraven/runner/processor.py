"""The results processor: hosts' records from any thread, stored and reported by one thread.

A host's thread (or the thread reading a shard's reports) only hands its
:class:`~netraven.runner.record.HostRecord` over and goes on to the next host. One thread takes
every record that has arrived (up to :data:`BATCH`), has the :class:`ResultsWriter` store them in
one transaction, then has the :class:`Reporter` count and announce each stored host. So device
threads never wait for the database, and SQLite's single write lock is taken once per batch
instead of once per host by 50 threads in turn. Use it inside ``with``: leaving waits for the
last host to be reported.
"""

from __future__ import annotations

import logging
import queue
import threading

from netraven.runner.record import HostRecord
from netraven.runner.reporter import Reporter
from netraven.runner.writer import ResultsWriter

log = logging.getLogger("netraven.runner")

#: The most hosts written in one transaction (SQLite's write lock is held that long).
BATCH = 50


class ResultsProcessor:
    """Stores with ``writer``, then reports with ``reporter``, every record given to :meth:`host_finished`."""

    def __init__(self, writer: ResultsWriter, reporter: Reporter) -> None:
        self.writer = writer
        self.reporter = reporter
        self._queue: queue.SimpleQueue[HostRecord | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def host_finished(self, record: HostRecord) -> None:
        """Hand over a host's record to be stored (any thread; the processor must be in ``with``)."""
        assert self._thread is not None, "use the processor inside 'with'"
        self._queue.put(record)

    def __enter__(self) -> ResultsProcessor:
        self._thread = threading.Thread(
            target=self._drain, name=f"results-run-{self.writer.run.run_id}", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Wait until every host handed over so far is stored and reported."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _drain(self) -> None:
        done = False
        while not done:
            batch: list[HostRecord] = []
            item = self._queue.get()
            while item is not None:
                batch.append(item)
                if len(batch) >= BATCH:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            done = item is None
            if batch:
                try:
                    for outcome, notifications in self.writer.store(batch):
                        self.reporter.report(outcome, notifications)
                except Exception:  # a bug here must not stop the thread: later hosts still count
                    log.exception("run %s: storing %d results failed", self.writer.run.run_id, len(batch))
