"""Password logins: one message for every refusal, lockout and its expiry, rate limits per user
name and per address, all counted in the database and outliving the caller's rollback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from netraven.db.base import utcnow
from netraven.db.models import AuditEntry, LoginAttempt, User
from netraven.exceptions import AuthenticationError, LoginThrottled
from netraven.settings import Settings
from netraven.users import Role, authenticate, edit_user
from netraven.users.login import REFUSED, TOO_MANY
from tests.audit.conftest import Trail
from tests.users.conftest import PASSWORD, make_user, with_web


def test_a_good_password_gives_the_user(session: Session, settings: Settings, trail: Trail) -> None:
    make_user(session, settings)
    principal = authenticate(session, settings, "alice", PASSWORD, "192.0.2.1")
    assert (principal.kind, principal.username, principal.role, principal.address) == (
        "user", "alice", Role.OPERATOR, "192.0.2.1"
    )  # fmt: skip
    (entry,) = trail(AuditEntry.action == "auth.login")
    assert (entry.outcome, entry.actor_name, entry.address) == ("succeeded", "alice", "192.0.2.1")


def test_unknown_user_wrong_password_and_disabled_user_look_the_same(
    session: Session, settings: Settings, trail: Trail
) -> None:
    make_user(session, settings)
    make_user(session, settings, "carol")
    edit_user(session, "carol", enabled=False)
    messages = set()
    for name, password in (("ghost", PASSWORD), ("alice", "wrong password!"), ("carol", PASSWORD)):
        with pytest.raises(AuthenticationError) as caught:
            authenticate(session, settings, name, password)
        messages.add(str(caught.value))
    assert messages == {REFUSED}
    details = [e.detail for e in trail(AuditEntry.outcome == "failed")]
    assert sorted(details) == ["unknown user", "user disabled", "wrong password"]


def test_failures_lock_the_account_until_it_expires(session: Session, settings: Settings) -> None:
    make_user(session, settings)
    for _ in range(3):  # login_max_failures
        with pytest.raises(AuthenticationError):
            authenticate(session, settings, "alice", "wrong password!")
    with pytest.raises(AuthenticationError, match="locked"):
        authenticate(session, settings, "alice", PASSWORD)  # even the right password
    user = session.scalars(select(User).where(User.username == "alice")).one()
    assert user.locked_until is not None and user.locked_until > utcnow() + timedelta(minutes=14)
    session.execute(update(User).values(locked_until=utcnow() - timedelta(seconds=1)))
    assert authenticate(session, settings, "alice", PASSWORD).username == "alice"
    session.refresh(user)
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_a_success_resets_the_count(session: Session, settings: Settings) -> None:
    make_user(session, settings)
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            authenticate(session, settings, "alice", "wrong password!")
    authenticate(session, settings, "alice", PASSWORD)
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            authenticate(session, settings, "alice", "wrong password!")
    assert authenticate(session, settings, "alice", PASSWORD).username == "alice"


def test_unlock_ends_a_lockout(session: Session, settings: Settings) -> None:
    make_user(session, settings)
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            authenticate(session, settings, "alice", "wrong password!")
    edit_user(session, "alice", unlock=True)
    assert authenticate(session, settings, "alice", PASSWORD).username == "alice"


def test_rate_limit_per_user_name(session: Session, settings: Settings) -> None:
    settings = with_web(settings, login_rate_per_minute=2, login_max_failures=100)
    make_user(session, settings)
    for address in ("192.0.2.1", "192.0.2.2"):
        with pytest.raises(AuthenticationError, match="invalid username"):
            authenticate(session, settings, "alice", "wrong password!", address)
    with pytest.raises(LoginThrottled, match="too many login attempts") as caught:
        authenticate(session, settings, "alice", PASSWORD, "192.0.2.3")  # right password, refused
    assert caught.value.retry_after == 60 and isinstance(caught.value, AuthenticationError)
    session.execute(update(LoginAttempt).values(at=utcnow() - timedelta(minutes=2)))
    assert authenticate(session, settings, "alice", PASSWORD, "192.0.2.3").username == "alice"


def test_rate_limit_per_address(session: Session, settings: Settings) -> None:
    settings = with_web(settings, login_rate_per_minute=2)
    make_user(session, settings)
    for name in ("ghost1", "ghost2"):
        with pytest.raises(AuthenticationError):
            authenticate(session, settings, name, PASSWORD, "198.51.100.9")
    with pytest.raises(AuthenticationError) as caught:
        authenticate(session, settings, "alice", PASSWORD, "198.51.100.9")
    assert str(caught.value) == TOO_MANY
    assert authenticate(session, settings, "alice", PASSWORD, "198.51.100.10").username == "alice"


def test_a_refusal_outlives_the_callers_rollback(fresh_engine: Engine, settings: Settings) -> None:
    sessions = sessionmaker(fresh_engine)
    with sessions.begin() as session:
        make_user(session, settings)
    with sessions() as session:
        with pytest.raises(AuthenticationError):
            authenticate(session, settings, "alice", "wrong password!", "192.0.2.1")
        session.rollback()
    with sessions() as session:
        assert session.scalar(select(User.failed_logins)) == 1
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 1
        failed = session.scalars(select(AuditEntry).where(AuditEntry.outcome == "failed")).one()
        assert (failed.action, failed.actor_name, failed.address) == ("auth.login", "alice", "192.0.2.1")
        assert "wrong password!" not in repr((failed.detail, failed.changes))
