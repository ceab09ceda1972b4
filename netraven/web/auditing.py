"""The web's error boundary for the audit trail: a refused or failed state-changing request
leaves a ``failed`` audit row (in its own transaction: the request's own was rolled back).

A route names its action in :func:`netraven.web.deps.require` (``action="device.add"``); the
object id is the route's path parameter, when it has one.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from netraven import audit
from netraven.web.context import request_state


async def record_failed_request(request: Request, error: BaseException) -> None:
    """Record that the request's action failed with ``error``, if the route names an action."""
    state = request_state(request)
    action: str | None = state.get("audit_action")
    principal = state.get("principal")
    if action is None or principal is None:
        return
    object_type = action.partition(".")[0]
    object_id = _object_id(request.path_params)
    sessions = request.app.state.sessions

    def record() -> None:
        with audit.acting_as(principal):
            audit.record_failure(sessions, action, object_type, object_id, error)

    await run_in_threadpool(record)


def _object_id(path_params: dict[str, Any]) -> str | None:
    values = [str(value) for value in path_params.values()]
    return "/".join(values) if values else None
