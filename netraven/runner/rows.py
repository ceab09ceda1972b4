"""The rows one host of a run stores: its JobResult, its JobLog lines, its ConnectionLog transcript."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from netraven.connections.opener import Attempt
from netraven.jobs.events import HostOutcome, RunInfo
from netraven.redaction import Redactor
from netraven.runner.record import HostRecord


@dataclass
class HostRows:
    """One host's rows, as dicts for the batch's executemany, not yet inserted."""

    result: dict[str, Any]
    logs: list[dict[str, Any]]
    transcript: dict[str, Any] | None


def host_rows(run: RunInfo, outcome: HostOutcome, record: HostRecord, redactor: Redactor) -> HostRows:
    """The rows of ``outcome``: one log line per login attempt plus the outcome's, every text redacted.

    Raises if the job type's output cannot be stored as JSON (the host fails alone, not the batch).
    """
    run_id, device_id, at = run.run_id, outcome.device_id, record.completed_at
    output = dict(outcome.output)
    json.dumps(output)
    attempts = record.attempts
    result = {
        "run_id": run_id,
        "device_id": device_id,
        "hostname": outcome.hostname,
        "status": outcome.status,
        "error_kind": outcome.error_kind,
        "message": outcome.message,
        "attempts": len(attempts),
        "credential_id": record.credential_id,
        "changed": outcome.changed,
        "duration_seconds": outcome.duration_seconds,
        "started_at": record.started_at,
        "completed_at": at,
        "output": output,
    }
    logs: list[dict[str, Any]] = [
        {
            "run_id": run_id,
            "device_id": device_id,
            "timestamp": at,
            "level": "INFO" if attempt.outcome == "success" else "WARNING",
            "category": "connection",
            "message": redactor.redact(
                f"login as {attempt.username} ({attempt.credential}): {_said(attempt, outcome.hostname)}"
            ),
            "details": {"credential": attempt.credential, "outcome": attempt.outcome, "at": attempt.at},
        }
        for attempt in attempts
    ]
    logs.append(
        {
            "run_id": run_id,
            "device_id": device_id,
            "timestamp": at,
            "level": {"succeeded": "INFO", "failed": "ERROR"}.get(outcome.status, "WARNING"),
            "category": run.job_type,
            "message": f"{outcome.status}: {_bare(outcome.message, outcome.hostname)}",
            "details": {"error_kind": outcome.error_kind, "duration_seconds": outcome.duration_seconds},
        }
    )
    text = record.transcript.decode("utf-8", "replace")
    transcript: dict[str, Any] | None = None
    if text:
        transcript = {
            "run_id": run_id,
            "device_id": device_id,
            "hostname": outcome.hostname,
            "transcript": redactor.redact(text),
            "timestamp": at,
        }
    return HostRows(result, logs, transcript)


def _said(attempt: Attempt, hostname: str) -> str:
    return attempt.outcome if attempt.outcome == "success" else _bare(attempt.message, hostname)


def _bare(message: str, hostname: str) -> str:
    """``message`` without the ``hostname: `` it starts with: a JobLog line names its device already."""
    return message.removeprefix(f"{hostname}: ")
