"""Short-lived access tokens (JWT, HS256) and who a bearer token stands for.

An access token names its user (``sub``, ``uid``), role, issue and expiry times, and a random
``jti``. Each use reads the user row again: a removed or disabled user is refused at once, a
lowered role applies at once (the token's role is only an upper bound), and a new password ends
every access token issued before it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import jwt
from sqlalchemy.orm import Session

from netraven.db.base import utcnow
from netraven.db.models import User
from netraven.exceptions import AuthenticationError
from netraven.principal import Principal, Role
from netraven.settings import Settings
from netraven.users.keys import signing_key
from netraven.users.tokens import TOKEN_PREFIX, principal_from_api_token

ALGORITHM = "HS256"
INVALID = "invalid access token: request a new one"


def issue_access_token(settings: Settings, principal: Principal) -> tuple[str, datetime]:
    """A signed access token for ``principal`` (a user: it needs ``user_id``) and when it expires."""
    if principal.user_id is None:
        raise ValueError(f"access tokens are for users; {principal.kind} {principal.username!r} is none")
    now = utcnow().replace(microsecond=0)
    expires = now + timedelta(minutes=settings.web.access_token_minutes)
    claims = {
        "sub": principal.username,
        "uid": principal.user_id,
        "role": str(principal.role),
        "iat": now,
        "exp": expires,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, signing_key(settings), algorithm=ALGORITHM), expires


def principal_from_bearer(
    session: Session, settings: Settings, token: str, address: str | None = None
) -> Principal:
    """Who ``token`` (an access token, or a personal API token ``nrt_...``) stands for.

    AuthenticationError when it is malformed, tampered with, expired or revoked, or its user is
    gone or disabled.
    """
    if token.startswith(TOKEN_PREFIX):
        return principal_from_api_token(session, token, address)
    try:
        claims = jwt.decode(
            token,
            signing_key(settings),
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "iat", "jti"]},
        )
    except jwt.ExpiredSignatureError:
        raise AuthenticationError("the access token has expired: request a new one") from None
    except jwt.InvalidTokenError:
        raise AuthenticationError(INVALID) from None
    uid, role = claims.get("uid"), claims.get("role")
    user = session.get(User, uid) if isinstance(uid, int) and not isinstance(uid, bool) else None
    if user is None or not user.enabled or user.username != claims["sub"] or _before_password(claims, user):
        raise AuthenticationError(INVALID)
    try:
        granted = min(Role.parse(role), Role.parse(user.role))
    except ValueError:
        raise AuthenticationError(INVALID) from None
    return Principal("user", user.username, granted, user_id=user.id, address=address)


def _before_password(claims: dict[str, object], user: User) -> bool:
    """Whether the token was issued before the user's password last changed (to the second: a
    token issued in the second of the change itself is kept)."""
    changed, issued = user.password_changed_at, claims.get("iat")
    if changed is None:
        return False
    return not isinstance(issued, (int, float)) or issued < int(changed.timestamp())
