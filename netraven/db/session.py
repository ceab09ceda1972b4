"""Engines and session factories built from settings (no module-global session)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from netraven.datadir import private_file
from netraven.db.errors import describe_url, wrap_errors
from netraven.exceptions import ConfigError
from netraven.settings import Settings

if TYPE_CHECKING:  # the ORM is imported by the first session factory, not by an engine
    from sqlalchemy.orm import Session, sessionmaker


def create_engine_for_url(
    url: str, pool_size: int = 20, max_overflow: int = 10, echo: bool = False
) -> Engine:
    """An engine for ``url``: SQLite with foreign keys, WAL and a busy timeout; PostgreSQL pooled.

    Its database errors are raised as :class:`~netraven.exceptions.DatabaseError` (:mod:`.errors`).
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"database.url = {url!r}: expected an SQLAlchemy URL", key="database.url") from exc
    options: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            private_file(Path(parsed.database).expanduser())  # configs with secrets: owner-only
        options["connect_args"] = {"timeout": 30, "check_same_thread": False}
    else:
        options.update(pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True)
    try:
        engine = create_engine(parsed, **options)
    except (ArgumentError, ImportError) as exc:
        raise ConfigError(f"database.url = {describe_url(parsed)}: {exc}", key="database.url") from exc
    wrap_errors(engine)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def create_engine_from_settings(settings: Settings) -> Engine:
    """The engine for the configured database; the pool fits the worker's Nornir threads."""
    db = settings.database
    pool_size = max(db.pool_size, settings.runner.num_workers // 4 + 5)
    return create_engine_for_url(settings.database_url, pool_size, db.max_overflow, db.echo)


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(engine, expire_on_commit=False)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself so that transactions really start where it says they do
    # (pysqlite's own implicit BEGIN breaks SAVEPOINTs and BEGIN IMMEDIATE).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front, waiting out the busy timeout if another thread
    # holds it. A deferred transaction that reads first and writes later fails at once with
    # "database is locked" when another writer committed meanwhile (the runner's threads do).
    connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def open_session(settings: Settings | None = None) -> Iterator[Session]:
    """A session on the configured database, in a transaction committed on success.

    Checks first that the schema is current (:class:`SchemaError` says to run ``netraven db upgrade``).
    """
    from netraven.db.migrate import require_current_schema
    from netraven.settings import load_settings

    engine = create_engine_from_settings(settings or load_settings())
    try:
        require_current_schema(engine)
        with create_session_factory(engine).begin() as session:
            yield session
    finally:
        engine.dispose()
