"""The results processor: one JobResult, its JobLog lines and its transcript per host, as hosts finish.

Nornir calls it from each host's worker thread. Inside ``with processor:`` (as the runner uses it),
a host's thread only hands its result over and goes on to the next host; one writer thread stores
the results, every host that has arrived (up to :data:`BATCH`) in one transaction, with one
executemany per table. So device threads never wait for the database, and SQLite's single write
lock is taken once per batch instead of once per host by 50 threads in turn. The processor must
be used inside ``with``: leaving it waits for the last host to be stored.

Everything stored goes through the host's :class:`Redactor`. It never raises into Nornir: each
host of a batch is in a savepoint, and a host whose rows cannot be written is rolled back alone,
logged to the application log and to a fallback file (JSON lines), counted as failed, and the run
goes on. If a batch cannot be committed at all, its hosts are written again one by one.
"""

from __future__ import annotations

import logging
import queue
import threading
import traceback
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from netraven.connections.opener import HostAccess
from netraven.credentials.store import record_logins
from netraven.db.models import ConnectionLog, JobLog, JobResult
from netraven.exceptions import DeviceError, PluginError, one_line
from netraven.jobs.base import HostContext, JobType
from netraven.jobs.events import HostOutcome, RunInfo
from netraven.plugins import notify
from netraven.plugins.notify import check_notification
from netraven.redaction import Redactor
from netraven.runner.capture import CapturingProcessor, FinishedHost
from netraven.runner.outcome import classify_host
from netraven.runner.rows import HostRows, host_rows
from netraven.runner.unsaved import keep_unsaved, unsaved_path
from netraven.settings import Settings

log = logging.getLogger("netraven.runner")

#: The most hosts written in one transaction (SQLite's write lock is held that long).
BATCH = 50

Notifications = list[tuple[str, dict[str, Any]]]


