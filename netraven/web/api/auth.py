"""Logging in: access tokens for scripts (``/auth/token``), browser sessions (``/auth/session``),
and who am I (``/auth/me``).

Both login routes take the OAuth2 password form (``username``, ``password``) or the same fields
as JSON. A session is an HttpOnly, SameSite=Lax cookie (Secure over HTTPS, as a trusted proxy
reports it); its CSRF token, returned here, must come back in ``X-CSRF-Token`` on every POST,
PUT, PATCH and DELETE made with the cookie.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import Field, ValidationError
from starlette.concurrency import run_in_threadpool

from netraven import users
from netraven.users import Principal, Role
from netraven.web.deps import (
    SESSION_COOKIE,
    SessionDep,
    SettingsDep,
    clear_session_cookie,
    client_address,
    public,
    require,
    set_session_cookie,
)
from netraven.web.schemas import Strict

router = APIRouter(tags=["auth"])

LOGIN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["password"]},
                        "username": {"type": "string"},
                        "password": {"type": "string", "format": "password"},
                    },
                }
            },
            "application/json": {"schema": {"$ref": "#/components/schemas/Login"}},
        },
    }
}


class Login(Strict):
    """A user name and password."""

    username: str = Field(min_length=1, max_length=255, examples=["alice"])
    password: str = Field(min_length=1, max_length=4096, examples=["correct horse battery staple"])


class AccessToken(Strict):
    """A short-lived access token: send it as ``Authorization: Bearer <access_token>``."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime


class Me(Strict):
    """Who the request is authenticated as."""

    username: str = Field(examples=["alice"])
    role: Literal["viewer", "operator", "admin"]
    kind: str = Field(examples=["user"])
    user_id: int | None = None
    token_id: int | None = None


class BrowserSession(Strict):
    """A browser session opened: the cookie is set; send ``csrf_token`` as ``X-CSRF-Token``."""

    csrf_token: str
    me: Me


def me_of(principal: Principal) -> Me:
    return Me(
        username=principal.username,
        role=str(principal.role),  # type: ignore[arg-type]
        kind=principal.kind,
        user_id=principal.user_id,
        token_id=principal.token_id,
    )


async def read_login(request: Request) -> Login:
    """The login of a form or JSON body; a RequestValidationError (422) naming bad fields."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.form()
            fields = {k: v for k, v in form.items() if k in ("username", "password")}
            return Login.model_validate(fields)
        return Login.model_validate_json(await request.body() or b"null")
    except ValidationError as exc:
        errors = exc.errors(include_input=False, include_url=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None


async def _authenticate(request: Request, session: SessionDep, settings: SettingsDep) -> Principal:
    login = await read_login(request)
    return await run_in_threadpool(
        users.authenticate, session, settings, login.username, login.password, client_address(request)
    )


@router.post("/auth/token", response_model=AccessToken, openapi_extra=LOGIN_BODY, dependencies=[public()])
async def token(request: Request, session: SessionDep, settings: SettingsDep) -> AccessToken:
    """An access token for a user name and password (OAuth2 password flow, or JSON).

    Refused logins are rate-limited per user and per client address, and lock the account after
    ``web.login_max_failures`` failures in a row (see docs/web-api.md).
    """
    principal = await _authenticate(request, session, settings)
    access, expires = users.issue_access_token(settings, principal)
    return AccessToken(access_token=access, expires_at=expires)


@router.post(
    "/auth/session", response_model=BrowserSession, openapi_extra=LOGIN_BODY, dependencies=[public()]
)
async def open_session(
    request: Request, response: Response, session: SessionDep, settings: SettingsDep
) -> BrowserSession:
    """Log a browser in: sets the session cookie and returns its CSRF token."""
    principal = await _authenticate(request, session, settings)
    session_id, csrf = await run_in_threadpool(users.open_browser_session, session, settings, principal)
    set_session_cookie(request, response, settings, session_id)
    return BrowserSession(csrf_token=csrf, me=me_of(principal))


@router.delete("/auth/session", status_code=204)
def close_session(
    request: Request,
    response: Response,
    session: SessionDep,
    _principal: Annotated[Principal, require(Role.VIEWER, action="session.close")],
) -> None:
    """Log the browser out: ends its session and clears the cookie."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        users.close_browser_session(session, session_id)
    clear_session_cookie(response)


@router.get("/auth/me", response_model=Me)
def me(principal: Annotated[Principal, require(Role.VIEWER)]) -> Me:
    """Who this request is authenticated as, and with which role."""
    return me_of(principal)
