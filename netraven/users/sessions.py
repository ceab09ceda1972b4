"""Browser sessions for the pages: a random session id in an HttpOnly cookie, stored as its SHA-256.

The CSRF token of a session is an HMAC of its id under the signing key: the pages embed it, every
state-changing request sends it back, and :func:`csrf_matches` compares. Nothing of it is stored.
A session ends after ``web.session_hours``, at logout, when its user's password changes, or when
the user is disabled or removed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from netraven import audit
from netraven.db.base import utcnow
from netraven.db.models import BrowserSession, User
from netraven.exceptions import AuthenticationError
from netraven.principal import Principal, Role
from netraven.settings import Settings
from netraven.users.keys import digest, signing_key

ENDED = "the session has ended: log in again"


def open_browser_session(session: Session, settings: Settings, principal: Principal) -> tuple[str, str]:
    """A new session for ``principal`` (a user): (session id for the cookie, CSRF token).

    Expired sessions of every user are removed on the way.
    """
    if principal.user_id is None:
        raise ValueError(f"browser sessions are for users; {principal.kind} {principal.username!r} is none")
    now = utcnow()
    session.execute(delete(BrowserSession).where(BrowserSession.expires_at <= now))
    session_id = secrets.token_urlsafe(32)
    row = BrowserSession(id_hash=digest(session_id), user_id=principal.user_id,
                         address=principal.address[:64] if principal.address else None,
                         expires_at=now + timedelta(hours=settings.web.session_hours))  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, "session.open", "user", principal.username, actor=principal)
    return session_id, csrf_token(settings, session_id)


def principal_from_browser_session(
    session: Session, settings: Settings, session_id: str, address: str | None = None
) -> tuple[Principal, str]:
    """Who the session stands for and its CSRF token; AuthenticationError when it has ended."""
    found = session.execute(
        select(BrowserSession, User)
        .join(User, User.id == BrowserSession.user_id)
        .where(BrowserSession.id_hash == digest(session_id))
    ).first()
    if found is None:
        raise AuthenticationError(ENDED)
    row, user = found
    if row.expires_at <= utcnow() or not user.enabled:
        raise AuthenticationError(ENDED)
    principal = Principal("session", user.username, Role.parse(user.role), user_id=user.id, address=address)
    return principal, csrf_token(settings, session_id)


def close_browser_session(session: Session, session_id: str) -> None:
    """End a session (logout); nothing happens if it has already ended."""
    row = session.scalar(select(BrowserSession).where(BrowserSession.id_hash == digest(session_id)))
    if row is None:
        return
    username = session.scalar(select(User.username).where(User.id == row.user_id))
    session.delete(row)
    session.flush()
    audit.record(session, "session.close", "user", username)


def csrf_token(settings: Settings, session_id: str) -> str:
    """The CSRF token of a session id."""
    return hmac.new(signing_key(settings), b"csrf:" + session_id.encode(), hashlib.sha256).hexdigest()


def csrf_matches(expected: str, given: str | None) -> bool:
    """Whether the CSRF token a request sent is the session's (compared in constant time)."""
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())