class ResultsProcessor(CapturingProcessor):
    """Nornir processor persisting each host of run ``run`` as it completes; see the module docstring.

    ``outcomes`` holds every host's :class:`HostOutcome` (also those that could not be written);
    ``on_host`` is called after each host is stored, e.g. to move a progress bar (from the writer
    thread inside ``with``, so never from two threads at once).
    """

    def __init__(
        self,
        run: RunInfo,
        job: JobType,
        sessions: sessionmaker[Session],
        settings: Settings,
        plugin_manager: Any,
        on_host: Callable[[HostOutcome], None] | None = None,
    ) -> None:
        super().__init__()
        self.run = run
        self.job = job
        self.sessions = sessions
        self.settings = settings
        self.plugin_manager = plugin_manager
        self.on_host = on_host
        self.outcomes: dict[str, HostOutcome] = {}
        self.fallback_path = unsaved_path(settings)
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[FinishedHost | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None

    def host_finished(self, finished: FinishedHost) -> None:
        """Hand over a finished host to be stored (any thread; the processor must be in ``with``)."""
        assert self._writer is not None, "use the processor inside 'with'"
        self._queue.put(finished)

    # -- the writer thread -----------------------------------------------------------------------

    def __enter__(self) -> ResultsProcessor:
        self._writer = threading.Thread(
            target=self._drain, name=f"results-run-{self.run.run_id}", daemon=True
        )
        self._writer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Wait until every host handed over so far is stored."""
        writer, self._writer = self._writer, None
        if writer is not None:
            self._queue.put(None)
            writer.join()

    def _drain(self) -> None:
        done = False
        while not done:
            batch: list[FinishedHost] = []
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
                    self._store(batch)
                except Exception:  # a bug here must not stop the writer: later hosts still count
                    log.exception("run %s: storing %d results failed", self.run.run_id, len(batch))

    # -- storing hosts ---------------------------------------------------------------------------

    def _store(self, batch: list[FinishedHost]) -> None:
        """Store ``batch`` in one transaction (else each host alone), then report each host."""
        try:
            stored = self._write(batch)
        except Exception as exc:  # never into Nornir: the run goes on without these rows
            stored = self._one_by_one(batch, exc)
        for outcome, notifications in stored:
            self._report(outcome, notifications)

    def _one_by_one(
        self, batch: list[FinishedHost], exc: Exception
    ) -> list[tuple[HostOutcome, Notifications]]:
        """Each host of a failed batch in its own transaction: only the hosts that fail alone are lost."""
        if len(batch) > 1:
            log.warning("run %s: a batch of %d results failed (%s), storing them one by one",
                        self.run.run_id, len(batch), type(exc).__name__)  # fmt: skip
        stored: list[tuple[HostOutcome, Notifications]] = []
        for item in batch:
            error = exc
            if len(batch) > 1:
                try:
                    stored += self._write([item])
                    continue
                except Exception as alone:
                    error = alone
            stored.append((self._unsaved(item, error), []))
            self._record_logins_alone(item)
        return stored

    def _write(self, batch: list[FinishedHost]) -> list[tuple[HostOutcome, Notifications]]:
        """Write ``batch`` in one transaction, or nothing (and raise).

        Each host is in a savepoint: a host whose rows cannot be stored is rolled back alone and
        reported unsaved, and no other host's result handler runs twice for it.

        Rows are locked in one order by every writer (credentials, then devices by id), so that
        concurrent runs over the same devices queue for each other instead of deadlocking.
        """
        written: list[tuple[FinishedHost, HostOutcome | Exception, Notifications]] = []
        rows: list[HostRows] = []
        with self.sessions.begin() as session:
            record_logins(session, [login for item in batch for login in _logins(item)])
            for item in sorted(batch, key=lambda item: int(item.host.data["device_id"])):
                savepoint = session.begin_nested()
                try:
                    outcome, notifications, host_rows = self._host(session, savepoint, item)
                    if savepoint.is_active:
                        savepoint.commit()
                except Exception as exc:
                    if savepoint.is_active:
                        savepoint.rollback()
                    written.append((item, exc, []))
                else:
                    written.append((item, outcome, notifications))
                    rows.append(host_rows)
            if rows:
                session.execute(insert(JobResult), [r.result for r in rows])
                session.execute(insert(JobLog), [line for r in rows for line in r.logs])
            transcripts = [r.transcript for r in rows if r.transcript is not None]
            if transcripts:
                session.execute(insert(ConnectionLog), transcripts)
        return [
            (done, notes) if isinstance(done, HostOutcome) else (self._unsaved(item, done), [])
            for item, done, notes in written
        ]

    def _host(
        self, session: Session, savepoint: SessionTransaction, item: FinishedHost
    ) -> tuple[HostOutcome, Notifications, HostRows]:
        """One host's outcome (its job type's result handler run) and its rows.

        ``savepoint`` holds what the handler stores: a handler that raises is rolled back with it,
        and the host's rows (inserted later, with the batch's) still say why it failed.
        """
        host = item.host
        access = _access(item)
        redactor = _redactor(access)
        status, kind, message = classify_host(host.name, item.result, access)
        device_id = int(host.data["device_id"])
        output: dict[str, Any] = {}
        notifications: Notifications = []
        if status == "succeeded":
            context = HostContext(
                session=session,
                settings=self.settings,
                run=self.run,
                device_id=device_id,
                hostname=host.name,
                platform=host.platform or "",
                result=item.result,
                redactor=redactor,
            )
            try:
                output = self.job.handle_result(context)
                session.flush()  # what the handler added fails here, as the handler's error
                for hook_name, kwargs in context.notifications:  # a misspelt hook fails the host now
                    check_notification(self.plugin_manager, hook_name, kwargs)
                notifications = context.notifications
            except DeviceError as exc:
                savepoint.rollback()
                status, kind, message = "failed", exc.kind, str(exc)
            except PluginError as exc:  # the job type broke the plugin contract: one line says how
                savepoint.rollback()
                status, kind = "failed", None
                message = f"{host.name}: the {self.run.job_type} result handler failed: {exc}"
                log.error("run %s: %s", self.run.run_id, message)
            except Exception as exc:  # a bug in the job type: the host fails, the run goes on
                savepoint.rollback()
                log.error(  # redacted: a handler's error or traceback may quote device output
                    "run %s: %s's result handler failed for %s: %s",
                    self.run.run_id, self.run.job_type, host.name, redactor.redact(traceback.format_exc()),
                )  # fmt: skip
                status, kind = "failed", None
                message = f"{host.name}: the {self.run.job_type} result handler failed ({type(exc).__name__})"
        message = redactor.redact(message)
        outcome = HostOutcome(
            hostname=host.name,
            device_id=device_id,
            status=status,
            error_kind=kind,
            message=message or _done(output),
            changed=bool(output.get("changed", False)),
            duration_seconds=round(item.duration, 3),
            output=output,
        )
        return outcome, notifications, host_rows(self.run, outcome, access, item, redactor)

    def _report(self, outcome: HostOutcome, notifications: Notifications) -> None:
        """After the host's rows are committed: its outcome, its hooks, the per-host callback."""
        with self._lock:
            self.outcomes[outcome.hostname] = outcome
        for hook_name, kwargs in notifications:
            notify(self.plugin_manager, hook_name, **kwargs)
        notify(self.plugin_manager, "netraven_host_completed", run=self.run, host=outcome)
        if self.on_host is not None:
            try:
                self.on_host(outcome)
            except Exception:
                log.exception("run %s: the per-host callback failed", self.run.run_id)

    def _record_logins_alone(self, item: FinishedHost) -> None:
        """A host whose rows could not be stored still counts its logins."""
        try:
            with self.sessions.begin() as session:
                record_logins(session, _logins(item))
        except Exception:  # tracking must never break a run
            log.exception(
                "run %s: could not record the login outcomes of %s", self.run.run_id, item.host.name
            )

    def _unsaved(self, item: FinishedHost, exc: Exception) -> HostOutcome:
        """The outcome of a host whose rows could not be written, logged where it can be found."""
        host = item.host
        reason = _redactor(_access(item)).redact(one_line(exc))[:300]
        log.error("run %s: could not store the result of %s: %s", self.run.run_id, host.name, reason)
        outcome = HostOutcome(
            hostname=host.name,
            device_id=host.data.get("device_id"),
            status="failed",
            message=f"{host.name}: the result could not be stored ({type(exc).__name__})",
        )
        try:
            keep_unsaved(self.fallback_path, self.run, item, exc, _redactor(_access(item)))
        except Exception:  # the host is still counted, whatever its record could not be written for
            log.exception("run %s: could not write %s", self.run.run_id, self.fallback_path)
        return outcome


def _access(item: FinishedHost) -> HostAccess | None:
    return getattr(item.host, "access", None)


def _redactor(access: HostAccess | None) -> Redactor:
    """The redactor of a host: its own secrets plus the platform patterns."""
    return Redactor(access.secrets() if access is not None else ())


def _logins(item: FinishedHost) -> list[tuple[int, int | None, bool]]:
    """The host's login outcomes its broker left to the run (``record_later``)."""
    access = _access(item)
    if access is None:
        return []
    return [(credential_id, access.device_id, success) for credential_id, success in access.unrecorded]


def _done(output: dict[str, Any]) -> str:
    return str(output.get("summary", "done"))
