"""Access tokens (JWT) and personal API tokens: expiry, tampering, the user row checked on each
use, secrets stored hashed and shown once, revocation, roles no higher than the owner's."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from netraven.db.base import utcnow
from netraven.db.models import ApiToken, AuditEntry, User
from netraven.exceptions import AuthenticationError, ConfigError, PermissionDenied, UserError
from netraven.principal import Principal
from netraven.settings import Settings
from netraven.users import (
    Role,
    authenticate,
    create_api_token,
    edit_user,
    issue_access_token,
    list_api_tokens,
    principal_from_bearer,
    remove_user,
    revoke_api_token,
    set_password,
)
from netraven.users.keys import digest, signing_key
from tests.audit.conftest import Trail
from tests.users.conftest import PASSWORD, make_user, with_web

CLI = Principal("cli", "ops", Role.ADMIN)


def login(session: Session, settings: Settings, name: str = "alice") -> Principal:
    return authenticate(session, settings, name, PASSWORD)


def test_an_access_token_stands_for_its_user(session: Session, settings: Settings) -> None:
    make_user(session, settings)
    token, expires = issue_access_token(settings, login(session, settings))
    assert timedelta(minutes=14) < expires - utcnow() <= timedelta(minutes=15)
    claims = jwt.decode(token, signing_key(settings), algorithms=["HS256"])
    assert {"sub", "uid", "role", "exp", "iat", "jti"} <= set(claims) and claims["role"] == "operator"
    principal = principal_from_bearer(session, settings, token, "192.0.2.5")
    assert (principal.kind, principal.username, principal.role, principal.address) == (
        "user", "alice", Role.OPERATOR, "192.0.2.5"
    )  # fmt: skip


def test_expired_and_tampered_access_tokens_are_refused(session: Session, settings: Settings) -> None:
    make_user(session, settings)
    principal = login(session, settings)
    token, _ = issue_access_token(settings, principal)
    claims = jwt.decode(token, signing_key(settings), algorithms=["HS256"])
    expired = jwt.encode({**claims, "exp": utcnow() - timedelta(seconds=5)}, signing_key(settings))
    with pytest.raises(AuthenticationError, match="has expired"):
        principal_from_bearer(session, settings, expired)
    forged = jwt.encode({**claims, "role": "admin"}, b"k" * 32)
    header, payload, signature = token.split(".")
    for bad in (forged, f"{header}.{payload}.{signature[::-1]}", "garbage", "",
                jwt.encode({**claims, "role": "admin"}, signing_key(settings), algorithm="HS512")):  # fmt: skip
        with pytest.raises(AuthenticationError, match="invalid access token"):
            principal_from_bearer(session, settings, bad)
    other_key = with_web(settings, secret_key="x" * 40)
    with pytest.raises(AuthenticationError, match="invalid access token"):
        principal_from_bearer(session, other_key, token)


def test_a_disabled_removed_or_demoted_user_takes_effect_at_once(
    session: Session, settings: Settings
) -> None:
    make_user(session, settings, "root", "admin")
    make_user(session, settings, "alice", "admin")
    token, _ = issue_access_token(settings, login(session, settings))
    api, secret = create_api_token(session, login(session, settings), "script")
    edit_user(session, "alice", role="viewer")
    assert principal_from_bearer(session, settings, token).role is Role.VIEWER
    assert principal_from_bearer(session, settings, secret).role is Role.VIEWER
    edit_user(session, "alice", enabled=False)
    for bearer in (token, secret):
        with pytest.raises(AuthenticationError):
            principal_from_bearer(session, settings, bearer)
    edit_user(session, "alice", enabled=True)
    remove_user(session, "alice")
    for bearer in (token, secret):
        with pytest.raises(AuthenticationError):
            principal_from_bearer(session, settings, bearer)
    assert session.get(ApiToken, api.id) is None


def test_a_personal_token_is_stored_hashed_and_shown_once(
    session: Session, settings: Settings, trail: Trail
) -> None:
    make_user(session, settings)
    view, secret = create_api_token(session, login(session, settings), "backup script")
    assert secret.startswith("nrt_") and len(secret) >= 40 and view.prefix == secret[:12]
    row = session.get(ApiToken, view.id)
    assert row is not None and row.secret_hash == digest(secret) and secret not in repr(vars(row))
    assert secret not in repr(view) and secret not in repr(view.to_dict())
    listed = list_api_tokens(session, login(session, settings))
    assert [t.name for t in listed] == ["backup script"] and secret not in repr(listed)
    (entry,) = trail(AuditEntry.action == "token.create")
    assert secret not in repr(entry.changes) and entry.changes["role"] == "operator"
    principal = principal_from_bearer(session, settings, secret, "192.0.2.9")
    assert (principal.kind, principal.username, principal.token_id) == ("token", "alice", view.id)
    assert session.get(ApiToken, view.id).last_used_at is not None  # type: ignore[union-attr]


def test_revoked_expired_and_unknown_tokens_are_refused(session: Session, settings: Settings) -> None:
    make_user(session, settings)
    alice = login(session, settings)
    revoked, revoked_secret = create_api_token(session, alice, "a")
    expiring, expiring_secret = create_api_token(session, alice, "b", expires_at=utcnow() + timedelta(days=1))
    revoke_api_token(session, alice, revoked.id)
    session.execute(update(ApiToken).where(ApiToken.id == expiring.id).values(expires_at=utcnow()))
    for secret in (revoked_secret, expiring_secret, "nrt_" + "A" * 43):
        with pytest.raises(AuthenticationError, match="invalid, expired or revoked API token"):
            principal_from_bearer(session, settings, secret)
    with pytest.raises(UserError, match="already revoked"):
        revoke_api_token(session, alice, revoked.id)
    assert [t.name for t in list_api_tokens(session, alice)] == ["b"]
    assert {t.name for t in list_api_tokens(session, alice, include_revoked=True)} == {"a", "b"}


def test_a_token_role_is_at_most_its_owners(session: Session, settings: Settings) -> None:
    make_user(session, settings)  # operator
    alice = login(session, settings)
    with pytest.raises(UserError, match="token role admin is above the role of user 'alice' \\(operator\\)"):
        create_api_token(session, alice, "too high", role="admin")
    with pytest.raises(UserError, match="token role admin is above"):
        create_api_token(session, CLI, "too high", role="admin", user="alice")
    view, _ = create_api_token(session, alice, "reader", role="viewer")
    assert view.role is Role.VIEWER
    with pytest.raises(UserError, match="in the future"):
        create_api_token(session, alice, "past", expires_at=utcnow() - timedelta(days=1))
    assert [t.name for t in list_api_tokens(session, alice)] == ["reader"]


def test_only_owners_and_admins_see_and_revoke(session: Session, settings: Settings) -> None:
    make_user(session, settings)
    make_user(session, settings, "bob")
    alice, bob = login(session, settings), login(session, settings, "bob")
    view, _ = create_api_token(session, alice, "mine")
    with pytest.raises(UserError, match=f"no API token {view.id}"):
        revoke_api_token(session, bob, view.id)
    with pytest.raises(PermissionDenied):
        list_api_tokens(session, bob, user="alice")
    with pytest.raises(PermissionDenied):
        create_api_token(session, bob, "for alice", user="alice")
    assert list_api_tokens(session, bob) == []
    assert [t.name for t in list_api_tokens(session, CLI, user="alice")] == ["mine"]
    assert revoke_api_token(session, CLI, view.id).revoked_at is not None


def test_the_signing_key_file_is_private_and_stable(settings: Settings, tmp_path: Path) -> None:
    key = signing_key(settings)
    path = settings.web_secret_file
    assert len(key) >= 32 and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert signing_key(settings) == key
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".web-secret")] == []
    with pytest.raises(ConfigError, match=r"web\.secret_key is too short"):
        signing_key(with_web(settings, secret_key="short"))
    assert signing_key(with_web(settings, secret_key="s" * 32)) == b"s" * 32
    assert "s" * 32 not in repr(with_web(settings, secret_key="s" * 32))


def test_a_new_password_ends_earlier_access_tokens(session: Session, settings: Settings) -> None:
    make_user(session, settings)
    token, _ = issue_access_token(settings, login(session, settings))
    api, secret = create_api_token(session, login(session, settings), "script")
    set_password(session, settings, "alice", "a brand new password")
    changed = session.scalar(select(User.password_changed_at).where(User.username == "alice"))
    assert changed is not None and utcnow() - changed < timedelta(seconds=5)
    session.execute(
        update(User)
        .where(User.username == "alice")
        .values(password_changed_at=utcnow() + timedelta(seconds=2))
    )
    with pytest.raises(AuthenticationError, match="invalid access token"):
        principal_from_bearer(session, settings, token)  # issued before the change
    assert principal_from_bearer(session, settings, secret).token_id == api.id  # personal tokens stay
    session.execute(
        update(User)
        .where(User.username == "alice")
        .values(password_changed_at=utcnow() - timedelta(seconds=5))
    )
    assert principal_from_bearer(session, settings, token).username == "alice"  # issued after it
