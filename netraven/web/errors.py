"""One error envelope for every failure: ``{"error": {"code", "message", "details", "request_id"}}``.

Status by error: request validation 422 naming each bad field (malformed JSON 400),
:class:`AuthenticationError` 401, :class:`PermissionDenied` 403, :class:`NotFoundError` 404,
:class:`ConflictError` 409, an unreachable database or queue 503, any other
:class:`NetRavenError` 400, unknown routes 404, wrong methods 405, oversized bodies 413, and
anything else 500 with no trace (the traceback goes to the log). Messages are the domain's one
line, which never holds a secret; a field's rejected value is never echoed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.types import Scope

from netraven.exceptions import (
    AuthenticationError,
    ConflictError,
    DatabaseError,
    LoginThrottled,
    NetRavenError,
    NotFoundError,
    PermissionDenied,
    QueueError,
)
from netraven.inventory import ImportValidationError
from netraven.web.auditing import record_failed_request
from netraven.web.context import current_request_id
from netraven.web.pages.auth import LoginRequired, login_redirect
from netraven.web.pages.errors import API_PATHS, error_page, is_page, plain_error_page

log = logging.getLogger("netraven.web")

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class ErrorBody(BaseModel):
    """What went wrong, in one line, with details where there are several problems."""

    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["no device named 'core-9'"])
    details: Any = Field(default=None, examples=[[{"field": "body.port", "message": "Input should be ..."}]])
    request_id: str | None = Field(default=None, examples=["4f1c2e0a9b7d4c1e8f6a5b3c2d1e0f9a"])


class ErrorEnvelope(BaseModel):
    """The body of every error response."""

    error: ErrorBody


def error_response(
    status: int,
    message: str,
    details: Any = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """The envelope response for ``status``, with the current request id."""
    body = ErrorBody(
        code=code or CODES.get(status, HTTPStatus(status).phrase.lower().replace(" ", "_")),
        message=message,
        details=details,
        request_id=current_request_id(),
    )
    return JSONResponse(ErrorEnvelope(error=body).model_dump(), status_code=status, headers=headers)


def status_of(exc: NetRavenError) -> int:
    """The HTTP status of a NetRaven error."""
    for kind, status in (
        (LoginThrottled, 429),
        (AuthenticationError, 401),
        (PermissionDenied, 403),
        (NotFoundError, 404),
        (ConflictError, 409),
        (DatabaseError, 503),
        (QueueError, 503),
    ):
        if isinstance(exc, kind):
            return status
    return 400


def internal_error(exc: Exception, scope: Scope | None = None) -> Response:
    """A bug: logged with its traceback, answered with a 500 envelope and nothing of the exception
    (for a page, a plain HTML page: the templates may be what failed).

    (An HTTPException raised outside the routes, such as a body too large, is rendered as such.)
    """
    page = scope is not None and not str(scope.get("path", "")).startswith(API_PATHS)
    if isinstance(exc, HTTPException):
        status, message = exc.status_code, str(exc.detail)
    else:
        log.error("unhandled error", exc_info=exc)
        status, message = 500, "internal error: see the server log for this request id"
    if page:
        return plain_error_page(status, message, current_request_id())
    return error_response(status, message)


def install_error_handlers(app: FastAPI) -> None:
    """Render every failure of ``app`` in the envelope (an error page for the pages)."""
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(NetRavenError, _netraven_error)  # type: ignore[arg-type]
    app.add_exception_handler(LoginRequired, login_redirect)  # type: ignore[arg-type]


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = exc.errors()
    if is_page(request):  # a page's query parameter (its forms render their own errors)
        details = [_field_error(error) for error in errors]
        message = "; ".join(f"{d['field'].split('.')[-1]}: {d['message']}" for d in details)
        await record_failed_request(request, NetRavenError(message))
        return await error_page(request, 422 if details else 400, f"invalid request: {message}")
    if any(error.get("type") == "json_invalid" for error in errors):
        error = next(error for error in errors if error.get("type") == "json_invalid")
        reason = (error.get("ctx") or {}).get("error", "")
        message = f"the request body is not valid JSON: {reason}".rstrip(": ")
        await record_failed_request(request, NetRavenError(message))
        return error_response(400, message, code="malformed_json")
    details = [_field_error(error) for error in errors]
    first = details[0]
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    message = f"invalid request: {first['field']}: {first['message']}{more}"
    await record_failed_request(request, NetRavenError(message))
    return error_response(422, message, details)


def _field_error(error: Any) -> dict[str, str]:
    """A pydantic error as ``{"field", "message", "type"}``: never the rejected input itself."""
    loc: Sequence[Any] = error.get("loc", ())
    return {
        "field": ".".join(str(part) for part in loc) or "body",
        "message": str(error.get("msg", "invalid value")),
        "type": str(error.get("type", "value_error")),
    }


async def _http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc.detail, str) and exc.detail and exc.detail != HTTPStatus(status).phrase:
        message = exc.detail
    elif status == 404:
        message = f"no such resource: {request.url.path}"
    elif status == 405:
        message = f"method {request.method} is not allowed on {request.url.path}"
    else:
        message = HTTPStatus(status).phrase
    if is_page(request):
        if status == 404 and message.startswith("no such resource"):
            message = f"there is no page at {request.url.path}"
        return await error_page(request, status, message, headers=getattr(exc, "headers", None))
    return error_response(status, message, headers=getattr(exc, "headers", None))


async def _netraven_error(request: Request, exc: NetRavenError) -> Response:
    status = status_of(exc)
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    details = list(exc.errors) if isinstance(exc, ImportValidationError) else None
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(exc, LoginThrottled):
        headers = {"Retry-After": str(exc.retry_after)}
    await record_failed_request(request, exc)
    if is_page(request):
        return await error_page(request, status, message, headers=headers if status != 401 else None)
    return error_response(status, message, details, headers=headers)
