"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``NETRAVEN_TEST_POSTGRES_URL`` (default: postgres@127.0.0.1:5432, trust
auth); each test session creates its own throw-away databases and drops them at the end. Outside
CI a missing server skips the PostgreSQL variants with a visible reason; with ``CI=true`` they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from netraven.db import create_engine_for_url, migrate

pytest_plugins = ["netraven.simulator.pytest_plugin", "tests.exclusive"]

POSTGRES_URL = os.environ.get(
    "NETRAVEN_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
DB_KINDS = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real data directory or settings."""
    monkeypatch.setenv("NETRAVEN_HOME", str(tmp_path_factory.mktemp("netraven-home")))
    for name in list(os.environ):
        if name.startswith("NETRAVEN_") and name not in ("NETRAVEN_HOME", "NETRAVEN_TEST_POSTGRES_URL"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """An AUTOCOMMIT engine on the PostgreSQL server, to create and drop test databases."""
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        reason = f"PostgreSQL not reachable at {make_url(POSTGRES_URL).render_as_string()}: {exc.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def new_database_url(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], str]]:
    """Factory: the URL of a new empty database of the given kind, dropped at session end."""
    created: list[str] = []
    admins: list[Engine] = []

    def make(kind: str) -> str:
        name = f"netraven_test_{uuid.uuid4().hex[:12]}"
        if kind == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / (name + '.sqlite3')}"
        if not admins:
            admins.append(request.getfixturevalue("postgres_admin"))
        with admins[0].connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    yield make
    for name in created:
        with admins[0].connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def migrated_engine(url: str) -> Iterator[Engine]:
    """An engine on ``url`` after ``netraven db upgrade``, disposed on exit."""
    engine = create_engine_for_url(url)
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(scope="session", params=DB_KINDS)
def db_engine(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> Iterator[Engine]:
    """A migrated database of each kind, shared by the session (migrations run once per kind)."""
    with migrated_engine(new_database_url(request.param)) as engine:
        yield engine


@pytest.fixture(params=DB_KINDS)
def fresh_engine(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> Iterator[Engine]:
    """A new migrated database of each kind for one test, for code that commits for real."""
    with migrated_engine(new_database_url(request.param)) as engine:
        yield engine


@pytest.fixture
def db_url(db_engine: Engine) -> str:
    return db_engine.url.render_as_string(hide_password=False)


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test."""
    with db_engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
            yield s
        outer.rollback()
