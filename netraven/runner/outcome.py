"""One host's outcome, from its Nornir result: status, error kind and one redacted line."""

from __future__ import annotations

from nornir.core.exceptions import NornirSubTaskError
from nornir.core.task import MultiResult

from netraven.connections.errors import classify
from netraven.connections.opener import HostAccess
from netraven.exceptions import DeviceError, DeviceErrorKind, JobError
from netraven.jobs.events import HostStatus
from netraven.runner.host_task import HostSkipped


def root_exception(result: MultiResult) -> BaseException | None:
    """The exception that failed the host: the innermost one, not Nornir's subtask wrappers."""
    for item in result:
        if item.exception is not None and not isinstance(item.exception, NornirSubTaskError):
            return item.exception
    top = result[0].exception if len(result) else None
    if isinstance(top, NornirSubTaskError) and isinstance(top.result, MultiResult):
        return root_exception(top.result)
    return top


def classify_host(
    hostname: str, result: MultiResult, access: HostAccess | None
) -> tuple[HostStatus, DeviceErrorKind | None, str]:
    """``(status, error_kind, message)`` for a host's result; the message is not yet redacted."""
    if not result.failed:
        return "succeeded", None, ""
    exc = root_exception(result)
    if isinstance(exc, HostSkipped):
        return "skipped", None, str(exc)
    if access is not None and access.aborted:
        return "failed", "timeout", f"{hostname}: {access.aborted}"
    if exc is None:
        return "failed", "command", f"{hostname}: the task failed without an error"
    if isinstance(exc, JobError):  # NetRaven, not the device, failed the host (e.g. a lost shard)
        return "failed", None, str(exc)
    error = exc if isinstance(exc, DeviceError) else classify(exc, hostname)
    return "failed", error.kind, str(error)
