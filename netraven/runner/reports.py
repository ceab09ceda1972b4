"""A host's result as one picklable report, to cross from a shard process to the run's process.

Nornir's results hold the host (and its inventory) and the exceptions raised, which need not
pickle. A :class:`HostReport` keeps what the run stores: each result's fields, each exception
already classified (kind and NetRaven's one-line message), the host's login attempts and its
transcript. :func:`rebuild` turns it back into a :class:`FinishedHost` of the run's own host.
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
from netraven.exceptions import DeviceError
from netraven.runner.capture import FinishedHost
from netraven.runner.host_task import HostSkipped

SKIPPED = "skipped"  # the error kind of a host that was not started


@dataclass
class ResultRecord:
    """One Nornir result; ``error`` is ``(kind, message)`` of its exception, if it raised one."""

    name: str | None
    result: Any
    failed: bool
    changed: bool = False
    diff: str = ""
    severity_level: int = 20
    error: tuple[str, str] | None = None


@dataclass
class HostReport:
    """Everything the run stores of one host, picklable."""

    name: str
    task: str  # the name of the host's Nornir MultiResult (the job type)
    results: list[ResultRecord]
    started_at: datetime
    completed_at: datetime
    duration: float
    transcript: bytes = b""
    attempts: list[Attempt] = field(default_factory=list)
    credential_id: int | None = None
    unrecorded: list[tuple[int, bool]] = field(default_factory=list)
    aborted: str | None = None


def report_of(finished: FinishedHost) -> HostReport:
    """The report of a host that finished in this process."""
    name = finished.host.name
    access: HostAccess | None = getattr(finished.host, "access", None)
    return HostReport(
        name=name,
        task=finished.result.name,
        results=[
            ResultRecord(r.name, r.result, r.failed, r.changed, r.diff, r.severity_level, _error(r, name))
            for r in finished.result
        ],
        started_at=finished.started_at,
        completed_at=finished.completed_at,
        duration=finished.duration,
        transcript=finished.transcript,
        attempts=list(access.attempts) if access else [],
        credential_id=access.credential_id if access else None,
        unrecorded=list(access.unrecorded) if access else [],
        aborted=access.aborted if access else None,
    )


def without_results(report: HostReport, why: str) -> HostReport:
    """``report`` with its results replaced by one failure saying ``why`` (e.g. they do not pickle)."""
    failure = ResultRecord(
        report.results[0].name if report.results else None, None, True, error=("command", why)
    )
    return replace(report, results=[failure])


def rebuild(report: HostReport, host: Host) -> FinishedHost:
    """The report as a finished ``host`` of this process (its access gets the login attempts)."""
    access: HostAccess | None = getattr(host, "access", None)
    if access is not None:
        access.attempts = list(report.attempts)
        access.credential_id = report.credential_id
        access.unrecorded = list(report.unrecorded)
        access.aborted = report.aborted
    multi = MultiResult(report.task)
    for record in report.results:
        result = Result(
            host=host,
            result=record.result,
            changed=record.changed,
            diff=record.diff,
            failed=record.failed,
            exception=_exception(record.error, host.name),
            severity_level=record.severity_level,
        )
        result.name = record.name  # type: ignore[assignment]  # nornir types it None, sets str
        multi.append(result)
    return FinishedHost(
        host, multi, report.started_at, report.completed_at, report.duration, report.transcript
    )


def _error(result: Result, hostname: str) -> tuple[str, str] | None:
    exc = result.exception
    if exc is None or isinstance(exc, NornirSubTaskError):  # a wrapper: its subtask has the cause
        return None
    if isinstance(exc, HostSkipped):
        return SKIPPED, str(exc)
    error = classify(exc, hostname)
    return error.kind, str(error)


def _exception(error: tuple[str, str] | None, hostname: str) -> BaseException | None:
    if error is None:
        return None
    kind, message = error
    if kind == SKIPPED:
        return HostSkipped(message)
    return DeviceError(message, kind, hostname)  # type: ignore[arg-type]  # a kind classify() gave
