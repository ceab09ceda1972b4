"""Rendering a page: one autoescaping Jinja2 environment over ``netraven/web/templates/``.

Every template gets ``request``, ``principal`` (None when nobody is logged in), ``csrf_token``,
``can("operator")`` (whether the principal has that role: hide what it may not do),
``static("vendor/htmx/htmx.min.js")`` (the versioned URL of a static file), ``is_htmx`` (the
request came from htmx: render a fragment, not the whole page: ``{% extends "_fragment.html" if
is_htmx else "base.html" %}``), ``url_with(page=2)`` (this page's URL with query parameters
replaced; None removes one) and ``nav`` (the main navigation the principal may see), plus the
filters ``ago``, ``datetime`` and ``iso``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from netraven._version import __version__
from netraven.principal import Principal, Role
from netraven.web.context import request_state

# The main navigation: (label, path, least role). Every area's list page, hidden below its role.
NAV: tuple[tuple[str, str, Role], ...] = (
    ("Dashboard", "/", Role.VIEWER),
    ("Devices", "/devices", Role.VIEWER),
    ("Configs", "/configs/search", Role.VIEWER),
    ("Jobs", "/jobs", Role.VIEWER),
    ("Runs", "/runs", Role.VIEWER),
    ("Logs", "/logs", Role.VIEWER),
    ("API tokens", "/admin/tokens", Role.VIEWER),
    ("Users", "/admin/users", Role.ADMIN),
    ("Credentials", "/admin/credentials", Role.ADMIN),
    ("Audit", "/admin/audit", Role.ADMIN),
)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC_URL = "/static"
# Pages load nothing but this site's files (no inline script: page scripts live in static/), are
# never framed by another site, and never send their URL (with its filters) elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the pages (built once per process)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,
    )
    env.filters["ago"] = ago
    env.filters["datetime"] = format_datetime
    env.filters["iso"] = iso
    env.globals["static"] = static
    return env


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The template ``name`` (``"devices/list.html"``) rendered for ``request`` with ``context``."""
    state = request_state(request)
    principal: Principal | None = state.get("principal")
    values: dict[str, Any] = {
        "request": request,
        "principal": principal,
        "csrf_token": state.get("csrf_token", ""),
        "can": functools.partial(_can, principal),
        "is_htmx": request.headers.get("HX-Request") == "true",
        "url_with": functools.partial(url_with, request),
        "current_path": request.url.path,
        "nav": [(label, path) for label, path, role in NAV if _can(principal, role)],
        "version": __version__,
        **(context or {}),
    }
    html = environment().get_template(name).render(values)
    return HTMLResponse(html, status_code=status_code, headers={**PAGE_HEADERS, **(headers or {})})


def _can(principal: Principal | None, role: str | Role) -> bool:
    return principal is not None and principal.allows(Role.parse(role))


def static(path: str) -> str:
    """The URL of a file under ``netraven/web/static/``, versioned so a new release is reloaded."""
    return f"{STATIC_URL}/{path.lstrip('/')}?v={__version__}"


def url_with(request: Request, **changes: object) -> str:
    """This request's path and query with ``changes`` applied (a None value removes the parameter)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    params += [(k, str(v)) for k, v in changes.items() if v is not None and v != ""]
    query = urlencode(params)
    return f"{request.url.path}?{query}" if query else request.url.path


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """``3 min ago``, ``2 h ago``, ``5 d ago``, ``in 4 h`` (``never`` for None)."""
    if value is None:
        return "never"
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    seconds = ((now or datetime.now(UTC)) - moment).total_seconds()
    future, seconds = seconds < 0, abs(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            text = f"{int(seconds // size)} {unit}"
            break
    else:
        return "just now" if not future else "in a moment"
    return f"in {text}" if future else f"{text} ago"


def iso(value: datetime) -> str:
    """ISO 8601 with the time zone (stored times are UTC), for ``<time datetime=...>``."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def format_datetime(value: datetime | None) -> str:
    """``2026-12-02 01:05:33 UTC`` (empty for None)."""
    if value is None:
        return ""
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
