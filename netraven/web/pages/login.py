"""``/login`` and ``/logout``: a browser session from a user name and password.

The login form carries its own CSRF token (a random value in a ``SameSite=Strict`` cookie of
``/login`` and in the form: they must match), since there is no session yet to derive one from.
Wrong password, unknown user and locked account share the domain's one message (nobody learns
which names exist); too many attempts say so and when to retry. ``next`` is followed only to a
path of this site.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from netraven import users
from netraven.exceptions import AuthenticationError, LoginThrottled
from netraven.users import Principal, Role
from netraven.web.api.auth import Login
from netraven.web.deps import (
    SESSION_COOKIE,
    SessionDep,
    SettingsDep,
    clear_session_cookie,
    client_address,
    public,
    set_session_cookie,
)
from netraven.web.pages.auth import CSRF_FIELD, LOGIN_PATH, page, safe_next
from netraven.web.pages.forms import FORM, field_errors
from netraven.web.pages.render import render

router = APIRouter()
LOGIN_COOKIE = "netraven_login"
EXPIRED = "the login form had expired: enter your user name and password again"


def login_page(
    request: Request,
    next_path: str,
    username: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """The login form (with a new login CSRF token in its cookie and its hidden field)."""
    token = secrets.token_urlsafe(32)
    context = {
        "next": next_path,
        "values": {"username": username},
        "errors": errors or {},
        "login_token": token,
        "logged_out": request.query_params.get("logged_out") == "1",
    }
    response = render(request, "login.html", context, status_code=status_code, headers=headers)
    response.set_cookie(
        LOGIN_COOKIE, token, path=LOGIN_PATH, httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


@router.get("/login", dependencies=[public()])
def login_form(request: Request, next: str | None = None) -> Response:
    """The login form; ``next`` is where to go once logged in (a path of this site)."""
    return login_page(request, safe_next(next))


@router.post("/login", dependencies=[public()])
async def login(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """Log in: open a browser session and go to ``next``; the form again with the reason if refused."""
    form = await request.form()
    fields = {name: form.get(name) for name in ("username", "password", "next", CSRF_FIELD)}
    text = {name: value if isinstance(value, str) else "" for name, value in fields.items()}
    next_path, username = safe_next(text["next"]), text["username"]
    if not users.csrf_matches(request.cookies.get(LOGIN_COOKIE, ""), text[CSRF_FIELD]):
        return login_page(request, next_path, username, {FORM: EXPIRED}, 400)
    try:
        credentials = Login.model_validate({"username": username, "password": text["password"]})
    except ValidationError as exc:
        return login_page(request, next_path, username, field_errors(exc), 422)
    try:
        principal = await run_in_threadpool(
            users.authenticate,
            session,
            settings,
            credentials.username,
            credentials.password,
            client_address(request),
        )
    except LoginThrottled as exc:
        headers = {"Retry-After": str(exc.retry_after)}
        return login_page(request, next_path, username, field_errors(exc), 429, headers)
    except AuthenticationError as exc:
        return login_page(request, next_path, username, field_errors(exc), 401)
    session_id, _csrf = await run_in_threadpool(users.open_browser_session, session, settings, principal)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(request, response, settings, session_id)
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN_PATH)
    return response


@router.post("/logout")
def logout(
    request: Request,
    session: SessionDep,
    _principal: Annotated[Principal, page(Role.VIEWER, action="session.close")],
) -> Response:
    """End the browser session and go to the login page."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        users.close_browser_session(session, session_id)
    response = RedirectResponse(f"{LOGIN_PATH}?logged_out=1", status_code=303)
    clear_session_cookie(response)
    return response
