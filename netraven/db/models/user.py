"""People: users, their personal API tokens, browser sessions and login attempts.

No secret is stored in the clear: passwords as Argon2 hashes, tokens and session ids as SHA-256
digests of high-entropy random values (which need no slow hash). Roles are stored by name
(``viewer``, ``operator``, ``admin``; see :class:`netraven.principal.Role`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netraven.db.base import Base, created_at, intpk, name_str, utcnow

DIGEST = String(64)  # hex SHA-256


class User(Base):
    """Someone who logs in to the web API, or is recorded as creating jobs and triggering runs.

    ``failed_logins`` counts wrong passwords in a row; reaching ``web.login_max_failures`` sets
    ``locked_until``. A user without ``password_hash`` cannot log in until ``netraven user passwd``.
    """

    __tablename__ = "users"

    id: Mapped[intpk]
    username: Mapped[name_str] = mapped_column(unique=True)
    role: Mapped[str] = mapped_column(String(20), default="operator")
    full_name: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]  # access tokens issued before it are refused
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"User(id={self.id!r}, username={self.username!r}, role={self.role!r})"


class ApiToken(Base):
    """A personal API token: acts as its user with ``role`` (at most the user's role, checked on use).

    Only ``secret_hash`` (SHA-256 of the whole token) is kept; ``prefix`` (its first characters)
    names it in lists.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_user_id", "user_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[name_str]
    role: Mapped[str] = mapped_column(String(20))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(DIGEST, unique=True)
    created_at: Mapped[created_at]
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")

    def __repr__(self) -> str:
        return (
            f"ApiToken(id={self.id!r}, user_id={self.user_id!r}, name={self.name!r}, prefix={self.prefix!r})"
        )


class BrowserSession(Base):
    """A logged-in browser: the cookie holds the session id, only its SHA-256 is stored.

    Its CSRF token is derived from the session id (HMAC with the signing key), so none is stored.
    """

    __tablename__ = "browser_sessions"
    __table_args__ = (
        Index("ix_browser_sessions_user_id", "user_id"),
        Index("ix_browser_sessions_expires_at", "expires_at"),
    )

    id: Mapped[intpk]
    id_hash: Mapped[str] = mapped_column(DIGEST, unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    address: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"BrowserSession(id={self.id!r}, user_id={self.user_id!r}, expires_at={self.expires_at!r})"


class LoginAttempt(Base):
    """One login attempt, kept about an hour: the per-user and per-address rate limits count these
    (in the database, so every server process sees the same counts)."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
        Index("ix_login_attempts_at", "at"),
    )

    id: Mapped[intpk]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    username: Mapped[name_str]
    address: Mapped[str | None] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(default=False, server_default=false())


__all__ = ["ApiToken", "BrowserSession", "LoginAttempt", "User"]
