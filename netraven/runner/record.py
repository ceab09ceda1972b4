"""A host's result as one picklable record, classified once, in the host's own thread.

Nornir's results hold the host (and its inventory) and the exceptions raised, which need not
pickle. A :class:`HostRecord` keeps what the run stores of a host: its status, error kind and
one-line message (classified where the host ran), the results its job type's handler reads (only
for a host that succeeded), its times, login attempts and transcript. The same record goes from
a host's thread to the results writer in one process, and from a shard process to the run's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from nornir.core.exceptions import NornirSubTaskError
from nornir.core.inventory import Host
from nornir.core.task import MultiResult, Result

from netraven.connections.errors import classify
from netraven.connections.opener import Attempt, HostAccess
from netraven.db.base import utcnow
from netraven.exceptions import DeviceError, DeviceErrorKind, JobError, ResultKind
from netraven.jobs.events import HostStatus
from netraven.runner.host_task import HostSkipped


@dataclass
class ResultRecord:
    """One Nornir result of a host that succeeded, without its host."""

    name: str | None
    result: Any
    changed: bool = False
    diff: str = ""
    severity_level: int = 20


@dataclass
class HostRecord:
    """Everything the run stores of one host; ``message`` is not yet redacted."""

    name: str
    device_id: int
    platform: str
    status: HostStatus
    error_kind: ResultKind | None
    message: str
    started_at: datetime
    completed_at: datetime
    duration: float
    task: str = ""  # the name of the host's Nornir MultiResult (the job type)
    results: list[ResultRecord] = field(default_factory=list)  # a host that succeeded only
    transcript: bytes = b""
    attempts: list[Attempt] = field(default_factory=list)
    credential_id: int | None = None
    unrecorded: list[tuple[int, bool]] = field(default_factory=list)  # logins not yet counted


def record_host(
    host: Host, result: MultiResult, started_at: datetime, completed_at: datetime, duration: float,
    transcript: bytes,
) -> HostRecord:  # fmt: skip
    """The record of ``host``, whose task just ended with ``result`` (in the host's thread)."""
    access: HostAccess | None = getattr(host, "access", None)
    status, kind, message = _classify(host.name, result, access)
    return HostRecord(
        name=host.name,
        device_id=int(host.data["device_id"]),
        platform=host.platform or "",
        status=status,
        error_kind=kind,
        message=message,
        started_at=started_at,
        completed_at=completed_at,
        duration=duration,
        task=result.name,
        results=[ResultRecord(r.name, r.result, r.changed, r.diff, r.severity_level) for r in result]
        if status == "succeeded"
        else [],
        transcript=transcript,
        attempts=list(access.attempts) if access else [],
        credential_id=access.credential_id if access else None,
        unrecorded=list(access.unrecorded) if access else [],
    )


def lost(host: Host, reason: str) -> HostRecord:
    """The record of a host that never reported (say, its shard process died): failed, with why."""
    at = utcnow()
    return HostRecord(
        host.name, int(host.data["device_id"]), host.platform or "", "failed", None,
        f"{host.name}: {reason}", at, at, 0.0,
    )  # fmt: skip


def without_results(record: HostRecord, why: str) -> HostRecord:
    """``record`` failed with kind ``command`` and message ``why``, its results dropped (not picklable)."""
    return replace(record, status="failed", error_kind="command", message=why, results=[])


def multi_result(record: HostRecord, host: Host | None) -> MultiResult:
    """The results of ``record`` as Nornir's, for ``host`` of this process (a result handler reads them)."""
    multi = MultiResult(record.task)
    for item in record.results:
        result = Result(host=host, result=item.result, changed=item.changed, diff=item.diff,
                        severity_level=item.severity_level)  # fmt: skip
        result.name = item.name  # type: ignore[assignment]  # nornir types it None, sets str
        multi.append(result)
    return multi


def _root_exception(result: MultiResult) -> BaseException | None:
    """The exception that failed the host: the innermost one, not Nornir's subtask wrappers."""
    for item in result:
        if item.exception is not None and not isinstance(item.exception, NornirSubTaskError):
            return item.exception
    top = result[0].exception if len(result) else None
    if isinstance(top, NornirSubTaskError) and isinstance(top.result, MultiResult):
        return _root_exception(top.result)
    return top


def _classify(
    hostname: str, result: MultiResult, access: HostAccess | None
) -> tuple[HostStatus, DeviceErrorKind | None, str]:
    if not result.failed:
        return "succeeded", None, ""
    exc = _root_exception(result)
    if isinstance(exc, HostSkipped):
        return "skipped", None, str(exc)
    if access is not None and access.aborted:
        return "failed", "timeout", f"{hostname}: {access.aborted}"
    if exc is None:
        return "failed", "command", f"{hostname}: the task failed without an error"
    if isinstance(exc, JobError):  # NetRaven, not the device, failed the host
        return "failed", None, str(exc)
    error = exc if isinstance(exc, DeviceError) else classify(exc, hostname)
    return "failed", error.kind, str(error)
