"""Page tests: the real app on SQLite and PostgreSQL (``app``, ``engine`` of tests/web/conftest.py),
and a logged-in browser-like client per role.

``page_client("operator")`` is a TestClient holding that user's session cookie, with its CSRF
token as ``.csrf_token``; ``.post_form(url, data)`` sends a form with the token, as a page's form
does. ``page_client(None)`` is logged in as nobody. Redirects are not followed: tests see them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from netraven import users
from netraven.settings import Settings
from netraven.web.deps import SESSION_COOKIE
from tests.web.conftest import PASSWORD


class PageClient(TestClient):
    """A TestClient with a browser session: its cookie, and the CSRF token its forms carry."""

    csrf_token: str = ""
    username: str | None = None

    def post_form(
        self, url: str, data: Mapping[str, Any] | None = None, *, csrf: bool = True, **kwargs: Any
    ) -> httpx.Response:
        """POST ``data`` as a form, with the session's CSRF token unless ``csrf`` is False."""
        fields = {**(data or {}), **({"csrf_token": self.csrf_token} if csrf else {})}
        return self.post(url, data=fields, **kwargs)


def open_session(engine: Engine, settings: Settings, username: str) -> tuple[str, str]:
    """(session id, CSRF token) of a new browser session of ``username`` (who exists)."""
    with Session(engine) as session, session.begin():
        principal = users.authenticate(session, settings, username, PASSWORD)
        return users.open_browser_session(session, settings, principal)


@pytest.fixture
def page_client(app: FastAPI, engine: Engine, web_settings: Settings) -> Iterator[Callable[..., PageClient]]:
    """Factory: a client logged in as a new user of ``role`` (named ``name``, default the role)."""
    with ExitStack() as stack:

        def make(role: str | None, name: str | None = None) -> PageClient:
            client = stack.enter_context(
                PageClient(app, raise_server_exceptions=False, follow_redirects=False)
            )
            if role is None:
                return client
            name = name or role
            with Session(engine) as session, session.begin():
                users.add_user(session, web_settings, name, PASSWORD, role)
            session_id, csrf = open_session(engine, web_settings, name)
            client.cookies.set(SESSION_COOKIE, session_id)
            client.csrf_token, client.username = csrf, name
            return client

        yield make


def assert_page(response: httpx.Response, status: int = 200, *texts: str) -> str:
    """The response is an HTML page of ``status`` containing each of ``texts``; its text."""
    assert response.status_code == status, (response.status_code, response.text[:2000])
    assert response.headers["content-type"].startswith("text/html"), response.headers["content-type"]
    for text in texts:
        assert text in response.text, f"{text!r} not in the page:\n{response.text[:3000]}"
    return response.text
