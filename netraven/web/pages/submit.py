"""Submitted forms of the operations pages: reading their fields, and trying a change that, when
refused, keeps nothing and leaves a ``failed`` audit row (as the API's error boundary does)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from netraven import audit
from netraven.exceptions import NetRavenError
from netraven.web.context import request_state
from netraven.web.pages.forms import field_errors

T = TypeVar("T")
_WORDS = re.compile(r"[^,\s]+")


async def form_data(request: Request) -> FormData:
    """The request's form (read once; the page dependency read it already for its CSRF token)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]


def text(form: FormData, name: str) -> str:
    """The text field ``name`` of ``form`` ("" when absent or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def words(value: str) -> list[str]:
    """Names separated by commas or spaces: ``"r1, r2 r3"`` -> ``["r1", "r2", "r3"]``."""
    return _WORDS.findall(value)


def attempt(request: Request, session: Session, change: Callable[[], T]) -> tuple[T | None, dict[str, str]]:
    """``(change(), {})``, or ``(None, errors by field)`` when it is refused: then nothing it did
    is kept (it ran in a savepoint) and the route's audit action is recorded as failed."""
    try:
        with session.begin_nested():
            return change(), {}
    except (ValidationError, NetRavenError) as exc:
        errors = field_errors(exc)
        record_refusal(request, session, "; ".join(errors.values()))
        return None, errors


def record_refusal(request: Request, session: Session, reason: str) -> None:
    """A ``failed`` audit row for the route's action (``page(..., action=...)``), if it names one,
    in the request's transaction (on SQLite it holds the write lock: another would wait for it)."""
    state = request_state(request)
    action, principal = state.get("audit_action"), state.get("principal")
    if action is None or principal is None:
        return
    object_id = "/".join(str(value) for value in request.path_params.values()) or None
    audit.record(session, action, action.partition(".")[0], object_id, outcome="failed",
                 detail=reason.splitlines()[0] if reason else None, actor=principal)  # fmt: skip
