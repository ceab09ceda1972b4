"""Logging in with a password, with rate limits and lockout kept in the database.

Rules (the same in every server process, as they are counted in the database):

- **Rate limit**: at most ``web.login_rate_per_minute`` attempts in the last minute for one user
  name, and as many from one client address; more are refused without checking the password
  (:class:`~netraven.exceptions.LoginThrottled`, HTTP 429).
- **Lockout**: ``web.login_max_failures`` wrong passwords in a row lock the account for
  ``web.login_lockout_minutes``; while locked even the right password is refused. A successful
  login resets the count; ``netraven user edit NAME --unlock`` or a new password ends a lock early.
- An unknown user, a wrong password, a disabled or locked account all get the same message, after
  the same Argon2 work, so that nobody learns which names exist.

Every attempt is in the audit trail as ``auth.login`` (failures with outcome ``failed`` and the
reason, which only admins read).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NoReturn

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from netraven import audit
from netraven.db.base import utcnow
from netraven.db.models import LoginAttempt, User
from netraven.exceptions import AuthenticationError, LoginThrottled
from netraven.principal import Principal, Role
from netraven.settings import Settings
from netraven.users.passwords import dummy_hash, hash_password, needs_rehash, verify_password

REFUSED = "invalid username or password (or the account is locked after repeated failures: wait and retry)"
TOO_MANY = "too many login attempts for this user name or from this address: try again in a minute"
KEEP_ATTEMPTS = timedelta(hours=1)
WINDOW = timedelta(minutes=1)


def authenticate(
    session: Session, settings: Settings, username: str, password: str, address: str | None = None
) -> Principal:
    """The user ``username`` if ``password`` is theirs and no rule refuses it; AuthenticationError otherwise.

    A refused attempt is **committed** before the error is raised (its count, lockout and audit
    row must outlive the caller's rollback); a successful one is left to the caller's commit.
    """
    now = utcnow()
    name = username[:255] if isinstance(username, str) else ""
    address = address[:64] if address else None
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_ATTEMPTS))
    limited = _too_many(session, settings, name, address, now)
    attempt = LoginAttempt(at=now, username=name, address=address, succeeded=False)
    session.add(attempt)
    user = session.scalar(select(User).where(User.username == name).with_for_update()) if name else None
    actor = Principal("user", name or "-", Role.VIEWER, user_id=user.id if user else None, address=address)
    if limited:
        _refuse(session, actor, "rate limited", LoginThrottled(TOO_MANY, int(WINDOW.total_seconds())))
    given = password if isinstance(password, str) else ""
    matches = verify_password(user.password_hash if user and user.password_hash else dummy_hash(), given)
    if user is None:
        _refuse(session, actor, "unknown user")
    if not user.enabled:
        _refuse(session, actor, "user disabled")
    if user.locked_until is not None and user.locked_until > now:
        _refuse(session, actor, f"locked until {user.locked_until.isoformat(timespec='seconds')}")
    if not matches or user.password_hash is None:
        user.failed_logins += 1
        reason = "wrong password" if user.password_hash else "no password set"
        if user.failed_logins >= settings.web.login_max_failures:
            user.locked_until = now + timedelta(minutes=settings.web.login_lockout_minutes)
            user.failed_logins = 0
            reason += f"; locked for {settings.web.login_lockout_minutes} min"
        _refuse(session, actor, reason)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(given)
    attempt.succeeded = True
    principal = Principal("user", user.username, Role.parse(user.role), user_id=user.id, address=address)
    audit.record(session, "auth.login", "user", user.username, actor=principal)
    session.flush()
    return principal


def _too_many(session: Session, settings: Settings, name: str, address: str | None, now: datetime) -> bool:
    limit = settings.web.login_rate_per_minute
    recent = LoginAttempt.at > now - WINDOW
    by_name = session.scalar(select(func.count()).where(recent, LoginAttempt.username == name)) or 0
    if by_name >= limit:
        return True
    if address is None:
        return False
    by_address = session.scalar(select(func.count()).where(recent, LoginAttempt.address == address)) or 0
    return by_address >= limit


def _refuse(
    session: Session, actor: Principal, reason: str, error: AuthenticationError | None = None
) -> NoReturn:
    audit.record(session, "auth.login", "user", actor.username, outcome="failed", detail=reason, actor=actor)
    session.commit()
    raise error or AuthenticationError(REFUSED)
