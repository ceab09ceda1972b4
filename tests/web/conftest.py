"""An app and a client per database kind, and users and tokens of each role.

The app runs on the session's migrated database of each kind (``db_engine``); every test commits
for real, so the tables are emptied after each one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from netraven import users
from netraven.db.base import Base
from netraven.settings import Settings, load_settings
from netraven.web.app import create_app

PASSWORD = "correct horse battery staple"
ROLES = ("viewer", "operator", "admin")


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    return load_settings(
        environ={"NETRAVEN_HOME": str(tmp_path / "home"), "NETRAVEN_WEB__MAX_BODY_BYTES": "200000"}
    )


@pytest.fixture
def engine(db_engine: Engine) -> Iterator[Engine]:
    """The shared migrated database of each kind, emptied before the test (other tests, such as
    the CLI's, commit rows to it) and after it."""
    _empty(db_engine)
    yield db_engine
    _empty(db_engine)


def _empty(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture
def app(web_settings: Settings, engine: Engine) -> FastAPI:
    return create_app(web_settings, engine=engine)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def db(engine: Engine) -> Callable[[], Session]:
    """A new session on the app's database (the test's own reads and setup)."""
    return lambda: Session(engine, expire_on_commit=False)


@pytest.fixture
def make_user(engine: Engine, web_settings: Settings) -> Callable[..., dict[str, str]]:
    """Factory: a user of ``role`` (named after it) and headers with an access token of theirs."""

    def make(role: str, name: str | None = None) -> dict[str, str]:
        name = name or role
        with Session(engine) as session, session.begin():
            users.add_user(session, web_settings, name, PASSWORD, role)
            principal = users.authenticate(session, web_settings, name, PASSWORD)
        token, _ = users.issue_access_token(web_settings, principal)
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def as_role(make_user: Callable[..., dict[str, str]]) -> dict[str, dict[str, str]]:
    """Headers of one user per role: ``as_role["operator"]``."""
    return {role: make_user(role) for role in ROLES}


def count(engine: Engine, model: type[Base]) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def assert_envelope(response: object, status: int, code: str | None = None) -> dict[str, object]:
    """The response is ``status`` with the error envelope (and the request id); its error body."""
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details", "request_id"}, error
    assert error["request_id"] == response.headers["x-request-id"]  # type: ignore[attr-defined]
    assert error["message"] and "\n" not in error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error  # type: ignore[no-any-return]
