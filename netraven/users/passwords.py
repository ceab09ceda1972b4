"""Password hashing (Argon2id, argon2-cffi's defaults) and the minimum length."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from netraven.exceptions import UserError
from netraven.settings import Settings

MAX_PASSWORD = 1_024  # longer ones are refused rather than hashed (hashing is CPU-bound)


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def check_password(settings: Settings, password: object) -> str:
    """``password`` if it is text of at least ``web.min_password_length`` characters; UserError otherwise."""
    minimum = settings.web.min_password_length
    if not isinstance(password, str):
        raise UserError("the password must be text", field="password")
    if len(password) < minimum:
        raise UserError(
            f"the password is too short: at least {minimum} characters (web.min_password_length)",
            field="password",
        )
    if len(password) > MAX_PASSWORD:
        raise UserError(f"the password is too long: at most {MAX_PASSWORD} characters", field="password")
    return password


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (``$argon2id$v=19$...``, salt included)."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; False for no hash or a malformed one."""
    if not password_hash or len(password) > MAX_PASSWORD:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's (re-hash at the next login)."""
    return _hasher().check_needs_rehash(password_hash)


@cache
def dummy_hash() -> str:
    """A hash to verify against for unknown users, so that they take as long as known ones."""
    return _hasher().hash("netraven-no-such-user")
