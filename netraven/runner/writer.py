"""The results writer: a batch of hosts' records stored in one transaction, each host in a savepoint.

For each host it runs the job type's result handler (a host that succeeded), builds the host's
JobResult, JobLog and ConnectionLog rows (see :mod:`netraven.runner.rows`) through the host's
:class:`Redactor`, and inserts the batch's rows with one executemany per table. It never raises
for a host: a host whose rows cannot be written is rolled back alone, logged to the application
log and to a fallback file (JSON lines), and counted as failed. If a batch cannot be committed at
all, its hosts are written again one by one. What could not be written is kept, redacted, for
``netraven run replay-unsaved`` (see :mod:`netraven.runner.unsaved`).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping
from typing import Any

from nornir.core.inventory import Host
from sqlalchemy import insert
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from netraven.credentials.store import record_logins
from netraven.db.models import ConnectionLog, JobLog, JobResult
from netraven.exceptions import DeviceError, PluginError, one_line
from netraven.inventory.circuit import record_outcomes
from netraven.jobs.base import HostContext, JobType
from netraven.jobs.events import HostOutcome, RunInfo
from netraven.plugins import NetRavenPluginManager
from netraven.plugins.notify import check_notification
from netraven.redaction import Redactor
from netraven.runner.record import HostRecord, multi_result
from netraven.runner.rows import HostRows, host_rows
from netraven.runner.unsaved import keep_unsaved, unsaved_path
from netraven.settings import Settings

log = logging.getLogger("netraven.runner")

#: The hooks a host's result handler asked to fire, once its rows are committed.
Notifications = list[tuple[str, dict[str, Any]]]
Stored = tuple[HostOutcome, Notifications]


class ResultsWriter:
    """Stores the records of run ``run``; ``hosts`` (by name) give each host's secrets to redact."""

    def __init__(
        self,
        run: RunInfo,
        job: JobType,
        sessions: sessionmaker[Session],
        settings: Settings,
        plugin_manager: NetRavenPluginManager,
        hosts: Mapping[str, Host],
    ) -> None:
        self.run, self.job, self.sessions, self.settings = run, job, sessions, settings
        self.plugin_manager, self.hosts = plugin_manager, hosts
        self.fallback_path = unsaved_path(settings)

    def store(self, batch: list[HostRecord]) -> list[Stored]:
        """Store ``batch`` in one transaction (else each host alone): each host's outcome and hooks."""
        try:
            return self._write(batch)
        except Exception as exc:  # never raised: the run goes on without these rows
            return self._one_by_one(batch, exc)

    def _one_by_one(self, batch: list[HostRecord], exc: Exception) -> list[Stored]:
        """Each host of a failed batch in its own transaction: only the hosts that fail alone are lost."""
        if len(batch) > 1:
            log.warning("run %s: a batch of %d results failed (%s), storing them one by one",
                        self.run.run_id, len(batch), type(exc).__name__)  # fmt: skip
        stored: list[Stored] = []
        for record in batch:
            error = exc
            if len(batch) > 1:
                try:
                    stored += self._write([record])
                    continue
                except Exception as alone:
                    error = alone
            stored.append((self._unsaved(record, error), []))
            self._record_logins_alone(record)
        return stored

    def _write(self, batch: list[HostRecord]) -> list[Stored]:
        """Write ``batch`` in one transaction, or nothing (and raise).

        Each host is in a savepoint: a host whose rows cannot be stored is rolled back alone and
        reported unsaved, and no other host's result handler runs twice for it.

        Rows are locked in one order by every writer (credentials, then devices by id), so that
        concurrent runs over the same devices queue for each other instead of deadlocking. The
        devices' circuits move with their hosts' rows, in the same transaction.
        """
        written: list[tuple[HostRecord, HostOutcome | Exception, Notifications]] = []
        rows: list[HostRows] = []
        with self.sessions.begin() as session:
            record_logins(session, [login for record in batch for login in _logins(record)])
            for record in sorted(batch, key=lambda record: record.device_id):
                savepoint = session.begin_nested()
                try:
                    outcome, notifications, these = self._host(session, savepoint, record)
                    if savepoint.is_active:
                        savepoint.commit()
                except Exception as exc:
                    if savepoint.is_active:
                        savepoint.rollback()
                    written.append((record, exc, []))
                else:
                    written.append((record, outcome, notifications))
                    rows.append(these)
            if self.job.logs_in:  # each device's circuit breaker counts its connection failures
                done = [o for _, o, _ in written if isinstance(o, HostOutcome)]
                record_outcomes(session, [(o.device_id, o.status, o.error_kind) for o in done], self.settings)
            if rows:
                session.execute(insert(JobResult), [r.result for r in rows])
                session.execute(insert(JobLog), [line for r in rows for line in r.logs])
            transcripts = [r.transcript for r in rows if r.transcript is not None]
            if transcripts:
                session.execute(insert(ConnectionLog), transcripts)
        return [
            (done, notes) if isinstance(done, HostOutcome) else (self._unsaved(record, done), [])
            for record, done, notes in written
        ]

    def _host(
        self, session: Session, savepoint: SessionTransaction, record: HostRecord
    ) -> tuple[HostOutcome, Notifications, HostRows]:
        """One host's outcome (its job type's result handler run) and its rows.

        ``savepoint`` holds what the handler stores: a handler that raises is rolled back with it,
        and the host's rows (inserted later, with the batch's) still say why it failed.
        """
        redactor = self._redactor(record)
        status, kind, message = record.status, record.error_kind, record.message
        output: dict[str, Any] = {}
        notifications: Notifications = []
        if status == "succeeded":
            context = HostContext(
                session=session,
                settings=self.settings,
                run=self.run,
                device_id=record.device_id,
                hostname=record.name,
                platform=record.platform,
                result=multi_result(record, self.hosts.get(record.name)),
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
                message = f"{record.name}: the {self.run.job_type} result handler failed: {exc}"
                log.error("run %s: %s", self.run.run_id, message)
            except Exception as exc:  # a bug in the job type: the host fails, the run goes on
                savepoint.rollback()
                log.error(  # redacted: a handler's error or traceback may quote device output
                    "run %s: %s's result handler failed for %s: %s",
                    self.run.run_id, self.run.job_type, record.name, redactor.redact(traceback.format_exc()),
                )  # fmt: skip
                status, kind = "failed", None
                message = (
                    f"{record.name}: the {self.run.job_type} result handler failed ({type(exc).__name__})"
                )
        outcome = HostOutcome(
            hostname=record.name,
            device_id=record.device_id,
            status=status,
            error_kind=kind,
            message=redactor.redact(message) or str(output.get("summary", "done")),
            changed=bool(output.get("changed", False)),
            duration_seconds=round(record.duration, 3),
            output=output,
        )
        return outcome, notifications, host_rows(self.run, outcome, record, redactor)

    def _redactor(self, record: HostRecord) -> Redactor:
        """The redactor of a host: its own secrets plus its platform's patterns."""
        host = self.hosts.get(record.name)
        access = getattr(host, "access", None)
        return Redactor(access.secrets() if access is not None else (), getattr(host, "platform", None))

    def _record_logins_alone(self, record: HostRecord) -> None:
        """A host whose rows could not be stored still counts its logins."""
        try:
            with self.sessions.begin() as session:
                record_logins(session, _logins(record))
        except Exception:  # tracking must never break a run
            log.exception("run %s: could not record the login outcomes of %s", self.run.run_id, record.name)

    def _unsaved(self, record: HostRecord, exc: Exception) -> HostOutcome:
        """The outcome of a host whose rows could not be written, logged where it can be found."""
        redactor = self._redactor(record)
        reason = redactor.redact(one_line(exc))[:300]
        log.error("run %s: could not store the result of %s: %s", self.run.run_id, record.name, reason)
        try:
            keep_unsaved(self.fallback_path, self.run, record, exc, redactor)
        except Exception:  # the host is still counted, whatever its record could not be written for
            log.exception("run %s: could not write %s", self.run.run_id, self.fallback_path)
        return HostOutcome(
            hostname=record.name,
            device_id=record.device_id,
            status="failed",
            message=f"{record.name}: the result could not be stored ({type(exc).__name__})",
        )


def _logins(record: HostRecord) -> list[tuple[int, int | None, bool]]:
    """The host's login outcomes its broker left to the run (``record_later``)."""
    return [(credential_id, record.device_id, success) for credential_id, success in record.unrecorded]
