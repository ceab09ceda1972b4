"""Personal API tokens: long-lived, for scripts; shown once, stored as a SHA-256 digest.

A token is ``nrt_`` and 43 random URL-safe characters (256 bits), so a fast digest suffices. It
acts as its user with its own role, which is at most the user's: lowering the user's role lowers
every token's at once. Owners see and revoke their own tokens; admins anyone's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from netraven import audit
from netraven.db.base import utcnow
from netraven.db.models import ApiToken, User
from netraven.exceptions import AuthenticationError, PermissionDenied, UserError, UserNotFound, in_field
from netraven.inventory.validation import check_name, show
from netraven.principal import Principal, Role
from netraven.users.keys import digest

TOKEN_PREFIX = "nrt_"
SHOWN_PREFIX = 12  # characters of a token kept to name it: nrt_ and 8 random ones
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per token
INVALID = "invalid, expired or revoked API token"


@dataclass(frozen=True)
class ApiTokenView:
    """A token as listed: never its secret."""

    id: int
    user: str
    name: str
    role: Role
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> ApiTokenView:
        return cls(token.id, token.user.username, token.name, Role.parse(token.role), token.prefix,
                   token.created_at, token.last_used_at, token.expires_at, token.revoked_at)  # fmt: skip

    @property
    def active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > utcnow())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user": self.user,
            "name": self.name,
            "role": str(self.role),
            "prefix": self.prefix,
            "created_at": self.created_at,
            "last_used_at": self.last_used_at,
            "expires_at": self.expires_at,
            "revoked_at": self.revoked_at,
            "active": self.active,
        }


def create_api_token(
    session: Session,
    owner: Principal,
    name: str,
    role: Role | str | None = None,
    expires_at: datetime | None = None,
    *,
    user: str | None = None,
) -> tuple[ApiTokenView, str]:
    """A new token and its secret (shown once, never stored).

    ``owner`` is who asks: the token is theirs, or ``user``'s (admins only, and the CLI). Its
    role defaults to the user's and may not exceed it, nor the asker's.
    """
    target = _target_user(session, owner, user)
    with in_field("name"):
        name = check_name(name, "token name", UserError)
    user_role = Role.parse(target.role)
    try:
        granted = user_role if role is None else Role.parse(role)
    except ValueError as exc:
        raise UserError(str(exc), field="role") from None
    if granted > user_role:
        raise UserError(
            f"token role {granted} is above the role of user {target.username!r} ({user_role})", field="role"
        )
    if granted > owner.role:
        raise PermissionDenied(f"a {owner.role} cannot create a {granted} token", needed=str(granted))
    if expires_at is not None and (expires_at.tzinfo is None or expires_at <= utcnow()):
        raise UserError(
            f"token expiry {show(expires_at)} must be a time zone aware time in the future",
            field="expires_at",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=target, name=name, role=str(granted), prefix=secret[:SHOWN_PREFIX],
                     secret_hash=digest(secret), expires_at=expires_at)  # fmt: skip
    session.add(token)
    session.flush()
    fields = {"user": target.username, "name": name, "role": str(granted), "expires_at": expires_at}
    audit.record(session, "token.create", "token", token.id, fields)
    return ApiTokenView.of(token), secret


def list_api_tokens(
    session: Session, principal: Principal, *, user: str | None = None, include_revoked: bool = False
) -> list[ApiTokenView]:
    """Tokens the principal may see (their own; an admin: everyone's, or ``user``'s), newest first."""
    query = visible_tokens(principal, user, include_revoked)
    return [ApiTokenView.of(t) for t in session.scalars(query.order_by(ApiToken.id.desc()))]


def visible_tokens(principal: Principal, user: str | None, include_revoked: bool) -> Select[ApiToken]:
    """The query of the tokens ``principal`` may list; PermissionDenied for another user's, unless admin."""
    query = select(ApiToken).join(ApiToken.user).options(joinedload(ApiToken.user))
    if not principal.allows(Role.ADMIN):
        if principal.user_id is None or (user is not None and user != principal.username):
            raise PermissionDenied("only admins list other users' tokens", needed=str(Role.ADMIN))
        query = query.where(ApiToken.user_id == principal.user_id)
    elif user is not None:
        query = query.where(User.username == user)
    if not include_revoked:
        query = query.where(ApiToken.revoked_at.is_(None))
    return query


def revoke_api_token(session: Session, principal: Principal, token_id: int) -> ApiTokenView:
    """Revoke a token at once (its owner or an admin); the row stays, listed as revoked."""
    token = session.get(ApiToken, token_id) if isinstance(token_id, int) else None
    mine = token is not None and principal.user_id is not None and token.user_id == principal.user_id
    if token is None or not (mine or principal.allows(Role.ADMIN)):
        raise UserNotFound(f"no API token {show(token_id)}")
    if token.revoked_at is not None:
        raise UserError(f"API token {token.id} is already revoked")
    token.revoked_at = utcnow()
    session.flush()
    audit.record(
        session, "token.revoke", "token", token.id, {"user": token.user.username, "name": token.name}
    )
    return ApiTokenView.of(token)


def principal_from_api_token(session: Session, secret: str, address: str | None = None) -> Principal:
    """Who the token ``secret`` stands for; AuthenticationError if unknown, revoked or expired."""
    token = session.scalar(
        select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.secret_hash == digest(secret))
    )
    now = utcnow()
    if (
        token is None
        or token.revoked_at is not None
        or (token.expires_at is not None and token.expires_at <= now)
        or not token.user.enabled
    ):
        raise AuthenticationError(INVALID)
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
        session.flush()
    role = min(Role.parse(token.role), Role.parse(token.user.role))
    return Principal("token", token.user.username, role, token.user_id, token.id, address)


def _target_user(session: Session, owner: Principal, user: str | None) -> User:
    if user is None:
        if owner.user_id is None:
            raise UserError("name the user the token is for")
        found = session.get(User, owner.user_id)
    else:
        found = session.scalar(select(User).where(User.username == user))
        if found is not None and found.id != owner.user_id and not owner.allows(Role.ADMIN):
            raise PermissionDenied("only admins create tokens for other users", needed=str(Role.ADMIN))
    if found is None:
        raise UserNotFound(f"no user {show(user if user is not None else owner.username)}")
    if not found.enabled:
        raise UserError(f"user {found.username!r} is disabled")
    return found
