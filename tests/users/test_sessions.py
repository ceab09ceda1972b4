"""Browser sessions: stored hashed, a CSRF token per session, ended by expiry, logout, password
change or a disabled user."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from netraven.db.base import utcnow
from netraven.db.models import BrowserSession
from netraven.exceptions import AuthenticationError
from netraven.settings import Settings
from netraven.users import (
    Role,
    authenticate,
    close_browser_session,
    csrf_matches,
    edit_user,
    open_browser_session,
    principal_from_browser_session,
    set_password,
)
from netraven.users.keys import digest
from tests.users.conftest import PASSWORD, make_user


def open_one(session: Session, settings: Settings) -> tuple[str, str]:
    make_user(session, settings)
    return open_browser_session(
        session, settings, authenticate(session, settings, "alice", PASSWORD, "192.0.2.4")
    )


def test_a_session_stands_for_its_user_with_its_csrf_token(session: Session, settings: Settings) -> None:
    sid, csrf = open_one(session, settings)
    row = session.scalars(select(BrowserSession)).one()
    assert row.id_hash == digest(sid) and sid not in repr(vars(row)) and csrf not in repr(vars(row))
    assert timedelta(hours=11, minutes=59) < row.expires_at - utcnow() <= timedelta(hours=12)
    principal, expected = principal_from_browser_session(session, settings, sid, "192.0.2.4")
    assert (principal.kind, principal.username, principal.role) == ("session", "alice", Role.OPERATOR)
    assert expected == csrf and csrf_matches(expected, csrf)
    assert (
        not csrf_matches(expected, None)
        and not csrf_matches(expected, "")
        and not csrf_matches(expected, csrf[:-1])
    )
    _, other_csrf = open_browser_session(session, settings, principal)
    assert other_csrf != csrf and not csrf_matches(expected, other_csrf)


def test_expired_closed_and_unknown_sessions_are_refused(session: Session, settings: Settings) -> None:
    sid, _ = open_one(session, settings)
    session.execute(update(BrowserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    for bad in (sid, "unknown"):
        with pytest.raises(AuthenticationError, match="the session has ended"):
            principal_from_browser_session(session, settings, bad)
    principal = authenticate(session, settings, "alice", PASSWORD)
    sid, _ = open_browser_session(session, settings, principal)  # removes the expired one
    assert session.scalar(select(BrowserSession.id_hash)) == digest(sid)
    close_browser_session(session, sid)
    close_browser_session(session, sid)  # twice: nothing to do
    with pytest.raises(AuthenticationError):
        principal_from_browser_session(session, settings, sid)


def test_disabling_or_a_new_password_ends_sessions(session: Session, settings: Settings) -> None:
    sid, _ = open_one(session, settings)
    edit_user(session, "alice", enabled=False)
    with pytest.raises(AuthenticationError):
        principal_from_browser_session(session, settings, sid)
    edit_user(session, "alice", enabled=True)
    principal_from_browser_session(session, settings, sid)
    set_password(session, settings, "alice", "a brand new password")
    with pytest.raises(AuthenticationError):
        principal_from_browser_session(session, settings, sid)
