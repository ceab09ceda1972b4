"""Failures of page requests as HTML pages, while ``/api/v1`` keeps its JSON envelope.

The app's error handlers (:mod:`netraven.web.errors`) ask :func:`is_page` and render a page's
failure with :func:`error_page`: the status, the domain's one-line message and the request id.
"""

from __future__ import annotations

from html import escape
from http import HTTPStatus

from fastapi import Request
from fastapi.responses import HTMLResponse

from netraven.web.context import current_request_id
from netraven.web.pages.auth import known_principal
from netraven.web.pages.render import render

API_PATHS = ("/api/",)


def is_page(request: Request) -> bool:
    """Whether a request is for a page (anything but the API)."""
    return not request.url.path.startswith(API_PATHS)


async def error_page(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> HTMLResponse:
    """The error page of ``status`` with ``message`` (never a traceback, never a secret), with the
    navigation of whoever is logged in."""
    await known_principal(request)
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    context = {"status": status, "title": title, "message": message, "request_id": current_request_id()}
    return render(request, "error.html", context, status_code=status, headers=headers)


def plain_error_page(status: int, message: str, request_id: str | None) -> HTMLResponse:
    """An error page without templates (for a bug, which may be in a template)."""
    title = escape(HTTPStatus(status).phrase)
    body = (
        f"<!doctype html><html lang=en><meta charset=utf-8><title>{title} · NetRaven</title>"
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<main><h1>{title}</h1><p>{escape(message)}</p><p><a href="/">Back to the dashboard</a>'
        f" · request id {escape(request_id or '-')}</p></main></html>"
    )
    return HTMLResponse(body, status_code=status)
