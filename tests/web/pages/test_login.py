"""``/login`` and ``/logout``: a session from the form, the reasons a login is refused, ``next``
only to a local path, the login form's own CSRF token."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.db.models import AuditEntry, BrowserSession
from netraven.settings import Settings
from tests.web.conftest import PASSWORD, count
from tests.web.pages.conftest import PageClient, assert_page


def login_form(client: PageClient, url: str = "/login") -> str:
    """GET the login page; the form's CSRF token (its cookie is now in the client)."""
    html = assert_page(client.get(url), 200, "Log in to NetRaven", 'for="f-username"', 'for="f-password"')
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def log_in(client: PageClient, username: str, password: str, next: str = "", token: str | None = None):  # type: ignore[no-untyped-def]
    token = login_form(client) if token is None else token
    return client.post(
        "/login", data={"username": username, "password": password, "next": next, "csrf_token": token}
    )


def test_logging_in_opens_a_session_and_goes_to_next(
    page_client: Callable[..., PageClient], make_user: Callable[..., object], engine: Engine
) -> None:
    make_user("operator", "alice")
    client = page_client(None)
    assert client.get("/devices?tag=core").status_code in (303, 404)
    login_form(client, "/login?next=/devices%3Ftag%3Dcore")
    response = log_in(client, "alice", PASSWORD, next="/devices?tag=core")
    assert response.status_code == 303
    assert response.headers["location"] == "/devices?tag=core"
    cookie = response.headers["set-cookie"]
    assert "netraven_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert count(engine, BrowserSession) == 1
    assert_page(client.get("/"), 200, "alice", "Log out")


def test_next_to_another_site_goes_home(
    page_client: Callable[..., PageClient], make_user: Callable[..., object]
) -> None:
    make_user("viewer", "bob")
    client = page_client(None)
    response = log_in(client, "bob", PASSWORD, next="https://evil.example/")
    assert response.headers["location"] == "/"
    html = assert_page(client.get("/login?next=//evil.example"))
    assert 'name="next" value="/"' in html


def test_a_wrong_password_says_so_next_to_the_form_and_opens_nothing(
    page_client: Callable[..., PageClient], make_user: Callable[..., object], engine: Engine
) -> None:
    make_user("viewer", "carol")
    client = page_client(None)
    response = log_in(client, "carol", "not the password")
    html = assert_page(response, 401, "invalid username or password", 'value="carol"')
    assert "not the password" not in html  # the password is never written back
    assert count(engine, BrowserSession) == 0
    assert client.get("/").status_code == 303


def test_empty_fields_are_named(page_client: Callable[..., PageClient], engine: Engine) -> None:
    client = page_client(None)
    html = assert_page(log_in(client, "", ""), 422)
    assert re.search(r'id="f-username"[^>]*aria-invalid="true"', html)
    assert re.search(r'id="f-password"[^>]*aria-invalid="true"', html)
    assert 'id="f-username-error"' in html and 'id="f-password-error"' in html
    too_long = assert_page(log_in(client, "x" * 300, "pw"), 422, 'id="f-username-error"')
    assert "x" * 300 in too_long  # the user name is given back to correct
    assert count(engine, BrowserSession) == 0


def test_a_locked_account_is_refused_even_with_the_right_password(
    page_client: Callable[..., PageClient],
    make_user: Callable[..., object],
    web_settings: Settings,
    engine: Engine,
) -> None:
    make_user("viewer", "dave")
    client = page_client(None)
    for _ in range(web_settings.web.login_max_failures):
        assert log_in(client, "dave", "wrong").status_code == 401
    html = assert_page(log_in(client, "dave", PASSWORD), 401, "locked after repeated failures")
    assert "Log out" not in html
    assert count(engine, BrowserSession) == 0


def test_too_many_attempts_say_when_to_retry(
    page_client: Callable[..., PageClient], web_settings: Settings
) -> None:
    client = page_client(None)
    statuses = [
        log_in(client, "erin", "wrong").status_code for _ in range(web_settings.web.login_rate_per_minute)
    ]
    assert set(statuses) == {401}
    response = log_in(client, "erin", "wrong")
    assert_page(response, 429, "too many login attempts")
    assert response.headers["retry-after"] == "60"


def test_a_login_without_the_form_token_is_refused(
    page_client: Callable[..., PageClient], make_user: Callable[..., object], engine: Engine
) -> None:
    make_user("viewer", "frank")
    client = page_client(None)
    assert_page(log_in(client, "frank", PASSWORD, token="forged"), 400, "the login form had expired")
    other = page_client(None)  # a cross-site form: no login cookie of this site
    response = other.post("/login", data={"username": "frank", "password": PASSWORD, "csrf_token": "x"})
    assert response.status_code == 400
    assert count(engine, BrowserSession) == 0


def test_logout_ends_the_session(page_client: Callable[..., PageClient], engine: Engine) -> None:
    client = page_client("viewer", "gina")
    response = client.post_form("/logout")
    assert response.status_code == 303 and response.headers["location"] == "/login?logged_out=1"
    assert 'netraven_session=""' in response.headers["set-cookie"]
    assert count(engine, BrowserSession) == 0
    assert_page(client.get("/login?logged_out=1"), 200, "You have logged out")
    with Session(engine) as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == "gina")).all()
    assert "session.close" in actions
