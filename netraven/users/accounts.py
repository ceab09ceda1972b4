"""Users: add, list, show, edit, remove, set a password. Every change is audited.

Usernames are 1-64 letters, digits and ``.``, ``_``, ``@``, ``-``. The last enabled admin cannot
be removed, disabled or demoted (nobody could manage users through the API then).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from netraven import audit
from netraven.db.base import utcnow
from netraven.db.models import BrowserSession, User
from netraven.exceptions import UserConflict, UserError, UserNotFound, in_field
from netraven.inventory.validation import check_name, check_text, show
from netraven.principal import Role
from netraven.settings import Settings
from netraven.users.passwords import check_password, hash_password

USERNAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")


@dataclass(frozen=True)
class UserView:
    """A user as shown to people and the API: no password hash."""

    id: int
    username: str
    role: Role
    full_name: str | None
    enabled: bool
    has_password: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(
            user.id, user.username, Role.parse(user.role), user.full_name, user.enabled,
            user.password_hash is not None, user.locked_until, user.last_login_at, user.created_at,
            user.updated_at,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "role": str(self.role),
            "full_name": self.full_name,
            "enabled": self.enabled,
            "has_password": self.has_password,
            "locked_until": self.locked_until,
            "last_login_at": self.last_login_at,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def check_username(value: object) -> str:
    """A valid username, or UserError naming what is wrong."""
    with in_field("username"):
        name = check_name(value, "username", UserError)
    if not USERNAME.match(name):
        raise UserError(
            f"username {show(name)}: expected 1 to 64 letters, digits and . _ @ - (no spaces)",
            field="username",
        )
    return name


def check_role(value: object) -> Role:
    try:
        return Role.parse(value)
    except ValueError as exc:
        raise UserError(str(exc), field="role") from None


def add_user(
    session: Session,
    settings: Settings,
    username: str,
    password: str,
    role: Role | str = Role.VIEWER,
    full_name: str | None = None,
) -> UserView:
    """Create a user with an Argon2-hashed password (at least ``web.min_password_length`` long)."""
    username = check_username(username)
    role = check_role(role)
    with in_field("full_name"):
        full_name = check_text(full_name, f"user {username!r}: full name", UserError)[:255] or None
    check_password(settings, password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserConflict(f"a user named {username!r} already exists", field="username")
    user = User(username=username, role=str(role), full_name=full_name, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    audit.record(session, "user.add", "user", username,
                 {"role": str(role), "full_name": full_name, "password": "set"})  # fmt: skip
    return UserView.of(user)


def get_user(session: Session, username_or_id: str | int) -> UserView:
    return UserView.of(_load(session, username_or_id))


def list_users(session: Session) -> list[UserView]:
    return [UserView.of(u) for u in session.scalars(select(User).order_by(User.username))]


def edit_user(
    session: Session,
    username_or_id: str | int,
    *,
    role: Role | str | None = None,
    enabled: bool | None = None,
    full_name: str | None = None,
    unlock: bool = False,
) -> UserView:
    """Change a user's role, enabled flag or full name, or end a lockout; None leaves a field as is.

    A lowered role or a disabled user takes effect on the user's next request (tokens and sessions
    are checked against the user row each time).
    """
    user = _load(session, username_or_id)
    before = _snapshot(user)
    if role is not None:
        new_role = check_role(role)
        if new_role < Role.ADMIN:
            _keep_an_admin(session, user, "demote")
        user.role = str(new_role)
    if enabled is not None:
        if not isinstance(enabled, bool):
            raise UserError(f"user {user.username!r}: enabled must be true or false")
        if not enabled:
            _keep_an_admin(session, user, "disable")
        user.enabled = enabled
    if full_name is not None:
        with in_field("full_name"):
            user.full_name = (
                check_text(full_name, f"user {user.username!r}: full name", UserError)[:255] or None
            )
    if unlock:
        user.failed_logins, user.locked_until = 0, None
    session.flush()
    audit.record(session, "user.edit", "user", user.username, audit.changed(before, _snapshot(user)))
    return UserView.of(user)


def set_password(session: Session, settings: Settings, username_or_id: str | int, password: str) -> None:
    """Set a user's password; this also ends a lockout, the user's browser sessions and the access
    tokens issued before (personal API tokens stay: revoke them on their own)."""
    user = _load(session, username_or_id)
    check_password(settings, password)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.failed_logins, user.locked_until = 0, None
    session.execute(delete(BrowserSession).where(BrowserSession.user_id == user.id))
    session.flush()
    audit.record(session, "user.passwd", "user", user.username, {"password": "changed"})


def remove_user(session: Session, username_or_id: str | int) -> None:
    """Remove a user with their tokens and sessions; runs and jobs keep the name they recorded."""
    user = _load(session, username_or_id)
    _keep_an_admin(session, user, "remove")
    session.delete(user)
    session.flush()
    audit.record(session, "user.remove", "user", user.username)


def load_user(session: Session, username_or_id: str | int) -> User:
    """The User row; UserError when there is none."""
    return _load(session, username_or_id)


def _load(session: Session, username_or_id: str | int) -> User:
    if isinstance(username_or_id, int) and not isinstance(username_or_id, bool):
        user = session.get(User, username_or_id)
    else:
        user = session.scalar(select(User).where(User.username == str(username_or_id)))
    if user is None:
        raise UserNotFound(f"no user {show(username_or_id)}")
    return user


def _keep_an_admin(session: Session, user: User, verb: str) -> None:
    if user.role != str(Role.ADMIN) or not user.enabled:
        return
    admins = session.scalar(
        select(func.count()).select_from(User).where(User.role == str(Role.ADMIN), User.enabled.is_(True))
    )
    if (admins or 0) <= 1:
        raise UserError(f"cannot {verb} {user.username!r}: it is the last enabled admin")


def _snapshot(user: User) -> dict[str, Any]:
    return {"role": user.role, "enabled": user.enabled, "full_name": user.full_name,
            "locked_until": user.locked_until}  # fmt: skip
