"""The results processor: one JobResult, its JobLog lines and its transcript per host, as hosts finish.

Nornir calls it from each host's worker thread. Each host is written in its own short transaction,
so threads never share a session; everything stored goes through the host's :class:`Redactor`.
It never raises into Nornir: a host whose rows cannot be written is logged to the application log
and to a fallback file (JSON lines), counted as failed, and the run goes on.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Task
from sqlalchemy.orm import Session, sessionmaker

from netraven.connections.opener import HostAccess
from netraven.db.base import utcnow
from netraven.db.models import ConnectionLog, JobLog, JobResult
from netraven.exceptions import DeviceError
from netraven.jobs.base import HostContext, JobType
from netraven.jobs.events import HostOutcome, RunInfo
from netraven.plugins import notify
from netraven.redaction import Redactor
from netraven.runner.outcome import classify_host
from netraven.settings import Settings

log = logging.getLogger("netraven.runner")


class ResultsProcessor:
    """Nornir processor persisting each host of run ``run`` as it completes; see the module docstring.

    ``outcomes`` holds every host's :class:`HostOutcome` (also those that could not be written);
    ``on_host`` is called after each host, e.g. to move a progress bar.
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
        self.run = run
        self.job = job
        self.sessions = sessions
        self.settings = settings
        self.plugin_manager = plugin_manager
        self.on_host = on_host
        self.outcomes: dict[str, HostOutcome] = {}
        self.fallback_path = Path(settings.home) / "logs" / "unsaved-results.jsonl"
        self._lock = threading.Lock()
        self._started: dict[str, tuple[float, Any]] = {}
        self._transcripts: dict[str, io.BytesIO] = {}

    def connection_options(self, host: Host) -> dict[str, Any]:
        """Extra netmiko options for ``host``: a session log kept in memory for its transcript."""
        with self._lock:
            buffer = self._transcripts.setdefault(host.name, io.BytesIO())
        return {"session_log": buffer}

    # -- the Processor protocol --------------------------------------------------------------------

    def task_started(self, task: Task) -> None:
        pass

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        pass

    def task_instance_started(self, task: Task, host: Host) -> None:
        with self._lock:
            self._started[host.name] = (time.monotonic(), utcnow())

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        try:
            outcome = self._complete(host, result)
        except Exception as exc:  # never into Nornir: the run goes on without this host's rows
            outcome = self._unsaved(host, exc)
        with self._lock:
            self.outcomes[host.name] = outcome
        if self.on_host is not None:
            try:
                self.on_host(outcome)
            except Exception:
                log.exception("run %s: the per-host callback failed", self.run.run_id)

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        pass

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        pass

    # -- writing one host ------------------------------------------------------------------------

    def _complete(self, host: Host, result: MultiResult) -> HostOutcome:
        access: HostAccess | None = getattr(host, "access", None)
        redactor = Redactor(access.secrets() if access is not None else ())
        status, kind, message = classify_host(host.name, result, access)
        with self._lock:
            began, started_at = self._started.pop(host.name, (time.monotonic(), utcnow()))
            transcript = self._transcripts.pop(host.name, None)
        duration = time.monotonic() - began
        device_id = int(host.data["device_id"])
        output: dict[str, Any] = {}
        notifications: list[tuple[str, dict[str, Any]]] = []
        with self.sessions.begin() as session:
            if status == "succeeded":
                context = HostContext(
                    session=session,
                    settings=self.settings,
                    run=self.run,
                    device_id=device_id,
                    hostname=host.name,
                    platform=host.platform or "",
                    result=result,
                    redactor=redactor,
                )
                try:
                    with session.begin_nested():
                        output = self.job.handle_result(context)
                    notifications = context.notifications
                except DeviceError as exc:
                    status, kind, message = "failed", exc.kind, str(exc)
                except Exception as exc:  # a bug in the job type: the host fails, the run goes on
                    log.exception("run %s: %s's result handler failed", self.run.run_id, self.run.job_type)
                    status, kind = "failed", None
                    message = (
                        f"{host.name}: the {self.run.job_type} result handler failed ({type(exc).__name__})"
                    )
            message = redactor.redact(message)
            outcome = HostOutcome(
                hostname=host.name,
                device_id=device_id,
                status=status,
                error_kind=kind,
                message=message or _done(output),
                changed=bool(output.get("changed", False)),
                duration_seconds=round(duration, 3),
                output=output,
            )
            self._write(session, outcome, access, started_at, redactor, transcript)
        for hook_name, kwargs in notifications:
            notify(self.plugin_manager, hook_name, **kwargs)
        notify(self.plugin_manager, "netraven_host_completed", run=self.run, host=outcome)
        return outcome

    def _write(
        self,
        session: Session,
        outcome: HostOutcome,
        access: HostAccess | None,
        started_at: Any,
        redactor: Redactor,
        transcript: io.BytesIO | None,
    ) -> None:
        run_id, device_id = self.run.run_id, outcome.device_id
        attempts = access.attempts if access is not None else []
        session.add(
            JobResult(
                run_id=run_id,
                device_id=device_id,
                hostname=outcome.hostname,
                status=outcome.status,
                error_kind=outcome.error_kind,
                message=outcome.message,
                attempts=len(attempts),
                credential_id=access.credential_id if access is not None else None,
                changed=outcome.changed,
                duration_seconds=outcome.duration_seconds,
                started_at=started_at,
                output=dict(outcome.output),
            )
        )
        for attempt in attempts:
            session.add(
                JobLog(
                    run_id=run_id,
                    device_id=device_id,
                    level="INFO" if attempt.outcome == "success" else "WARNING",
                    category="connection",
                    message=redactor.redact(
                        f"{outcome.hostname}: login as {attempt.username} ({attempt.credential}): "
                        + (attempt.outcome if attempt.outcome == "success" else attempt.message)
                    ),
                    details={"credential": attempt.credential, "outcome": attempt.outcome, "at": attempt.at},
                )
            )
        session.add(
            JobLog(
                run_id=run_id,
                device_id=device_id,
                level={"succeeded": "INFO", "failed": "ERROR"}.get(outcome.status, "WARNING"),
                category=self.run.job_type,
                message=f"{outcome.hostname}: {outcome.status}: {outcome.message}",
                details={"error_kind": outcome.error_kind, "duration_seconds": outcome.duration_seconds},
            )
        )
        text = transcript.getvalue().decode("utf-8", "replace") if transcript is not None else ""
        if text:
            session.add(
                ConnectionLog(
                    run_id=run_id,
                    device_id=device_id,
                    hostname=outcome.hostname,
                    transcript=redactor.redact(text),
                )
            )

    def _unsaved(self, host: Host, exc: Exception) -> HostOutcome:
        """The outcome of a host whose rows could not be written, logged where it can be found."""
        reason = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"[:300]
        log.error("run %s: could not store the result of %s: %s", self.run.run_id, host.name, reason)
        outcome = HostOutcome(
            hostname=host.name,
            device_id=host.data.get("device_id"),
            status="failed",
            message=f"{host.name}: the result could not be stored ({type(exc).__name__})",
        )
        try:
            self.fallback_path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, self.fallback_path.open("a", encoding="utf-8") as fallback:
                record = {"run_id": self.run.run_id, "at": utcnow().isoformat(), "host": host.name,
                          "error": type(exc).__name__}  # fmt: skip
                fallback.write(json.dumps(record) + "\n")
        except OSError:
            log.exception("run %s: could not write %s", self.run.run_id, self.fallback_path)
        return outcome


def _done(output: dict[str, Any]) -> str:
    return str(output.get("summary", "done"))
