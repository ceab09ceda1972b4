"""Users: Argon2 hashes, the minimum length, edits, the last admin, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.db.models import AuditEntry, User
from netraven.exceptions import UserError
from netraven.settings import Settings
from netraven.users import Role, add_user, edit_user, get_user, list_users, remove_user, set_password
from netraven.users.passwords import verify_password
from tests.audit.conftest import Trail
from tests.users.conftest import PASSWORD, make_user


def test_the_password_is_stored_as_an_argon2id_hash_only(session: Session, settings: Settings) -> None:
    view = make_user(session, settings)
    row = session.scalars(select(User).where(User.username == "alice")).one()
    assert row.password_hash is not None and row.password_hash.startswith("$argon2id$v=19$")
    assert PASSWORD not in row.password_hash
    assert verify_password(row.password_hash, PASSWORD) and not verify_password(row.password_hash, "nope")
    assert view.role is Role.OPERATOR and view.has_password and "hash" not in str(view.to_dict())
    assert PASSWORD not in repr(view) and "argon2" not in repr(row)


def test_a_short_password_is_refused_and_nothing_is_written(
    session: Session, settings: Settings, trail: Trail
) -> None:
    with pytest.raises(UserError, match=r"too short: at least 12 characters \(web.min_password_length\)"):
        add_user(session, settings, "bob", "short", "viewer")
    assert session.scalar(select(User).where(User.username == "bob")) is None
    assert trail() == []


@pytest.mark.parametrize(
    ("name", "role", "password", "message", "field"),
    [
        ("bad name", "viewer", PASSWORD, "expected 1 to 64 letters", "username"),
        ("", "viewer", PASSWORD, "username is empty", "username"),
        ("x" * 65, "viewer", PASSWORD, "expected 1 to 64 letters", "username"),
        ("bob", "root", PASSWORD, "unknown role 'root'", "role"),
        ("bob", "viewer", "short", "too short", "password"),
    ],
)
def test_bad_input_is_refused(
    session: Session, settings: Settings, name: str, role: str, password: str, message: str, field: str
) -> None:
    before = list_users(session)
    with pytest.raises(UserError, match=message) as caught:
        add_user(session, settings, name, password, role)
    assert caught.value.field == field
    assert list_users(session) == before


def test_duplicate_users_are_refused(session: Session, settings: Settings) -> None:
    make_user(session, settings)
    with pytest.raises(UserError, match="a user named 'alice' already exists") as caught:
        make_user(session, settings)
    assert caught.value.field == "username"


def test_edit_and_audit_rows_without_secrets(session: Session, settings: Settings, trail: Trail) -> None:
    make_user(session, settings)
    make_user(session, settings, "root", "admin")
    edit_user(session, "alice", role="viewer", enabled=False)
    assert get_user(session, "alice").role is Role.VIEWER and not get_user(session, "alice").enabled
    set_password(session, settings, "alice", "another long password")
    rows = {e.action: e for e in trail(AuditEntry.object_id == "alice")}
    assert set(rows) == {"user.add", "user.edit", "user.passwd"}
    assert rows["user.edit"].changes == {"role": ["operator", "viewer"], "enabled": [True, False]}
    assert rows["user.add"].actor_kind == "system"
    text = repr([(e.changes, e.detail) for e in rows.values()])
    assert PASSWORD not in text and "another long password" not in text and "argon2" not in text


def test_the_last_enabled_admin_stays(fresh_engine: Engine, settings: Settings) -> None:
    with Session(fresh_engine) as session:  # a database without other tests' admins
        make_user(session, settings, "root", "admin")
        for change in ({"role": "operator"}, {"enabled": False}):
            with pytest.raises(UserError, match="'root': it is the last enabled admin"):
                edit_user(session, "root", **change)  # type: ignore[arg-type]
        with pytest.raises(UserError, match="last enabled admin"):
            remove_user(session, "root")
        make_user(session, settings, "second", "admin")
        remove_user(session, "root")
        assert [u.username for u in list_users(session)] == ["second"]


def test_unknown_users_are_named(session: Session, settings: Settings) -> None:
    with pytest.raises(UserError, match="no user 'ghost'"):
        set_password(session, settings, "ghost", PASSWORD)
