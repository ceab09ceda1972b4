"""The plain, frozen data hooks receive: no ORM objects, never a secret.

Plugins may keep these objects (they do not change and hold no database session); the runner
builds them from its rows, with every text already redacted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from netraven.exceptions import ResultKind

HostStatus = Literal["succeeded", "failed", "skipped"]
RunStatus = Literal["succeeded", "partial", "failed", "cancelled"]


@dataclass(frozen=True)
class RunInfo:
    """One run of a job: which job, which job type, with what validated parameters, started by whom."""

    run_id: int
    job_id: int | None  # None for an ad-hoc run without a stored job definition
    job_type: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    triggered_by: str = ""


@dataclass(frozen=True)
class HostOutcome:
    """How one host did in one run; ``output`` is the job type's JSON-able summary."""

    hostname: str
    device_id: int | None
    status: HostStatus
    error_kind: ResultKind | None = None  # failed because of the device, or skipped (circuit_open...)
    message: str = ""  # one redacted line: the error, or what happened
    changed: bool = False  # the job changed something (a new config version, a config push)
    duration_seconds: float = 0.0
    output: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RunSummary:
    """A finished run's outcome; hosts neither succeeded nor failed were skipped."""

    status: RunStatus
    hosts_total: int
    hosts_succeeded: int
    hosts_failed: int


@dataclass(frozen=True)
class DeviceInfo:
    """A device, as far as plugins need it."""

    id: int
    hostname: str
    platform: str
