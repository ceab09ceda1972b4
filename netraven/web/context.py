"""Per-request context: the request id (``X-Request-ID``), its log field, and the body size limit.

:class:`RequestContextMiddleware` is a plain ASGI middleware (outermost but for error rendering):
it takes the client's ``X-Request-ID`` when it is a sane token, or makes one, keeps it in a
contextvar for the request's log lines (:class:`RequestIdFilter`) and error envelope, echoes it on
the response, refuses bodies over ``web.max_body_bytes`` with 413, and logs one access line.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("netraven_request_id", default=None)
access_log = logging.getLogger("netraven.web.access")


def current_request_id() -> str | None:
    """The id of the request being handled, or None outside a request."""
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Gives every record a ``request_id`` attribute (``-`` outside a request), for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get() or "-"
        return True


class BodyTooLarge(HTTPException):
    """A request body over the limit: 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes (web.max_body_bytes)")


class RequestContextMiddleware:
    """Request id, body size limit and access log line of each HTTP request."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, on_error: Callable[[Exception, Scope], Response]
    ) -> None:
        """``on_error`` renders an exception no handler took (413 here, or a bug's 500) for a request."""
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.on_error = on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        token = _request_id.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status: list[int] = []
        limit = self.max_body_bytes
        declared = _content_length(scope)
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            if declared is not None and declared > limit:
                raise BodyTooLarge(limit)  # refused before routing, whatever the route
            await self.app(scope, limited_receive, send_with_id)
        except Exception as exc:  # a body too large, or a bug (logged, never sent to the client)
            if status:
                raise
            await self.on_error(exc, scope)(scope, receive, send_with_id)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            access_log.info(
                "%s %s %s %.1f ms",
                scope["method"],
                scope["path"],
                status[0] if status else "-",
                elapsed,
            )
            _request_id.reset(token)


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            text = value.decode("latin-1").strip()
            return text if _VALID_ID.fullmatch(text) else None
    return None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def request_state(scope_or_request: Any) -> dict[str, Any]:
    """The request's state dict (``request_id``, ``principal``, ``audit_action``)."""
    state: dict[str, Any] = scope_or_request.scope.setdefault("state", {})
    return state
